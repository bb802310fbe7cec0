package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.ActivationService;
import dev.wsl.activation.LicenseDecision;
import dev.wsl.activation.TokenAuthorizer;
import dev.wsl.activation.TokenAuthorizerHandler;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Rotation with an overlap (issue 21) through the real handlers and the emulator: an auth token or a CI key
 * rotated with {@code overlapHours} keeps its old credential activating, with the real LocalStack client and
 * through the token authorizer, until the overlap ends (on a test clock the handlers are built with, as
 * {@code SunsetIT} does); from then on the old one is refused exactly like an unknown credential. "End now" ends
 * it at once; revocation ends both CI key secrets; parallel rotations leave one current token and at most one
 * overlapping one; the index and the choice follow license changes on both tokens; bad input changes nothing.
 */
class RotationOverlapIT extends LicensedWorkspaceFixture {
    private static final String DENIED = "{\"isAuthorized\":false}";

    RotationOverlapIT(LocalStackRuntime runtime) {
        super(runtime);
    }

    @Override
    String label() {
        return "Overlap";
    }

    /** Activation and the token authorizer as their functions build them, on a clock the test moves. */
    private record OnClock(MutableClock clock, GatewayHttp http, LocalStackClient client,
                           TokenAuthorizerHandler authorizer) implements AutoCloseable {
        @Override
        public void close() {
            http.close();
        }
    }

