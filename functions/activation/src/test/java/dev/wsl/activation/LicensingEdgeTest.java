package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.failure.Unauthenticated;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.testkit.Events;
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
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The licensing protocol's answers through the real handlers, from the JSON events API Gateway sends
 * ({@code src/test/resources/events}): the refusal body {@code {"message", "detail"}} byte for byte, and the
 * authorizer's deny.
 */
class LicensingEdgeTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");

    private final FakeDynamo dynamo = new FakeDynamo();

    @Test
    void aMalformedBody_shouldBeTheClientsBadRequest_readingNothing() {
        ActivationHandler handler = new ActivationHandler(new ActivationService(new ActivationStore(dynamo, "t"),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24), null));

        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("license-request-malformed"), null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).isEqualTo(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"));
        assertThat(response.getBody()).startsWith("{\"message\":\"licensing.request.invalid\",\"detail\":\"");
        assertThat(dynamo.calls).isEmpty();
    }

    @Test
    void aTableThatDoesNotAnswer_shouldBeTheLicensingBusyAnswer_onLicenseInfo() {
        LicenseInfoHandler handler = new LicenseInfoHandler(new LicenseInfo(ws -> {
            throw DynamoDbException.builder().statusCode(500).message("internal").build();
        }, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24)));

        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("license-info"), null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getBody()).isEqualTo("{\"message\":\"licensing.server.busy\",\"detail\":\"The license server is"
                + " busy right now and could not check the credential; start LocalStack again in a few seconds.\"}");
    }

    @Test
    void licenseInfo_shouldAnswerFromTheAuthorizersContext() {
        LicenseInfoHandler handler = new LicenseInfoHandler(new LicenseInfo(ws -> java.util.Optional.of("Demo"),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24)));

        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("license-info"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("\"ws_a\"").contains("Demo");
    }

    @Test
    void theRenderer_shouldAnswerTheFailuresTheProtocolKnows_andLeaveTheRestToTheRuntime() {
        assertThat(RefusalRenderer.RENDERER.failure(new Busy("busy", null), "r").getStatusCode()).isEqualTo(503);
        assertThat(RefusalRenderer.RENDERER.failure(new InvalidInput("bad", "bad"), "r").getBody())
                .contains("licensing.request.invalid");
        assertThat(RefusalRenderer.RENDERER.failure(new Unauthenticated("no", "no"), "r").getBody())
                .contains("licensing.credentials.invalid");
        assertThat(RefusalRenderer.RENDERER.failure(new TooManyRequests("limit", "limit", 3, Map.of()), "r")
                .getStatusCode()).isEqualTo(429);
        assertThat(RefusalRenderer.RENDERER.failure(new NotFound("gone", "gone"), "r")).isNull();
        assertThat(RefusalRenderer.RENDERER.internal("r")).isNull();
        assertThat(RefusalRenderer.RENDERER.unavailableOutcome()).isEqualTo("server-busy");
    }

    @Test
    void theAuthorizer_shouldDenyACredentialItDoesNotKnow() throws IOException {
        TokenAuthorizerHandler handler = new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(
                new ActivationStore(dynamo, "t"), Clock.fixed(NOW, ZoneOffset.UTC), null)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(Events.text("authorizer-request").getBytes(StandardCharsets.UTF_8)),
                out, null);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"isAuthorized\":false}");
    }
}
