package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code DELETE /workspaces/{workspaceId}/legacy-keys/{keyId}}: deletes the key; its seat is freed unless its holder also holds a license. */
public final class DeleteLegacyKeyHandler extends HttpApiHandler {
    private final LicenseService licenses;

    public DeleteLegacyKeyHandler() {
        this(LicenseServices.licenses());
    }

    DeleteLegacyKeyHandler(LicenseService licenses) {
        this.licenses = licenses;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        licenses.deleteKey(request.caller(), request.path("workspaceId"), request.path("keyId"));
        return ApiResponse.noContent();
    }
}
