package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code DELETE /workspaces/{workspaceId}/ci-keys/{keyId}}: revokes a CI key; its next activation fails. */
public final class RevokeCiKeyHandler extends HttpApiHandler {
    private final CiKeyService keys;

    public RevokeCiKeyHandler() {
        this(LicenseServices.ciKeys());
    }

    RevokeCiKeyHandler(CiKeyService keys) {
        this.keys = keys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var revoked = keys.revoke(request.caller(), request.path("workspaceId"), request.path("keyId"));
        return ApiResponse.ok(LicenseViews.ciKey(revoked, null));
    }
}
