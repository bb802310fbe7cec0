package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.ActivationService;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.local.LocalStackRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The real LocalStack client against an activation whose table stays throttled: every BatchGetItem
 * leaves all its keys unprocessed (what DynamoDB answers under a partition's throttling; moto never
 * does, so the test's client of the emulator does it, and passes everything else through). The real
 * handler asks again twice, then answers {@code 503 licensing.server.busy}; the client shows that
 * answer as a licensing error, and {@code localstack start} exits with it instead of crashing.
 */
class ThrottledActivationIT extends LicensedWorkspaceFixture {
    ThrottledActivationIT(LocalStackRuntime runtime) {
        super(runtime);
    }

    @Override
    String label() {
        return "Throttled";
    }

    @Test
    void realClient_againstAThrottledTable_shouldShowTheBusyAnswer_andLocalstackStartShouldExitWithIt() {
        String token = Activations.authToken(api, admin);
        Throttled dynamo = new Throttled(runtime.dynamoDb());
        ActivationHandler handler = new ActivationHandler(new ActivationService(
                new ActivationStore(dynamo, runtime.tableName()), Clock.systemUTC(), Duration.ofHours(24), null));
        try (GatewayHttp throttled = new GatewayHttp((method, path, query, headers, body) -> path.startsWith("/v1/license/")
                ? handler.handleRequest(APIGatewayV2HTTPEvent.builder().withRawPath(path).withBody(body).build(), null)
                : http.dispatcher().dispatch(method, path, query, headers, body))) {
            LocalStackClient busyClient = new LocalStackClient(throttled.baseUrl());

            LocalStackClient.Result activation = busyClient.activateWithAuthToken(token, false);

            assertThat(activation.ok()).isFalse();
            assertThat(activation.json().path("is_licensing_error").asBoolean()).as("%s", activation.json()).isTrue();
            assertThat(activation.text("error_class")).isEqualTo("LicensingError");
            assertThat(activation.text("message")).startsWith("Unexpected license server error: ")
                    .contains("licensing.server.busy").contains("start LocalStack again in a few seconds");
            assertThat(dynamo.batches.get()).as("per request: one BatchGetItem and two more").isEqualTo(3);

            LocalStackClient.Result start = busyClient.startWithAuthToken(token, false);

            assertThat(start.json().path("started").asBoolean()).as("%s", start.json()).isFalse();
            assertThat(start.text("reason")).contains("licensing.server.busy").doesNotContain("Traceback");
            assertThat(start.json().get("posts").toString()).contains("/v1/license/request\",\"status\":503");
        }
        assertThat(client.activateWithAuthToken(token, false).ok()).as("the same token, table not throttled").isTrue();
    }

    /** The emulator's client, except that every BatchGetItem is answered with all its keys unprocessed. */
    private static final class Throttled implements DynamoDbClient {
        private final DynamoDbClient emulator;
        final AtomicInteger batches = new AtomicInteger();

        Throttled(DynamoDbClient emulator) {
            this.emulator = emulator;
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return emulator.getItem(request);
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            batches.incrementAndGet();
            return BatchGetItemResponse.builder().responses(Map.of()).unprocessedKeys(request.requestItems()).build();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            return emulator.updateItem(request);
        }

        @Override
        public String serviceName() {
            return emulator.serviceName();
        }

        @Override
        public void close() {}
    }
}
