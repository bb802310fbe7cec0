package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.json.Json;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.port.WorkspaceStore.MemberSet;
import dev.wsl.members.MemberService;
import dev.wsl.members.ProvisionedMembers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@link MemberService} and the license service, as the management API's do. Groups are the fixed groups
 * ({@link ScimGroups}) and the groups identity providers create ({@link IdpGroups}).
 *
 * <p>Every page of a list is a keyed read whatever the workspace's size: users and the fixed groups' members
 * from the SCIM index, an IdP group's members from its own items, {@code totalResults} from counters; a page
 * at a later {@code startIndex} starts where the walk's previous page left a bookmark (RFC 7644 paging is by
 * index, so without one the index is reached by skipping keys). Thread-safe.
 */
public final class ScimApi {
    static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    /** A request as the handler read it; {@code body} parsed when there was one. */
    public record Request(String routeKey, Map<String, String> path, Map<String, String> query, JsonNode body,
                          String baseUrl, String workspaceId, String method) {
        public Request(String routeKey, Map<String, String> path, Map<String, String> query, JsonNode body,
                       String baseUrl, String workspaceId) {
            this(routeKey, path, query, body, baseUrl, workspaceId,
                    routeKey == null ? "" : routeKey.substring(0, Math.max(0, routeKey.indexOf(' '))));
        }

        /** Who asks: the identity provider of the workspace whose token authenticated the request. */
        Principal principal() {
            return new Principal.IdentityProvider(workspaceId);
        }

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

    /** A status, a body (null: none, as for 204) and headers of the answer's own (e.g. {@code allow}). */
    public record Response(int status, JsonNode body, Map<String, String> headers) {
        public Response(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    /** The endpoints of RFC 7644 section 3.2 and the methods each offers here; anything else is 405. */
    enum Endpoint {
        SERVICE_PROVIDER_CONFIG("GET"), RESOURCE_TYPES("GET"), RESOURCE_TYPE("GET"), SCHEMAS("GET"), SCHEMA("GET"),
        USERS("GET", "POST"), USER("GET", "PUT", "PATCH", "DELETE"), USERS_SEARCH("POST"),
        GROUPS("GET", "POST"), GROUP("GET", "PUT", "PATCH", "DELETE"), GROUPS_SEARCH("POST"),
        SEARCH("POST"), BULK("POST"), ME("GET", "POST", "PUT", "PATCH", "DELETE");

        final List<String> methods;

        Endpoint(String... methods) {
            this.methods = List.of(methods);
        }
    }

    /** The endpoint a path names, with the id in it (or null). */
    record Target(Endpoint endpoint, String id) {}

    private final MemberService members;
    private final ScimGroups groups;
    private final IdpGroups idpGroups;
    private final WorkspaceStore workspaces;
    private final ScimStore scim;
    private final Clock clock;
    private final RetryPolicy retry;

    ScimApi(MemberService members, ScimGroups groups, IdpGroups idpGroups, WorkspaceStore workspaces, ScimStore scim,
            Clock clock, RetryPolicy retry) {
        this.members = Objects.requireNonNull(members);
        this.groups = Objects.requireNonNull(groups);
        this.idpGroups = Objects.requireNonNull(idpGroups);
        this.workspaces = Objects.requireNonNull(workspaces);
        this.scim = Objects.requireNonNull(scim);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    public Response handle(Request r) {
        Target target = target(r);
        String method = r.method().toUpperCase(Locale.ROOT);
        if (!target.endpoint().methods.contains(method)) {
            ObjectNode error = ScimJson.error(405, null, method + " is not offered here; this path answers "
                    + String.join(", ", target.endpoint().methods) + ".");
            return new Response(405, error, Map.of("allow", String.join(", ", target.endpoint().methods)));
        }
        String ws = r.workspaceId();
        String id = target.id();
        ScimAttributes attrs = ScimAttributes.of(r.query("attributes").orElse(null),
                r.query("excludedAttributes").orElse(null));
        return switch (target.endpoint()) {
            case SERVICE_PROVIDER_CONFIG -> ok(ScimSchemas.serviceProviderConfig(r.baseUrl()));
            case RESOURCE_TYPES -> ok(list(new ArrayList<>(ScimSchemas.resourceTypes(r.baseUrl())), 1, 2));
            case RESOURCE_TYPE -> ok(ScimSchemas.resourceTypes(r.baseUrl()).stream()
                    .filter(t -> t.get("id").asText().equals(id)).findFirst()
                    .orElseThrow(() -> new NotFound("not-found", "No resource type " + id + ".")));
            case SCHEMAS -> ok(list(new ArrayList<>(ScimSchemas.schemas(r.baseUrl())), 1, 2));
            case SCHEMA -> ok(ScimSchemas.schemas(r.baseUrl()).stream()
                    .filter(s -> s.get("id").asText().equals(id)).findFirst()
                    .orElseThrow(() -> new NotFound("not-found", "No schema " + id + ".")));
            case USERS -> method.equals("GET") ? ok(listUsers(r, Query.of(r), attrs)) : createUser(r, attrs);
            case USERS_SEARCH -> ok(listUsers(r, Query.of(r.body()), ScimAttributes.of(searchField(r.body(), "attributes"),
                    searchField(r.body(), "excludedAttributes"))));
            case USER -> switch (method) {
                case "GET" -> ok(attrs.apply(UserState.resource(user(ws, id), r.baseUrl())));
                case "PUT" -> {
                    String memberId = user(ws, id).memberId();
                    ProvisionedMembers.Provisioned wanted = UserState.fromResource(r.body()).provisioned();
                    // Taking ADMIN away (active: false) may be held by the IdP's admin-loss rule (issue 17).
                    yield ok(attrs.apply(UserState.resource(groups.holdingAdminLoss(ws, memberId,
                            "PUT /Users/" + memberId + " (active: false)",
                            () -> members.provisioning().updateProvisioned(r.principal(), ws, memberId, wanted)), r.baseUrl())));
                }
                case "PATCH" -> ok(attrs.apply(UserState.resource(patchUser(r, id), r.baseUrl())));
                default -> {
                    String memberId = user(ws, id).memberId();
                    groups.holdingAdminLoss(ws, memberId, "DELETE /Users/" + memberId,
                            () -> members.provisioning().deprovision(r.principal(), ws, memberId));
                    idpGroups.forget(ws, id);
                    yield new Response(204, null);
                }
            };
            case GROUPS -> method.equals("GET") ? ok(listGroups(r, Query.of(r), attrs)) : createGroup(r, attrs);
            case GROUPS_SEARCH -> ok(listGroups(r, Query.of(r.body()), ScimAttributes.of(searchField(r.body(), "attributes"),
                    searchField(r.body(), "excludedAttributes"))));
            case GROUP -> group(r, id, method, attrs);
            case SEARCH -> ok(searchAll(r, Query.of(r.body()), ScimAttributes.of(searchField(r.body(), "attributes"),
                    searchField(r.body(), "excludedAttributes"))));
            case BULK -> throw new NotImplemented("Bulk operations are not supported (ServiceProviderConfig: bulk).");
            case ME -> throw new NotImplemented("/Me is not supported: a SCIM token acts for the workspace, not a person.");
        };
    }

    /** RFC 7644 section 3.12's 501: the operation is not supported. Answered by the handler. */
    static final class NotImplemented extends RuntimeException {
        NotImplemented(String detail) {
            super(detail, null, false, false);
        }
    }

    /**
     * The endpoint of a request: from its explicit route's template, or from the catch-all route's path
     * ({@code ANY /scim/v2/{proxy+}}), which API Gateway sends every path and method no explicit route has.
     *
     * @throws NotFound for a path under {@code /scim/v2} that names no endpoint
     */
    static Target target(Request r) {
        String key = r.routeKey() == null ? "" : r.routeKey();
        String template = key.substring(key.indexOf(' ') + 1);
        String rest = template.startsWith("/scim/v2/") ? template.substring("/scim/v2/".length()) : "";
        List<String> segments = new ArrayList<>();
        for (String s : rest.split("/")) {
            if (s.equals("{proxy+}")) {
                String proxy = r.path().getOrDefault("proxy", "");
                segments.addAll(Arrays.stream(proxy.split("/")).filter(p -> !p.isEmpty()).toList());
            } else if (s.startsWith("{") && s.endsWith("}")) {
                segments.add(r.path().getOrDefault(s.substring(1, s.length() - 1), ""));
            } else if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        String first = segments.isEmpty() ? "" : segments.getFirst();
        String second = segments.size() > 1 ? segments.get(1) : null;
        Endpoint endpoint = null;
        if (segments.size() <= 2) {
            endpoint = switch (first) {
                case "ServiceProviderConfig" -> second == null ? Endpoint.SERVICE_PROVIDER_CONFIG : null;
                case "ResourceTypes" -> second == null ? Endpoint.RESOURCE_TYPES : Endpoint.RESOURCE_TYPE;
                case "Schemas" -> second == null ? Endpoint.SCHEMAS : Endpoint.SCHEMA;
                case "Users" -> second == null ? Endpoint.USERS : second.equals(".search") ? Endpoint.USERS_SEARCH : Endpoint.USER;
                case "Groups" -> second == null ? Endpoint.GROUPS : second.equals(".search") ? Endpoint.GROUPS_SEARCH : Endpoint.GROUP;
                case ".search" -> second == null ? Endpoint.SEARCH : null;
                case "Bulk" -> second == null ? Endpoint.BULK : null;
                case "Me" -> second == null ? Endpoint.ME : null;
                default -> null;
            };
        }
        if (endpoint == null || (second != null && second.isEmpty())) {
            throw new NotFound("not-found", "No SCIM endpoint at this path: the endpoints are /ServiceProviderConfig, "
                    + "/ResourceTypes, /Schemas, /Users and /Groups.");
        }
        return new Target(endpoint, second);
    }

    // ------------------------------------------------------------------ list parameters

    /** A list's filter, startIndex and count, from the query string or a SearchRequest body. */
    record Query(String filter, long startIndex, int count) {
        static Query of(Request r) {
            return new Query(r.query("filter").orElse(null), startIndex(r.query("startIndex").orElse(null)),
                    count(r.query("count").orElse(null)));
        }

        static Query of(JsonNode body) {
            if (body == null || !body.isObject()) {
                throw new InvalidInput("invalid-syntax", "The body must be a SCIM SearchRequest object.");
            }
            JsonNode filter = ScimJson.get(body, "filter");
            return new Query(filter == null || filter.isNull() ? null : ScimJson.text(filter, "filter"),
                    startIndex(text(ScimJson.get(body, "startIndex"))), count(text(ScimJson.get(body, "count"))));
        }

        private static String text(JsonNode n) {
            return n == null || n.isNull() ? null : n.asText();
        }

        private static long startIndex(String v) {
            if (v == null) {
                return 1;
            }
            try {
                return Math.max(1, Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                throw new InvalidInput("invalid-value", "startIndex must be an integer.");
            }
        }

        private static int count(String v) {
            if (v == null) {
                return ScimSchemas.MAX_RESULTS;
            }
            try {
                return (int) Math.min(ScimSchemas.MAX_RESULTS, Math.max(0, Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                throw new InvalidInput("invalid-value", "count must be an integer.");
            }
        }
    }

    /**
     * The page of a group's members {@code GET /Groups/{id}} answers: {@code startIndex} and {@code count} of
     * the request select it (our extension: RFC 7644 pages lists, not a multi-valued attribute), by default
     * the first {@link IdpGroups#MAX_MEMBERS_SHOWN}, at most that many.
     */
    private static Query memberPage(Request r) {
        Query asked = Query.of(r);
        int count = r.query("count").isPresent() ? (int) Math.min(IdpGroups.MAX_MEMBERS_SHOWN,
                Math.max(0, Long.parseLong(r.query("count").get().strip()))) : IdpGroups.MAX_MEMBERS_SHOWN;
        return new Query(null, asked.startIndex(), count);
    }

    private static JsonNode searchField(JsonNode body, String name) {
        return body == null ? null : ScimJson.get(body, name);
    }

    // ------------------------------------------------------------------ paging

    interface Reader<T> {
        Page<T> read(int limit, String cursor);
    }

    interface Skipper {
        String skip(long count, String cursor);
    }

    /**
     * The page of a list at {@code startIndex}: from the walk's bookmark at or before it (a walk that pages
     * on, as identity providers do, finds one exactly there), else from the start, skipping keys to it. Leaves
     * a bookmark where the next page starts. The reads are the same whatever the list's length.
     */
    <T> List<T> page(String ws, String list, long startIndex, int count, Reader<T> reader, Skipper skipper) {
        if (count <= 0) {
            return List.of();
        }
        return retry.run(() -> {
            String cursor = null;
            long at = 1;
            if (startIndex > 1) {
                Optional<ScimStore.Bookmark> mark = scim.bookmark(ws, list, startIndex);
                if (mark.isPresent()) {
                    at = mark.get().startIndex();
                    cursor = mark.get().cursor();
                }
                if (at < startIndex) {
                    cursor = skipper.skip(startIndex - at, cursor);
                    if (cursor == null) {
                        return List.of();
                    }
                }
            }
            Page<T> page = reader.read(count, cursor);
            if (page.nextCursor() != null) {
                scim.saveBookmark(ws, list, new ScimStore.Bookmark(startIndex + page.items().size(), page.nextCursor()),
                        clock.instant());
            }
            return page.items();
        });
    }

    // ------------------------------------------------------------------ every resource type (POST /.search)

    private static final Set<String> USER_FILTERS = Set.of("username", "externalid", "id", "emails.value", "emails");
    private static final Set<String> GROUP_FILTERS = Set.of("displayname", "externalid", "id", "members.value");

    /**
     * {@code POST /.search} (RFC 7644 section 3.4.3): users, then groups, as one list. A filter is answered by
     * each resource type whose attributes it names (an {@code id} or {@code externalId} term by both).
     */
    private ObjectNode searchAll(Request r, Query q, ScimAttributes attrs) {
        List<JsonNode> resources = new ArrayList<>();
        long total;
        if (q.filter() != null) {
            Set<String> named = new HashSet<>();
            ScimFilter.parse(q.filter()).terms().forEach(t -> named.add(t.attribute()));
            Query all = new Query(q.filter(), 1, ScimSchemas.MAX_RESULTS);
            List<JsonNode> found = new ArrayList<>();
            if (USER_FILTERS.containsAll(named)) {
                listUsers(r, all, attrs).get("Resources").forEach(found::add);
            }
            if (GROUP_FILTERS.containsAll(named)) {
                listGroups(r, all, attrs).get("Resources").forEach(found::add);
            }
            if (!USER_FILTERS.containsAll(named) && !GROUP_FILTERS.containsAll(named)) {
                throw ScimFilter.invalid("No resource type has every attribute this filter names.");
            }
            for (long i = q.startIndex() - 1; i < found.size() && resources.size() < q.count(); i++) {
                resources.add(found.get((int) i));
            }
            return list(resources, q.startIndex(), found.size());
        }
        ObjectNode users = listUsers(r, q, attrs);
        users.get("Resources").forEach(resources::add);
        long userTotal = users.get("totalResults").asLong();
        ObjectNode groupList = listGroups(r, new Query(null, Math.max(1, q.startIndex() - userTotal),
                q.count() - resources.size()), attrs);
        groupList.get("Resources").forEach(resources::add);
        total = userTotal + groupList.get("totalResults").asLong();
        return list(resources, q.startIndex(), total);
    }

    // ------------------------------------------------------------------ users

    private Member user(String ws, String id) {
        return members.directory().provisionedMember(ws, id);
    }

    private Response createUser(Request r, ScimAttributes attrs) {
        UserState wanted = UserState.fromResource(r.body());
        ProvisionedMembers.ProvisionOutcome outcome = members.provisioning().provision(r.principal(), r.workspaceId(), wanted.provisioned());
        // 201 also when an existing member was adopted: it is a new SCIM resource.
        return new Response(201, attrs.apply(UserState.resource(outcome.member(), r.baseUrl())));
    }

    private Member patchUser(Request r, String id) {
        Member before = user(r.workspaceId(), id);
        ScimPatch patch = ScimPatch.parse(r.body());
        UserState state = UserState.of(before);
        state.apply(patch);
        return groups.holdingAdminLoss(r.workspaceId(), before.memberId(), "PATCH /Users/" + before.memberId()
                + " (active: false)", () -> members.provisioning().updateProvisioned(r.principal(), r.workspaceId(), before.memberId(),
                state.provisioned()));
    }

    /** A filter answers from lookups (0 or 1 user); no filter pages through the SCIM index. */
    private ObjectNode listUsers(Request r, Query q, ScimAttributes attrs) {
        String ws = r.workspaceId();
        if (q.filter() != null) {
            ScimFilter filter = ScimFilter.parse(q.filter());
            Optional<Member> found = findUser(ws, filter.terms().getFirst());
            List<JsonNode> resources = new ArrayList<>();
            found.filter(m -> filter.terms().stream().allMatch(t -> matches(m, t)))
                    .ifPresent(m -> resources.add(attrs.apply(UserState.resource(m, r.baseUrl()))));
            return list(q.startIndex() > 1 || q.count() == 0 ? List.of() : resources, q.startIndex(), resources.size());
        }
        List<Member> page = page(ws, "users", q.startIndex(), q.count(),
                (limit, cursor) -> workspaces.memberSet(ws, MemberSet.SCIM_USERS, limit, cursor),
                (n, cursor) -> workspaces.skipInSet(ws, MemberSet.SCIM_USERS, n, cursor));
        long total = retry.run(() -> workspaces.scimUserCount(ws));
        List<JsonNode> resources = page.stream().map(m -> (JsonNode) attrs.apply(UserState.resource(m, r.baseUrl()))).toList();
        return list(resources, q.startIndex(), Math.max(total, q.startIndex() - 1 + resources.size()));
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

    // ------------------------------------------------------------------ groups

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

    private Response group(Request r, String id, String method, ScimAttributes attrs) {
        String ws = r.workspaceId();
        AnyGroup g = anyGroup(ws, id);
        return switch (method) {
            case "GET" -> ok(groupResource(ws, g, attrs, memberPage(r), r.baseUrl()));
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

    private Response createGroup(Request r, ScimAttributes attrs) {
        JsonNode body = r.body();
        if (body == null || !body.isObject()) {
            throw new InvalidInput("invalid-syntax", "The body must be a SCIM Group object.");
        }
        ScimGroup g = idpGroups.create(r.workspaceId(), ScimJson.text(ScimJson.get(body, "displayName"), "displayName"),
                ScimJson.text(ScimJson.get(body, "externalId"), "externalId"), ScimGroups.ids(ScimJson.get(body, "members")));
        return new Response(201, groupResource(r.workspaceId(), new AnyGroup(null, g), attrs,
                new Query(null, 1, IdpGroups.MAX_MEMBERS_SHOWN), r.baseUrl()));
    }

    private Response patchFixedGroup(Request r, ScimGroups.Group g) {
        String ws = r.workspaceId();
        ScimPatch patch = ScimPatch.parse(r.body());
        List<Member> everyone = ScimGroups.needsCurrent(patch) ? members.directory().allMembers(ws) : null;
        Set<String> current = new HashSet<>();
        if (everyone != null) {
            everyone.stream().filter(g::contains).forEach(m -> current.add(m.memberId()));
        }
        ScimGroups.Wanted wanted = ScimGroups.fromPatch(g, patch, current);
        changeFixedGroup(ws, g, wanted, everyone);
        return new Response(204, null);
    }

    private Response replaceFixedGroup(Request r, ScimGroups.Group g, ScimAttributes attrs) {
        String ws = r.workspaceId();
        ScimGroups.Wanted wanted = ScimGroups.fromReplacement(g, r.body());
        List<Member> everyone = members.directory().allMembers(ws);
        everyone.stream().filter(g::contains).forEach(m -> wanted.members.putIfAbsent(m.memberId(), false));
        changeFixedGroup(ws, g, wanted, everyone);
        return ok(groupResource(ws, new AnyGroup(g, null), attrs, new Query(null, 1, IdpGroups.MAX_MEMBERS_SHOWN),
                r.baseUrl()));
    }

    private void changeFixedGroup(String ws, ScimGroups.Group g, ScimGroups.Wanted wanted, List<Member> everyone) {
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
        Set<String> current = ScimGroups.needsCurrent(patch)
                ? new java.util.LinkedHashSet<>(idpGroups.allMembers(r.workspaceId(), g.groupId())) : Set.of();
        for (ScimPatch.Operation op : patch.operations()) {
            for (Map.Entry<String, JsonNode> target : ScimPatch.targets(op)) {
                String path = ScimGroups.withoutUrn(target.getKey());
                String lower = path.toLowerCase(Locale.ROOT);
                JsonNode value = target.getValue();
                if (lower.equals("displayname")) {
                    if (op.op() == ScimPatch.Op.REMOVE) {
                        throw new InvalidInput("mutability", "displayName is required and cannot be removed.");
                    }
                    wanted.displayName = ScimJson.text(value, "displayName");
                } else if (lower.equals("externalid")) {
                    wanted.externalIdSet = true;
                    wanted.externalId = op.op() == ScimPatch.Op.REMOVE ? null : ScimJson.text(value, "externalId");
                } else if (!ScimGroups.membersOperation(wanted.members, op.op(), path, value, current)
                        && !lower.equals("id") && !lower.equals("meta") && !lower.equals("schemas")) {
                    throw new InvalidInput("invalid-path", "A group's displayName, externalId and members are its "
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
            throw new InvalidInput("invalid-syntax", "The body must be a SCIM Group object.");
        }
        IdpGroups.Wanted wanted = new IdpGroups.Wanted();
        wanted.displayName = ScimJson.text(ScimJson.get(body, "displayName"), "displayName");
        if (wanted.displayName == null) {
            throw new InvalidInput("invalid-value", "displayName is required.");
        }
        wanted.externalIdSet = true;
        wanted.externalId = ScimJson.text(ScimJson.get(body, "externalId"), "externalId");
        wanted.members.wholeGroup = true;
        ScimGroups.ids(ScimJson.get(body, "members")).forEach(id -> wanted.members.members.put(id, true));
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
        return ok(groupResource(r.workspaceId(), new AnyGroup(null, idpGroups.group(r.workspaceId(), g.groupId())), attrs,
                new Query(null, 1, IdpGroups.MAX_MEMBERS_SHOWN), r.baseUrl()));
    }

    /**
     * Groups: the fixed ones first (from the license pool), then the IdP groups a page at a time. A filter
     * answers from lookups: {@code displayName eq} (a fixed group's name, or an IdP group's name lock),
     * {@code externalId eq} (its lock), {@code id eq}, and Entra's {@code members[value eq "…"]}.
     */
    private ObjectNode listGroups(Request r, Query q, ScimAttributes attrs) {
        String ws = r.workspaceId();
        List<ScimGroups.Group> fixed = groups.groups(ws);
        Query memberPage = new Query(null, 1, Math.min(ScimSchemas.MAX_RESULTS, IdpGroups.MAX_MEMBERS_SHOWN));
        if (q.filter() != null) {
            List<AnyGroup> found = filterGroups(ws, fixed, ScimFilter.parse(q.filter()));
            List<JsonNode> resources = new ArrayList<>();
            for (long i = q.startIndex() - 1; i < found.size() && resources.size() < q.count(); i++) {
                resources.add(groupResource(ws, found.get((int) i), attrs, memberPage, r.baseUrl()));
            }
            return list(resources, q.startIndex(), found.size());
        }
        List<AnyGroup> page = new ArrayList<>();
        for (long i = q.startIndex() - 1; i < fixed.size() && page.size() < q.count(); i++) {
            page.add(new AnyGroup(fixed.get((int) i), null));
        }
        int left = q.count() - page.size();
        if (left > 0) {
            long idpStart = Math.max(1, q.startIndex() - fixed.size());
            page(ws, "groups", idpStart, left, (limit, cursor) -> scim.groupPage(ws, limit, cursor),
                    (n, cursor) -> scim.skipGroups(ws, n, cursor)).forEach(g -> page.add(new AnyGroup(null, g)));
        }
        long total = fixed.size() + retry.run(() -> scim.groupCount(ws));
        List<JsonNode> resources = new ArrayList<>();
        page.forEach(g -> resources.add(groupResource(ws, g, attrs, memberPage, r.baseUrl())));
        return list(resources, q.startIndex(), Math.max(total, q.startIndex() - 1 + resources.size()));
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
        return page(ws, "gm:" + g.id(), startIndex, count, (limit, cursor) -> workspaces.memberSet(ws, set, limit, cursor),
                (n, cursor) -> workspaces.skipInSet(ws, set, n, cursor)).stream().map(Member::memberId).toList();
    }

    /** A page of an IdP group's members that are SCIM users (one removed by a person is no SCIM user: left out). */
    private List<String> idpMembers(String ws, String groupId, long startIndex, int count) {
        List<String> ids = page(ws, "gm:" + groupId, startIndex, count,
                (limit, cursor) -> scim.groupMembers(ws, groupId, limit, cursor),
                (n, cursor) -> scim.skipGroupMembers(ws, groupId, n, cursor));
        if (ids.isEmpty()) {
            return ids;
        }
        Map<String, Member> known = members.directory().membersById(ws, ids);
        return ids.stream().filter(id -> known.containsKey(id)
                && (known.get(id).status() != MemberStatus.REMOVED || known.get(id).provisioned())).toList();
    }

    // ------------------------------------------------------------------ shared

    private static ObjectNode list(List<? extends JsonNode> resources, long startIndex, long total) {
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
