package dev.wsl.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.InvalidInput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request body that must be a JSON object with a known set of fields. Every
 * accessor names the field in its refusal, so callers learn exactly what is wrong.
 * Immutable.
 */
public final class JsonBody {
    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /**
     * @param allowed every field name the operation understands; any other is refused
     * @throws InvalidInput for a missing body, malformed JSON, a non-object or an unknown field
     */
    public static JsonBody parse(String body, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            throw new InvalidInput(InvalidInput.Kind.SYNTAX, "missing-body", "A JSON object body is required.");
        }
        JsonNode node = Json.parse(body);
        if (!node.isObject()) {
            throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-body", "The body must be a JSON object.");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidInput("unknown-field", "Unknown field '" + truncate(name)
                        + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
        return new JsonBody(node);
    }

    public String requiredString(String field) {
        return optionalString(field).orElseThrow(
                () -> new InvalidInput("missing-field", "Field '" + field + "' is required."));
    }

    public Optional<String> optionalString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return Optional.of(value.textValue());
    }

    public Optional<Integer> optionalInt(String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw wrongType(field, "an integer from " + min + " to " + max);
        }
        return Optional.of(value.intValue());
    }

    public Optional<List<String>> optionalStringList(String field, int maxItems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw wrongType(field, "an array of at most " + maxItems + " strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw wrongType(field, "an array of strings");
            }
            items.add(item.textValue());
        }
        return Optional.of(items);
    }

    /** The raw value of a field with a structure of its own (the caller validates it), or null. */
    public JsonNode node(String field) {
        return node.get(field);
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    private static InvalidInput wrongType(String field, String expected) {
        return new InvalidInput("invalid-field", "Field '" + field + "' must be " + expected + ".");
    }

    private static String truncate(String name) {
        String printable = name.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
