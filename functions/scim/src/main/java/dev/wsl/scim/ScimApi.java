package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.access.Principal;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.json.JsonNodes;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.members.ProvisioningUseCases;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SCIM endpoints of one workspace (the token's), free of Lambda types: a request in, a status and a
 * SCIM body out. Users are the workspace's members (id = member id); every change goes through
 * {@link ProvisioningUseCases} and the license service, as the management API's do. Groups are the fixed groups
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

    private final ScimUsers users;
    private final ScimGroupResources groupResources;

    ScimApi(ProvisioningUseCases members, ScimGroups groups, IdpGroups idpGroups, WorkspaceStore workspaces,
            ScimStore scim, Clock clock, RetryPolicy retry) {
        ScimPaging paging = new ScimPaging(scim, clock, retry);
        this.users = new ScimUsers(members, groups, idpGroups, workspaces, paging, retry);
        this.groupResources = new ScimGroupResources(members, groups, idpGroups, workspaces, scim, paging, retry);
    }

    public Response handle(Request r) {
        Target target = target(r);
        String method = r.method().toUpperCase(Locale.ROOT);
        if (!target.endpoint().methods.contains(method)) {
            ObjectNode error = ScimJson.error(405, null, method + " is not offered here; this path answers "
                    + String.join(", ", target.endpoint().methods) + ".");
            return new Response(405, error, Map.of("allow", String.join(", ", target.endpoint().methods)));
        }
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
            case USERS -> method.equals("GET") ? ok(users.list(r, Query.of(r), attrs)) : users.create(r, attrs);
            case USERS_SEARCH -> ok(users.list(r, Query.of(r.body()), ScimAttributes.of(searchField(r.body(), "attributes"),
                    searchField(r.body(), "excludedAttributes"))));
            case USER -> users.one(r, id, method, attrs);
            case GROUPS -> method.equals("GET") ? ok(groupResources.list(r, Query.of(r), attrs)) : groupResources.create(r, attrs);
            case GROUPS_SEARCH -> ok(groupResources.list(r, Query.of(r.body()), ScimAttributes.of(searchField(r.body(), "attributes"),
                    searchField(r.body(), "excludedAttributes"))));
            case GROUP -> groupResources.one(r, id, method, attrs);
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
                throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-syntax", "The body must be a SCIM SearchRequest object.");
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
    static Query memberPage(Request r) {
        Query asked = Query.of(r);
        int count = r.query("count").isPresent() ? (int) Math.min(IdpGroups.MAX_MEMBERS_SHOWN,
                Math.max(0, Long.parseLong(r.query("count").get().strip()))) : IdpGroups.MAX_MEMBERS_SHOWN;
        return new Query(null, asked.startIndex(), count);
    }

    private static JsonNode searchField(JsonNode body, String name) {
        return body == null ? null : ScimJson.get(body, name);
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
                users.list(r, all, attrs).get("Resources").forEach(found::add);
            }
            if (GROUP_FILTERS.containsAll(named)) {
                groupResources.list(r, all, attrs).get("Resources").forEach(found::add);
            }
            if (!USER_FILTERS.containsAll(named) && !GROUP_FILTERS.containsAll(named)) {
                throw ScimFilter.invalid("No resource type has every attribute this filter names.");
            }
            for (long i = q.startIndex() - 1; i < found.size() && resources.size() < q.count(); i++) {
                resources.add(found.get((int) i));
            }
            return list(resources, q.startIndex(), found.size());
        }
        ObjectNode userList = users.list(r, q, attrs);
        userList.get("Resources").forEach(resources::add);
        long userTotal = userList.get("totalResults").asLong();
        ObjectNode groupList = groupResources.list(r, new Query(null, Math.max(1, q.startIndex() - userTotal),
                q.count() - resources.size()), attrs);
        groupList.get("Resources").forEach(resources::add);
        total = userTotal + groupList.get("totalResults").asLong();
        return list(resources, q.startIndex(), total);
    }

    // ------------------------------------------------------------------ shared

    static ObjectNode list(List<? extends JsonNode> resources, long startIndex, long total) {
        ObjectNode l = ScimJson.object();
        l.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        l.put("totalResults", total);
        l.put("startIndex", startIndex);
        l.put("itemsPerPage", resources.size());
        ArrayNode items = l.putArray("Resources");
        resources.forEach(items::add);
        return l;
    }

    static Response ok(JsonNode body) {
        return new Response(200, body);
    }

    static JsonNode parse(String body) {
        return body == null || body.isBlank() ? null : JsonNodes.parse(body);
    }
}
