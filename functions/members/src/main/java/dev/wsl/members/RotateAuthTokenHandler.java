package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.api.RotationRequest;

/**
 * {@code POST /me/auth-token/rotate}: a new personal auth token; the old one stops working at once, or with
 * {@code {"overlapHours": n}} keeps working for {@code n} hours (at most a week).
 */
public final class RotateAuthTokenHandler extends HttpApiHandler {
    private final AuthTokenService tokens;

    public RotateAuthTokenHandler() {
        this(Services.authTokens());
    }

    RotateAuthTokenHandler(AuthTokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.created(Views.token(tokens.rotate(request.caller(), RotationRequest.overlap(request))));
    }
}
