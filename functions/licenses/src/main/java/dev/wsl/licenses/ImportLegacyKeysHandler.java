package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.JsonBody;
import dev.wsl.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code POST /workspaces/{workspaceId}/legacy-keys}: imports existing keys (all or none), stored hashed and shown masked. */
public final class ImportLegacyKeysHandler extends HttpApiHandler {
    private final LegacyKeyService licenses;
    private final Authorization authorization;

    public ImportLegacyKeysHandler() {
        this(LicenseServices.legacyKeys(), LicenseServices.authorization());
    }

    ImportLegacyKeysHandler(LegacyKeyService licenses, Authorization authorization) {
        this.licenses = licenses;
        this.authorization = authorization;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        if (!(JsonBody.parse(request.body(), Set.of("keys")).node("keys") instanceof JsonValue.Arr keys)) {
            throw new InvalidInput("missing-field", "Field 'keys' must be an array of {key, memberId?}.");
        }
        List<LegacyKeyService.KeyImport> imports = new ArrayList<>();
        for (JsonValue entry : keys.items()) {
            imports.add(KeyImports.parse(entry));
        }
        String workspaceId = request.path("workspaceId");
        var imported = licenses.importKeys(authorization.person(request.caller(), workspaceId), workspaceId, imports);
        return ApiResponse.created(new LicenseViews.KeysView(imported.stream().map(LicenseViews::key).toList()));
    }
}
