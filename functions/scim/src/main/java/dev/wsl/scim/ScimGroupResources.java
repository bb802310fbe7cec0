package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.port.WorkspaceStore.MemberSet;
import dev.wsl.members.ProvisioningUseCases;
import dev.wsl.scim.ScimApi.Query;
import dev.wsl.scim.ScimApi.Request;
import dev.wsl.scim.ScimApi.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The SCIM Groups of one workspace: the fixed groups ({@link ScimGroups}) and the groups identity providers
 * create ({@link IdpGroups}), read, changed and listed as one resource type. Thread-safe.
 */
final class ScimGroupResources {
    private final ProvisioningUseCases members;
    private final ScimGroups groups;
    private final IdpGroups idpGroups;
    private final WorkspaceStore workspaces;
    private final ScimStore scim;
    private final ScimPaging paging;
    private final RetryPolicy retry;

    ScimGroupResources(ProvisioningUseCases members, ScimGroups groups, IdpGroups idpGroups, WorkspaceStore workspaces,
                       ScimStore scim, ScimPaging paging, RetryPolicy retry) {
        this.members = Objects.requireNonNull(members);
        this.groups = Objects.requireNonNull(groups);
        this.idpGroups = Objects.requireNonNull(idpGroups);
        this.workspaces = Objects.requireNonNull(workspaces);
        this.scim = Objects.requireNonNull(scim);
        this.paging = Objects.requireNonNull(paging);
        this.retry = Objects.requireNonNull(retry);
    }

    /** A fixed group or an IdP group. */
    private record AnyGroup(ScimGroups.Group fixed, ScimGroup idp) {
        String id() {
            return fixed != null ? fixed.id() : idp.groupId();
        }
    }

    private AnyGroup anyGroup(String ws, String id) {
        return IdpGroups.isIdpGroupId(id) ? new AnyGroup(null, idpGroups.group(ws, id))
                : new AnyGroup(groups.group(ws, id), null);
    }

    Response one(Request r, String id, String method, ScimAttributes attrs) {
        String ws = r.workspaceId();
        AnyGroup g = anyGroup(ws, id);
        return switch (method) {
            case "GET" -> ScimApi.ok(groupResource(ws, g, attrs, ScimApi.memberPage(r), r.baseUrl()));
            case "DELETE" -> {
                if (g.fixed() != null) {
                    throw new Forbidden("fixed-groups", "The role groups and the subscriptions' license groups cannot "
                            + "be deleted; remove their members instead.");
                }
                idpGroups.delete(ws, g.idp());
                yield new Response(204, null);
            }
            case "PATCH" -> g.fixed() != null ? patchFixedGroup(r, g.fixed()) : patchIdpGroup(r, g.idp(), attrs);
            default -> g.fixed() != null ? replaceFixedGroup(r, g.fixed(), attrs) : replaceIdpGroup(r, g.idp(), attrs);
        };
    }

    Response create(Request r, ScimAttributes attrs) {
        JsonNode body = r.body();
        if (body == null || !body.isObject()) {
            throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-syntax", "The body must be a SCIM Group object.");
        }
        ScimGroup g = idpGroups.create(r.workspaceId(), ScimJson.text(ScimJson.get(body, "displayName"), "displayName"),
                ScimJson.text(ScimJson.get(body, "externalId"), "externalId"), GroupRequests.ids(ScimJson.get(body, "members")));
        return new Response(201, groupResource(r.workspaceId(), new AnyGroup(null, g), attrs,
                new Query(null, 1, IdpGroups.MAX_MEMBERS_SHOWN), r.baseUrl()));
    }

    private Response patchFixedGroup(Request r, ScimGroups.Group g) {
        String ws = r.workspaceId();
        ScimPatch patch = ScimPatch.parse(r.body());
        List<Member> everyone = GroupRequests.needsCurrent(patch) ? members.directory().allMembers(ws) : null;
        Set<String> current = new HashSet<>();
        if (everyone != null) {
            everyone.stream().filter(g::contains).forEach(m -> current.add(m.memberId()));
        }
        GroupRequests.Wanted wanted = GroupRequests.fromPatch(g, patch, current);
        changeFixedGroup(ws, g, wanted, everyone);
        return new Response(204, null);
    }

