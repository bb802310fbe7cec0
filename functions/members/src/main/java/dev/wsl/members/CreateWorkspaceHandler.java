package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.domain.DisplayName;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/** {@code POST /workspaces}: creates a workspace; the caller becomes its first admin. */
public final class CreateWorkspaceHandler extends HttpApiHandler {
    private final MemberService members;

    public CreateWorkspaceHandler() {
        this(Services.members());
    }

    CreateWorkspaceHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), Set.of("name"));
        String name = DisplayName.parse("name", body.requiredString("name"));
        var created = members.workspaces().createWorkspace(request.caller(), name);
        return ApiResponse.created(Views.workspace(created.workspace(), created.grant()));
    }
}
