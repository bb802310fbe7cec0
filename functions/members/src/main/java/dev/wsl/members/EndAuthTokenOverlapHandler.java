package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code DELETE /me/auth-token/previous} ("End now"): the token a rotation kept valid for an overlap stops working
 * at once; 204 also when there is none (the overlap ran out or was ended).
 */
public final class EndAuthTokenOverlapHandler extends HttpApiHandler {
    private final AuthTokenService tokens;

    public EndAuthTokenOverlapHandler() {
        this(Services.authTokens());
    }

    EndAuthTokenOverlapHandler(AuthTokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        tokens.endOverlap(request.caller());
        return ApiResponse.noContent();
    }
}