    private Response replaceFixedGroup(Request r, ScimGroups.Group g, ScimAttributes attrs) {
        String ws = r.workspaceId();
        GroupRequests.Wanted wanted = GroupRequests.fromReplacement(g, r.body());
        List<Member> everyone = members.directory().allMembers(ws);
        everyone.stream().filter(g::contains).forEach(m -> wanted.members.putIfAbsent(m.memberId(), false));
        changeFixedGroup(ws, g, wanted, everyone);
        return ScimApi.ok(groupResource(ws, new AnyGroup(g, null), attrs, new Query(null, 1, IdpGroups.MAX_MEMBERS_SHOWN),
                r.baseUrl()));
    }

    private void changeFixedGroup(String ws, ScimGroups.Group g, GroupRequests.Wanted wanted, List<Member> everyone) {
        Map<String, Member> known;
        if (everyone != null) {
            known = new java.util.HashMap<>();
            everyone.forEach(m -> known.put(m.memberId(), m));
            List<String> missing = wanted.members.keySet().stream().filter(id -> !known.containsKey(id)).toList();
            known.putAll(members.directory().membersById(ws, missing));
        } else {
            known = members.directory().membersById(ws, wanted.members.keySet());
        }
        ScimGroups.Plan plan = groups.plan(ws, g, wanted, known);
        ScimGroups.Outcome outcome = groups.change(ws, plan, wanted.request, () -> groupSize(ws, g, everyone));
        if (!outcome.complete()) {
            throw new Conflict("partly-applied", outcome.detail(plan));
        }
    }

    private long groupSize(String ws, ScimGroups.Group g, List<Member> everyone) {
        List<Member> all = everyone != null ? everyone : members.directory().allMembers(ws);
        return all.stream().filter(g::contains).count();
    }

