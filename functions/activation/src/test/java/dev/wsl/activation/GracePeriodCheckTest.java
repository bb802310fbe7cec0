package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.store.ActivationStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GracePeriodCheckTest {
    @Test
    void theGraceCheck_shouldBeRefused_withoutReadingAnything() {
        FakeDynamo dynamo = new FakeDynamo();
        ActivationHandler handler = new ActivationHandler(new ActivationService(new ActivationStore(dynamo, "t"),
                Clock.systemUTC(), Duration.ofHours(24), null));

        APIGatewayV2HTTPResponse response = handler.handleRequest(APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/license/grace-period-check").withIsBase64Encoded(false)
                .withBody("{\"machine\":{\"id\":\"m\",\"ci\":false,\"system\":\"Linux\"},\"version\":\"2026.8.2\","
                        + "\"requesting_grace\":false}").build(), null);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getBody()).startsWith("{\"message\":\"licensing.grace_period.none\",\"detail\":\"");
        assertThat(dynamo.calls).isEmpty();
    }
}
