package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A throttled table on the hot path: DynamoDB answers a BatchGetItem in part and lists the rest as
 * unprocessed. Activation and the token authorizer ask again for just those keys, at most twice, and
 * then give an answer rather than fail: activation {@code 503 licensing.server.busy} with a detail the
 * client shows, the authorizer a denial. Nothing throws, so API Gateway never turns it into a bare 500.
 */
class ThrottledTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2027-02-01T15:00:00Z");
    private static final String TOKEN = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);

    private final Table table = new Table(NOW);
    private final LicenseDecision decision;

    ThrottledTableTest() {
        // Used this hour already, so that no usage write runs beside the reads: the calls are the reads alone.
        table.authToken(TOKEN, "user-1", Map.of("ws_a", "m_a"), "2027-02-01T15");
        table.member("ws_a", "m_a", "user-1", true);
        table.pool("ws_a", "Team", NOW.plus(Duration.ofDays(30)));
        decision = new LicenseDecision(new ActivationStore(table.dynamo, "t"), Clock.fixed(NOW, ZoneOffset.UTC), null);
    }

    @Test
    void aBatchAnsweredWhole_shouldBeOneRequest() throws Exception {
        assertThat(activate().getStatusCode()).isEqualTo(200);
        assertThat(table.dynamo.calls).containsExactly("GetItem", "BatchGetItem");
    }

    @Test
    void keysLeftUnprocessed_shouldBeAskedForAgain_justThose_atMostTwice() throws Exception {
        table.dynamo.throttledBatches = 2;

        APIGatewayV2HTTPResponse activated = activate();

        assertThat(activated.getStatusCode()).as(activated.getBody()).isEqualTo(200);
        assertThat(table.dynamo.calls).containsExactly("GetItem", "BatchGetItem", "BatchGetItem", "BatchGetItem");
        assertThat(table.dynamo.batchKeys.get(0)).hasSize(2);
        assertThat(table.dynamo.batchKeys.get(1)).as("only what was left unprocessed")
                .containsExactly(table.dynamo.batchKeys.get(0).getLast());
        assertThat(table.dynamo.batchKeys.get(2)).isEqualTo(table.dynamo.batchKeys.get(1));

        table.dynamo.calls.clear();
        table.dynamo.throttledBatches = 2;
        assertThat(authorize()).startsWith("{\"isAuthorized\":true,");
        assertThat(table.dynamo.calls).containsExactly("GetItem", "BatchGetItem", "BatchGetItem", "BatchGetItem");
    }

    @Test
    void aTableStillThrottledAfterThat_shouldBeA503TheClientShows_andADenial_notAnError() throws Exception {
        table.dynamo.throttledBatches = 3;

        APIGatewayV2HTTPResponse activated = activate();

        assertThat(activated.getStatusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(activated.getBody());
        assertThat(body.get("message").asText()).isEqualTo("licensing.server.busy");
        assertThat(body.get("detail").asText()).contains("busy").contains("again");
        assertThat(activated.getBody()).doesNotContain(TOKEN);
        assertThat(table.dynamo.calls).as("one request and two more, no third").containsExactly("GetItem",
                "BatchGetItem", "BatchGetItem", "BatchGetItem");

        table.dynamo.throttledBatches = 3;
        assertThat(authorize()).isEqualTo(AuthorizerJson.DENIED);
    }

    /** What the SDK throws once its attempts are spent on a throttled, failing or silent table. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("spentAttempts")
    void aReadTheSdkGaveUpOn_shouldBeA503AndADenial_notAnError(RuntimeException spent) throws Exception {
        table.dynamo.failingReads = spent;

        APIGatewayV2HTTPResponse activated = activate();

        assertThat(activated.getStatusCode()).isEqualTo(503);
        assertThat(JSON.readTree(activated.getBody()).get("message").asText()).isEqualTo("licensing.server.busy");
        assertThat(table.dynamo.calls).as("step 1 failed: no step 2").containsExactly("GetItem");
        assertThat(authorize()).isEqualTo(AuthorizerJson.DENIED);
    }

    static java.util.List<RuntimeException> spentAttempts() {
        return java.util.List.of(
                software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.builder()
                        .message("throttled").statusCode(400).awsErrorDetails(software.amazon.awssdk.awscore.exception
                                .AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build(),
                software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException.builder().statusCode(500)
                        .message("internal").build(),
                software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(4000),
                software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request",
                        new java.net.SocketException("Connection reset")));
    }

    private APIGatewayV2HTTPResponse activate() {
        ActivationHandler handler = new ActivationHandler(new ActivationService(decision, Duration.ofHours(24)));
        return handler.handleRequest(APIGatewayV2HTTPEvent.builder().withRawPath("/v1/license/request")
                .withBody(ActivationHandlerTest.Activations.body(TOKEN, false)).build(), null);
    }

    private String authorize() throws Exception {
        String event = "{\"version\":\"2.0\",\"type\":\"REQUEST\",\"headers\":{\"authorization\":\""
                + PlatformCredentialTest.basic(":" + TOKEN) + "\"}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TokenAuthorizerHandler(new TokenAuthorizer(decision)).handleRequest(
                new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }
}
