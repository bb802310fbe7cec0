package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code DELETE /workspaces/{workspaceId}/legacy-keys/{keyId}}: deletes the key; its seat is freed unless its holder also holds a license. */
public final class DeleteLegacyKeyHandler extends HttpApiHandler {
    private final LegacyKeyService licenses;
    private final Authorization authorization;

    public DeleteLegacyKeyHandler() {
        this(LicenseServices.legacyKeys(), LicenseServices.authorization());
    }

    DeleteLegacyKeyHandler(LegacyKeyService licenses, Authorization authorization) {
        this.licenses = licenses;
        this.authorization = authorization;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String workspaceId = request.path("workspaceId");
        licenses.deleteKey(authorization.person(request.caller(), workspaceId), workspaceId, request.path("keyId"),
                LegacyKeyService.DELETED);
        return ApiResponse.noContent();
    }
}
