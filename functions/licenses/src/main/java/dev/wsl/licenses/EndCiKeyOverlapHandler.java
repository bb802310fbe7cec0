package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code DELETE /workspaces/{workspaceId}/ci-keys/{keyId}/previous} ("End now", {@code ci-keys:manage}): the old
 * secret a rotation kept valid stops activating at once; answers the key as it is now.
 */
public final class EndCiKeyOverlapHandler extends HttpApiHandler {
    private final CiKeyService keys;

    public EndCiKeyOverlapHandler() {
        this(LicenseServices.ciKeys());
    }

    EndCiKeyOverlapHandler(CiKeyService keys) {
        this.keys = keys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(LicenseViews.ciKey(keys.endOverlap(request.caller(), request.path("workspaceId"),
                request.path("keyId")), null));
    }
}
