package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/**
 * Where the caller's auth token activates (one function for its two routes): {@code GET /me/auth-token/workspaces}
 * shows the caller's workspaces, which license the token, the choice and where activations go now;
 * {@code PUT /me/auth-token/workspace} with {@code {"workspaceId"}} chooses one of the caller's workspaces.
 */
public final class TokenWorkspaceHandler extends HttpApiHandler {
    private final TokenWorkspaceService tokens;

    public TokenWorkspaceHandler() {
        this(Services.tokenWorkspaces());
    }

    TokenWorkspaceHandler(TokenWorkspaceService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return switch (request.routeKey() == null ? "" : request.routeKey()) {
            case "GET /me/auth-token/workspaces" -> ApiResponse.ok(Views.tokenChoice(tokens.view(request.caller())));
            case "PUT /me/auth-token/workspace" -> {
                String ws = JsonBody.parse(request.body(), Set.of("workspaceId")).requiredString("workspaceId");
                yield ApiResponse.ok(Views.tokenChoice(tokens.choose(request.caller(), ws)));
            }
            default -> throw new NotFound("not-found", "No such route.");
        };
    }
}
