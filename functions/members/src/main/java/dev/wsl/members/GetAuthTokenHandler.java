package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /me/auth-token}: the caller's personal auth token, in plaintext, for them alone. */
public final class GetAuthTokenHandler extends HttpApiHandler {
    private final AuthTokenService tokens;

    public GetAuthTokenHandler() {
        this(Services.authTokens());
    }

    GetAuthTokenHandler(AuthTokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(Views.token(tokens.view(request.caller())));
    }
}
