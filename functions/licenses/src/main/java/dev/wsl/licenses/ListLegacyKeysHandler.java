package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /workspaces/{workspaceId}/legacy-keys}: the imported legacy keys, masked, with their assignees. */
public final class ListLegacyKeysHandler extends HttpApiHandler {
    private final LicenseService licenses;

    public ListLegacyKeysHandler() {
        this(LicenseServices.licenses());
    }

    ListLegacyKeysHandler(LicenseService licenses) {
        this.licenses = licenses;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var listed = licenses.listKeys(request.caller(), request.path("workspaceId"));
        return ApiResponse.ok(new LicenseViews.KeysView(listed.keys().stream()
                .map(k -> LicenseViews.key(k, listed.usage().get(k.keyId()))).toList()));
    }
}
