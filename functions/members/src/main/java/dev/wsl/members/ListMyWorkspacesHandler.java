package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /me/workspaces}: the caller's workspaces (ACTIVE memberships), each with their role and permissions. */
public final class ListMyWorkspacesHandler extends HttpApiHandler {
    private final MemberService members;

    public ListMyWorkspacesHandler() {
        this(Services.members());
    }

    ListMyWorkspacesHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(Views.memberships(members.workspaces().workspacesOf(request.caller())));
    }
}
