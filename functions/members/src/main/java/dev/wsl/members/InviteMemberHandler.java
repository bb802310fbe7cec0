package dev.wsl.members;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.domain.DisplayName;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.json.JsonBody;
import java.util.Set;

/** {@code POST /workspaces/{workspaceId}/members}: invites by name and email; the email leaves through the outbox (202). */
public final class InviteMemberHandler extends HttpApiHandler {
    private final MemberService members;

    public InviteMemberHandler() {
        this(Services.members());
    }

    InviteMemberHandler(MemberService members) {
        this.members = members;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        JsonBody body = JsonBody.parse(request.body(), Set.of("name", "email", "role", "permissions", "expiresInDays"));
        var command = new Invitations.InviteCommand(
                DisplayName.parse("name", body.requiredString("name")),
                EmailAddress.parse(body.requiredString("email")),
                Requests.access(body, false),
                body.optionalInt("expiresInDays", 1, MemberService.MAX_INVITATION_DAYS));
        String ws = request.path("workspaceId");
        var member = members.invitations().invite(members.person(request.caller(), ws), ws, command);
        return ApiResponse.accepted(Views.member(member));
    }
}
