package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.local.SamTemplate.Route;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP API of the template, in-process: route matching, the JWT authorizer, Lambda authorizers
 * ({@link LambdaAuthorizers}), the payload format 2.0 event, and API Gateway's own answers (404,
 * 401, 403, 500) when a request never reaches a function or the function fails. Thread-safe:
 * requests may be dispatched in parallel.
 */
public final class LocalGateway {

    static final String API_ID = "local";

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<CompiledRoute> routes;
    private final JwtAuthorizer authorizer;
    private final LambdaAuthorizers lambdaAuthorizers;
    private final FunctionInvoker functions;
    private final Clock clock;

    /** @param authorizer null only if no route is behind the JWT authorizer */
    LocalGateway(SamTemplate template, JwtAuthorizer authorizer, FunctionInvoker functions, Clock clock) {
        this.routes = template.routes().stream().map(CompiledRoute::new).toList();
        this.authorizer = authorizer;
        this.lambdaAuthorizers = new LambdaAuthorizers(template.lambdaAuthorizers(), functions, clock);
        this.functions = functions;
        this.clock = clock;
        if (authorizer == null && routes.stream().anyMatch(r -> r.route.authorized()
                && !lambdaAuthorizers.handles(r.route.authorizer()))) {
            throw new IllegalArgumentException("the template has authorized routes but no JWT authorizer was given");
        }
    }

    /** The routes served, in template order. */
    public List<Route> routes() {
        return routes.stream().map(r -> r.route).toList();
    }

    public APIGatewayV2HTTPResponse dispatch(String method, String rawPath, String rawQuery,
                                             Map<String, String> headers, String body) {
        return dispatch(method, rawPath, rawQuery, headers, body, "127.0.0.1");
    }

