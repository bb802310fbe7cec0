package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/** {@code PUT /workspaces/{workspaceId}/legacy-keys/{keyId}/assignee}: gives the key to a member, or to nobody with {@code {"memberId": null}}. */
public final class AssignLegacyKeyHandler extends HttpApiHandler {
    private final LicenseService licenses;

    public AssignLegacyKeyHandler() {
        this(LicenseServices.licenses());
    }

    AssignLegacyKeyHandler(LicenseService licenses) {
        this.licenses = licenses;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), Set.of("memberId"));
        var key = licenses.assignKey(request.caller(), request.path("workspaceId"), request.path("keyId"),
                body.optionalString("memberId").orElse(null));
        return ApiResponse.ok(LicenseViews.key(key));
    }
}
