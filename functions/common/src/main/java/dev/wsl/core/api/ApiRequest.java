package dev.wsl.core.api;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.failure.NotFound;
import java.util.Map;
import java.util.Optional;

/**
 * What a handler needs of an API Gateway HTTP API (payload 2.0) request, free of
 * Lambda types so that services and tests do not depend on them.
 *
 * @param caller the verified identity from the JWT authorizer's claims
 * @param body   the raw body, or {@code null} when there is none
 * @param routeKey the template's route that matched ({@code GET /workspaces/{workspaceId}}), for a function
 *                 that serves several routes; null when unknown
 */
public record ApiRequest(
        String requestId,
        Caller caller,
        Map<String, String> pathParameters,
        Map<String, String> queryParameters,
        Map<String, String> headers,
        String body,
        String routeKey) {

    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        queryParameters = queryParameters == null ? Map.of() : Map.copyOf(queryParameters);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiRequest(String requestId, Caller caller, Map<String, String> pathParameters,
                      Map<String, String> queryParameters, Map<String, String> headers, String body) {
        this(requestId, caller, pathParameters, queryParameters, headers, body, null);
    }

    /** @throws NotFound when the route did not bind the parameter */
    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null || value.isEmpty()) {
            throw new NotFound("not-found", "The path does not name a " + name + ".");
        }
        return value;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(queryParameters.get(name));
    }

    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }
}
