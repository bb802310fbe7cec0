package dev.wsl.core.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.api.ProblemJson.Problem;
import dev.wsl.core.json.JsonWriter;
import dev.wsl.telemetry.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Base of every management API handler: turns the payload 2.0 event into an {@link ApiRequest}, calls
 * {@link #handle}, and writes its {@link ApiResponse}. What goes wrong is answered by {@link EdgeHandler} (the one
 * catch site) as RFC 9457 problem+json ({@link ProblemJson}); the transport's own refusals (too large, not JSON)
 * are problems too, before the body is parsed.
 *
 * <p>Subclasses are thread-safe: the local runtime calls one instance from many threads.
 */
public abstract class HttpApiHandler extends EdgeHandler {

    /** Bodies above this size are refused before parsing (413). */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    protected HttpApiHandler() {
        super(ProblemJson.RENDERER);
    }

    /** Whether the route requires a caller identity (everything behind the JWT authorizer does). */
    protected boolean requiresCaller() {
        return true;
    }

    protected abstract ApiResponse handle(ApiRequest request);

    /** The {@code outcome} of a successful request in the route's log line (and metric): {@code ok} by default. */
    protected String successOutcome() {
        return "ok";
    }

    /**
     * Answers the request; its summary line ({@link Invocation#http}) gets the caller's user id and the outcome
     * ({@link #successOutcome()} or the problem's slug).
     */
    @Override
    protected final APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, String requestId,
                                                     Invocation invocation) {
        Problem refused = refusedBeforeParsing(event);
        if (refused != null) {
            invocation.outcome(refused.slug());
            return ProblemJson.response(refused, requestId);
        }
        ApiRequest request = toRequest(event, requestId);
        if (request.caller() != null) {
            invocation.field("userId", request.caller().userId());
        }
        APIGatewayV2HTTPResponse response = toResponse(handle(request));
        invocation.outcome(successOutcome());
        return response;
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
                    .withBody(JsonWriter.write(response.body()));
        }
        return builder.build();
    }
}
