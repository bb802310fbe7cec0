package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code POST /workspaces/{workspaceId}/members/{memberId}/allow-provisioning}: the identity provider may bring
 * back a member a person removed (console: "Allow Provisioning Again" on the member's details). Authorized like a
 * removal; the member stays REMOVED until the identity provider provisions them, as a MEMBER holding nothing.
 */
public final class AllowProvisioningHandler extends HttpApiHandler {
    private final MemberService members;

    public AllowProvisioningHandler() {
        this(Services.members());
    }

    AllowProvisioningHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String workspaceId = request.path("workspaceId");
        var member = members.memberships().allowProvisioning(members.person(request.caller(), workspaceId), workspaceId,
                request.path("memberId"));
        return ApiResponse.ok(Views.member(member));
    }
}
