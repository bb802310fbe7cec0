package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a caller controls in the authorizer's event (how many headers, their names and values) never
 * makes the authorizer fail: API Gateway would answer that with a 500 and fire two alarms, for anyone
 * who sends enough headers. Only the credential headers are kept; the rest is skipped.
 */
class AuthorizerJsonTest {
    private static final Instant NOW = Instant.parse("2027-02-01T15:00:00Z");
    private static final String TOKEN = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);

    private final Table table = new Table(NOW);
    private final TokenAuthorizerHandler handler = new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(
            new ActivationStore(table.dynamo, "t"), Clock.fixed(NOW, ZoneOffset.UTC), null)));

    AuthorizerJsonTest() {
        table.authToken(TOKEN, "user-1", Map.of("ws_a", "m_a"), null);
        table.member("ws_a", "m_a", "user-1", true);
        table.pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void fiveHundredHeaders_shouldBeADenial_notAFailure() throws IOException {
        assertThat(invoke(junk(500, ""))).isEqualTo("{\"isAuthorized\":false}");
        assertThat(table.dynamo.calls).as("nothing to look up").isEmpty();
    }

    @Test
    void aCredentialAmongFiveHundredHeaders_shouldStillBeFound() throws IOException {
        String credential = ",\"authorization\":\"" + PlatformCredentialTest.basic(":" + TOKEN) + "\"";

        assertThat(invoke(junk(500, credential))).startsWith("{\"isAuthorized\":true,");
    }

    @Test
    void onlyTheCredentialHeaders_shouldBeKept_byLowerCasedName_withRepeatsJoined() throws IOException {
        String event = "{\"headers\":{\"x-1\":\"a\",\"Authorization\":\"Basic x\",\"LS-API-KEY\":\"k\",\"authorization\":\"Basic y\","
                + "\"ls-version\":\"1\",\"user-agent\":\"python\"}}";

        Map<String, String> headers = AuthorizerJson.headers(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));

        assertThat(headers).containsOnly(Map.entry("authorization", "Basic x,Basic y"), Map.entry("ls-api-key", "k"),
                Map.entry("ls-version", "1"));
    }

    /** An authorizer event with {@code n} headers that hold no credential, then {@code extra}. */
    private static String junk(int n, String extra) {
        StringBuilder event = new StringBuilder("{\"version\":\"2.0\",\"type\":\"REQUEST\",\"headers\":{");
        for (int i = 0; i < n; i++) {
            event.append(i == 0 ? "" : ",").append("\"x-h").append(i).append("\":\"").append(i % 10).append('"');
        }
        return event.append(extra).append("}}").toString();
    }

    private String invoke(String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }
}
