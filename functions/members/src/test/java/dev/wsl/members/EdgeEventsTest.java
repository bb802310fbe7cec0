package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.domain.TxtLookup;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.json.Json;
import dev.wsl.testkit.Events;
import dev.wsl.testkit.FakeStores;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The management API's problem+json and a scheduled job's run through their bases, from the JSON events API Gateway
 * and EventBridge send ({@code src/test/resources/events}).
 */
class EdgeEventsTest {

    private static HttpApiHandler handler(Function<ApiRequest, ApiResponse> body) {
        return new HttpApiHandler() {
            @Override
            protected ApiResponse handle(ApiRequest request) {
                return body.apply(request);
            }
        };
    }

    @Test
    void theCallersClaimsAndThePath_shouldReachTheHandler() {
        APIGatewayV2HTTPResponse response = handler(r -> ApiResponse.ok(Map.of("userId", r.caller().userId(),
                "memberId", r.path("memberId")))).handleRequest(Events.http("api-get-member"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(Json.parse(response.getBody()).path("userId").asText()).isEqualTo("user-1");
        assertThat(Json.parse(response.getBody()).path("memberId").asText()).isEqualTo("m_a");
    }

    @Test
    void aFailure_shouldBeProblemJson_withItsTypesStatus_andTheRequestId() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new Gone("invitation-expired", "The invitation has expired.");
        }).handleRequest(Events.http("api-get-member"), null);

        assertThat(response.getStatusCode()).isEqualTo(410);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode problem = Json.parse(response.getBody());
        assertThat(problem.path("type").asText()).isEqualTo("urn:problem:wsl:invitation-expired");
        assertThat(problem.path("title").asText()).isEqualTo("Gone");
        assertThat(problem.path("status").asInt()).isEqualTo(410);
        assertThat(problem.path("instance").asText()).isEqualTo("urn:request:req-get-member");
    }

    @Test
    void aScheduledEvent_shouldRunTheJob_andAnswerItsReport() {
        DomainCheckHandler handler = new DomainCheckHandler(new DomainCheckJob(new FakeStores().domains(),
                name -> TxtLookup.failed("no DNS in a unit test"), Clock.systemUTC(), DomainCheckJob.PAGE_SIZE, RetryPolicy.withoutPauses(1)),
                1_000);

        Map<String, Object> report = handler.handleRequest(Events.map("scheduled"), null);

        assertThat(report).containsEntry("complete", true).containsKey("runId");
    }
}