    private Response patchIdpGroup(Request r, ScimGroup g, ScimAttributes attrs) {
        ScimPatch patch = ScimPatch.parse(r.body());
        IdpGroups.Wanted wanted = new IdpGroups.Wanted();
        Set<String> current = GroupRequests.needsCurrent(patch)
                ? new java.util.LinkedHashSet<>(idpGroups.allMembers(r.workspaceId(), g.groupId())) : Set.of();
        for (ScimPatch.Operation op : patch.operations()) {
            for (Map.Entry<String, JsonNode> target : ScimPatch.targets(op)) {
                String path = GroupRequests.withoutUrn(target.getKey());
                String lower = path.toLowerCase(Locale.ROOT);
                JsonNode value = target.getValue();
                if (lower.equals("displayname")) {
                    if (op.op() == ScimPatch.Op.REMOVE) {
                        throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "displayName is required and cannot be removed.");
                    }
                    wanted.displayName = ScimJson.text(value, "displayName");
                } else if (lower.equals("externalid")) {
                    wanted.externalIdSet = true;
                    wanted.externalId = op.op() == ScimPatch.Op.REMOVE ? null : ScimJson.text(value, "externalId");
                } else if (!GroupRequests.membersOperation(wanted.members, op.op(), path, value, current)
                        && !lower.equals("id") && !lower.equals("meta") && !lower.equals("schemas")) {
                    throw new InvalidInput(InvalidInput.Kind.PATH, "invalid-path", "A group's displayName, externalId and members are its "
                            + "attributes; '" + (path.length() > 60 ? path.substring(0, 60) + "…" : path) + "' is not one.");
                }
            }
        }
        wanted.members.request = "PATCH /Groups/" + g.groupId() + " with " + patch.operations().size() + " operation"
                + (patch.operations().size() == 1 ? "" : "s");
        return idpGroupChanged(r, g, wanted, attrs, 204);
    }

    private Response replaceIdpGroup(Request r, ScimGroup g, ScimAttributes attrs) {
        JsonNode body = r.body();
        if (body == null || !body.isObject()) {
            throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-syntax", "The body must be a SCIM Group object.");
        }
        IdpGroups.Wanted wanted = new IdpGroups.Wanted();
        wanted.displayName = ScimJson.text(ScimJson.get(body, "displayName"), "displayName");
        if (wanted.displayName == null) {
            throw new InvalidInput("invalid-value", "displayName is required.");
        }
        wanted.externalIdSet = true;
        wanted.externalId = ScimJson.text(ScimJson.get(body, "externalId"), "externalId");
        wanted.members.wholeGroup = true;
        GroupRequests.ids(ScimJson.get(body, "members")).forEach(id -> wanted.members.members.put(id, true));
        wanted.members.request = "PUT /Groups/" + g.groupId() + " with " + wanted.members.members.size() + " members";
        return idpGroupChanged(r, g, wanted, attrs, 200);
    }

    private Response idpGroupChanged(Request r, ScimGroup g, IdpGroups.Wanted wanted, ScimAttributes attrs, int okStatus) {
        ScimGroups.Outcome outcome = idpGroups.change(r.workspaceId(), g, wanted);
        if (!outcome.complete()) {
            throw new Conflict("partly-applied", "The group's members were changed; what its mapping gives was not "
                    + "given to all: " + outcome.detail(g.displayName()));
        }
        if (okStatus == 204) {
            return new Response(204, null);
        }
        return ScimApi.ok(groupResource(r.workspaceId(), new AnyGroup(null, idpGroups.group(r.workspaceId(), g.groupId())), attrs,
                new Query(null, 1, IdpGroups.MAX_MEMBERS_SHOWN), r.baseUrl()));
    }

    /**
     * Groups: the fixed ones first (from the license pool), then the IdP groups a page at a time. A filter
     * answers from lookups: {@code displayName eq} (a fixed group's name, or an IdP group's name lock),
     * {@code externalId eq} (its lock), {@code id eq}, and Entra's {@code members[value eq "…"]}.
     */
    ObjectNode list(Request r, Query q, ScimAttributes attrs) {
        String ws = r.workspaceId();
        List<ScimGroups.Group> fixed = groups.groups(ws);
        Query memberPage = new Query(null, 1, Math.min(ScimSchemas.MAX_RESULTS, IdpGroups.MAX_MEMBERS_SHOWN));
        if (q.filter() != null) {
            List<AnyGroup> found = filterGroups(ws, fixed, ScimFilter.parse(q.filter()));
            List<JsonNode> resources = new ArrayList<>();
            for (long i = q.startIndex() - 1; i < found.size() && resources.size() < q.count(); i++) {
                resources.add(groupResource(ws, found.get((int) i), attrs, memberPage, r.baseUrl()));
            }
            return ScimApi.list(resources, q.startIndex(), found.size());
        }
        List<AnyGroup> page = new ArrayList<>();
        for (long i = q.startIndex() - 1; i < fixed.size() && page.size() < q.count(); i++) {
            page.add(new AnyGroup(fixed.get((int) i), null));
        }
        int left = q.count() - page.size();
        if (left > 0) {
            long idpStart = Math.max(1, q.startIndex() - fixed.size());
            paging.page(ws, "groups", idpStart, left, (limit, cursor) -> scim.groupPage(ws, limit, cursor),
                    (n, cursor) -> scim.skipGroups(ws, n, cursor)).forEach(g -> page.add(new AnyGroup(null, g)));
        }
        long total = fixed.size() + retry.run(() -> scim.groupCount(ws));
        List<JsonNode> resources = new ArrayList<>();
        page.forEach(g -> resources.add(groupResource(ws, g, attrs, memberPage, r.baseUrl())));
        return ScimApi.list(resources, q.startIndex(), Math.max(total, q.startIndex() - 1 + resources.size()));
    }

    private List<AnyGroup> filterGroups(String ws, List<ScimGroups.Group> fixed, ScimFilter filter) {
        ScimFilter.Term first = filter.terms().stream().filter(t -> !t.attribute().equals("members.value")).findFirst()
                .orElse(filter.terms().getFirst());
        List<AnyGroup> candidates = new ArrayList<>();
        switch (first.attribute()) {
            case "displayname" -> {
                fixed.stream().filter(g -> g.displayName().equalsIgnoreCase(first.value().strip()))
                        .forEach(g -> candidates.add(new AnyGroup(g, null)));
                if (!first.value().isBlank()) {
                    idpGroups.byName(ws, first.value()).ifPresent(g -> candidates.add(new AnyGroup(null, g)));
                }
            }
            case "externalid" -> idpGroups.byExternalId(ws, first.value()).ifPresent(g -> candidates.add(new AnyGroup(null, g)));
            case "id" -> {
                try {
                    candidates.add(anyGroup(ws, first.value()));
                } catch (NotFound none) {
                    // no such group: an empty answer
                }
            }
            case "members.value" -> {
                Member m = members.directory().membersById(ws, List.of(first.value())).get(first.value());
                if (m != null) {
                    fixed.stream().filter(g -> g.contains(m)).forEach(g -> candidates.add(new AnyGroup(g, null)));
                    idpGroups.groupsOf(ws, m.memberId()).forEach(g -> candidates.add(new AnyGroup(null, g)));
                }
            }
            default -> throw groupFilterRefused(first.attribute());
        }
        List<AnyGroup> kept = new ArrayList<>();
        for (AnyGroup g : candidates) {
            boolean keep = true;
            for (ScimFilter.Term t : filter.terms()) {
                keep &= switch (t.attribute()) {
                    case "displayname" -> (g.fixed() != null ? g.fixed().displayName() : g.idp().displayName())
                            .equalsIgnoreCase(t.value().strip());
                    case "externalid" -> g.idp() != null && t.value().equals(g.idp().externalId());
                    case "id" -> g.id().equals(t.value());
                    case "members.value" -> {
                        if (g.fixed() != null) {
                            Member m = members.directory().membersById(ws, List.of(t.value())).get(t.value());
                            yield m != null && g.fixed().contains(m);
                        }
                        yield idpGroups.contains(ws, g.idp().groupId(), t.value());
                    }
                    default -> throw groupFilterRefused(t.attribute());
                };
            }
            if (keep) {
                kept.add(g);
            }
        }
        return kept;
    }

    private static InvalidInput groupFilterRefused(String attribute) {
        return ScimFilter.invalid("Groups can be filtered by displayName, externalId or id (and members[value eq \"…\"]) "
                + "with 'eq'; '" + attribute + "' is not supported.");
    }

    /**
     * A group's resource. Its members, when asked for, are one page of them ({@code startIndex}, {@code count}
     * of the request on {@code GET /Groups/{id}}, at most {@link IdpGroups#MAX_MEMBERS_SHOWN}; in a list,
     * the first {@link ScimSchemas#MAX_RESULTS}), read by keys.
     */
    private ObjectNode groupResource(String ws, AnyGroup g, ScimAttributes attrs, Query memberPage, String baseUrl) {
        ObjectNode r = ScimJson.object();
        r.putArray("schemas").add(ScimSchemas.GROUP);
        r.put("id", g.id());
        if (g.idp() != null && g.idp().externalId() != null) {
            r.put("externalId", g.idp().externalId());
        }
        r.put("displayName", g.fixed() != null ? g.fixed().displayName() : g.idp().displayName());
        if (attrs.wants("members")) {
            List<String> ids = g.fixed() != null ? fixedMembers(ws, g.fixed(), memberPage.startIndex(), memberPage.count())
                    : idpMembers(ws, g.idp().groupId(), memberPage.startIndex(), memberPage.count());
            if (!ids.isEmpty()) {
                ArrayNode list = r.putArray("members");
                ids.forEach(id -> list.addObject().put("value", id).put("$ref", baseUrl + "/Users/" + id).put("type", "User"));
            }
        }
        ObjectNode meta = r.putObject("meta").put("resourceType", "Group");
        if (g.idp() != null) {
            meta.put("created", g.idp().createdAt().toString()).put("lastModified", g.idp().modifiedAt().toString())
                    .put("version", "W/\"" + g.idp().version() + "\"");
        }
        meta.put("location", baseUrl + "/Groups/" + g.id());
        return attrs.apply(r);
    }

    private List<String> fixedMembers(String ws, ScimGroups.Group g, long startIndex, int count) {
        MemberSet set = switch (g.kind()) {
            case ADMINS -> MemberSet.ADMINS;
            case MEMBERS -> MemberSet.MEMBERS;
            case LICENSE -> MemberSet.licensedFrom(g.subscriptionId());
        };
        return paging.page(ws, "gm:" + g.id(), startIndex, count, (limit, cursor) -> workspaces.memberSet(ws, set, limit, cursor),
                (n, cursor) -> workspaces.skipInSet(ws, set, n, cursor)).stream().map(Member::memberId).toList();
    }

    /** A page of an IdP group's members that are SCIM users (one removed by a person is no SCIM user: left out). */
    private List<String> idpMembers(String ws, String groupId, long startIndex, int count) {
        List<String> ids = paging.page(ws, "gm:" + groupId, startIndex, count,
                (limit, cursor) -> scim.groupMembers(ws, groupId, limit, cursor),
                (n, cursor) -> scim.skipGroupMembers(ws, groupId, n, cursor));
        if (ids.isEmpty()) {
            return ids;
        }
        Map<String, Member> known = members.directory().membersById(ws, ids);
        return ids.stream().filter(id -> known.containsKey(id)
                && (known.get(id).status() != MemberStatus.REMOVED || known.get(id).provisioned())).toList();
    }
}
