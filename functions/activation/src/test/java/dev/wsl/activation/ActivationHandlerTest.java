package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the activation routes answer for bodies that never reach a decision, and for refusals before any read. */
class ActivationHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeDynamo dynamo = new FakeDynamo();
    private final ActivationHandler handler = new ActivationHandler(new ActivationService(new ActivationStore(dynamo, "t"),
            Clock.fixed(Instant.parse("2026-11-27T10:15:30Z"), ZoneOffset.UTC), Duration.ofHours(24), null));

    private APIGatewayV2HTTPResponse post(String body) {
        return handler.handleRequest(APIGatewayV2HTTPEvent.builder().withRawPath("/v1/license/request").withBody(body)
                .build(), null);
    }

    @Test
    void aBodyOverTheLimitInBytes_shouldBe413_evenWhenItHasFewerCharacters() throws Exception {
        // 9,000 two-byte characters: under the limit in characters, 18,000 bytes.
        String wide = "{\"pad\":\"" + "é".repeat(9_000) + "\"}";
        assertThat(wide.length()).isLessThan(ActivationRequest.MAX_BODY);

        APIGatewayV2HTTPResponse response = post(wide);

        assertThat(response.getStatusCode()).isEqualTo(413);
        var body = JSON.readTree(response.getBody());
        assertThat(body.get("message").asText()).isEqualTo("licensing.request.too_large");
        assertThat(body.get("detail").asText()).contains(ActivationRequest.MAX_BODY + " bytes");
        assertThat(dynamo.calls).isEmpty();
    }

    @Test
    void aBodyAtTheLimit_shouldBeParsed_notRefusedForItsSize() {
        String prefix = "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"ls-x\"},\"pad\":\"";
        String exact = prefix + "x".repeat(ActivationRequest.MAX_BODY - prefix.length() - 2) + "\"}";

        APIGatewayV2HTTPResponse response = post(exact);

        assertThat(exact.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(ActivationRequest.MAX_BODY);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(401);
    }

    @Test
    void aDeveloperTokenInCi_shouldBeRefused_withAMessageAndADetail() throws Exception {
        String body = Activations.body(AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX), true);

        APIGatewayV2HTTPResponse response = post(body);

        assertThat(response.getStatusCode()).isEqualTo(403);
        var json = JSON.readTree(response.getBody());
        assertThat(json.get("message").asText()).contains("CI key");
        assertThat(json.get("detail").asText()).contains("CI key").contains("LOCALSTACK_AUTH_TOKEN");
    }

    @Test
    void everyRefusal_shouldAnswerADetail() {
        for (Refusal refusal : Refusal.values()) {
            String detail = new Outcome.Refused(refusal, refusal.detail() == null ? "given at run time" : refusal.detail())
                    .detail();
            assertThat(ResponseJson.error(refusal.message(detail), detail)).as(refusal.name()).contains("\"detail\":");
            if (refusal != Refusal.BAD_REQUEST && refusal != Refusal.BODY_TOO_LARGE && refusal != Refusal.LEGACY_KEY_SUNSET) {
                assertThat(refusal.detail()).as("%s needs a fixed detail", refusal).isNotBlank();
            }
        }
    }

    /** The client's request body. */
    static final class Activations {
        static String body(String token, boolean ci) {
            return "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"" + token + "\"},"
                    + "\"product\":{\"name\":\"localstack-pro\",\"version\":\"2026.8.2\"},"
                    + "\"machine\":{\"id\":\"m\",\"cli\":true,\"ci\":" + ci + ",\"system\":\"Linux\"}}";
        }
    }
}
