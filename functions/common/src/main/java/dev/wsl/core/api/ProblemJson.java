package dev.wsl.core.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Failure;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.failure.Unauthenticated;
import dev.wsl.core.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The management API's renderer: a {@link Failure} becomes its RFC 9457 problem, the status and title from the
 * failure's type, the problem {@code type} from its slug ({@code urn:problem:wsl:<slug>}), the instance the request id.
 * A transient failure (503) carries {@code Retry-After}; a limit reached (429) carries its own.
 */
public final class ProblemJson implements FailureRenderer {
    /** The one instance (stateless). */
    public static final ProblemJson RENDERER = new ProblemJson();

    private static final String PROBLEM_JSON = "application/problem+json";
    /** The slug of a 503 for an AWS dependency that did not answer (a busy table is {@code busy}). */
    static final String UNAVAILABLE = "unavailable";
    /** Seconds a client should wait before it repeats a request answered 503. */
    static final int RETRY_AFTER_SECONDS = 2;

    private ProblemJson() {}

    /** An RFC 9457 problem before it is written. */
    record Problem(int status, String slug, String title, String detail, Map<String, Object> extensions,
                   Map<String, String> headers) {
        Problem(int status, String slug, String title, String detail, Map<String, Object> extensions) {
            this(status, slug, title, detail, extensions, Map.of());
        }
    }

    @Override
    public APIGatewayV2HTTPResponse failure(Failure failure, String requestId) {
        return response(of(failure), requestId);
    }

    @Override
    public APIGatewayV2HTTPResponse unavailable(String requestId) {
        return response(new Problem(503, UNAVAILABLE, titleOf(503), "A service this request needs (storage, key"
                + " management or email) did not answer in time; retry in a few seconds.", Map.of()), requestId);
    }

    @Override
    public APIGatewayV2HTTPResponse internal(String requestId) {
        return response(new Problem(500, "internal", "Internal server error",
                "The request could not be completed; quote request id " + requestId + ".", Map.of()), requestId);
    }

    static Problem of(Failure failure) {
        int status = switch (failure) {
            case InvalidInput e -> 400;
            case Unauthenticated e -> 401;
            case Forbidden e -> 403;
            case NotFound e -> 404;
            case Conflict e -> 409;
            // Not a conflict with the resource's state: the table could not take the request just now.
            case Busy e -> 503;
            case Gone e -> 410;
            case TooManyRequests e -> 429;
        };
        // RFC 9110 section 10.2.3: when to try again, in seconds (the problem repeats it as retryAfter).
        Map<String, String> headers = failure instanceof TooManyRequests limited
                ? Map.of("retry-after", Long.toString(limited.retryAfterSeconds())) : Map.of();
        return new Problem(status, failure.slug(), titleOf(status), failure.detail(), failure.extensions(), headers);
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 429 -> "Too many requests";
            case 503 -> "Service unavailable";
            default -> throw new IllegalArgumentException("no title for " + status);
        };
    }

    static APIGatewayV2HTTPResponse response(Problem p, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:problem:wsl:" + p.slug());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("instance", "urn:request:" + requestId);
        p.extensions().forEach(body::putIfAbsent);
        Map<String, String> headers = new LinkedHashMap<>(p.headers());
        headers.put("content-type", PROBLEM_JSON);
        if (p.status() == 503) {
            // A transient failure: RFC 9110 section 10.2.3, when to try again.
            headers.putIfAbsent("retry-after", Integer.toString(RETRY_AFTER_SECONDS));
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(p.status())
                .withHeaders(headers)
                .withBody(JsonWriter.write(body))
                .build();
    }
}
