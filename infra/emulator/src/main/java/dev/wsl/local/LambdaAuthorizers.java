package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP API's Lambda authorizers (payload format 2.0, simple responses), as API Gateway runs
 * them before a route's function: every declared identity source must be present and non-empty,
 * else {@code 401 Unauthorized} without invoking the authorizer; the authorizer gets the
 * {@code REQUEST} event (the route's request, its {@code routeArn} and the identity source values)
 * and answers {@code {"isAuthorized": bool, "context": {...}}}; {@code false} is {@code 403
 * Forbidden}, a failure or an answer without a boolean {@code isAuthorized} is {@code 500}; a
 * granted request reaches the route with the context in {@code requestContext.authorizer.lambda}.
 * With {@code ReauthorizeEvery} above zero, answers are cached per authorizer and identity source
 * values for that long, as API Gateway caches them. Thread-safe.
 */
final class LambdaAuthorizers {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** The outcome of running a route's authorizer. */
    sealed interface Result permits Allowed, Refused {}

    /** @param context what the authorizer answered as {@code context} (empty when it gave none) */
    record Allowed(Map<String, Object> context) implements Result {}

    /** API Gateway's own answer: {@code {"message": message}} with this status. */
    record Refused(int status, String message) implements Result {}

    private record Cached(Result result, Instant until) {}

    private final Map<String, SamTemplate.LambdaAuthorizer> authorizers;
    private final FunctionInvoker functions;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    LambdaAuthorizers(Map<String, SamTemplate.LambdaAuthorizer> authorizers, FunctionInvoker functions, Clock clock) {
        this.authorizers = Map.copyOf(authorizers);
        this.functions = Objects.requireNonNull(functions);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Whether {@code name} is one of the template's Lambda authorizers (else it is a JWT authorizer, or unknown). */
    boolean handles(String name) {
        return name != null && authorizers.containsKey(name);
    }

    /** Runs the authorizer {@code name} for the route event that is about to be handed to the route. */
    Result authorize(String name, APIGatewayV2HTTPEvent route) {
        SamTemplate.LambdaAuthorizer authorizer = authorizers.get(name);
        List<String> identity = new ArrayList<>();
        for (String source : authorizer.identitySources()) {
            String value = identityValue(source, route);
            if (value == null || value.isEmpty()) {
                return new Refused(401, "Unauthorized");
            }
            identity.add(value);
        }
        boolean caching = !authorizer.ttl().isZero();
        String cacheKey = name + '\u0000' + String.join("\u0000", identity);
        if (caching) {
            Cached hit = cache.get(cacheKey);
            if (hit != null && clock.instant().isBefore(hit.until())) {
                return hit.result();
            }
        }
        Result result = invoke(authorizer, event(route, identity), route.getRequestContext().getRequestId());
        if (caching && !(result instanceof Refused r && r.status() >= 500)) {
            cache.put(cacheKey, new Cached(result, clock.instant().plus(authorizer.ttl())));
        }
        return result;
    }

    private Result invoke(SamTemplate.LambdaAuthorizer authorizer, Map<String, Object> event, String requestId) {
        JsonNode answer;
        try {
            answer = Json.read(functions.invokeJson(authorizer.functionLogicalId(), Json.write(event), requestId));
        } catch (Exception | LinkageError e) {
            // Lambda reports the failure and API Gateway hides it behind a 500; keep the trace for the developer.
            System.err.println("[" + authorizer.functionLogicalId() + " " + requestId + "] authorizer "
                    + authorizer.name() + " failed:");
            e.printStackTrace(System.err);
            return new Refused(500, "Internal Server Error");
        }
        JsonNode allowed = answer.get("isAuthorized");
        JsonNode context = answer.get("context");
        if (allowed == null || !allowed.isBoolean() || context != null && !context.isNull() && !context.isObject()) {
            System.err.println("[" + authorizer.functionLogicalId() + " " + requestId + "] authorizer "
                    + authorizer.name() + " answered no simple response (a boolean isAuthorized, an object context)");
            return new Refused(500, "Internal Server Error");
        }
        if (!allowed.booleanValue()) {
            return new Refused(403, "Forbidden");
        }
        return new Allowed(context == null || context.isNull() ? Map.of() : Json.MAPPER.convertValue(context, MAP));
    }

    private static String identityValue(String source, APIGatewayV2HTTPEvent route) {
        String header = "$request.header.";
        String query = "$request.querystring.";
        if (source.startsWith(header)) {
            return route.getHeaders() == null ? null : route.getHeaders().get(source.substring(header.length()));
        }
        if (source.startsWith(query)) {
            Map<String, String> parameters = route.getQueryStringParameters();
            return parameters == null ? null : parameters.get(source.substring(query.length()));
        }
        throw new IllegalStateException("identity source " + source + " is not emulated locally");
    }

    /** The payload format 2.0 authorizer event for the route's request. */
    private static Map<String, Object> event(APIGatewayV2HTTPEvent route, List<String> identity) {
        APIGatewayV2HTTPEvent.RequestContext rc = route.getRequestContext();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", rc.getHttp().getMethod());
        http.put("path", rc.getHttp().getPath());
        http.put("protocol", rc.getHttp().getProtocol());
        http.put("sourceIp", rc.getHttp().getSourceIp());
        http.put("userAgent", rc.getHttp().getUserAgent());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", rc.getAccountId());
        context.put("apiId", rc.getApiId());
        context.put("domainName", rc.getDomainName());
        context.put("domainPrefix", rc.getDomainPrefix());
        context.put("http", http);
        context.put("requestId", rc.getRequestId());
        context.put("routeKey", rc.getRouteKey());
        context.put("stage", rc.getStage());
        context.put("time", rc.getTime());
        context.put("timeEpoch", rc.getTimeEpoch());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("type", "REQUEST");
        // arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}{path}, as API Gateway writes it.
        event.put("routeArn", "arn:aws:execute-api:" + LocalContext.REGION + ":" + rc.getAccountId() + ":" + rc.getApiId()
                + "/" + rc.getStage() + "/" + rc.getHttp().getMethod() + route.getRawPath());
        event.put("identitySource", identity.isEmpty() ? null : List.copyOf(identity));
        event.put("routeKey", route.getRouteKey());
        event.put("rawPath", route.getRawPath());
        event.put("rawQueryString", route.getRawQueryString());
        if (route.getCookies() != null) {
            event.put("cookies", route.getCookies());
        }
        event.put("headers", route.getHeaders());
        if (route.getQueryStringParameters() != null) {
            event.put("queryStringParameters", route.getQueryStringParameters());
        }
        event.put("requestContext", context);
        if (route.getPathParameters() != null) {
            event.put("pathParameters", route.getPathParameters());
        }
        return event;
    }
}
