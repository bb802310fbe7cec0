package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /workspaces/{workspaceId}}: the workspace and the caller's own access in it. */
public final class GetWorkspaceHandler extends HttpApiHandler {
    private final MemberService members;

    public GetWorkspaceHandler() {
        this(Services.members());
    }

    GetWorkspaceHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String ws = request.path("workspaceId");
        var found = members.workspaces().getWorkspace(members.person(request.caller(), ws), ws);
        return ApiResponse.ok(Views.workspace(found.workspace(), found.grant()));
    }
}
