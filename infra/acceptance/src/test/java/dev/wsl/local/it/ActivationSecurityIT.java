package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The security properties of activation: one refusal for every credential that does not work,
 * malformed credentials refused before any read, the hot path's reads, and no plaintext secret in
 * the table or in the logs.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ActivationSecurityIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;

    ActivationSecurityIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    /** A workspace with a subscription, a licensed admin, a CI key and a legacy key; plaintexts returned. */
    private record Setup(Api.User admin, String ws, String memberId, String token, String ciKey, String ciKeyId,
                         String legacyKey, String legacyKeyId) {}

    private Setup setup() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("sec-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Security " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 5, admin.email());
        String memberId = api.allMembers(admin, ws, false).getFirst().get("id").asText();
        JsonNode ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"pipeline\"}").expect(201).json();
        String legacy = Licenses.randomKey();
        String legacyId = licenses.importKey(admin, ws, legacy, memberId).expect(201).json().get("items").get(0)
                .get("id").asText();
        return new Setup(admin, ws, memberId, Activations.authToken(api, admin), ci.get("key").asText(),
                ci.get("id").asText(), legacy, legacyId);
    }

    @Test
    void unknownRotatedRevokedDeletedAndForgedCredentials_shouldAllGetTheSameAnswer() {
        Setup s = setup();
        Activations.request(api, s.token(), false).expect(200);
        api.call(s.admin(), "POST", "/me/auth-token/rotate", null).expect(201);
        api.call(s.admin(), "DELETE", "/workspaces/" + s.ws() + "/ci-keys/" + s.ciKeyId(), null).expect(200);
        licenses.deleteKey(s.admin(), s.ws(), s.legacyKeyId()).expect(204);
        String valid = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        String forged = valid.substring(0, valid.length() - 4) + (valid.endsWith("0000") ? "1111" : "0000");

        Map<String, Api.Response> answers = new LinkedHashMap<>();
        answers.put("unknown auth token", Activations.request(api, AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX), false));
        answers.put("unknown CI key", Activations.request(api, AuthTokens.generate(AuthTokens.CI_PREFIX), true));
        answers.put("rotated auth token", Activations.request(api, s.token(), false));
        answers.put("revoked CI key", Activations.request(api, s.ciKey(), true));
        answers.put("deleted legacy key", Activations.requestWithApiKey(api, s.legacyKey(), false));
        answers.put("unknown legacy key", Activations.requestWithApiKey(api, Licenses.randomKey(), false));
        answers.put("forged checksum", Activations.request(api, forged, false));
        answers.put("not a token at all", Activations.request(api, "ls-hello", false));

        answers.forEach((what, r) -> {
            assertThat(r.status()).as(what).isEqualTo(401);
            assertThat(r.raw()).as(what).isEqualTo(answers.get("unknown auth token").raw());
        });
        assertThat(answers.get("unknown auth token").text("message")).isEqualTo("licensing.credentials.invalid");
    }

    @Test
    void malformedCredentials_shouldBeRefusedBeforeAnyDynamoDbCall() {
        String valid = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        String badChecksum = valid.substring(0, valid.length() - 4) + (valid.endsWith("0000") ? "1111" : "0000");

        for (String body : List.of(Activations.body("licensing-auth-token", badChecksum, false, null),
                Activations.body("licensing-auth-token", "ls-short", false, null),
                Activations.body("licensing-api-key", "k", false, null),
                Activations.body("licensing-api-key", "has spaces in it", false, null),
                "{\"credentials\":{\"type\":\"licensing-auth-token\"}}",
                "not json")) {
            List<RequestCounter.Call> calls = RequestCounter.allThreads(() ->
                    assertThat(api.call((String) null, "POST", "/v1/license/request", body).status())
                            .as(body).isBetween(400, 401));
            assertThat(calls).as("DynamoDB calls for %s", body).isEmpty();
        }
    }

    @Test
    void successfulActivation_shouldReadTwiceInSequence_consistently_withoutQueryOrScan() {
        Setup s = setup();
        Activations.request(api, s.token(), false).expect(200); // this hour's usage is recorded now

        for (String kind : List.of("auth token", "CI key", "legacy key")) {
            List<RequestCounter.Call> calls = RequestCounter.allThreads(() -> {
                switch (kind) {
                    case "auth token" -> Activations.request(api, s.token(), false).expect(200);
                    case "CI key" -> Activations.request(api, s.ciKey(), true).expect(200);
                    default -> Activations.requestWithApiKey(api, s.legacyKey(), false).expect(200);
                }
            });
            System.out.println("[requests] activation with a " + kind + ": " + calls.stream()
                    .map(c -> c.operation() + (c.consistent() == null ? "" : c.consistent() ? "(consistent)" : "(eventual)"))
                    .toList());
            List<RequestCounter.Call> reads = calls.stream().filter(c -> c.consistent() != null).toList();
            assertThat(reads).extracting(RequestCounter.Call::operation).as(kind).containsExactly("GetItem", "BatchGetItem");
            assertThat(reads).allMatch(RequestCounter.Call::consistent);
            assertThat(reads.get(1).startNanos()).isGreaterThanOrEqualTo(reads.get(0).end());
            // Writes (a CI key's count, an hourly usage) run beside the second read, not after it.
            calls.stream().filter(c -> c.consistent() == null).forEach(write -> {
                assertThat(write.operation()).isEqualTo("UpdateItem");
                assertThat(write.thread()).isNotEqualTo(reads.get(1).thread());
                assertThat(write.startNanos()).isGreaterThanOrEqualTo(reads.get(0).end());
            });
        }
    }

    @Test
    void theTable_shouldHoldNoPlaintextTokenOrKey() {
        Setup s = setup();
        Activations.request(api, s.token(), false).expect(200);
        Activations.request(api, s.ciKey(), true).expect(200);
        String rotated = api.call(s.admin(), "POST", "/me/auth-token/rotate", null).expect(201).text("token");

        String dump = TableDump.of(runtime);

        assertThat(dump).contains(s.ws()); // the dump is real
        for (String secret : List.of(s.token(), rotated, s.ciKey(), s.legacyKey())) {
            assertThat(dump).doesNotContain(secret);
            assertThat(dump).doesNotContain(secret.substring(secret.indexOf('-') + 1, secret.length() - 4));
        }
    }

    @Test
    void theLogs_shouldHoldNoSecret() {
        List<String> secrets = new ArrayList<>();
        String captured = CapturedLogs.during(() -> {
            Setup s = setup();
            secrets.addAll(List.of(s.token(), s.ciKey(), s.legacyKey(), s.admin().jwt()));
            Activations.request(api, s.token(), false).expect(200);
            Activations.request(api, s.token(), true).expect(403);
            Activations.requestWithApiKey(api, s.legacyKey(), false).expect(200);
            Activations.request(api, s.ciKey(), true).expect(200);
            secrets.add(api.call(s.admin(), "POST", "/me/auth-token/rotate", null).expect(201).text("token"));
            Activations.request(api, s.token(), false).expect(401);
            api.call((String) null, "POST", "/v1/license/request", "{\"credentials\":" + s.ciKey() + "}").expect(400);
            secrets.addAll(sealedTokensOf(s.admin()));
        });

        // The scan covers the structured output: one summary line per activation request above.
        assertThat(captured.lines().filter(l -> l.startsWith("{") && l.contains("\"function_name\":\"ActivationFunction\"")))
                .hasSize(6);
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
        for (String secret : secrets) {
            assertThat(captured).doesNotContain(secret);
            if (secret.startsWith("ls")) {
                assertThat(captured).doesNotContain(secret.substring(secret.indexOf('-') + 1, secret.length() - 4));
            }
        }
    }

    /** The KMS-sealed copy of the user's auth token, as the table holds it. */
    private List<String> sealedTokensOf(Api.User user) {
        return List.of(new dev.wsl.core.store.DynamoCredentialStore(runtime.dynamoDb(), runtime.tableName())
                .personalToken(user.sub()).orElseThrow().sealed());
    }
}
