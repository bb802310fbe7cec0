package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /workspaces/{workspaceId}/legacy-keys}: the imported legacy keys, masked, with their assignees. */
public final class ListLegacyKeysHandler extends HttpApiHandler {
    private final LegacyKeyService licenses;
    private final Authorization authorization;

    public ListLegacyKeysHandler() {
        this(LicenseServices.legacyKeys(), LicenseServices.authorization());
    }

    ListLegacyKeysHandler(LegacyKeyService licenses, Authorization authorization) {
        this.licenses = licenses;
        this.authorization = authorization;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String workspaceId = request.path("workspaceId");
        var listed = licenses.listKeys(authorization.person(request.caller(), workspaceId), workspaceId);
        return ApiResponse.ok(new LicenseViews.KeysView(listed.keys().stream()
                .map(k -> LicenseViews.key(k, listed.usage().get(k.keyId()))).toList()));
    }
}
