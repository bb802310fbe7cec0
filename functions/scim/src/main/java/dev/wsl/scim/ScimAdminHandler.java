package dev.wsl.scim;

import dev.wsl.core.api.ApiRequest;
import dev.wsl.core.api.ApiResponse;
import dev.wsl.core.api.HttpApiHandler;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.json.JsonBody;
import java.util.Set;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The admins' side of SCIM, behind the JWT authorizer (one function for its routes, which share
 * their collaborators): the workspace's SCIM token ({@code GET|POST|DELETE /workspaces/{workspaceId}/scim/token}),
 * the changes the mass-revocation guard holds ({@code GET …/scim/changes},
 * {@code POST …/scim/changes/{changeId}/confirm|discard}), and the groups the identity provider created with
 * their mapping ({@code GET …/scim/groups}, {@code PUT …/scim/groups/{groupId}/mapping}). Admins only.
 */
public final class ScimAdminHandler extends HttpApiHandler {
    private final ScimTokenService tokens;
    private final ScimGroups groups;
    private final IdpGroups idpGroups;

    public ScimAdminHandler() {
        this(ScimServices.tokens(), ScimServices.groups(), ScimServices.idpGroups());
    }

    ScimAdminHandler(ScimTokenService tokens, ScimGroups groups, IdpGroups idpGroups) {
        this.tokens = tokens;
        this.groups = groups;
        this.idpGroups = idpGroups;
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
                      String closedBy, String mapTo) {}

    /** An IdP group as the console's Provisioning page shows it; {@code target} null: not mapped. */
    record IdpGroupView(String id, String displayName, String externalId, long members, String target,
                        String subscriptionId, String targetName, String createdAt, String modifiedAt) {}

    record TargetView(String target, String subscriptionId, String name) {}

    record IdpGroupsView(List<IdpGroupView> items, String nextCursor, List<TargetView> targets) {}

    record MappedView(IdpGroupView group, int added, int removed, Map<String, String> notApplied) {}

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
                var c = tokens.regenerate(request.caller(), ws);
                yield ApiResponse.created(new CreatedTokenView(c.plaintext(), c.credential().hint(),
                        iso(c.credential().createdAt()), base, "This is the only time the token is shown: paste it into "
                        + "your identity provider's SCIM settings with the base URL. Any earlier token stopped working."));
            }
            case "DELETE /workspaces/{workspaceId}/scim/token" -> {
                tokens.revoke(request.caller(), ws);
                yield ApiResponse.noContent();
            }
            case "GET /workspaces/{workspaceId}/scim/changes" -> ApiResponse.ok(new ChangesView(
                    groups.held().pending(request.caller(), ws).stream().map(ScimAdminHandler::change).toList()));
            case "POST /workspaces/{workspaceId}/scim/changes/{changeId}/confirm" -> {
                HeldChanges.Confirmed c = groups.held().confirm(request.caller(), ws, request.path("changeId"),
                        held -> IdpGroupMappings.isMapping(held) ? idpGroups.mappings().confirmMapping(request.caller(), ws, held) : null);
                yield ApiResponse.ok(new ConfirmedView(change(c.change()), c.added(), c.removed(), c.notApplied()));
            }
            case "GET /workspaces/{workspaceId}/scim/groups" -> {
                var page = idpGroups.mappings().list(request.caller(), ws, request.query("limit").map(ScimAdminHandler::limit)
                        .orElse(50), request.query("cursor").orElse(null));
                List<ScimGroups.Group> targets = idpGroups.mappings().targets(ws);
                yield ApiResponse.ok(new IdpGroupsView(page.items().stream().map(g -> view(g, targets)).toList(),
                        page.nextCursor(), targets.stream().map(t -> new TargetView(kind(IdpGroupMappings.mappingOf(t)),
                        t.subscriptionId(), t.displayName())).toList()));
            }
            case "PUT /workspaces/{workspaceId}/scim/groups/{groupId}/mapping" -> {
                JsonBody body = JsonBody.parse(request.body(), Set.of("target", "subscriptionId"));
                String mapping = switch (body.requiredString("target")) {
                    case "none" -> null;
                    case "admins" -> ScimGroup.ADMINS;
                    case "members" -> ScimGroup.MEMBERS;
                    case "license" -> ScimGroup.license(body.optionalString("subscriptionId").orElseThrow(() ->
                            new InvalidInput("invalid-field", "A license target needs the subscriptionId.")));
                    default -> throw new InvalidInput("invalid-field", "target must be none, admins, members or license.");
                };
                IdpGroupMappings.Mapped m = idpGroups.mappings().map(request.caller(), ws, request.path("groupId"), mapping);
                yield ApiResponse.ok(new MappedView(view(m.group(), idpGroups.mappings().targets(ws)), m.added(), m.removed(),
                        m.notApplied()));
            }
            case "POST /workspaces/{workspaceId}/scim/changes/{changeId}/discard" ->
                    ApiResponse.ok(change(groups.held().discard(request.caller(), ws, request.path("changeId"))));
            default -> throw new NotFound("not-found", "No such route.");
        };
    }

    private static ChangeView change(PendingChange c) {
        return new ChangeView(c.changeId(), c.groupId(), c.groupName(), c.remove(), c.add(), c.request(),
                iso(c.requestedAt()), c.requestedBy(), c.status().name(), iso(c.closedAt()), c.closedBy(),
                IdpGroupMappings.isMapping(c) ? c.followUp().substring(PendingChange.MAP_PREFIX.length()) : null);
    }

    private static IdpGroupView view(ScimGroup g, List<ScimGroups.Group> targets) {
        String name = targets.stream().filter(t -> IdpGroupMappings.mappingOf(t).equals(g.mapping())).findFirst()
                .map(ScimGroups.Group::displayName).orElse(g.mapping() == null ? null : g.mapping());
        return new IdpGroupView(g.groupId(), g.displayName(), g.externalId(), g.memberCount(), kind(g.mapping()),
                g.mappedSubscription(), name, iso(g.createdAt()), iso(g.modifiedAt()));
    }

    /** The API's word for a mapping: admins, members or license (with its subscriptionId beside it). */
    private static String kind(String mapping) {
        return mapping == null ? null : mapping.startsWith(ScimGroup.LICENSE_PREFIX) ? "license" : mapping;
    }

    private static int limit(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new InvalidInput("invalid-field", "limit must be 1 to 100.");
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
