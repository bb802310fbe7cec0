package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code DELETE /workspaces/{workspaceId}/members/{memberId}}: the member becomes REMOVED and loses access at once. */
public final class RemoveMemberHandler extends HttpApiHandler {
    private final MemberService members;

    public RemoveMemberHandler() {
        this(Services.members());
    }

    RemoveMemberHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String workspaceId = request.path("workspaceId");
        var member = members.memberships().remove(members.person(request.caller(), workspaceId), workspaceId,
                request.path("memberId"));
        return ApiResponse.ok(Views.member(member));
    }
}
