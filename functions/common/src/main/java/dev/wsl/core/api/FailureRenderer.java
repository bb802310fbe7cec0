package dev.wsl.core.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.failure.Failure;

/**
 * How one protocol answers what went wrong: problem+json for the management API ({@link ProblemJson}), a SCIM error
 * on SCIM, the licensing client's refusal on the activation routes. {@link EdgeHandler} is the one place that catches;
 * the renderer its function was built with decides the answer, from the failure's type (never its slug).
 * Implementations are stateless and thread-safe.
 */
public interface FailureRenderer {

    /** The answer to a refusal; null when the protocol has none for it (the function then fails, as for a bug). */
    APIGatewayV2HTTPResponse failure(Failure failure, String requestId);

    /**
     * The answer when an AWS call still failed for a transient reason after the SDK's attempts (throttling, a 5xx,
     * no answer in time): a 503 the caller may retry, since nothing was half-written.
     */
    APIGatewayV2HTTPResponse unavailable(String requestId);

    /** The outcome in the summary line for {@link #unavailable}. */
    default String unavailableOutcome() {
        return "unavailable";
    }

    /**
     * The answer to a bug, revealing nothing but the request id; null when the protocol has none (the function then
     * fails and API Gateway answers its own 500).
     */
    APIGatewayV2HTTPResponse internal(String requestId);
}
