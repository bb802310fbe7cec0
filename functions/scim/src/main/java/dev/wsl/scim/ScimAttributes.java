package dev.wsl.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.failure.InvalidInput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's {@code attributes} or {@code excludedAttributes} (RFC 7644 section 3.4.2.5): which attributes
 * of each resource an answer carries. Names in any case, with or without their schema's URN, a sub-attribute
 * as {@code name.givenName}. {@code schemas} and {@code id} are always returned (RFC 7643 section 7:
 * {@code returned: always}), whatever is asked. Immutable.
 *
 * @param included the attributes asked for (lower case, dotted), or empty for all
 * @param excluded the attributes left out (lower case, dotted)
 */
record ScimAttributes(List<String> included, List<String> excluded) {
    static final ScimAttributes ALL = new ScimAttributes(List.of(), List.of());
    private static final List<String> ALWAYS = List.of("schemas", "id");

    /** From comma-separated query parameters. @throws InvalidInput when both are given */
    static ScimAttributes of(String attributes, String excludedAttributes) {
        List<String> in = names(attributes);
        List<String> out = names(excludedAttributes);
        if (!in.isEmpty() && !out.isEmpty()) {
            throw new InvalidInput("invalid-value", "Send either attributes or excludedAttributes, not both.");
        }
        return new ScimAttributes(in, out);
    }

    /** From a SearchRequest's arrays of names. */
    static ScimAttributes of(JsonNode attributes, JsonNode excludedAttributes) {
        return of(joined(attributes, "attributes"), joined(excludedAttributes, "excludedAttributes"));
    }

    private static String joined(JsonNode names, String parameter) {
        if (names == null || names.isNull()) {
            return null;
        }
        if (!names.isArray()) {
            throw new InvalidInput("invalid-value", "'" + parameter + "' must be an array of attribute names.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : names) {
            if (!n.isTextual()) {
                throw new InvalidInput("invalid-value", "'" + parameter + "' must be an array of attribute names.");
            }
            out.add(n.textValue());
        }
        return String.join(",", out);
    }

    private static List<String> names(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            // Without the schema's URN (the part up to the last colon before the attribute's name).
            int colon = name.lastIndexOf(':');
            if (colon >= 0) {
                name = name.substring(colon + 1);
            }
            out.add(name.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    /** Whether the answer carries this top-level attribute (or some of its sub-attributes). */
    boolean wants(String attribute) {
        String a = attribute.toLowerCase(Locale.ROOT);
        if (ALWAYS.contains(a)) {
            return true;
        }
        if (!included.isEmpty()) {
            return included.stream().anyMatch(n -> n.equals(a) || n.startsWith(a + "."));
        }
        return !excluded.contains(a);
    }

    /** The resource with only what was asked for; it is changed in place and returned. */
    ObjectNode apply(ObjectNode resource) {
        if (included.isEmpty() && excluded.isEmpty()) {
            return resource;
        }
        List<String> drop = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resource.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String a = e.getKey().toLowerCase(Locale.ROOT);
            if (ALWAYS.contains(a)) {
                continue;
            }
            if (!wants(a)) {
                drop.add(e.getKey());
            } else if (e.getValue().isObject() || e.getValue().isArray()) {
                narrow(a, e.getValue());
            }
        }
        resource.remove(drop);
        return resource;
    }

    /** Sub-attributes: {@code attributes=name.givenName} keeps only that part; {@code excludedAttributes=name.formatted} drops it. */
    private void narrow(String parent, JsonNode value) {
        List<String> keep = included.stream().filter(n -> n.startsWith(parent + ".")).map(n -> n.substring(parent.length() + 1))
                .toList();
        boolean whole = included.contains(parent);
        List<String> leave = excluded.stream().filter(n -> n.startsWith(parent + ".")).map(n -> n.substring(parent.length() + 1))
                .toList();
        Iterable<JsonNode> parts = value.isArray() ? value : List.of(value);
        for (JsonNode part : parts) {
            if (!(part instanceof ObjectNode object)) {
                continue;
            }
            List<String> drop = new ArrayList<>();
            object.fieldNames().forEachRemaining(name -> {
                String n = name.toLowerCase(Locale.ROOT);
                if ((!included.isEmpty() && !whole && !keep.contains(n)) || leave.contains(n)) {
                    drop.add(name);
                }
            });
            object.remove(drop);
        }
    }
}
