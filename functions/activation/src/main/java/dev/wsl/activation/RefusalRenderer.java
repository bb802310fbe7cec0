package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.api.FailureRenderer;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Failure;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.failure.Unauthenticated;
import java.util.Map;

/**
 * The licensing routes' renderer (LOCALSTACK-LICENSING.md, "Error response"): every answer that is not a license is
 * a {@link Refusal}, written {@code {"message": code, "detail": text}} with the refusal's status, as the client
 * expects (not problem+json). A table or AWS call that did not answer in time is {@link Refusal#SERVER_BUSY}. A
 * failure the protocol has no refusal for, and a bug, get no body of ours: the function fails and API Gateway
 * answers its own 500, as the client has always seen for those.
 */
final class RefusalRenderer implements FailureRenderer {
    static final RefusalRenderer RENDERER = new RefusalRenderer();

    static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "Cache-Control", "no-store");

    private RefusalRenderer() {}

    /** The refusal's answer: its status, its message and detail. */
    static APIGatewayV2HTTPResponse refused(Outcome.Refused refused) {
        return answer(refused.refusal().status(), HEADERS,
                ResponseJson.error(refused.refusal().message(refused.detail()), refused.detail()));
    }

    /** A successful answer (a license, or the license info). */
    static APIGatewayV2HTTPResponse ok(String body) {
        return answer(200, HEADERS, body);
    }

    static APIGatewayV2HTTPResponse answer(int status, Map<String, String> headers, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body).build();
    }

    @Override
    public APIGatewayV2HTTPResponse failure(Failure failure, String requestId) {
        Refusal refusal = switch (failure) {
            case InvalidInput e -> Refusal.BAD_REQUEST;
            case Unauthenticated e -> Refusal.CREDENTIALS_INVALID;
            case Busy e -> Refusal.SERVER_BUSY;
            case TooManyRequests e -> Refusal.RATE_LIMITED;
            case Forbidden e -> null;
            case NotFound e -> null;
            case Gone e -> null;
            case Conflict e -> null;
        };
        return refusal == null ? null : refused(new Outcome.Refused(refusal));
    }

    @Override
    public APIGatewayV2HTTPResponse unavailable(String requestId) {
        return refused(new Outcome.Refused(Refusal.SERVER_BUSY));
    }

    @Override
    public String unavailableOutcome() {
        return Refusal.SERVER_BUSY.code();
    }

    @Override
    public APIGatewayV2HTTPResponse internal(String requestId) {
        return null;
    }
}
