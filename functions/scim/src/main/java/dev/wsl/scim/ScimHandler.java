package dev.wsl.scim;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.api.EdgeHandler;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.JsonNodes;
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
 * and every refusal as a SCIM error, rendered by {@link ScimErrors} from what {@link EdgeHandler} catches. It never
 * logs a header or a body. Thread-safe.
 */
public final class ScimHandler extends EdgeHandler {
    /** Larger than the management API's: a group of 500 members sent whole is about 40 KiB. */
    static final int MAX_BODY_BYTES = 512 * 1024;
    static final String SCIM_JSON = ScimErrors.SCIM_JSON;

    private final ScimTokenService tokens;
    private final ScimApi api;

    public ScimHandler() {
        this(ScimServices.tokens(), ScimServices.api());
    }

    ScimHandler(ScimTokenService tokens, ScimApi api) {
        super(ScimErrors.RENDERER);
        this.tokens = tokens;
        this.api = api;
    }

    /** The answer; the summary line gets the workspace the token names and the outcome (a refusal's slug). */
    @Override
    protected APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, String requestId, Invocation invocation) {
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
                    json = JsonNodes.parse(body);
                } catch (InvalidInput malformed) {
                    throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-syntax", malformed.detail());
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
                builder.withBody(JsonNodes.write(response.body()));
            }
            invocation.outcome(response.status() < 400 ? "ok" : "method-not-allowed");
            return builder.build();
        } catch (ScimApi.NotImplemented e) {
            invocation.outcome("not-implemented");
            return error(501, null, e.getMessage());
        }
    }

    private static APIGatewayV2HTTPResponse error(int status, String scimType, String detail) {
        return ScimErrors.error(status, scimType, detail);
    }
}
