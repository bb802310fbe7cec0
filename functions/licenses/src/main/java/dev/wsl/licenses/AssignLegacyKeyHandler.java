package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/** {@code PUT /workspaces/{workspaceId}/legacy-keys/{keyId}/assignee}: gives the key to a member, or to nobody with {@code {"memberId": null}}. */
public final class AssignLegacyKeyHandler extends HttpApiHandler {
    private final LegacyKeyService licenses;
    private final Authorization authorization;

    public AssignLegacyKeyHandler() {
        this(LicenseServices.legacyKeys(), LicenseServices.authorization());
    }

    AssignLegacyKeyHandler(LegacyKeyService licenses, Authorization authorization) {
        this.licenses = licenses;
        this.authorization = authorization;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), Set.of("memberId"));
        String workspaceId = request.path("workspaceId");
        var key = licenses.assignKey(authorization.person(request.caller(), workspaceId), workspaceId,
                request.path("keyId"), body.optionalString("memberId").orElse(null));
        return ApiResponse.ok(LicenseViews.key(key));
    }
}
