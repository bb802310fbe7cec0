package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.activation.LicenseDecision;
import dev.wsl.activation.TokenAuthorizer;
import dev.wsl.activation.TokenAuthorizerHandler;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.local.LocalStackRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token authorizer (PRODUCT.md section 6) through the real handlers, the local gateway and the
 * emulator, called with the headers the real LocalStack client builds for platform calls
 * ({@code get_platform_auth_headers()}): granted for each credential kind, refused at the next call
 * after unassign, remove, rotate, revoke, delete, in a brownout and after the cut-off; one refusal
 * for every dead credential; two reads per authorization; no credential in logs or in what the
 * routes behind it receive.
 */
class TokenAuthorizerIT extends LicensedWorkspaceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORBIDDEN = "{\"message\":\"Forbidden\"}";

    TokenAuthorizerIT(LocalStackRuntime runtime) {
        super(runtime);
    }

    @Override
    String label() {
        return "Platform";
    }

    @Test
    void realClientHeaders_authToken_shouldBeGranted_andRefusedAtTheNextCallAfterUnassign() {
        String token = Activations.authToken(api, admin);

        LocalStackClient.Result granted = client.platformCallWithAuthToken(token);

        assertThat(granted.json().path("form").asText()).as("the client's form").isEqualTo("basic-empty-user");
        assertThat(granted.json().path("status").asInt()).as("%s", granted.json()).isEqualTo(200);
        JsonNode info = granted.json().get("body");
        assertThat(info.get("credential_kind").asText()).isEqualTo("auth-token");
        assertThat(info.get("workspace_id").asText()).isEqualTo(ws);
        assertThat(info.get("workspace_name").asText()).isEqualTo("Platform " + suffix);
        assertThat(info.get("member_id").asText()).isEqualTo(adminMember);
        assertThat(info.get("user_id").asText()).isEqualTo(admin.sub());
        assertThat(info.get("plan").asText()).isEqualTo("Team");
        assertThat(info.get("license_status").asText()).isEqualTo("ACTIVE");
        assertThat(Instant.parse(info.get("reactivate_after").asText().replace("+00:00", "Z")))
                .isBetween(Instant.now().plus(23, ChronoUnit.HOURS), Instant.now().plus(25, ChronoUnit.HOURS));
        assertThat(info.get("expiry_date").asText()).endsWith("+00:00");

        licenses.unassign(admin, ws, adminMember).expect(200);

        assertForbidden(client.platformCallWithAuthToken(token));
    }

    @Test
    void realClientHeaders_removal_andRotation_shouldRefuseTheNextCall() {
        Api.User jane = api.user("authz-jane-" + suffix + "@example.com");
        String janeMember = api.addActiveMember(admin, ws, jane);
        licenses.assign(admin, ws, janeMember).expect(200);
        String janes = Activations.authToken(api, jane);
        String admins = Activations.authToken(api, admin);
        assertGranted(client.platformCallWithAuthToken(janes), "auth-token");
        assertGranted(client.platformCallWithAuthToken(admins), "auth-token");

        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + janeMember, null).expect(200);
        String rotated = api.call(admin, "POST", "/me/auth-token/rotate", null).expect(201).text("token");

        assertForbidden(client.platformCallWithAuthToken(janes));
        assertForbidden(client.platformCallWithAuthToken(admins));
        assertGranted(client.platformCallWithAuthToken(rotated), "auth-token");
    }

    @Test
    void realClientHeaders_ciKey_andLegacyKey_shouldBeGranted_andRefusedAfterRevocationAndDeletion() {
        JsonNode ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Pipeline\"}").expect(201).json();
        String legacy = Licenses.randomKey();
        String legacyId = licenses.importKey(admin, ws, legacy, null).expect(201).json().get("items").get(0)
                .get("id").asText();

        JsonNode byCi = assertGranted(client.platformCallWithAuthToken(ci.get("key").asText()), "ci-key");
        LocalStackClient.Result byLegacy = client.platformCallWithApiKey(legacy);
        assertThat(byLegacy.json().path("form").asText()).isEqualTo("api-key");
        JsonNode legacyInfo = assertGranted(byLegacy, "legacy-key");

        assertThat(byCi.get("license_type").asText()).isEqualTo("CI");
        assertThat(byCi.get("key_id").asText()).isEqualTo(ci.get("id").asText());
        assertThat(legacyInfo.get("key_id").asText()).isEqualTo(legacyId);
        assertThat(legacyInfo.toString()).doesNotContain(legacy);

        api.call(admin, "DELETE", "/workspaces/" + ws + "/ci-keys/" + ci.get("id").asText(), null).expect(200);
        licenses.deleteKey(admin, ws, legacyId).expect(204);

        assertForbidden(client.platformCallWithAuthToken(ci.get("key").asText()));
        assertForbidden(client.platformCallWithApiKey(legacy));
    }

    /**
     * The sunset plan is a deployment parameter, so this runs the real authorizer handler with a plan
     * and a clock of its own, behind a server that answers as API Gateway does (403, or 200 with the
     * context), still called with the real client's headers.
     */
    @Test
    void realClientHeaders_legacyKey_shouldBeRefusedInABrownoutAndAfterTheCutOff_butNotCiKeysOrAuthTokens() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant brownout = now.plus(Duration.ofDays(10));
        SunsetPlan plan = new SunsetPlan(now.minus(Duration.ofDays(1)),
                List.of(new SunsetPlan.Window(brownout, brownout.plus(Duration.ofHours(2)))), now.plus(Duration.ofDays(60)),
                Duration.ofDays(30), Duration.ofDays(14));
        SunsetIT.MovableClock clock = new SunsetIT.MovableClock(now);
        TokenAuthorizerHandler handler = new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(
                new ActivationStore(runtime.dynamoDb(), runtime.tableName()), clock, plan)));
        String legacy = Licenses.randomKey();
        licenses.importKey(admin, ws, legacy, adminMember).expect(201);
        String ciKey = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"ci\"}").expect(201).text("key");
        String token = Activations.authToken(api, admin);
        try (GatewayHttp sunset = new GatewayHttp((method, path, query, headers, body) -> {
            String answer = authorize(handler, headers);
            JsonNode json = read(answer);
            return json.get("isAuthorized").asBoolean()
                    ? APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody(json.get("context").toString()).build()
                    : APIGatewayV2HTTPResponse.builder().withStatusCode(403).withBody(FORBIDDEN).build();
        })) {
            LocalStackClient platform = new LocalStackClient(sunset.baseUrl());
            assertThat(platform.platformCallWithApiKey(legacy).json().path("status").asInt()).as("announced").isEqualTo(200);

            clock.set(brownout.plus(Duration.ofMinutes(30)));
            assertThat(platform.platformCallWithApiKey(legacy).json().path("status").asInt()).as("brownout").isEqualTo(403);
            assertThat(platform.platformCallWithAuthToken(ciKey).json().path("status").asInt()).isEqualTo(200);

            clock.set(brownout.plus(Duration.ofHours(3)));
            assertThat(platform.platformCallWithApiKey(legacy).json().path("status").asInt()).as("after it").isEqualTo(200);

            clock.set(now.plus(Duration.ofDays(61)));
            assertThat(platform.platformCallWithApiKey(legacy).json().path("status").asInt()).as("cut-off").isEqualTo(403);
            assertThat(platform.platformCallWithAuthToken(ciKey).json().path("status").asInt()).isEqualTo(200);
            assertThat(platform.platformCallWithAuthToken(token).json().path("status").asInt()).isEqualTo(200);
        }
    }

    @Test
    void unknownRotatedRevokedDeletedAndForgedCredentials_shouldGetTheSameAnswer() {
        String old = Activations.authToken(api, admin);
        api.call(admin, "POST", "/me/auth-token/rotate", null).expect(201);
        JsonNode ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Old\"}").expect(201).json();
        api.call(admin, "DELETE", "/workspaces/" + ws + "/ci-keys/" + ci.get("id").asText(), null).expect(200);
        String legacy = Licenses.randomKey();
        licenses.deleteKey(admin, ws, licenses.importKey(admin, ws, legacy, null).expect(201).json().get("items").get(0)
                .get("id").asText()).expect(204);
        String valid = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        String forged = valid.substring(0, valid.length() - 4) + (valid.endsWith("0000") ? "1111" : "0000");

        Map<String, LocalStackClient.Result> answers = new LinkedHashMap<>();
        answers.put("unknown auth token", client.platformCallWithAuthToken(AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX)));
        answers.put("rotated auth token", client.platformCallWithAuthToken(old));
        answers.put("revoked CI key", client.platformCallWithAuthToken(ci.get("key").asText()));
        answers.put("deleted legacy key", client.platformCallWithApiKey(legacy));
        answers.put("unknown legacy key", client.platformCallWithApiKey(Licenses.randomKey()));
        answers.put("forged checksum", client.platformCallWithAuthToken(forged));

        LocalStackClient.Result first = answers.get("unknown auth token");
        answers.forEach((what, r) -> {
            assertThat(r.json().path("status").asInt()).as(what).isEqualTo(403);
            assertThat(r.json().get("body")).as(what).isEqualTo(first.json().get("body"));
            assertThat(r.json().get("content_type")).as(what).isEqualTo(first.json().get("content_type"));
        });
        assertThat(first.json().get("body").toString()).isEqualTo(FORBIDDEN);

        // And the authorizer's own answer, which is all API Gateway learns: byte-identical.
        TokenAuthorizerHandler handler = new TokenAuthorizerHandler();
        for (Map<String, String> headers : List.<Map<String, String>>of(PlatformHeaders.basic(old),
                PlatformHeaders.basic(ci.get("key").asText()), PlatformHeaders.apiKey(legacy), PlatformHeaders.basic(forged),
                PlatformHeaders.basic("x", valid), Map.of())) {
            assertThat(authorize(handler, headers)).isEqualTo("{\"isAuthorized\":false}");
        }
    }

    @Test
    void anAuthorization_shouldReadTwiceInSequence_consistently_andWriteNothing() {
        JsonNode ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Count\"}").expect(201).json();
        String legacy = Licenses.randomKey();
        licenses.importKey(admin, ws, legacy, null).expect(201);
        Map<String, Map<String, String>> kinds = new LinkedHashMap<>();
        kinds.put("auth token", PlatformHeaders.basic(Activations.authToken(api, admin)));
        kinds.put("CI key", PlatformHeaders.basic(ci.get("key").asText()));
        kinds.put("legacy key", PlatformHeaders.apiKey(legacy));
        TokenAuthorizerHandler handler = new TokenAuthorizerHandler();

        for (Map.Entry<String, Map<String, String>> kind : kinds.entrySet()) {
            List<String> answer = new ArrayList<>();
            List<RequestCounter.Call> calls = RequestCounter.allThreads(() -> answer.add(authorize(handler, kind.getValue())));
            System.out.println("[requests] authorization with a " + kind.getKey() + ": " + describe(calls));
            assertThat(answer.getFirst()).startsWith("{\"isAuthorized\":true");
            assertThat(calls).extracting(RequestCounter.Call::operation).as(kind.getKey())
                    .containsExactly("GetItem", "BatchGetItem");
            assertThat(calls).allMatch(c -> Boolean.TRUE.equals(c.consistent()));
            assertThat(calls.get(1).startNanos()).isGreaterThanOrEqualTo(calls.get(0).end());
        }
        List<RequestCounter.Call> malformed = RequestCounter.allThreads(() ->
                assertThat(authorize(handler, PlatformHeaders.basic("me", AuthTokens.generate(AuthTokens.CI_PREFIX))))
                        .isEqualTo("{\"isAuthorized\":false}"));
        assertThat(malformed).as("no read for headers that hold no credential").isEmpty();

        // The whole route: the authorizer's two reads, then the info function's one (the workspace's name).
        List<RequestCounter.Call> route = RequestCounter.allThreads(() ->
                assertThat(send(kinds.get("auth token")).getStatusCode()).isEqualTo(200));
        System.out.println("[requests] GET /v1/license/info with an auth token: " + describe(route));
        assertThat(route).extracting(RequestCounter.Call::operation).containsExactly("GetItem", "BatchGetItem", "GetItem");
    }

    @Test
    void noCredential_shouldReachTheLogs_theRoutesContext_orAnAnswer() {
        JsonNode ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Logs\"}").expect(201).json();
        String legacy = Licenses.randomKey();
        licenses.importKey(admin, ws, legacy, null).expect(201);
        String token = Activations.authToken(api, admin);
        List<String> secrets = List.of(token, ci.get("key").asText(), legacy);
        List<String> seen = new ArrayList<>();
        TokenAuthorizerHandler handler = new TokenAuthorizerHandler();

        String logs = CapturedLogs.during(() -> {
            for (Map<String, String> headers : List.of(PlatformHeaders.basic(token), PlatformHeaders.basic(ci.get("key")
                    .asText()), PlatformHeaders.apiKey(legacy), PlatformHeaders.basic("user", token),
                    PlatformHeaders.basic(token.substring(0, token.length() - 1) + "x"))) {
                // What API Gateway gets from the authorizer (the context it hands on, which is also all that
                // access logs can show of the authorizer: $context.authorizer.*), and what the route answers.
                seen.add(authorize(handler, headers));
                seen.add(send(headers).getBody());
            }
            api.call(admin, "POST", "/me/auth-token/rotate", null).expect(201);
            seen.add(send(PlatformHeaders.basic(token)).getBody());
        });

        assertThat(seen).hasSize(11).anyMatch(s -> s.contains("\"workspaceId\":\"" + ws + "\""));
        // The scan covers the structured output: a summary line for each authorization (11: 5 direct, 6 routed).
        assertThat(logs.lines().filter(l -> l.startsWith("{") && l.contains("\"function_name\":\"TokenAuthorizerFunction\"")))
                .hasSize(6);
        assertThat(logs.lines().filter(l -> l.startsWith("{") && l.contains("\"Authorizations\":1"))).hasSize(11);
        for (String secret : secrets) {
            String payload = secret.length() > 20 ? secret.substring(secret.indexOf('-') + 1, secret.length() - 4) : secret;
            assertThat(logs).doesNotContain(secret).doesNotContain(payload);
            seen.forEach(s -> assertThat(s).doesNotContain(secret).doesNotContain(payload));
        }
        // Nor the headers that carried them, nor the admin's JWT.
        for (String header : List.of(PlatformHeaders.basic(token).get("authorization"),
                PlatformHeaders.basic(ci.get("key").asText()).get("authorization"), admin.jwt())) {
            assertThat(logs).doesNotContain(header.substring(header.indexOf(' ') + 1));
        }
    }

    private APIGatewayV2HTTPResponse send(Map<String, String> headers) {
        return runtime.gateway().dispatch("GET", "/v1/license/info", "", new HashMap<>(headers), null);
    }

    /** Runs the authorizer's handler on an API Gateway authorizer event with these headers. */
    static String authorize(TokenAuthorizerHandler handler, Map<String, String> headers) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        event.put("routeArn", "arn:aws:execute-api:us-east-1:123456789012:local/$default/GET/v1/license/info");
        event.put("routeKey", "GET /v1/license/info");
        event.put("headers", headers);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode assertGranted(LocalStackClient.Result result, String kind) {
        assertThat(result.json().path("status").asInt()).as("%s", result.json()).isEqualTo(200);
        JsonNode info = result.json().get("body");
        assertThat(info.get("credential_kind").asText()).isEqualTo(kind);
        return info;
    }

    private static void assertForbidden(LocalStackClient.Result result) {
        assertThat(result.json().path("status").asInt()).as("%s", result.json()).isEqualTo(403);
        assertThat(result.json().get("body").toString()).isEqualTo(FORBIDDEN);
    }

    private static List<String> describe(List<RequestCounter.Call> calls) {
        return calls.stream().map(c -> c.operation() + (c.consistent() == null ? "" : c.consistent() ? "(consistent)"
                : "(eventual)")).toList();
    }
}
