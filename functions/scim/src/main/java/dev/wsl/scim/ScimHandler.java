package dev.wsl.scim;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.failure.AlreadyExists;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /scim/v2/*}: every SCIM route of the template (no authorizer at the gateway). The handler
 * authenticates the bearer token itself, with one consistent GetItem of its lookup item, rather than
 * through a Lambda authorizer: an authorizer would be a second invocation (and its cold start) on every
 * request, and identity providers send thousands of them in a sync. It answers {@code application/scim+json},
 * and every refusal as a SCIM error ({@code schemas}, {@code status} as a string, {@code scimType} where RFC
 * 7644 defines one, {@code detail}); this is the one place where failures become SCIM errors. A table that
 * stayed busy, and an AWS call that still failed for a transient reason, are {@code 503} with
 * {@code Retry-After} (identity providers retry those). It never logs a header or a body. Thread-safe.
 */
public final class ScimHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** Larger than the management API's: a group of 500 members sent whole is about 40 KiB. */
    static final int MAX_BODY_BYTES = 512 * 1024;
    static final String SCIM_JSON = "application/scim+json";

    private final ScimTokenService tokens;
    private final ScimApi api;

    public ScimHandler() {
        this(ScimServices.tokens(), ScimServices.api());
    }

    ScimHandler(ScimTokenService tokens, ScimApi api) {
        this.tokens = tokens;
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Invocation.http(event, context, invocation -> answer(event, invocation));
    }

    /** The answer; the summary line gets the workspace the token names and the outcome (a refusal's slug). */
    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Invocation invocation) {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            if (event.getHeaders() != null) {
                event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            }
            String body = event.getBody();
            if (body != null && event.getIsBase64Encoded()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                return error(413, null, "The request body exceeds " + MAX_BODY_BYTES + " bytes.");
            }
            String workspaceId = tokens.authenticate(headers.get("authorization"));
            invocation.workspace(workspaceId);
            JsonNode json = null;
            if (body != null && !body.isBlank()) {
                String type = headers.getOrDefault("content-type", "application/scim+json").toLowerCase(Locale.ROOT);
                if (!type.contains("json")) {
                    return error(415, null, "Send the body as application/scim+json.");
                }
                try {
                    json = Json.parse(body);
                } catch (InvalidInput malformed) {
                    throw new InvalidInput("invalid-syntax", malformed.detail());
                }
            }
            String proto = headers.getOrDefault("x-forwarded-proto", "https");
            String host = headers.getOrDefault("host", event.getRequestContext() == null ? "localhost"
                    : event.getRequestContext().getDomainName());
            String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                    ? event.getRequestContext().getHttp().getMethod() : null;
            ScimApi.Response response = api.handle(new ScimApi.Request(event.getRouteKey(),
                    event.getPathParameters() == null ? Map.of() : event.getPathParameters(),
                    event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(),
                    json, proto + "://" + host + "/scim/v2", workspaceId,
                    method != null ? method : event.getRouteKey().substring(0, event.getRouteKey().indexOf(' '))));
            Map<String, String> out = new LinkedHashMap<>(Map.of("content-type", SCIM_JSON, "cache-control", "no-store"));
            out.putAll(response.headers());
            if (response.status() == 201 && response.body() != null && response.body().path("meta").has("location")) {
                out.put("location", response.body().path("meta").path("location").asText());
            }
            var builder = APIGatewayV2HTTPResponse.builder().withStatusCode(response.status()).withHeaders(out);
            if (response.body() != null) {
                builder.withBody(Json.write(response.body()));
            }
            invocation.outcome(response.status() < 400 ? "ok" : "method-not-allowed");
            return builder.build();
        } catch (ScimApi.NotImplemented e) {
            invocation.outcome("not-implemented");
            return error(501, null, e.getMessage());
        } catch (Failure f) {
            invocation.outcome(f.slug());
            if (f instanceof Busy) {
                invocation.warn();
            }
            return error(f);
        } catch (RuntimeException e) {
            if (AwsClients.unavailable(e)) {
                // Throttled, failing or too slow through the SDK's attempts: the identity provider retries a 503 later.
                invocation.failed(e).outcome("unavailable");
                return error(503, null, "A service this request needs did not answer in time; retry in a few seconds.");
            }
            // The summary line keeps the cause with its trace; neither holds a header or a body.
            invocation.failed(e).outcome("internal");
            String requestId = event.getRequestContext() == null ? "unknown" : event.getRequestContext().getRequestId();
            return error(500, null, "The request could not be completed; quote request id " + requestId + ".");
        }
    }

    /** The one mapping from failures to SCIM errors (RFC 7644 section 3.12). */
    static APIGatewayV2HTTPResponse error(Failure f) {
        return switch (f) {
            case InvalidInput e -> error(400, scimType(e.slug()), e.detail());
            case Unauthenticated e -> error(401, null, e.detail());
            case Forbidden e -> error(403, null, e.detail());
            case NotFound e -> error(404, null, e.detail());
            case AlreadyExists e -> error(409, "uniqueness", e.detail());
            case Conflict e -> error(409, null, e.detail());
            // The table could not take the request just now (not a conflict with the resource): retry later.
            case Busy e -> error(503, null, e.detail());
            case Gone e -> error(404, null, e.detail());
            case TooManyRequests e -> error(429, null, e.detail()); // no SCIM use case sends invitations
        };
    }

    static String scimType(String slug) {
        return switch (slug) {
            case "invalid-filter" -> "invalidFilter";
            case "invalid-syntax", "malformed-json", "invalid-body", "missing-body" -> "invalidSyntax";
            case "no-target" -> "noTarget";
            case "mutability" -> "mutability";
            case "invalid-path" -> "invalidPath";
            case "too-many" -> "tooMany";
            default -> "invalidValue";
        };
    }

    static APIGatewayV2HTTPResponse error(int status, String scimType, String detail) {
        ObjectNode body = ScimJson.error(status, scimType, detail);
        Map<String, String> headers = new LinkedHashMap<>(Map.of("content-type", SCIM_JSON, "cache-control", "no-store"));
        if (status == 401) {
            headers.put("www-authenticate", "Bearer realm=\"scim\"");
        }
        if (status == 503) {
            headers.put("retry-after", "2");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(Json.write(body)).build();
    }
}
