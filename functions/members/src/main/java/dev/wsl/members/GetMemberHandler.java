package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/** {@code GET /workspaces/{workspaceId}/members/{memberId}}: one member's details. */
public final class GetMemberHandler extends HttpApiHandler {
    private final MemberService members;

    public GetMemberHandler() {
        this(Services.members());
    }

    GetMemberHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String ws = request.path("workspaceId");
        var one = members.memberships().getMember(members.person(request.caller(), ws), ws, request.path("memberId"));
        return ApiResponse.ok(Views.member(one.member(), one.usage()));
    }
}
