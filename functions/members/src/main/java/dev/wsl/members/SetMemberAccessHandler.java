package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/** {@code PUT /workspaces/{workspaceId}/members/{memberId}/access}: sets a role, or MEMBER with advanced permissions. */
public final class SetMemberAccessHandler extends HttpApiHandler {
    private final MemberService members;

    public SetMemberAccessHandler() {
        this(Services.members());
    }

    SetMemberAccessHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), Set.of("role", "permissions"));
        String workspaceId = request.path("workspaceId");
        var member = members.memberships().setAccess(members.person(request.caller(), workspaceId), workspaceId,
                request.path("memberId"), Requests.access(body, true));
        return ApiResponse.ok(Views.member(member));
    }
}
