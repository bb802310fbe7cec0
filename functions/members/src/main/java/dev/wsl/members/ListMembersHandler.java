package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /workspaces/{workspaceId}/members}: members page by page; REMOVED only with {@code includeRemoved=true}. */
public final class ListMembersHandler extends HttpApiHandler {
    private final MemberService members;

    public ListMembersHandler() {
        this(Services.members());
    }

    ListMembersHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var listed = members.listMembers(request.caller(), request.path("workspaceId"),
                Requests.flag(request, "includeRemoved"), Requests.limit(request), request.query("cursor").orElse(null));
        return ApiResponse.ok(Views.page(listed.page(), m -> Views.member(m, listed.usage().get(m.memberId()))));
    }
}
