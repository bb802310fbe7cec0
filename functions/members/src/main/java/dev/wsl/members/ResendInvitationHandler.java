package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.json.JsonBody;
import java.util.Optional;
import java.util.Set;

/** {@code POST /workspaces/{workspaceId}/members/{memberId}/invitation}: a new link for an INVITED or REMOVED member. */
public final class ResendInvitationHandler extends HttpApiHandler {
    private final MemberService members;

    public ResendInvitationHandler() {
        this(Services.members());
    }

    ResendInvitationHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        Optional<Integer> days = Optional.empty();
        if (request.body() != null && !request.body().isBlank()) {
            days = JsonBody.parse(request.body(), Set.of("expiresInDays"))
                    .optionalInt("expiresInDays", 1, MemberService.MAX_INVITATION_DAYS);
        }
        String ws = request.path("workspaceId");
        var member = members.invitations().resend(members.person(request.caller(), ws), ws, request.path("memberId"), days);
        return ApiResponse.accepted(Views.member(member));
    }
}
