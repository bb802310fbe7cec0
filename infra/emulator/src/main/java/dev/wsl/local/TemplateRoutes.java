package dev.wsl.local;

import static dev.wsl.local.TemplateDocument.asStringMap;
import static dev.wsl.local.TemplateDocument.list;
import static dev.wsl.local.TemplateDocument.optionalMap;
import static dev.wsl.local.TemplateDocument.scalarText;

import dev.wsl.local.SamTemplate.JwtConfiguration;
import dev.wsl.local.SamTemplate.LambdaAuthorizer;
import dev.wsl.local.SamTemplate.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API of the template: routes from the functions' {@code HttpApi} events, and the authorizers in front of
 * them (the JWT authorizer the routes default to, the Lambda authorizers the local gateway emulates).
 */
record TemplateRoutes(TemplateDocument doc, TemplateIntrinsics intrinsics) {

    /**
     * Routes from every {@code HttpApi} event. A route's authorizer is the one its event names in
     * {@code Auth.Authorizer} ({@code NONE}: none), else its API's {@code DefaultAuthorizer}, if any.
     */
    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (String functionId : doc.functionIds()) {
            doc.events(functionId).forEach((eventName, event) -> {
                if (!"HttpApi".equals(event.get("Type"))) {
                    return;
                }
                Map<String, Object> properties = optionalMap(event.get("Properties"), eventName);
                String method = properties.containsKey("Method")
                        ? scalarText(properties.get("Method")).toUpperCase(Locale.ROOT) : "ANY";
                String path = properties.containsKey("Path") ? scalarText(properties.get("Path")) : "$default";
                routes.add(new Route(method, path, functionId, doc.handlerClass(functionId), authorizerOf(properties)));
            });
        }
        return List.copyOf(routes);
    }

    private String authorizerOf(Map<String, Object> eventProperties) {
        Map<String, Object> auth = optionalMap(eventProperties.get("Auth"), "Auth");
        if (auth.containsKey("Authorizer")) {
            String name = scalarText(auth.get("Authorizer"));
            return "NONE".equals(name) ? null : name;
        }
        Object defaultName = apiAuth(eventProperties).get("DefaultAuthorizer");
        return defaultName == null ? null : scalarText(defaultName);
    }

    /** The {@code Auth} block of the API an event belongs to (the implicit API reads Globals). */
    private Map<String, Object> apiAuth(Map<String, Object> eventProperties) {
        Object apiId = eventProperties.get("ApiId");
        if (apiId instanceof Map<?, ?> ref && ref.get("Ref") instanceof String apiLogicalId) {
            Map<String, Object> api = doc.resourceProperties(apiLogicalId);
            return optionalMap(api.get("Auth"), "Auth");
        }
        Map<String, Object> globals = optionalMap(doc.section("Globals").get("HttpApi"), "Globals.HttpApi");
        return optionalMap(globals.get("Auth"), "Globals.HttpApi.Auth");
    }

    /**
     * The JWT authorizer that routes default to (the single {@code AWS::Serverless::HttpApi}'s
     * {@code DefaultAuthorizer}), if any. Only header identity sources are supported, which is
     * what API Gateway's JWT authorizers accept.
     */
    Optional<JwtConfiguration> jwtConfiguration(Map<String, String> refValues) {
        List<String> apis = doc.resourceIdsOfType("AWS::Serverless::HttpApi");
        Map<String, Object> auth;
        if (apis.size() == 1) {
            auth = optionalMap(doc.resourceProperties(apis.getFirst()).get("Auth"), "Auth");
        } else if (apis.isEmpty()) {
            auth = apiAuth(Map.of());
        } else {
            throw new IllegalStateException("the local gateway supports one HttpApi, found " + apis);
        }
        Object defaultName = auth.get("DefaultAuthorizer");
        if (defaultName == null) {
            return Optional.empty();
        }
        String name = scalarText(defaultName);
        Map<String, Object> authorizer = asStringMap(
                optionalMap(auth.get("Authorizers"), "Authorizers").get(name), "authorizer " + name);
        Map<String, Object> jwt = asStringMap(authorizer.get("JwtConfiguration"), "JwtConfiguration of " + name);
        String source = authorizer.containsKey("IdentitySource")
                ? scalarText(authorizer.get("IdentitySource")) : "$request.header.Authorization";
        String prefix = "$request.header.";
        if (!source.startsWith(prefix)) {
            throw new IllegalStateException("unsupported IdentitySource " + source + " of " + name);
        }
        String issuer = intrinsics.resolve(jwt.get("issuer"), refValues, "issuer of " + name);
        List<String> audiences = TemplateIntrinsics.splitList(intrinsics.resolve(jwt.get("audience"), refValues, "audience of " + name));
        return Optional.of(new JwtConfiguration(name, source.substring(prefix.length()).toLowerCase(Locale.ROOT),
                issuer, audiences));
    }

    /**
     * The Lambda authorizers of the single {@code AWS::Serverless::HttpApi}, by name. What the local
     * gateway would not run as API Gateway does is refused here, naming the authorizer: a function
     * outside this template, payload format 1.0, IAM-policy responses, identity sources other than
     * headers and query strings.
     */
    Map<String, LambdaAuthorizer> lambdaAuthorizers() {
        List<String> apis = doc.resourceIdsOfType("AWS::Serverless::HttpApi");
        if (apis.isEmpty()) {
            return Map.of();
        }
        if (apis.size() > 1) {
            throw new IllegalStateException("the local gateway supports one HttpApi, found " + apis);
        }
        Map<String, Object> auth = optionalMap(doc.resourceProperties(apis.getFirst()).get("Auth"), "Auth");
        Map<String, LambdaAuthorizer> authorizers = new LinkedHashMap<>();
        optionalMap(auth.get("Authorizers"), "Authorizers").forEach((name, declaration) -> {
            Map<String, Object> a = asStringMap(declaration, "authorizer " + name);
            if (a.containsKey("JwtConfiguration")) {
                return;
            }
            String where = "Lambda authorizer " + name;
            if (!"2.0".equals(a.containsKey("AuthorizerPayloadFormatVersion")
                    ? scalarText(a.get("AuthorizerPayloadFormatVersion")) : null)) {
                throw new IllegalArgumentException(where + ": only AuthorizerPayloadFormatVersion 2.0 is emulated locally");
            }
            if (!Boolean.parseBoolean(scalarText(a.getOrDefault("EnableSimpleResponses", false)))) {
                throw new IllegalArgumentException(where + ": only simple responses (EnableSimpleResponses: true)"
                        + " are emulated locally");
            }
            Map<String, Object> identity = optionalMap(a.get("Identity"), where + " Identity");
            List<String> sources = new ArrayList<>();
            identity.forEach((key, value) -> {
                switch (key) {
                    case "Headers" -> list(value, where + " Identity.Headers").forEach(h ->
                            sources.add("$request.header." + scalarText(h).toLowerCase(Locale.ROOT)));
                    case "QueryStrings" -> list(value, where + " Identity.QueryStrings").forEach(q ->
                            sources.add("$request.querystring." + scalarText(q)));
                    case "ReauthorizeEvery" -> { }
                    default -> throw new IllegalArgumentException(where + ": Identity." + key + " is not emulated locally");
                }
            });
            long ttl = identity.containsKey("ReauthorizeEvery") ? Long.parseLong(scalarText(identity.get("ReauthorizeEvery"))) : 0;
            if (ttl < 0 || ttl > 3600 || ttl > 0 && sources.isEmpty()) {
                throw new IllegalArgumentException(where + ": ReauthorizeEvery is 0 to 3600, and caching needs identity sources");
            }
            authorizers.put(name, new LambdaAuthorizer(name, authorizerFunction(a.get("FunctionArn"), where), sources,
                    Duration.ofSeconds(ttl)));
        });
        return Map.copyOf(authorizers);
    }

    /** The function of {@code FunctionArn}: {@code !GetAtt F.Arn} or {@code !Ref F.Alias} (the published alias). */
    private String authorizerFunction(Object functionArn, String where) {
        String id = null;
        if (functionArn instanceof Map<?, ?> m && m.size() == 1) {
            if (m.get("Fn::GetAtt") instanceof List<?> parts && parts.size() == 2 && "Arn".equals(parts.get(1))) {
                id = String.valueOf(parts.get(0));
            } else if (m.get("Ref") instanceof String ref && ref.endsWith(".Alias")) {
                id = ref.substring(0, ref.length() - ".Alias".length());
            }
        }
        if (id == null || !doc.functionIds().contains(id)) {
            throw new IllegalArgumentException(where + ": FunctionArn must name a function of this template"
                    + " (!GetAtt Function.Arn or !Ref Function.Alias) to run locally, found " + functionArn);
        }
        return id;
    }
}
