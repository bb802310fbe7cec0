package dev.wsl.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The discovery documents (RFC 7643 sections 5 to 7): what this service provider supports, and nothing
 * more. PATCH yes; bulk, sorting, ETags and password changes no; filters yes, but only equality terms on
 * attributes with a lookup (see {@link ScimFilter}); authentication by the workspace's bearer token. The
 * User schema lists the attributes that are stored and returned; others that identity providers send
 * (title, phone numbers, addresses, the enterprise extension) are accepted and ignored.
 */
final class ScimSchemas {
    static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    /** Most resources one list answer holds ({@code filter.maxResults}); {@code count} is capped to it. */
    static final int MAX_RESULTS = 100;

    private ScimSchemas() {}

    static ObjectNode serviceProviderConfig(String baseUrl) {
        ObjectNode c = ScimJson.object();
        c.putArray("schemas").add(SERVICE_PROVIDER_CONFIG);
        c.put("documentationUri", "https://github.com/wsl/workspace-licenses#scim-20-provisioning");
        c.putObject("patch").put("supported", true);
        c.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
        c.putObject("filter").put("supported", true).put("maxResults", MAX_RESULTS);
        c.putObject("changePassword").put("supported", false);
        c.putObject("sort").put("supported", false);
        c.putObject("etag").put("supported", false);
        ObjectNode bearer = c.putArray("authenticationSchemes").addObject();
        bearer.put("type", "oauthbearertoken").put("name", "SCIM bearer token")
                .put("description", "The workspace's SCIM token (scim-…), created by a workspace admin, sent as "
                        + "'Authorization: Bearer <token>'.")
                .put("specUri", "https://www.rfc-editor.org/rfc/rfc6750").put("primary", true);
        meta(c, "ServiceProviderConfig", baseUrl + "/ServiceProviderConfig");
        return c;
    }

    static List<ObjectNode> resourceTypes(String baseUrl) {
        return List.of(resourceType(baseUrl, "User", "/Users", USER, "A member of the workspace"),
                resourceType(baseUrl, "Group", "/Groups", GROUP,
                        "The role groups Admins and Members, one license group per subscription, and the groups the "
                                + "identity provider creates"));
    }

    private static ObjectNode resourceType(String baseUrl, String id, String endpoint, String schema, String description) {
        ObjectNode t = ScimJson.object();
        t.putArray("schemas").add(RESOURCE_TYPE);
        t.put("id", id).put("name", id).put("endpoint", endpoint).put("description", description).put("schema", schema);
        t.putArray("schemaExtensions");
        meta(t, "ResourceType", baseUrl + "/ResourceTypes/" + id);
        return t;
    }

    static List<ObjectNode> schemas(String baseUrl) {
        ObjectNode user = schema(baseUrl, USER, "User", "A member of the workspace.");
        ArrayNode ua = user.putArray("attributes");
        ua.add(attribute("userName", "string", false, true, false, "readWrite", "server",
                "Unique in the workspace, compared without case. Okta sends the email, Entra ID the UPN."));
        ua.add(attribute("externalId", "string", false, false, true, "readWrite", "server",
                "The identity provider's id of the user; unique in the workspace."));
        ObjectNode name = attribute("name", "complex", false, false, false, "readWrite", "none", "The user's name.");
        name.putArray("subAttributes")
                .add(attribute("givenName", "string", false, false, false, "readWrite", "none", "Given name."))
                .add(attribute("familyName", "string", false, false, false, "readWrite", "none", "Family name."))
                .add(attribute("formatted", "string", false, false, false, "readOnly", "none",
                        "Given and family name."));
        ua.add(name);
        ua.add(attribute("displayName", "string", false, false, false, "readWrite", "none",
                "The name members see (until the person signs in; then their account's name)."));
        ObjectNode emails = attribute("emails", "complex", true, true, false, "readWrite", "none",
                "The email the membership binds to (required: a member is an email): the one of type work, else "
                        + "the one marked primary, else the only one; several, none of them work or primary, are "
                        + "refused. Only the chosen one is kept. A create without emails may send an email as userName.");
        emails.putArray("subAttributes")
                .add(attribute("value", "string", false, true, false, "readWrite", "none", "The address."))
                .add(attribute("type", "string", false, false, false, "readWrite", "none", "work, home or other, "
                        + "as the client sends it."))
                .add(attribute("primary", "boolean", false, false, false, "readWrite", "none", "The one to use."));
        ua.add(emails);
        ua.add(attribute("active", "boolean", false, true, false, "readWrite", "none",
                "false removes the member (the seat is freed); true again brings them back. Always kept (a "
                        + "create without it means true), so it cannot be removed."));
        ObjectNode group = schema(baseUrl, GROUP, "Group", "A fixed group (a role or a subscription's licenses), "
                + "or a group the identity provider created, which has an effect once an admin maps it.");
        ArrayNode ga = group.putArray("attributes");
        ga.add(attribute("displayName", "string", false, true, false, "readWrite", "server",
                "Unique in the workspace, compared without case. The fixed groups' (Admins, Members, "
                        + "'<plan> (<subscription id>)') cannot be changed."));
        ga.add(attribute("externalId", "string", false, false, true, "readWrite", "server",
                "The identity provider's id of a group it created; unique in the workspace."));
        ObjectNode members = attribute("members", "complex", true, false, false, "readWrite", "none",
                "The members of the group (ids of Users).");
        members.putArray("subAttributes")
                .add(attribute("value", "string", false, false, false, "immutable", "none", "The user's id."))
                .add(attribute("display", "string", false, false, false, "readOnly", "none", "The user's name."))
                .add(attribute("type", "string", false, false, false, "immutable", "none", "User.")
                        .set("canonicalValues", ScimJson.NODES.arrayNode().add("User")))
                .add(attribute("$ref", "reference", false, false, false, "immutable", "none", "The user's URI.")
                        .set("referenceTypes", ScimJson.NODES.arrayNode().add("User")));
        ga.add(members);
        return List.of(user, group);
    }

    private static ObjectNode schema(String baseUrl, String id, String name, String description) {
        ObjectNode s = ScimJson.object();
        s.putArray("schemas").add(SCHEMA);
        s.put("id", id).put("name", name).put("description", description);
        meta(s, "Schema", baseUrl + "/Schemas/" + id);
        return s;
    }

    private static ObjectNode attribute(String name, String type, boolean multiValued, boolean required,
                                        boolean caseExact, String mutability, String uniqueness, String description) {
        ObjectNode a = ScimJson.object();
        a.put("name", name).put("type", type).put("multiValued", multiValued).put("description", description)
                .put("required", required).put("caseExact", caseExact).put("mutability", mutability)
                .put("returned", "default").put("uniqueness", uniqueness);
        return a;
    }

    private static void meta(ObjectNode resource, String resourceType, String location) {
        resource.putObject("meta").put("resourceType", resourceType).put("location", location);
    }
}
