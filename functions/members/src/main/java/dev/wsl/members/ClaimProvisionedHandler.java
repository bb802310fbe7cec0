package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;

/**
 * {@code POST /me/provisioned/claim}: the caller's sign-in claims the memberships identity providers created
 * for their verified email (SCIM); each becomes ACTIVE as an accepted invitation does. The console calls it
 * once per sign-in, before listing the caller's workspaces. Answers the memberships activated now (often none).
 */
public final class ClaimProvisionedHandler extends HttpApiHandler {
    private final MemberService members;

    public ClaimProvisionedHandler() {
        this(Services.members());
    }

    ClaimProvisionedHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return ApiResponse.ok(Views.memberships(members.firstSignIn().claimProvisioned(request.caller())));
    }
}
