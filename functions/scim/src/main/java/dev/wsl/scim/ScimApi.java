package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.json.Json;
import dev.wsl.members.MemberService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SCIM endpoints of one workspace (the token's), free of Lambda types: a request in, a status and a
 * SCIM body out. Users are the workspace's members (id = member id); every change goes through
 * {@link MemberService} and the license service, as the management API's do. Thread-safe.
 */
public final class ScimApi {
    /** A request as the handler read it; {@code body} parsed when there was one. */
    public record Request(String routeKey, Map<String, String> path, Map<String, String> query, JsonNode body,
                          String baseUrl, String workspaceId) {
        String path(String name) {
            String v = path.get(name);
            if (v == null || v.isEmpty()) {
                throw new NotFound("not-found", "The path names no " + name + ".");
            }
            return v;
        }

        Optional<String> query(String name) {
            for (Map.Entry<String, String> e : query.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return Optional.ofNullable(e.getValue());
                }
            }
            return Optional.empty();
        }
    }

    /** A status and a body (null: none, as for 204). */
    public record Response(int status, JsonNode body) {}

    private final MemberService members;
    private final ScimGroups groups;

    public ScimApi(MemberService members, ScimGroups groups) {
        this.members = Objects.requireNonNull(members);
        this.groups = Objects.requireNonNull(groups);
    }

    public Response handle(Request r) {
        String ws = r.workspaceId();
        return switch (r.routeKey()) {
            case "GET /scim/v2/ServiceProviderConfig" -> ok(ScimSchemas.serviceProviderConfig(r.baseUrl()));
            case "GET /scim/v2/ResourceTypes" -> ok(list(new ArrayList<>(ScimSchemas.resourceTypes(r.baseUrl())), 1,
                    2));
            case "GET /scim/v2/ResourceTypes/{id}" -> ok(ScimSchemas.resourceTypes(r.baseUrl()).stream()
                    .filter(t -> t.get("id").asText().equals(r.path("id"))).findFirst()
                    .orElseThrow(() -> new NotFound("not-found", "No resource type " + r.path("id") + ".")));
            case "GET /scim/v2/Schemas" -> ok(list(new ArrayList<>(ScimSchemas.schemas(r.baseUrl())), 1, 2));
            case "GET /scim/v2/Schemas/{id}" -> ok(ScimSchemas.schemas(r.baseUrl()).stream()
                    .filter(s -> s.get("id").asText().equals(r.path("id"))).findFirst()
                    .orElseThrow(() -> new NotFound("not-found", "No schema " + r.path("id") + ".")));
            case "GET /scim/v2/Users" -> ok(listUsers(r));
            case "POST /scim/v2/Users" -> createUser(r);
            case "GET /scim/v2/Users/{id}" -> ok(UserState.resource(user(ws, r.path("id")), r.baseUrl()));
            case "PUT /scim/v2/Users/{id}" -> {
                String id = user(ws, r.path("id")).memberId();
                MemberService.Provisioned wanted = UserState.fromResource(r.body()).provisioned();
                yield ok(UserState.resource(groups.holdingAdminLoss(ws, id, "PUT /Users/" + id + " (active: false)",
                        () -> members.updateProvisioned(Actor.SCIM, ws, id, wanted)), r.baseUrl()));
            }
            case "PATCH /scim/v2/Users/{id}" -> ok(UserState.resource(patchUser(r), r.baseUrl()));
            case "DELETE /scim/v2/Users/{id}" -> {
                String id = user(ws, r.path("id")).memberId();
                groups.holdingAdminLoss(ws, id, "DELETE /Users/" + id, () -> members.deprovision(Actor.SCIM, ws, id));
                yield new Response(204, null);
            }
            case "GET /scim/v2/Groups" -> ok(listGroups(r));
            case "GET /scim/v2/Groups/{id}" -> {
                ScimGroups.Group g = groups.group(ws, r.path("id"));
                yield ok(groups.resource(g, wantsMembers(r) ? members.allMembers(ws) : null, r.baseUrl()));
            }
            case "PATCH /scim/v2/Groups/{id}" -> patchGroup(r);
            case "PUT /scim/v2/Groups/{id}" -> replaceGroup(r);
            case "POST /scim/v2/Groups" -> throw createGroupRefused(r);
            case "DELETE /scim/v2/Groups/{id}" -> {
                groups.group(ws, r.path("id"));
                throw new Forbidden("fixed-groups", "Groups are fixed: the role groups and the subscriptions' license "
                        + "groups cannot be deleted; remove their members instead.");
            }
            default -> throw new NotFound("not-found", "No such SCIM endpoint.");
        };
    }

    // ------------------------------------------------------------------ users

    private Member user(String ws, String id) {
        return members.provisionedMember(ws, id);
    }

    private Response createUser(Request r) {
        UserState wanted = UserState.fromResource(r.body());
        MemberService.ProvisionOutcome outcome = members.provision(Actor.SCIM, r.workspaceId(), wanted.provisioned());
        // 201 also when an existing member was adopted: it is a new SCIM resource.
        return new Response(201, UserState.resource(outcome.member(), r.baseUrl()));
    }

    private Member patchUser(Request r) {
        Member before = user(r.workspaceId(), r.path("id"));
        ScimPatch patch = ScimPatch.parse(r.body());
        UserState state = UserState.of(before);
        state.apply(patch);
        return groups.holdingAdminLoss(r.workspaceId(), before.memberId(), "PATCH /Users/" + before.memberId()
                + " (active: false)", () -> members.updateProvisioned(Actor.SCIM, r.workspaceId(), before.memberId(),
                state.provisioned()));
    }

    /** A filter answers from lookups (0 or 1 user); no filter lists every user, in id order, a page at a time. */
    private ObjectNode listUsers(Request r) {
        int start = startIndex(r);
        int count = count(r);
        String ws = r.workspaceId();
        Optional<String> filterText = r.query("filter");
        if (filterText.isPresent()) {
            ScimFilter filter = ScimFilter.parse(filterText.get());
            Optional<Member> found = findUser(ws, filter.terms().getFirst());
            List<JsonNode> resources = new ArrayList<>();
            found.filter(m -> filter.terms().stream().allMatch(t -> matches(m, t)))
                    .ifPresent(m -> resources.add(UserState.resource(m, r.baseUrl())));
            return list(start > 1 || count == 0 ? List.of() : resources, start, resources.size());
        }
        List<Member> users = members.allMembers(ws).stream()
                .filter(m -> m.status() != MemberStatus.REMOVED || m.provisioned())
                .sorted(Comparator.comparing(Member::memberId)).toList();
        List<JsonNode> page = new ArrayList<>();
        for (int i = start - 1; i < users.size() && page.size() < count; i++) {
            page.add(UserState.resource(users.get(i), r.baseUrl()));
        }
        return list(page, start, users.size());
    }

    private Optional<Member> findUser(String ws, ScimFilter.Term t) {
        return switch (t.attribute()) {
            case "username" -> members.findByUserName(ws, t.value());
            case "externalid" -> members.findByExternalId(ws, t.value());
            case "id" -> {
                try {
                    yield Optional.of(user(ws, t.value()));
                } catch (NotFound none) {
                    yield Optional.empty();
                }
            }
            case "emails.value", "emails" -> {
                if (t.valueFilter() != null && !t.valueFilter().equals("work")) {
                    yield Optional.empty(); // only work emails are kept
                }
                yield EmailAddress.tryParse(t.value()).flatMap(email -> members.findByEmail(ws, email));
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
            case "emails.value", "emails" -> (t.valueFilter() == null || t.valueFilter().equals("work"))
                    && m.email().value().equalsIgnoreCase(t.value().strip());
            default -> throw ScimFilter.invalid("'" + t.attribute() + "' cannot be filtered on for users.");
        };
    }

    // ------------------------------------------------------------------ groups

    private ObjectNode listGroups(Request r) {
        int start = startIndex(r);
        int count = count(r);
        String ws = r.workspaceId();
        List<ScimGroups.Group> all = groups.groups(ws);
        String memberFilter = null;
        if (r.query("filter").isPresent()) {
            ScimFilter filter = ScimFilter.parse(r.query("filter").get());
            List<ScimGroups.Group> kept = new ArrayList<>();
            for (ScimGroups.Group g : all) {
                boolean keep = true;
                for (ScimFilter.Term t : filter.terms()) {
                    switch (t.attribute()) {
                        case "displayname" -> keep &= g.displayName().equalsIgnoreCase(t.value());
                        case "id" -> keep &= g.id().equals(t.value());
                        case "externalid" -> keep = false; // groups have no externalId here
                        case "members.value" -> memberFilter = t.value();
                        default -> throw ScimFilter.invalid("Groups can be filtered by displayName or id (and "
                                + "members[value eq \"…\"]) with 'eq'; '" + t.attribute() + "' is not supported.");
                    }
                }
                if (keep) {
                    kept.add(g);
                }
            }
            all = kept;
        }
        if (memberFilter != null) {
            // Entra's membership test: one read of the member, no listing.
            Map<String, Member> one = members.membersById(ws, List.of(memberFilter));
            Member m = one.get(memberFilter);
            all = all.stream().filter(g -> m != null && g.contains(m)).toList();
        }
        List<Member> everyone = wantsMembers(r) && !all.isEmpty() && count > 0 ? members.allMembers(ws) : null;
        List<JsonNode> page = new ArrayList<>();
        for (int i = start - 1; i < all.size() && page.size() < count; i++) {
            page.add(groups.resource(all.get(i), everyone, r.baseUrl()));
        }
        return list(page, start, all.size());
    }

    private Response patchGroup(Request r) {
        String ws = r.workspaceId();
        ScimGroups.Group g = groups.group(ws, r.path("id"));
        ScimPatch patch = ScimPatch.parse(r.body());
        List<Member> everyone = ScimGroups.needsCurrent(patch) ? members.allMembers(ws) : null;
        Set<String> current = new HashSet<>();
        if (everyone != null) {
            everyone.stream().filter(g::contains).forEach(m -> current.add(m.memberId()));
        }
        ScimGroups.Wanted wanted = ScimGroups.fromPatch(g, patch, current);
        return changeGroup(r, g, wanted, everyone, 204);
    }

    private Response replaceGroup(Request r) {
        String ws = r.workspaceId();
        ScimGroups.Group g = groups.group(ws, r.path("id"));
        ScimGroups.Wanted wanted = ScimGroups.fromReplacement(g, r.body());
        List<Member> everyone = members.allMembers(ws);
        everyone.stream().filter(g::contains).forEach(m -> wanted.members.putIfAbsent(m.memberId(), false));
        return changeGroup(r, g, wanted, everyone, 200);
    }

    private Response changeGroup(Request r, ScimGroups.Group g, ScimGroups.Wanted wanted, List<Member> everyone,
                                 int okStatus) {
        String ws = r.workspaceId();
        Map<String, Member> known;
        if (everyone != null) {
            known = new java.util.HashMap<>();
            everyone.forEach(m -> known.put(m.memberId(), m));
            List<String> missing = wanted.members.keySet().stream().filter(id -> !known.containsKey(id)).toList();
            known.putAll(members.membersById(ws, missing));
        } else {
            known = members.membersById(ws, wanted.members.keySet());
        }
        ScimGroups.Plan plan = groups.plan(ws, g, wanted, known);
        ScimGroups.Outcome outcome = groups.change(ws, plan, wanted.request, () -> groupSize(ws, g, everyone));
        if (!outcome.complete()) {
            throw new Conflict("partly-applied", outcome.detail(plan));
        }
        if (okStatus == 204) {
            return new Response(204, null);
        }
        return ok(groups.resource(g, members.allMembers(ws), r.baseUrl()));
    }

    private long groupSize(String ws, ScimGroups.Group g, List<Member> everyone) {
        List<Member> all = everyone != null ? everyone : members.allMembers(ws);
        return all.stream().filter(g::contains).count();
    }

    private Conflict createGroupRefused(Request r) {
        JsonNode name = r.body() == null ? null : ScimJson.get(r.body(), "displayName");
        String wanted = name != null && name.isTextual() ? name.textValue().strip() : "";
        List<ScimGroups.Group> all = groups.groups(r.workspaceId());
        String names = String.join(", ", all.stream().map(ScimGroups.Group::displayName).toList());
        if (all.stream().anyMatch(g -> g.displayName().equalsIgnoreCase(wanted))) {
            return new AlreadyExists("group-exists", "The group " + wanted + " exists: link to it (filter "
                    + "displayName eq) instead of creating it.");
        }
        throw new Forbidden("fixed-groups", "Groups are fixed: push your groups to the existing ones by name: "
                + names + ".");
    }

    private static boolean wantsMembers(Request r) {
        Optional<String> excluded = r.query("excludedAttributes");
        if (excluded.isPresent() && List.of(excluded.get().toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("members")) {
            return false;
        }
        Optional<String> attributes = r.query("attributes");
        return attributes.isEmpty() || List.of(attributes.get().toLowerCase(Locale.ROOT).split("\\s*,\\s*"))
                .contains("members");
    }

    // ------------------------------------------------------------------ shared

    private static int startIndex(Request r) {
        return r.query("startIndex").map(v -> {
            try {
                return Math.max(1, Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                throw new InvalidInput("invalid-value", "startIndex must be an integer.");
            }
        }).orElse(1);
    }

    private static int count(Request r) {
        return r.query("count").map(v -> {
            try {
                return Math.min(ScimSchemas.MAX_RESULTS, Math.max(0, Integer.parseInt(v.strip())));
            } catch (NumberFormatException e) {
                throw new InvalidInput("invalid-value", "count must be an integer.");
            }
        }).orElse(ScimSchemas.MAX_RESULTS);
    }

    private static ObjectNode list(List<? extends JsonNode> resources, int startIndex, int total) {
        ObjectNode l = ScimJson.object();
        l.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        l.put("totalResults", total);
        l.put("startIndex", startIndex);
        l.put("itemsPerPage", resources.size());
        ArrayNode items = l.putArray("Resources");
        resources.forEach(items::add);
        return l;
    }

    private static Response ok(JsonNode body) {
        return new Response(200, body);
    }

    static JsonNode parse(String body) {
        return body == null || body.isBlank() ? null : Json.parse(body);
    }
}