    /**
     * Handles one request as API Gateway would.
     *
     * @param rawPath  the path as sent, still percent-encoded
     * @param rawQuery the query string without {@code ?}, or null/empty
     * @param headers  request headers; names are matched case-insensitively
     */
    public APIGatewayV2HTTPResponse dispatch(String method, String rawPath, String rawQuery,
                                             Map<String, String> headers, String body, String sourceIp) {
        String requestId = newRequestId();
        Map<String, String> lowerHeaders = lowerCase(headers);
        Optional<Match> match = match(method.toUpperCase(Locale.ROOT), rawPath);
        if (match.isEmpty()) {
            return gatewayAnswer(404, "Not Found", requestId, Map.of());
        }
        Route route = match.get().route();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorization = null;
        boolean lambdaAuthorized = lambdaAuthorizers.handles(route.authorizer());
        if (route.authorized() && !lambdaAuthorized) {
            switch (authorizer.authorize(lowerHeaders)) {
                case JwtAuthorizer.Denied denied -> {
                    return gatewayAnswer(401, "Unauthorized", requestId, Map.of("www-authenticate", denied.wwwAuthenticate()));
                }
                case JwtAuthorizer.Allowed allowed -> authorization = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(allowed.claims()).withScopes(allowed.scopes()).build())
                        .build();
            }
        }
        APIGatewayV2HTTPEvent event = event(method.toUpperCase(Locale.ROOT), rawPath, rawQuery, lowerHeaders, body,
                sourceIp, requestId, route, match.get().pathParameters(), authorization);
        if (lambdaAuthorized) {
            switch (lambdaAuthorizers.authorize(route.authorizer(), event)) {
                case LambdaAuthorizers.Refused refused -> {
                    return gatewayAnswer(refused.status(), refused.message(), requestId, Map.of());
                }
                case LambdaAuthorizers.Allowed allowed -> event.getRequestContext().setAuthorizer(
                        APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(allowed.context()).build());
            }
        }
        APIGatewayV2HTTPResponse response;
        try {
            response = functions.invoke(route.functionLogicalId(), event, requestId);
        } catch (Exception | LinkageError e) {
            // Lambda reports the failure and API Gateway hides it behind a 500; keep the trace for the developer.
            System.err.println("[" + route.functionLogicalId() + " " + requestId + "] " + route.routeKey() + " failed:");
            e.printStackTrace(System.err);
            return gatewayAnswer(500, "Internal Server Error", requestId, Map.of());
        }
        if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            System.err.println("[" + route.functionLogicalId() + " " + requestId + "] " + route.routeKey()
                    + " returned no valid statusCode: " + response);
            return gatewayAnswer(500, "Internal Server Error", requestId, Map.of());
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            responseHeaders.putAll(response.getHeaders());
        }
        responseHeaders.putIfAbsent("apigw-requestid", requestId);
        response.setHeaders(responseHeaders);
        return response;
    }

    // ------------------------------------------------------------------ routing

    private record Match(Route route, Map<String, String> pathParameters) {}

    /** A route template split into segments; {@code {name}} matches one segment, {@code {name+}} the rest. */
    private static final class CompiledRoute {
        final Route route;
        final String[] segments;

        CompiledRoute(Route route) {
            this.route = route;
            this.segments = "$default".equals(route.pathTemplate()) ? null : split(route.pathTemplate());
        }

        /** Path parameters (decoded) if the path matches, else null. */
        Map<String, String> match(String[] path) {
            if (segments == null) {
                return Map.of();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                boolean variable = s.startsWith("{") && s.endsWith("}");
                if (variable && s.endsWith("+}")) {
                    if (i >= path.length) {
                        return null;
                    }
                    List<String> rest = new ArrayList<>();
                    for (int j = i; j < path.length; j++) {
                        rest.add(decodePathSegment(path[j]));
                    }
                    parameters.put(s.substring(1, s.length() - 2), String.join("/", rest));
                    return parameters;
                }
                if (i >= path.length) {
                    return null;
                }
                if (variable) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    parameters.put(s.substring(1, s.length() - 1), decodePathSegment(path[i]));
                } else if (!s.equals(path[i])) {
                    return null;
                }
            }
            return segments.length == path.length ? parameters : null;
        }

        /**
         * Higher is more specific, as API Gateway prefers: literal segments over variables over a
         * greedy variable, an exact method over ANY, anything over {@code $default}.
         */
        long specificity() {
            if (segments == null) {
                return Long.MIN_VALUE;
            }
            long score = 0;
            for (String s : segments) {
                score = score * 3 + (s.endsWith("+}") ? 0 : s.startsWith("{") ? 1 : 2);
            }
            return score * 2 + ("ANY".equals(route.method()) ? 0 : 1);
        }
    }

    private Optional<Match> match(String method, String rawPath) {
        String[] path = split(rawPath);
        CompiledRoute best = null;
        Map<String, String> bestParameters = null;
        for (CompiledRoute candidate : routes) {
            if (!candidate.route.method().equals(method) && !"ANY".equals(candidate.route.method())) {
                continue;
            }
            Map<String, String> parameters = candidate.match(path);
            if (parameters != null && (best == null || candidate.specificity() > best.specificity())) {
                best = candidate;
                bestParameters = parameters;
            }
        }
        return best == null ? Optional.empty() : Optional.of(new Match(best.route, bestParameters));
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** Percent-decoding only: in a path, {@code +} is a plus, not a space. */
    private static String decodePathSegment(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length()
                    && hex(segment.charAt(i + 1)) >= 0 && hex(segment.charAt(i + 2)) >= 0) {
                bytes.write(hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2)));
                i += 2;
            } else {
                // a surrogate pair is written as two halves: keep them together
                int end = Character.isHighSurrogate(c) && i + 1 < segment.length() ? i + 2 : i + 1;
                bytes.writeBytes(segment.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    // ------------------------------------------------------------------ the event

    private APIGatewayV2HTTPEvent event(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                        String body, String sourceIp, String requestId, Route route,
                                        Map<String, String> pathParameters,
                                        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer) {
        Instant now = clock.instant();
        Map<String, String> eventHeaders = new LinkedHashMap<>(headers);
        // Payload 2.0 moves cookies out of the headers into their own list.
        String cookieHeader = eventHeaders.remove("cookie");
        List<String> cookies = cookieHeader == null ? null
                : List.of(cookieHeader.split(";\\s*")).stream().filter(c -> !c.isBlank()).toList();
        eventHeaders.putIfAbsent("x-forwarded-for", sourceIp);
        eventHeaders.putIfAbsent("x-forwarded-proto", "http");
        eventHeaders.putIfAbsent("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + hexId(12));
        String host = eventHeaders.getOrDefault("host", "localhost");
        String domainName = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        String domainPrefix = domainName.chars().allMatch(c -> Character.isDigit(c) || c == '.')
                ? domainName : domainName.split("\\.", 2)[0];
        String query = rawQuery == null ? "" : rawQuery;

        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId(LocalContext.ACCOUNT_ID)
                .withApiId(API_ID)
                .withDomainName(domainName)
                .withDomainPrefix(domainPrefix)
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(rawPath)
                        .withProtocol("HTTP/1.1")
                        .withSourceIp(sourceIp)
                        .withUserAgent(eventHeaders.getOrDefault("user-agent", ""))
                        .build())
                .withRequestId(requestId)
                .withRouteKey(route.routeKey())
                .withStage("$default")
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .withAuthorizer(authorizer)
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(query)
                .withCookies(cookies)
                .withHeaders(eventHeaders)
                .withQueryStringParameters(queryParameters(query))
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body == null || body.isEmpty() ? null : body)
                .withIsBase64Encoded(false)
                .withRequestContext(context)
                .build();
    }

    /** Decoded query parameters; repeated names are joined with commas, as API Gateway does. */
    private static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> lower.merge(name.toLowerCase(Locale.ROOT), Objects.requireNonNullElse(value, ""),
                    (a, b) -> a + "," + b));
        }
        return lower;
    }

    private static APIGatewayV2HTTPResponse gatewayAnswer(int status, String message, String requestId,
                                                          Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("apigw-requestid", requestId);
        headers.putAll(extraHeaders);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(Json.write(Map.of("message", message)))
                .withIsBase64Encoded(false)
                .build();
    }

    /** Shaped like API Gateway's ids (e.g. {@code Mc7UVioPPHcEKPA=}). */
    private static String newRequestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).replace('+', 'A').replace('/', 'B');
    }

    private static String hexId(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        StringBuilder hex = new StringBuilder();
        for (byte b : random) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
