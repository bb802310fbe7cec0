package dev.wsl.core.json;

import dev.wsl.core.failure.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request body that must be a JSON object with a known set of fields. Every
 * accessor names the field in its refusal, so callers learn exactly what is wrong.
 * Immutable.
 */
public final class JsonBody {
    private final JsonValue.Obj node;

    private JsonBody(JsonValue.Obj node) {
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
        if (!(JsonTree.parse(body) instanceof JsonValue.Obj node)) {
            throw new InvalidInput(InvalidInput.Kind.SYNTAX, "invalid-body", "The body must be a JSON object.");
        }
        for (String name : node.fields().keySet()) {
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
        JsonValue value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonValue.Str text)) {
            throw wrongType(field, "a string");
        }
        return Optional.of(text.value());
    }

    public Optional<Integer> optionalInt(String field, int min, int max) {
        JsonValue value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonValue.Num number) || !number.isInt() || number.integer().intValue() < min
                || number.integer().intValue() > max) {
            throw wrongType(field, "an integer from " + min + " to " + max);
        }
        return Optional.of(number.integer().intValue());
    }

    public Optional<List<String>> optionalStringList(String field, int maxItems) {
        JsonValue value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonValue.Arr array) || array.items().size() > maxItems) {
            throw wrongType(field, "an array of at most " + maxItems + " strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonValue item : array.items()) {
            if (!(item instanceof JsonValue.Str text)) {
                throw wrongType(field, "an array of strings");
            }
            items.add(text.value());
        }
        return Optional.of(items);
    }

    /** The raw value of a field with a structure of its own (the caller validates it), or null. */
    public JsonValue node(String field) {
        return node.get(field);
    }

    public boolean has(String field) {
        return present(field) != null;
    }

    /** The field's value, or null when it is absent or JSON null. */
    private JsonValue present(String field) {
        JsonValue value = node.get(field);
        return value == JsonValue.Null.NULL ? null : value;
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
