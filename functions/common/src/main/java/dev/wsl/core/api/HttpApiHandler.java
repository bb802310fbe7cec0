package dev.wsl.core.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Base of every HTTP API handler: turns the payload 2.0 event into an
 * {@link ApiRequest}, calls {@link #handle}, and maps the outcome to a response.
 * This is the one place where errors become HTTP: an {@link ApiException} becomes
 * its RFC 9457 problem; anything else is logged with the request id and answered
 * with a generic 500 problem that reveals nothing.
 *
 * <p>Subclasses are thread-safe: the local runtime calls one instance from many threads.
 */
public abstract class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Bodies above this size are refused before parsing (413). */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private static final String PROBLEM_JSON = "application/problem+json";

    /** Whether the route requires a caller identity (everything behind the JWT authorizer does). */
    protected boolean requiresCaller() {
        return true;
    }

    protected abstract ApiResponse handle(ApiRequest request);

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = requestId(event, context);
        try {
            ApiRequest request = toRequest(event, requestId);
            return toResponse(handle(request));
        } catch (ApiException e) {
            return problem(e, requestId);
        } catch (RuntimeException e) {
            // The stack trace goes to the log under the request id; the caller only learns the id.
            System.err.println("request " + requestId + " failed: " + e.getClass().getName());
            e.printStackTrace();
            return problem(new ApiException(500, "internal", "Internal server error",
                    "The request could not be completed; quote request id " + requestId + ".", Map.of()), requestId);
        }
    }

    private ApiRequest toRequest(APIGatewayV2HTTPEvent event, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(java.util.Base64.getDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (body != null && body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new ApiException(413, "body-too-large", "Payload too large",
                    "The request body exceeds " + MAX_BODY_BYTES + " bytes.", Map.of());
        }
        String contentType = headers.get("content-type");
        if (body != null && !body.isEmpty() && contentType != null
                && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            throw new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "Send the body as application/json.", Map.of());
        }
        Caller caller = requiresCaller() ? Caller.fromClaims(claims(event)) : null;
        return new ApiRequest(requestId, caller, event.getPathParameters(), event.getQueryStringParameters(),
                headers, body);
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
        if (response.body() != null) {
            // Answers carry personal data and, for the owner or a new CI key, secrets: never cached.
            builder.withHeaders(Map.of("content-type", "application/json", "cache-control", "no-store"))
                    .withBody(Json.write(response.body()));
        }
        return builder.build();
    }

    private static APIGatewayV2HTTPResponse problem(ApiException e, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:problem:wsl:" + e.type());
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.detail());
        body.put("instance", "urn:request:" + requestId);
        e.extensions().forEach(body::putIfAbsent);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(e.status())
                .withHeaders(Map.of("content-type", PROBLEM_JSON))
                .withBody(Json.write(body))
                .build();
    }
}
