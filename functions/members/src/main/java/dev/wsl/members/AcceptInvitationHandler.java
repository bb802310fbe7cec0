package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/** {@code POST /invitations/accept}: the signed-in invitee accepts with the token from their link. */
public final class AcceptInvitationHandler extends HttpApiHandler {
    private final MemberService members;

    public AcceptInvitationHandler() {
        this(Services.members());
    }

    AcceptInvitationHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), Set.of("token"));
        var member = members.invitations().accept(request.caller(), body.requiredString("token"));
        return ApiResponse.ok(new Views.AcceptedView(member.workspaceId(), member.memberId(), member.status().name(),
                member.access().role().name()));
    }
}
