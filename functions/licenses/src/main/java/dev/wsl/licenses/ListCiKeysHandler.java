package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code GET /workspaces/{workspaceId}/ci-keys}: CI keys with hint, last activation and monthly counts, and each
 * key's creator as they stand now (marked when no longer an admin).
 */
public final class ListCiKeysHandler extends HttpApiHandler {
    private final CiKeyService keys;

    public ListCiKeysHandler() {
        this(LicenseServices.ciKeys());
    }

    ListCiKeysHandler(CiKeyService keys) {
        this.keys = keys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var listed = keys.list(request.caller(), request.path("workspaceId"));
        return ApiResponse.ok(new LicenseViews.CiKeysView(listed.stream()
                .map(l -> LicenseViews.ciKey(l.key(), l.usage(), l.creator())).toList()));
    }
}