    private OnClock onClock(Instant start) {
        MutableClock clock = new MutableClock(start);
        ActivationStore store = new ActivationStore(runtime.dynamoDb(), runtime.tableName());
        ActivationHandler activation = new ActivationHandler(new ActivationService(store, clock, Duration.ofHours(24),
                null));
        GatewayHttp http = new GatewayHttp((method, path, query, headers, body) -> activation.handleRequest(
                APIGatewayV2HTTPEvent.builder().withRawPath(path).withBody(body).withIsBase64Encoded(false).build(), null));
        return new OnClock(clock, http, new LocalStackClient(http.baseUrl()),
                new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(store, clock, null))));
    }

    @Test
    void anAuthTokenRotatedWithAnOverlap_shouldActivateBoth_untilItEnds_thenOnlyTheNewOne_activationAndAuthorizer() {
        String old = Activations.authToken(api, admin);
        String licenseId = Activations.request(api, old, false).expect(200).text("id");

        Api.Response rotated = api.call(admin, "POST", "/me/auth-token/rotate", "{\"overlapHours\":24}").expect(201);
        String fresh = rotated.text("token");
        Instant until = Instant.parse(rotated.json().get("previous").get("until").asText());
        assertThat(until).isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(24)));
        assertThat(rotated.json().get("previous").get("hint").asText()).isEqualTo("ls-…" + old.substring(old.length() - 4));
        JsonNode viewed = api.call(admin, "GET", "/me/auth-token", null).expect(200).json();
        assertThat(viewed.get("token").asText()).isEqualTo(fresh);
        assertThat(viewed.get("previous").get("until").asText()).isEqualTo(until.toString());
        assertThat(viewed.toString()).as("the old token is not shown again").doesNotContain(old);

        // Now: both activate the same license with the real client, through the real gateway.
        LocalStackClient.Result withOld = client.activateWithAuthToken(old, false);
        assertThat(withOld.ok()).as("%s", withOld.json()).isTrue();
        assertThat(withOld.text("license_id")).isEqualTo(licenseId);
        assertThat(client.activateWithAuthToken(fresh, false).text("license_id")).isEqualTo(licenseId);

        try (OnClock later = onClock(until.minusSeconds(1))) {
            assertThat(later.client().activateWithAuthToken(old, false).ok()).as("a second before the end").isTrue();
            assertThat(authorize(later.authorizer(), PlatformHeaders.basic(old))).startsWith("{\"isAuthorized\":true");

            later.clock().set(until);
            LocalStackClient.Result refused = later.client().activateWithAuthToken(old, false);
            assertThat(refused.ok()).isFalse();
            assertThat(refused.text("error_class")).isEqualTo("CredentialsInvalidError");
            assertThat(authorize(later.authorizer(), PlatformHeaders.basic(old))).isEqualTo(DENIED);
            assertThat(later.client().activateWithAuthToken(fresh, false).text("license_id")).isEqualTo(licenseId);
            assertThat(authorize(later.authorizer(), PlatformHeaders.basic(fresh))).startsWith("{\"isAuthorized\":true");
            // Refused exactly as a token that never existed: the same answer, byte for byte.
            assertThat(post(later.http(), Activations.body("licensing-auth-token", old, false, null)))
                    .isEqualTo(post(later.http(), Activations.body("licensing-auth-token",
                            dev.wsl.core.domain.AuthTokens.generate(dev.wsl.core.domain.AuthTokens.DEVELOPER_PREFIX),
                            false, null)));
        }
    }

    @Test
    void endNow_shouldStopTheOldTokenAtOnce_andARotationWithoutOverlapStillStopsItAtOnce() {
        String old = Activations.authToken(api, admin);
        String fresh = api.call(admin, "POST", "/me/auth-token/rotate", "{\"overlapHours\":168}").expect(201).text("token");
        Activations.request(api, old, false).expect(200);

        api.call(admin, "DELETE", "/me/auth-token/previous", null).expect(204);

        assertThat(Activations.request(api, old, false).status()).isEqualTo(401);
        assertThat(Activations.request(api, fresh, false).status()).isEqualTo(200);
        assertThat(api.call(admin, "GET", "/me/auth-token", null).expect(200).json().has("previous")).isFalse();
        api.call(admin, "DELETE", "/me/auth-token/previous", null).expect(204); // nothing left to end: no error

        String third = api.call(admin, "POST", "/me/auth-token/rotate", null).expect(201).text("token");
        assertThat(Activations.request(api, fresh, false).status()).as("no overlap asked: as before").isEqualTo(401);
        assertThat(Activations.request(api, third, false).status()).isEqualTo(200);
    }

    @Test
    void aCiKeyRotatedWithA24HourOverlap_shouldActivateInCiWithBothSecrets_untilItEnds_endNowOrRevocation() {
        JsonNode created = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"GitHub Actions\"}")
                .expect(201).json();
        String keyId = created.get("id").asText();
        String old = created.get("key").asText();
        String licenseId = client.activateWithAuthToken(old, true).text("license_id");

        JsonNode rotated = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys/" + keyId + "/rotate",
                "{\"overlapHours\":24}").expect(201).json();
        String fresh = rotated.get("key").asText();
        Instant until = Instant.parse(rotated.get("previous").get("until").asText());
        assertThat(rotated.get("id").asText()).isEqualTo(keyId);
        assertThat(fresh).startsWith("lsci-").isNotEqualTo(old);
        JsonNode listed = api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).json()
                .get("items").get(0);
        assertThat(listed.get("previous").get("until").asText()).isEqualTo(until.toString());
        assertThat(listed.get("hint").asText()).isEqualTo(rotated.get("hint").asText());
        assertThat(listed.toString()).doesNotContain(old).doesNotContain(fresh);

        LocalStackClient.Result inCi = client.activateWithAuthToken(old, true);
        assertThat(inCi.ok()).as("%s", inCi.json()).isTrue();
        assertThat(inCi.text("license_type")).isEqualTo("CI");
        assertThat(inCi.text("license_id")).as("the same key, the same license").isEqualTo(licenseId);
        assertThat(client.activateWithAuthToken(fresh, true).text("license_id")).isEqualTo(licenseId);

        try (OnClock later = onClock(until.minusSeconds(1))) {
            assertThat(later.client().activateWithAuthToken(old, true).ok()).isTrue();
            assertThat(authorize(later.authorizer(), PlatformHeaders.basic(old))).startsWith("{\"isAuthorized\":true");
            later.clock().set(until.plusSeconds(1));
            assertThat(later.client().activateWithAuthToken(old, true).text("error_class"))
                    .isEqualTo("CredentialsInvalidError");
            assertThat(authorize(later.authorizer(), PlatformHeaders.basic(old))).isEqualTo(DENIED);
            assertThat(later.client().activateWithAuthToken(fresh, true).ok()).isTrue();
        }

        // End now: the old secret stops for the system clock too.
        JsonNode ended = api.call(admin, "DELETE", "/workspaces/" + ws + "/ci-keys/" + keyId + "/previous", null)
                .expect(200).json();
        assertThat(ended.has("previous")).isFalse();
        assertThat(Activations.request(api, old, true).status()).isEqualTo(401);
        assertThat(Activations.request(api, fresh, true).status()).isEqualTo(200);

        // Another overlap, then a revocation: neither secret activates.
        String third = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys/" + keyId + "/rotate",
                "{\"overlapHours\":2}").expect(201).text("key");
        assertThat(Activations.request(api, fresh, true).status()).isEqualTo(200);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/ci-keys/" + keyId, null).expect(200);
        assertThat(Activations.request(api, fresh, true).status()).isEqualTo(401);
        assertThat(Activations.request(api, third, true).status()).isEqualTo(401);
        Api.Response revoked = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys/" + keyId + "/rotate", null)
                .expect(409);
        assertThat(revoked.text("type")).endsWith(":ci-key-revoked");
        assertThat(api.auditCount(admin, ws)).isPositive();
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=100", null).expect(200).raw())
                .contains("ci-key.rotated").contains("ci-key.overlap-ended").contains("oldKeyUntil");
    }

    @Test
    void parallelRotations_withAndWithoutOverlap_shouldLeaveOneCurrentToken_andAtMostOneOverlappingOne() throws Exception {
        for (int overlap : new int[] {0, 24}) {
            String before = Activations.authToken(api, admin);
            List<String> issued = new ArrayList<>(rotateInParallel(8, overlap));
            issued.add(before);
            String current = Activations.authToken(api, admin);
            JsonNode viewed = api.call(admin, "GET", "/me/auth-token", null).expect(200).json();

            List<String> working = issued.stream().filter(t -> Activations.request(api, t, false).status() == 200).toList();
            assertThat(working).as("overlap %d: tokens that activate", overlap).contains(current)
                    .hasSize(overlap == 0 ? 1 : 2);
            if (overlap > 0) {
                String previous = working.stream().filter(t -> !t.equals(current)).findFirst().orElseThrow();
                assertThat(viewed.get("previous").get("hint").asText())
                        .isEqualTo("ls-…" + previous.substring(previous.length() - 4));
            } else {
                assertThat(viewed.has("previous")).isFalse();
            }
        }
    }

    @Test
    void duringAnOverlap_licensesAndTheChoice_shouldFollowOnBothTokens() {
        Api.User owner = api.user("overlap-owner-" + suffix + "@example.com");
        String first = api.createWorkspace(owner, "First " + suffix);
        licenses.purchase(first, "sub_f" + suffix, 3, owner.email());
        String old = Activations.authToken(api, owner);
        String fresh = api.call(owner, "POST", "/me/auth-token/rotate", "{\"overlapHours\":24}").expect(201).text("token");

        // A second workspace licenses the owner during the overlap; they choose it: both tokens go there.
        String ownerInWs = api.addActiveMember(admin, ws, owner);
        licenses.assign(admin, ws, ownerInWs).expect(200);
        api.call(owner, "PUT", "/me/auth-token/workspace", "{\"workspaceId\":\"" + ws + "\"}").expect(200);
        for (String token : List.of(old, fresh)) {
            LocalStackClient.Result there = client.platformCallWithAuthToken(token);
            assertThat(there.json().path("body").path("workspace_id").asText()).as("%s", there.json()).isEqualTo(ws);
        }

        // The license there ends: both tokens fall back to the first workspace at once.
        licenses.unassign(admin, ws, ownerInWs).expect(200);
        for (String token : List.of(old, fresh)) {
            assertThat(client.platformCallWithAuthToken(token).json().path("body").path("workspace_id").asText())
                    .isEqualTo(first);
        }
    }

    @Test
    void badOverlaps_shouldGetA400_andChangeNothing() {
        String token = Activations.authToken(api, admin);
        JsonNode key = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"bad\"}").expect(201).json();
        String rotateKey = "/workspaces/" + ws + "/ci-keys/" + key.get("id").asText() + "/rotate";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{\"overlapHours\":169}", "invalid-field");
        bodies.put("{\"overlapHours\":-1}", "invalid-field");
        bodies.put("{\"overlapHours\":\"24\"}", "invalid-field");
        bodies.put("{\"overlapHours\":1.5}", "invalid-field");
        bodies.put("{\"overlap\":24}", "unknown-field");
        bodies.put("[24]", "invalid-body");
        bodies.put("{\"overlapHours\":", "malformed-json");
        String listedBefore = api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).raw();
        for (Map.Entry<String, String> bad : bodies.entrySet()) {
            for (String path : List.of("/me/auth-token/rotate", rotateKey)) {
                Api.Response answer = api.call(admin, "POST", path, bad.getKey());
                assertThat(answer.status()).as("%s %s", path, bad.getKey()).isEqualTo(400);
                assertThat(answer.contentType()).isEqualTo("application/problem+json");
                assertThat(answer.text("type")).as("%s %s", path, bad.getKey()).endsWith(":" + bad.getValue());
            }
        }
        assertThat(Activations.authToken(api, admin)).isEqualTo(token);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).raw()).isEqualTo(listedBefore);
        assertThat(Activations.request(api, key.get("key").asText(), true).status()).isEqualTo(200);
    }

    private List<String> rotateInParallel(int n, int overlapHours) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(() -> api.call(admin, "POST", "/me/auth-token/rotate",
                        overlapHours == 0 ? null : "{\"overlapHours\":" + overlapHours + "}"));
            }
            List<String> issued = new ArrayList<>();
            for (Future<Api.Response> f : pool.invokeAll(calls)) {
                Api.Response r = f.get();
                // A rotation that kept losing the race answers 409 and issued nothing that works.
                assertThat(r.status()).as(r.raw()).isIn(201, 409);
                if (r.status() == 201) {
                    issued.add(r.text("token"));
                }
            }
            assertThat(issued).isNotEmpty();
            return issued;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What activation answers a request: its status and body. */
    private static String post(GatewayHttp http, String body) {
        var answer = http.dispatcher().dispatch("POST", "/v1/license/request", "", new java.util.HashMap<>(), body);
        return answer.getStatusCode() + " " + answer.getBody();
    }

    private static String authorize(TokenAuthorizerHandler handler, Map<String, String> headers) {
        return TokenAuthorizerIT.authorize(handler, headers);
    }
}
