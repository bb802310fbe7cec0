package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.ActivationStore.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Activation and the token authorizer make one decision: for every state of the table and the
 * sunset plan, a credential that activates a license is authorized for the same workspace and plan,
 * and one that is refused activation is refused authorization, for the same reason. The authorizer
 * also records nothing, reads nothing for what cannot be a credential, and hands on no secret.
 */
class DecisionAgreementTest {
    private static final Instant NOW = Instant.parse("2027-02-01T15:00:00Z");
    private static final String USER = "user-1";
    private static final SunsetPlan PLAN = SunsetPlan.parse("2026-11-01", "2027-02-01T14:00:00Z/2027-02-01T16:00:00Z",
            "2027-03-31", "30", "14");
    private static final String TOKEN = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
    private static final String CI_KEY = AuthTokens.generate(AuthTokens.CI_PREFIX);
    private static final String LEGACY_KEY = "LegacyKey42";

    /** A table state, the credential presented, and the plan in force. */
    private record Case(String name, Kind kind, String credential, SunsetPlan plan, Consumer<Table> state) {}

    @Test
    void activationAndAuthorization_shouldAgreeInEveryState() {
        Instant later = NOW.plus(Duration.ofDays(30));
        List<Case> cases = List.of(
                new Case("licensed auth token", Kind.AUTH_TOKEN, TOKEN, null, t -> {
                    t.authToken(TOKEN, USER, Map.of("ws_a", "m_a"), null);
                    t.member("ws_a", "m_a", USER, true);
                    t.pool("ws_a", "Team", later);
                }),
                new Case("unassigned", Kind.AUTH_TOKEN, TOKEN, null, t -> {
                    t.authToken(TOKEN, USER, Map.of("ws_a", "m_a"), null);
                    t.member("ws_a", "m_a", USER, false);
                    t.pool("ws_a", "Team", later);
                }),
                new Case("removed (no index entry)", Kind.AUTH_TOKEN, TOKEN, null, t -> {
                    t.authToken(TOKEN, USER, Map.of(), null);
                    t.pool("ws_a", "Team", later);
                }),
                new Case("subscription ended", Kind.AUTH_TOKEN, TOKEN, null, t -> {
                    t.authToken(TOKEN, USER, Map.of("ws_a", "m_a"), null);
                    t.member("ws_a", "m_a", USER, true);
                    t.pool("ws_a", "Team", NOW.minusSeconds(1));
                }),
                new Case("two workspaces", Kind.AUTH_TOKEN, TOKEN, null, t -> {
                    t.authToken(TOKEN, USER, Map.of("ws_a", "m_a", "ws_b", "m_b"), null);
                    t.member("ws_a", "m_a", USER, true);
                    t.member("ws_b", "m_b", USER, true);
                    t.pool("ws_a", "Team", later);
                    t.pool("ws_b", "Enterprise", later.plus(Duration.ofDays(1)));
                }),
                new Case("unknown or rotated auth token", Kind.AUTH_TOKEN, TOKEN, null, t -> { }),
                new Case("old auth token during a rotation's overlap", Kind.AUTH_TOKEN, TOKEN, null, t -> {
                    t.authToken(TOKEN, USER, Map.of("ws_a", "m_a"), null);
                    t.expiresAt(TOKEN, NOW.plusSeconds(60));
                    t.member("ws_a", "m_a", USER, true);
                    t.pool("ws_a", "Team", later);
                }),
                new Case("old auth token after the overlap", Kind.AUTH_TOKEN, TOKEN, null, t -> {
                    t.authToken(TOKEN, USER, Map.of("ws_a", "m_a"), null);
                    t.expiresAt(TOKEN, NOW);
                    t.member("ws_a", "m_a", USER, true);
                    t.pool("ws_a", "Team", later);
                }),
                new Case("old CI key after the overlap", Kind.CI_KEY, CI_KEY, null, t -> {
                    t.ciKey(CI_KEY, "ws_a", "ci_1");
                    t.expiresAt(CI_KEY, NOW.minusSeconds(1));
                    t.pool("ws_a", "Team", later);
                }),
                new Case("CI key", Kind.CI_KEY, CI_KEY, null, t -> {
                    t.ciKey(CI_KEY, "ws_a", "ci_1");
                    t.pool("ws_a", "Team", later);
                }),
                new Case("CI key without a subscription", Kind.CI_KEY, CI_KEY, null, t -> t.ciKey(CI_KEY, "ws_a", "ci_1")),
                new Case("revoked CI key", Kind.CI_KEY, CI_KEY, null, t -> t.pool("ws_a", "Team", later)),
                new Case("legacy key", Kind.LEGACY_KEY, LEGACY_KEY, null, t -> {
                    t.legacyKey(LEGACY_KEY, "ws_a", "lk_1");
                    t.pool("ws_a", "Team", later);
                }),
                new Case("deleted legacy key", Kind.LEGACY_KEY, LEGACY_KEY, null, t -> t.pool("ws_a", "Team", later)),
                new Case("legacy key in a brownout", Kind.LEGACY_KEY, LEGACY_KEY, PLAN, t -> {
                    t.legacyKey(LEGACY_KEY, "ws_a", "lk_1");
                    t.pool("ws_a", "Team", later);
                }),
                new Case("legacy key after the cut-off", Kind.LEGACY_KEY, LEGACY_KEY,
                        SunsetPlan.parse("2026-01-01", "", "2027-01-01", "30", "14"), t -> {
                            t.legacyKey(LEGACY_KEY, "ws_a", "lk_1");
                            t.pool("ws_a", "Team", later);
                        }));
        int granted = 0;
        for (Case c : cases) {
            Table table = new Table(NOW);
            c.state().accept(table);
            ActivationStore store = new ActivationStore(table.dynamo, "t");
            LicenseDecision decision = new LicenseDecision(store, Clock.fixed(NOW, ZoneOffset.UTC), c.plan());
            Outcome activated = new ActivationService(decision, Duration.ofHours(24)).activate(request(c), false);
            table.dynamo.calls.clear();
            LicenseDecision.Verdict authorized = new TokenAuthorizer(decision).authorize(headers(c));

            switch (activated) {
                case Outcome.Granted g -> {
                    granted++;
                    assertThat(authorized).as(c.name()).isInstanceOf(Entitlement.class);
                    Entitlement e = (Entitlement) authorized;
                    assertThat(e.licenseType()).as(c.name()).isEqualTo(g.license().licenseType());
                    assertThat(e.expiresAt()).as(c.name()).isEqualTo(g.license().expiryDate());
                    assertThat(e.kind()).isEqualTo(c.kind());
                    assertThat(table.dynamo.calls).as(c.name() + ": the authorizer records nothing")
                            .containsExactly("GetItem", "BatchGetItem");
                }
                case Outcome.Refused r -> {
                    assertThat(authorized).as(c.name()).isInstanceOf(Outcome.Refused.class);
                    assertThat(((Outcome.Refused) authorized).refusal()).as(c.name()).isEqualTo(r.refusal());
                }
            }
        }
        assertThat(granted).as("cases granted").isEqualTo(5);
    }

