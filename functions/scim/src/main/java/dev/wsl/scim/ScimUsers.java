package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.port.WorkspaceStore.MemberSet;
import dev.wsl.members.ProvisioningUseCases;
import dev.wsl.members.ProvisionedMembers;
import dev.wsl.scim.ScimApi.Query;
import dev.wsl.scim.ScimApi.Request;
import dev.wsl.scim.ScimApi.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SCIM Users of one workspace (its members; id = member id): create, read, replace, patch, delete and list,
 * every change through the members module's use cases as the identity provider. Thread-safe.
 */
final class ScimUsers {
    private final ProvisioningUseCases members;
    private final ScimGroups groups;
    private final IdpGroups idpGroups;
    private final WorkspaceStore workspaces;
    private final ScimPaging paging;
    private final RetryPolicy retry;

    ScimUsers(ProvisioningUseCases members, ScimGroups groups, IdpGroups idpGroups, WorkspaceStore workspaces,
              ScimPaging paging, RetryPolicy retry) {
        this.members = Objects.requireNonNull(members);
        this.groups = Objects.requireNonNull(groups);
        this.idpGroups = Objects.requireNonNull(idpGroups);
        this.workspaces = Objects.requireNonNull(workspaces);
        this.paging = Objects.requireNonNull(paging);
        this.retry = Objects.requireNonNull(retry);
    }

    /** {@code GET}, {@code PUT}, {@code PATCH} or {@code DELETE /Users/{id}}. */
    Response one(Request r, String id, String method, ScimAttributes attrs) {
        String ws = r.workspaceId();
        return switch (method) {
            case "GET" -> ScimApi.ok(attrs.apply(UserState.resource(user(ws, id), r.baseUrl())));
            case "PUT" -> {
                String memberId = user(ws, id).memberId();
                ProvisionedMembers.Provisioned wanted = UserState.fromResource(r.body()).provisioned();
                // Taking ADMIN away (active: false) may be held by the IdP's admin-loss rule (issue 17).
                yield ScimApi.ok(attrs.apply(UserState.resource(groups.holdingAdminLoss(ws, memberId,
                        "PUT /Users/" + memberId + " (active: false)",
                        () -> members.provisioning().updateProvisioned(r.principal(), ws, memberId, wanted)), r.baseUrl())));
            }
            case "PATCH" -> ScimApi.ok(attrs.apply(UserState.resource(patch(r, id), r.baseUrl())));
            default -> {
                String memberId = user(ws, id).memberId();
                groups.holdingAdminLoss(ws, memberId, "DELETE /Users/" + memberId,
                        () -> members.provisioning().deprovision(r.principal(), ws, memberId));
                idpGroups.forget(ws, id);
                yield new Response(204, null);
            }
        };
    }

    Member user(String ws, String id) {
        return members.directory().provisionedMember(ws, id);
    }

    Response create(Request r, ScimAttributes attrs) {
        UserState wanted = UserState.fromResource(r.body());
        ProvisionedMembers.ProvisionOutcome outcome = members.provisioning().provision(r.principal(), r.workspaceId(), wanted.provisioned());
        // 201 also when an existing member was adopted: it is a new SCIM resource.
        return new Response(201, attrs.apply(UserState.resource(outcome.member(), r.baseUrl())));
    }

    private Member patch(Request r, String id) {
        Member before = user(r.workspaceId(), id);
        ScimPatch patch = ScimPatch.parse(r.body());
        UserState state = UserState.of(before);
        state.apply(patch);
        return groups.holdingAdminLoss(r.workspaceId(), before.memberId(), "PATCH /Users/" + before.memberId()
                + " (active: false)", () -> members.provisioning().updateProvisioned(r.principal(), r.workspaceId(), before.memberId(),
                state.provisioned()));
    }

    /** A filter answers from lookups (0 or 1 user); no filter pages through the SCIM index. */
    ObjectNode list(Request r, Query q, ScimAttributes attrs) {
        String ws = r.workspaceId();
        if (q.filter() != null) {
            ScimFilter filter = ScimFilter.parse(q.filter());
            Optional<Member> found = findUser(ws, filter.terms().getFirst());
            List<JsonNode> resources = new ArrayList<>();
            found.filter(m -> filter.terms().stream().allMatch(t -> matches(m, t)))
                    .ifPresent(m -> resources.add(attrs.apply(UserState.resource(m, r.baseUrl()))));
            return ScimApi.list(q.startIndex() > 1 || q.count() == 0 ? List.of() : resources, q.startIndex(), resources.size());
        }
        List<Member> page = paging.page(ws, "users", q.startIndex(), q.count(),
                (limit, cursor) -> workspaces.memberSet(ws, MemberSet.SCIM_USERS, limit, cursor),
                (n, cursor) -> workspaces.skipInSet(ws, MemberSet.SCIM_USERS, n, cursor));
        long total = retry.run(() -> workspaces.scimUserCount(ws));
        List<JsonNode> resources = page.stream().map(m -> (JsonNode) attrs.apply(UserState.resource(m, r.baseUrl()))).toList();
        return ScimApi.list(resources, q.startIndex(), Math.max(total, q.startIndex() - 1 + resources.size()));
    }

    private Optional<Member> findUser(String ws, ScimFilter.Term t) {
        return switch (t.attribute()) {
            case "username" -> members.directory().findByUserName(ws, t.value());
            case "externalid" -> members.directory().findByExternalId(ws, t.value());
            case "id" -> {
                try {
                    yield Optional.of(user(ws, t.value()));
                } catch (NotFound none) {
                    yield Optional.empty();
                }
            }
            case "emails.value", "emails" -> {
                yield EmailAddress.tryParse(t.value()).flatMap(email -> members.directory().findByEmail(ws, email));
            }
            default -> throw ScimFilter.invalid("Users can be filtered by userName, externalId, id or "
                    + "emails[type eq \"work\"].value with 'eq'; '" + t.attribute() + "' is not supported.");
        };
    }

    private static boolean matches(Member m, ScimFilter.Term t) {
        UserState u = UserState.of(m);
        return switch (t.attribute()) {
            case "username" -> u.userName.equalsIgnoreCase(t.value());
            case "externalid" -> t.value().equals(u.externalId);
            case "id" -> m.memberId().equals(t.value());
            case "emails.value", "emails" -> (t.valueFilter() == null || t.valueFilter().equalsIgnoreCase(
                    u.emails.getFirst().type() == null ? "" : u.emails.getFirst().type()))
                    && m.email().value().equalsIgnoreCase(t.value().strip());
            default -> throw ScimFilter.invalid("'" + t.attribute() + "' cannot be filtered on for users.");
        };
    }
}
