package dev.wsl.scim;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The admins' side of SCIM, behind the JWT authorizer (one function for its six routes, which share
 * their collaborators): the workspace's SCIM token ({@code GET|POST|DELETE /workspaces/{workspaceId}/scim/token})
 * and the changes the mass-revocation guard holds ({@code GET …/scim/changes},
 * {@code POST …/scim/changes/{changeId}/confirm|discard}). Admins only.
 */
public final class ScimAdminHandler extends HttpApiHandler {
    private final ScimTokenService tokens;
    private final ScimGroups groups;

    public ScimAdminHandler() {
        this(ScimServices.tokens(), ScimServices.groups());
    }

    ScimAdminHandler(ScimTokenService tokens, ScimGroups groups) {
        this.tokens = tokens;
        this.groups = groups;
    }

    /**
     * The token as the Provisioning page shows it: {@code status} ACTIVE or STOPPED; a stopped one says why
     * ({@code stopped.reason}: {@code creator-removed} or {@code creator-not-admin}), whose authority it carried
     * ({@code stopped.creator}), who made the change ({@code stopped.by}) and when.
     */
    record TokenView(String hint, String createdAt, String createdBy, String createdByEmail, String lastUsedAt,
                     String baseUrl, String status, StoppedView stopped) {}

    record StoppedView(String at, String reason, String creator, String by) {}

    record CreatedTokenView(String token, String hint, String createdAt, String baseUrl, String note) {}

    record ChangeView(String id, String groupId, String groupName, List<String> remove, List<String> add,
                      String request, String requestedAt, String requestedBy, String status, String closedAt,
                      String closedBy) {}

    record ChangesView(List<ChangeView> items) {}

    record ConfirmedView(ChangeView change, int added, int removed, Map<String, String> notApplied) {}

    @Override
    protected ApiResponse handle(ApiRequest request) {
        String ws = request.path("workspaceId");
        String base = request.header("x-forwarded-proto").orElse("https") + "://"
                + request.header("host").orElse("localhost") + "/scim/v2";
        return switch (request.routeKey() == null ? "" : request.routeKey()) {
            case "GET /workspaces/{workspaceId}/scim/token" -> {
                ScimToken t = tokens.view(request.caller(), ws);
                ScimToken.Stopped s = t.stopped();
                yield ApiResponse.ok(new TokenView(t.hint(), iso(t.createdAt()), t.createdBy(), t.createdByEmail(),
                        iso(t.lastUsedAt()), base, s == null ? "ACTIVE" : "STOPPED", s == null ? null
                        : new StoppedView(iso(s.at()), s.reason() == ScimToken.Reason.CREATOR_REMOVED
                                ? "creator-removed" : "creator-not-admin", s.creator(), s.by().email())));
            }
            case "POST /workspaces/{workspaceId}/scim/token" -> {
                ScimTokenService.Created c = tokens.regenerate(request.caller(), ws);
                yield ApiResponse.created(new CreatedTokenView(c.plaintext(), c.token().hint(),
                        iso(c.token().createdAt()), base, "This is the only time the token is shown: paste it into "
                        + "your identity provider's SCIM settings with the base URL. Any earlier token stopped working."));
            }
            case "DELETE /workspaces/{workspaceId}/scim/token" -> {
                tokens.revoke(request.caller(), ws);
                yield ApiResponse.noContent();
            }
            case "GET /workspaces/{workspaceId}/scim/changes" -> ApiResponse.ok(new ChangesView(
                    groups.pending(request.caller(), ws).stream().map(ScimAdminHandler::change).toList()));
            case "POST /workspaces/{workspaceId}/scim/changes/{changeId}/confirm" -> {
                ScimGroups.Confirmed c = groups.confirm(request.caller(), ws, request.path("changeId"));
                yield ApiResponse.ok(new ConfirmedView(change(c.change()), c.added(), c.removed(), c.notApplied()));
            }
            case "POST /workspaces/{workspaceId}/scim/changes/{changeId}/discard" ->
                    ApiResponse.ok(change(groups.discard(request.caller(), ws, request.path("changeId"))));
            default -> throw new NotFound("not-found", "No such route.");
        };
    }

    private static ChangeView change(PendingChange c) {
        return new ChangeView(c.changeId(), c.groupId(), c.groupName(), c.remove(), c.add(), c.request(),
                iso(c.requestedAt()), c.requestedBy(), c.status().name(), iso(c.closedAt()), c.closedBy());
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