    @Test
    void theAuthorizersAnswer_shouldHoldIdentitiesButNoSecret() throws IOException {
        for (Kind kind : List.of(Kind.AUTH_TOKEN, Kind.CI_KEY, Kind.LEGACY_KEY)) {
            Table table = new Table(NOW);
            table.authToken(TOKEN, USER, Map.of("ws_a", "m_a"), null);
            table.member("ws_a", "m_a", USER, true);
            table.ciKey(CI_KEY, "ws_a", "ci_1");
            table.legacyKey(LEGACY_KEY, "ws_a", "lk_1");
            table.pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));
            TokenAuthorizerHandler handler = new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(
                    new ActivationStore(table.dynamo, "t"), Clock.fixed(NOW, ZoneOffset.UTC), null)));
            String credential = kind == Kind.AUTH_TOKEN ? TOKEN : kind == Kind.CI_KEY ? CI_KEY : LEGACY_KEY;

            String answer = invoke(handler, headers(new Case("", kind, credential, null, t -> { })));

            String expected = switch (kind) {
                case AUTH_TOKEN -> "{\"isAuthorized\":true,\"context\":{\"credentialKind\":\"auth-token\",\"userId\":\"user-1\","
                        + "\"memberId\":\"m_a\",\"workspaceId\":\"ws_a\",\"plan\":\"Team\",\"licenseType\":\"Team\","
                        + "\"expiresAt\":\"2027-03-03T15:00:00Z\"}}";
                case CI_KEY -> "{\"isAuthorized\":true,\"context\":{\"credentialKind\":\"ci-key\",\"keyId\":\"ci_1\","
                        + "\"workspaceId\":\"ws_a\",\"plan\":\"Team\",\"licenseType\":\"CI\",\"expiresAt\":\"2027-03-03T15:00:00Z\"}}";
                case LEGACY_KEY -> "{\"isAuthorized\":true,\"context\":{\"credentialKind\":\"legacy-key\",\"keyId\":\"lk_1\","
                        + "\"workspaceId\":\"ws_a\",\"plan\":\"Team\",\"licenseType\":\"Team\",\"expiresAt\":\"2027-03-03T15:00:00Z\"}}";
            };
            assertThat(answer).isEqualTo(expected).doesNotContain(credential);
        }
    }

    @Test
    void everyRefusal_shouldBeTheSameAnswer_andWhatCannotBeACredentialReadsNothing() throws IOException {
        Table table = new Table(NOW);
        table.legacyKey(LEGACY_KEY, "ws_a", "lk_1");
        TokenAuthorizerHandler inBrownout = new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(
                new ActivationStore(table.dynamo, "t"), Clock.fixed(NOW, ZoneOffset.UTC), PLAN)));

        assertThat(invoke(inBrownout, Map.of("authorization", PlatformCredentialTest.basic("user:" + TOKEN))))
                .isEqualTo("{\"isAuthorized\":false}");
        assertThat(invoke(inBrownout, headers(new Case("", Kind.LEGACY_KEY, LEGACY_KEY, PLAN, t -> { }))))
                .isEqualTo("{\"isAuthorized\":false}");
        assertThat(table.dynamo.calls).as("no read for a malformed credential or a legacy key in a brownout").isEmpty();
        assertThat(invoke(inBrownout, headers(new Case("", Kind.AUTH_TOKEN, TOKEN, null, t -> { }))))
                .isEqualTo("{\"isAuthorized\":false}");
        assertThat(table.dynamo.calls).containsExactly("GetItem");
    }

    @Test
    void anEventThatIsNotAnAuthorizerEvent_shouldFail_notAuthorize() {
        TokenAuthorizerHandler handler = new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(
                new ActivationStore(new FakeDynamo(), "t"), Clock.systemUTC(), null)));
        for (String event : List.of("[]", "{\"headers\":[\"a\"]}", "{\"headers\":{\"a\":1}}", "not json")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null))
                    .as(event).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static ActivationRequest request(Case c) {
        return new ActivationRequest(c.kind() == Kind.LEGACY_KEY ? ActivationRequest.API_KEY : ActivationRequest.AUTH_TOKEN,
                c.credential(), "localstack-pro", "2026.8.2", "m", "Linux", c.kind() == Kind.CI_KEY, null);
    }

    /** The headers the LocalStack client sends for the credential. */
    private static Map<String, String> headers(Case c) {
        return c.kind() == Kind.LEGACY_KEY ? Map.of("ls-api-key", c.credential(), "ls-version", "2026.8.2")
                : Map.of("authorization", PlatformCredentialTest.basic(":" + c.credential()));
    }

    private static String invoke(TokenAuthorizerHandler handler, Map<String, String> headers) throws IOException {
        StringBuilder event = new StringBuilder("{\"version\":\"2.0\",\"type\":\"REQUEST\",\"identitySource\":null,"
                + "\"requestContext\":{\"http\":{\"method\":\"GET\"}},\"headers\":{");
        headers.forEach((name, value) -> event.append(event.charAt(event.length() - 1) == '{' ? "" : ",")
                .append('"').append(name).append("\":\"").append(value).append('"'));
        event.append("}}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }
}
