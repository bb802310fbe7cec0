package dev.wsl.core.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Failure;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.failure.Unauthenticated;
import dev.wsl.core.json.Json;
import dev.wsl.core.store.AwsClients;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Base of every HTTP API handler: turns the payload 2.0 event into an
 * {@link ApiRequest}, calls {@link #handle}, and maps the outcome to a response.
 * This is the one place where errors become HTTP: a {@link Failure} becomes its RFC 9457
 * problem (the status from its type, the problem type from its slug); an AWS call that still failed
 * for a transient reason after the SDK's attempts ({@link AwsClients#unavailable}: throttling, a 5xx,
 * no answer in time, a network error), and a table that stayed busy through the use case's retries
 * ({@link Busy}), are {@code 503} with {@code Retry-After}, logged with their cause; anything else is
 * logged with the request id and answered with a generic 500 problem that reveals nothing. Every request
 * writes one summary line ({@link Invocation}), and counts the route's {@link #metric()} if it has one.
 *
 * <p>Subclasses are thread-safe: the local runtime calls one instance from many threads.
 */
public abstract class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Bodies above this size are refused before parsing (413). */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private static final String PROBLEM_JSON = "application/problem+json";
    /** The slug of a 503 for an AWS dependency that did not answer (a busy table is {@code busy}). */
    static final String UNAVAILABLE = "unavailable";
    /** Seconds a client should wait before it repeats a request answered 503. */
    static final int RETRY_AFTER_SECONDS = 2;

    /** Whether the route requires a caller identity (everything behind the JWT authorizer does). */
    protected boolean requiresCaller() {
        return true;
    }

    protected abstract ApiResponse handle(ApiRequest request);

    /**
     * The metric this route counts once per request, with its {@code Outcome} dimension: the success
     * outcome, or the refusal's slug (e.g. {@code SeatAssignments}: assigned, no-free-seat, ...). None by default.
     */
    protected Metric metric() {
        return null;
    }

    /** The {@code outcome} of a successful request in the route's log line (and metric): {@code ok} by default. */
    protected String successOutcome() {
        return "ok";
    }

    /**
     * Answers the request and writes its summary line ({@link Invocation#http}): route, API Gateway's
     * request id, the path's ids, the caller's user id, status, outcome ({@link #successOutcome()} or
     * the problem's slug), duration, and the error with its trace for a 500.
     */
    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Invocation.http(event, context, invocation -> answer(event, context, invocation));
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Context context, Invocation invocation) {
        String requestId = requestId(event, context);
        Metric metric = metric();
        try {
            Problem refused = refusedBeforeParsing(event);
            if (refused != null) {
                invocation.outcome(refused.slug());
                return problem(refused, requestId);
            }
            ApiRequest request = toRequest(event, requestId);
            if (request.caller() != null) {
                invocation.field("userId", request.caller().userId());
            }
            APIGatewayV2HTTPResponse response = toResponse(handle(request));
            invocation.outcome(successOutcome());
            return response;
        } catch (Failure e) {
            invocation.outcome(e.slug());
            if (e instanceof Busy) {
                invocation.warn();
            }
            return problem(Problem.of(e), requestId);
        } catch (RuntimeException e) {
            if (AwsClients.unavailable(e)) {
                // Nothing was written that the caller would have to undo (a transaction is whole or nothing; a
                // repeated one is recognised by its token): retrying later is safe, and the cause is in the log.
                invocation.failed(e).outcome(UNAVAILABLE);
                return problem(new Problem(503, UNAVAILABLE, titleOf(503), "A service this request needs (storage, key"
                        + " management or email) did not answer in time; retry in a few seconds.", Map.of()), requestId);
            }
            // The stack trace goes to the log under the request id; the caller only learns the id.
            invocation.failed(e).outcome("internal");
            return problem(new Problem(500, "internal", "Internal server error",
                    "The request could not be completed; quote request id " + requestId + ".", Map.of()), requestId);
        } finally {
            if (metric != null) {
                invocation.count(metric, 1);
            }
        }
    }

    /**
     * An RFC 9457 problem: the status and title follow from the failure's type, the problem type from
     * its slug. This is the only mapping from failures to HTTP.
     */
    record Problem(int status, String slug, String title, String detail, Map<String, Object> extensions,
                   Map<String, String> headers) {
        Problem(int status, String slug, String title, String detail, Map<String, Object> extensions) {
            this(status, slug, title, detail, extensions, Map.of());
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

    /** Refusals of the transport, before the body is read: too large (413), not JSON (415). */
    private static Problem refusedBeforeParsing(APIGatewayV2HTTPEvent event) {
        String body = body(event);
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            return new Problem(413, "body-too-large", "Payload too large",
                    "The request body exceeds " + MAX_BODY_BYTES + " bytes.", Map.of());
        }
        String contentType = null;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
                if (h.getKey().equalsIgnoreCase("content-type")) {
                    contentType = h.getValue();
                }
            }
        }
        if (body != null && !body.isEmpty() && contentType != null
                && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "Send the body as application/json.", Map.of());
        }
        return null;
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return body;
    }

    private ApiRequest toRequest(APIGatewayV2HTTPEvent event, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        Caller caller = requiresCaller() ? Caller.fromClaims(claims(event)) : null;
        return new ApiRequest(requestId, caller, event.getPathParameters(), event.getQueryStringParameters(),
                headers, body(event), event.getRouteKey());
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
            return Map.of();
        }
        Map<String, String> claims = context.getAuthorizer().getJwt().getClaims();
        return claims == null ? Map.of() : claims;
    }

    private static String requestId(APIGatewayV2HTTPEvent event, Context context) {
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return context == null ? "unknown" : context.getAwsRequestId();
    }

    private static APIGatewayV2HTTPResponse toResponse(ApiResponse response) {
        var builder = APIGatewayV2HTTPResponse.builder().withStatusCode(response.status());
        if (response.body() instanceof ApiResponse.Text text) {
            Map<String, String> headers = new LinkedHashMap<>(text.headers());
            headers.put("content-type", text.contentType());
            headers.put("cache-control", "no-store");
            return builder.withHeaders(headers).withBody(text.text()).build();
        }
        if (response.body() != null) {
            // Answers carry personal data and, for the owner or a new CI key, secrets: never cached.
            builder.withHeaders(Map.of("content-type", "application/json", "cache-control", "no-store"))
                    .withBody(Json.write(response.body()));
        }
        return builder.build();
    }

    private static APIGatewayV2HTTPResponse problem(Problem p, String requestId) {
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
                .withBody(Json.write(body))
                .build();
    }
}
