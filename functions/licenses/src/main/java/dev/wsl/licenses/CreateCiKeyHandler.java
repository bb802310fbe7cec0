package dev.wsl.licenses;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/** {@code POST /workspaces/{workspaceId}/ci-keys}: a new CI key, whose plaintext this answer shows once. */
public final class CreateCiKeyHandler extends HttpApiHandler {
    private final CiKeyService keys;

    public CreateCiKeyHandler() {
        this(LicenseServices.ciKeys());
    }

    CreateCiKeyHandler(CiKeyService keys) {
        this.keys = keys;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String name = JsonBody.parse(request.body(), Set.of("name")).requiredString("name");
        var created = keys.create(request.caller(), request.path("workspaceId"), name);
        return ApiResponse.created(LicenseViews.createdCiKey(created.credential(), created.plaintext()));
    }
}
