package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.failure.InvalidInput;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Reading SCIM JSON as RFC 7643 wants it read: attribute names without case, and the values identity
 * providers actually send (Entra ID's {@code "True"}/{@code "False"} strings for booleans).
 */
final class ScimJson {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final JsonNode NULL = NullNode.getInstance();

    private ScimJson() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A SCIM error body (RFC 7644 section 3.12): {@code status} as a string, {@code scimType} where one applies. */
    static ObjectNode error(int status, String scimType, String detail) {
        ObjectNode body = object();
        body.putArray("schemas").add(ScimSchemas.ERROR);
        body.put("status", Integer.toString(status));
        if (scimType != null) {
            body.put("scimType", scimType);
        }
        body.put("detail", detail);
        return body;
    }

    /** The field with this name in any case, or null. */
    static JsonNode get(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A string attribute, or null when absent or null. @throws InvalidInput when it is no string */
    static String text(JsonNode node, String attribute) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInput("invalid-value", "'" + attribute + "' must be a string.");
        }
        return node.textValue();
    }

    /** A boolean attribute as JSON or as a string in any case ({@code "False"}). @throws InvalidInput otherwise */
    static boolean bool(JsonNode node, String attribute) {
        if (node != null && node.isBoolean()) {
            return node.booleanValue();
        }
        if (node != null && node.isTextual()) {
            String v = node.textValue().strip().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return v.equals("true");
            }
        }
        throw new InvalidInput("invalid-value", "'" + attribute + "' must be true or false.");
    }
}
