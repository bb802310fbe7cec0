package dev.wsl.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Failure;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NoFreeSeat;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.SeatsChanged;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.failure.Unauthenticated;
import dev.wsl.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HttpApiHandlerTest {
    private static HttpApiHandler handler(Function<ApiRequest, ApiResponse> body) {
        return new HttpApiHandler() {
            @Override
            protected ApiResponse handle(ApiRequest request) {
                return body.apply(request);
            }
        };
    }

    private static APIGatewayV2HTTPEvent event(String body, Map<String, String> claims, Map<String, String> headers) {
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build();
        var ctx = APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("req-1")
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build()).build();
        return APIGatewayV2HTTPEvent.builder().withBody(body).withHeaders(headers).withRequestContext(ctx).build();
    }

    private static final Map<String, String> CLAIMS = Map.of("sub", "u1", "email", "jane@example.com",
            "email_verified", "true", "preferred_username", "jane");

    @Test
    void answers_shouldBeJson_andNeverCached() {
        APIGatewayV2HTTPResponse response = handler(r -> ApiResponse.ok(Map.of("token", "ls-secret")))
                .handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json")
                .containsEntry("cache-control", "no-store");
    }

    @Test
    void aFailure_shouldBecomeProblemJson_withItsExtensions() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new AlreadyExists("member-exists", "Already there.", Map.of("memberId", "m_1"));
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        var body = Json.parse(response.getBody());
        assertThat(body.get("type").asText()).isEqualTo("urn:problem:wsl:member-exists");
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("detail").asText()).isEqualTo("Already there.");
        assertThat(body.get("memberId").asText()).isEqualTo("m_1");
        assertThat(body.get("instance").asText()).isEqualTo("urn:request:req-1");
    }

    /** The one mapping: every kind of failure, its status, and its slug as the problem type. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("failures")
    void everyFailure_shouldMapToItsStatus_andKeepItsSlug(Failure failure, int status) {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw failure;
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(status);
        var body = Json.parse(response.getBody());
        assertThat(body.get("type").asText()).isEqualTo("urn:problem:wsl:" + failure.slug());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asText()).isEqualTo(failure.detail());
    }

    static List<org.junit.jupiter.params.provider.Arguments> failures() {
        return List.of(
                org.junit.jupiter.params.provider.Arguments.of(new InvalidInput("invalid-email", "bad"), 400),
                org.junit.jupiter.params.provider.Arguments.of(new Unauthenticated("no-subject", "who"), 401),
                org.junit.jupiter.params.provider.Arguments.of(new Forbidden("missing-permission", "no"), 403),
                org.junit.jupiter.params.provider.Arguments.of(new NotFound("member-not-found", "none"), 404),
                org.junit.jupiter.params.provider.Arguments.of(new Gone("invitation-expired", "late"), 410),
                org.junit.jupiter.params.provider.Arguments.of(new Conflict("no-license", "none held"), 409),
                org.junit.jupiter.params.provider.Arguments.of(new ChangedMeanwhile("raced"), 409),
                org.junit.jupiter.params.provider.Arguments.of(new SeatsChanged(), 409),
                org.junit.jupiter.params.provider.Arguments.of(new LastAdmin(), 409),
                org.junit.jupiter.params.provider.Arguments.of(new Busy("busy table", null), 503),
                org.junit.jupiter.params.provider.Arguments.of(
                        new TooManyRequests("recipient-invitation-limit", "enough", 60, Map.of()), 429));
    }

    @Test
    void tooManyRequests_shouldBe429_withRetryAfterInTheHeaderAndTheProblem() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new TooManyRequests("workspace-invitation-limit", "Enough for today.", 3_600, Map.of("limit", 50));
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json")
                .containsEntry("retry-after", "3600");
        var body = Json.parse(response.getBody());
        assertThat(body.get("title").asText()).isEqualTo("Too many requests");
        assertThat(body.get("retryAfter").asLong()).isEqualTo(3_600);
        assertThat(body.get("limit").asInt()).isEqualTo(50);
    }

    @Test
    void otherProblems_shouldCarryNoRetryAfter() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new Conflict("no-license", "none held");
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getHeaders()).doesNotContainKey("retry-after");
    }

    @Test
    void aClaimedEmailWithAKelvinSign_shouldBeRefused_notFoldedIntoAnotherAddress() {
        var kelvin = Map.of("sub", "u1", "email", "admin\u212A@example.com", "email_verified", "true");

        APIGatewayV2HTTPResponse response = handler(r -> ApiResponse.ok(Map.of("email", r.caller().email().value())))
                .handleRequest(event(null, kelvin, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Json.parse(response.getBody()).get("type").asText()).isEqualTo("urn:problem:wsl:invalid-email");
    }

    @Test
    void aTableThatStayedBusy_shouldBe503_withRetryAfter() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new Busy("The workspace is being changed concurrently; retry the request.", null);
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json")
                .containsEntry("retry-after", "2");
        assertThat(Json.parse(response.getBody()).get("type").asText()).isEqualTo("urn:problem:wsl:busy");
    }

    /** What still failed after the SDK's attempts: transient ones are 503 with Retry-After, anything else a 500. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("awsFailures")
    void anAwsCallThatStillFailed_shouldBe503WhenTransient_else500(RuntimeException failure, int status) {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw failure;
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(status);
        var body = Json.parse(response.getBody());
        assertThat(body.get("type").asText()).isEqualTo(status == 503 ? "urn:problem:wsl:unavailable" : "urn:problem:wsl:internal");
        assertThat(response.getHeaders().get("retry-after")).isEqualTo(status == 503 ? "2" : null);
        assertThat(response.getBody()).doesNotContain("Rate exceeded").doesNotContain("reset");
    }

    static List<org.junit.jupiter.params.provider.Arguments> awsFailures() {
        var throttled = software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.builder()
                .message("Rate exceeded").statusCode(400).awsErrorDetails(software.amazon.awssdk.awscore.exception
                        .AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build();
        var internal = software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException.builder()
                .message("boom").statusCode(500).build();
        var invalid = software.amazon.awssdk.services.dynamodb.model.DynamoDbException.builder()
                .message("One or more parameter values were invalid").statusCode(400).awsErrorDetails(
                        software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode("ValidationException")
                                .build()).build();
        var reset = software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request",
                new java.net.SocketException("Connection reset"));
        var timeout = software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(4000);
        var misconfigured = software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load region");
        return List.of(
                org.junit.jupiter.params.provider.Arguments.of(throttled, 503),
                org.junit.jupiter.params.provider.Arguments.of(internal, 503),
                org.junit.jupiter.params.provider.Arguments.of(reset, 503),
                org.junit.jupiter.params.provider.Arguments.of(timeout, 503),
                org.junit.jupiter.params.provider.Arguments.of(invalid, 500),
                org.junit.jupiter.params.provider.Arguments.of(misconfigured, 500),
                org.junit.jupiter.params.provider.Arguments.of(new IllegalStateException("a bug"), 500));
    }

    @Test
    void noFreeSeat_shouldCarryTheSeats() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new NoFreeSeat("All 2 seats are in use.", 2, 2, List.of("…a2 (lk_1)"));
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        var body = Json.parse(response.getBody());
        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(body.get("type").asText()).isEqualTo("urn:problem:wsl:no-free-seat");
        assertThat(body.get("seats").asLong()).isEqualTo(2);
        assertThat(body.get("inUse").asLong()).isEqualTo(2);
        assertThat(body.get("unassignedLegacyKeys").get(0).asText()).isEqualTo("…a2 (lk_1)");
        assertThat(body.get("unassignedLegacyKeyCount").asLong()).isEqualTo(1);
    }

    @Test
    void noFreeSeat_forACallerWhoDoesNotManageKeys_shouldCountThemWithoutNamingThem() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new NoFreeSeat("All 2 seats are in use; 1 unassigned legacy key holds a seat.", 2, 2, 1L);
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        var body = Json.parse(response.getBody());
        assertThat(body.get("unassignedLegacyKeyCount").asLong()).isEqualTo(1);
        assertThat(body.has("unassignedLegacyKeys")).isFalse();
    }

    @Test
    void unexpectedException_shouldBecomeGeneric500_withoutItsMessage() {
        APIGatewayV2HTTPResponse response = handler(r -> {
            throw new IllegalStateException("secret internals");
        }).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).doesNotContain("secret internals").contains("req-1");
    }

    @Test
    void oversizeBody_shouldBe413_beforeTheHandlerRuns() {
        boolean[] called = {false};
        APIGatewayV2HTTPResponse response = handler(r -> {
            called[0] = true;
            return ApiResponse.noContent();
        }).handleRequest(event("x".repeat(HttpApiHandler.MAX_BODY_BYTES + 1), CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(413);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(called[0]).isFalse();
    }

    @Test
    void nonJsonContentType_shouldBe415() {
        APIGatewayV2HTTPResponse response = handler(r -> ApiResponse.noContent())
                .handleRequest(event("a=b", CLAIMS, Map.of("Content-Type", "application/x-www-form-urlencoded")), null);

        assertThat(response.getStatusCode()).isEqualTo(415);
        assertThat(Json.parse(response.getBody()).get("type").asText()).isEqualTo("urn:problem:wsl:unsupported-media-type");
    }

    @Test
    void unverifiedEmail_shouldBe403_andMissingSubject401() {
        var unverified = Map.of("sub", "u1", "email", "jane@example.com", "email_verified", "false");
        assertThat(handler(r -> ApiResponse.noContent()).handleRequest(event(null, unverified, Map.of()), null)
                .getStatusCode()).isEqualTo(403);
        assertThat(handler(r -> ApiResponse.noContent()).handleRequest(event(null, Map.of(), Map.of()), null)
                .getStatusCode()).isEqualTo(401);
    }

    @Test
    void caller_shouldCarryVerifiedIdentity() {
        APIGatewayV2HTTPResponse response = handler(r -> ApiResponse.ok(Map.of("who", r.caller().username(),
                "email", r.caller().email().value()))).handleRequest(event(null, CLAIMS, Map.of()), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        var body = Json.parse(response.getBody());
        assertThat(body.get("who").asText()).isEqualTo("jane");
        assertThat(body.get("email").asText()).isEqualTo("jane@example.com");
    }
}
