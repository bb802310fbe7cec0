package dev.wsl.core.store;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A condition expression (or none, for updates) with its placeholders. The
 * placeholders are also available to the update expression of the same write.
 */
public record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    public Condition {
        names = Map.copyOf(names);
        values = Map.copyOf(values);
    }

    public static Condition none() {
        return new Condition(null, Map.of(), Map.of());
    }

    public static Condition of(String expression) {
        return new Condition(expression, Map.of(), Map.of());
    }

    public static Condition notExists() {
        return of("attribute_not_exists(PK)");
    }

    /** The stored item still has the version that was read. */
    public static Condition version(long expected) {
        return new Condition("#version = :expectedVersion", Map.of("#version", "version"),
                Map.of(":expectedVersion", Attrs.n(expected)));
    }

    public Condition name(String placeholder, String attribute) {
        Map<String, String> n = new HashMap<>(names);
        n.put(placeholder, attribute);
        return new Condition(expression, n, values);
    }

    public Condition value(String placeholder, AttributeValue value) {
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(placeholder, value);
        return new Condition(expression, names, v);
    }

    Map<String, String> namesOrNull() {
        return names.isEmpty() ? null : names;
    }

    Map<String, AttributeValue> valuesOrNull() {
        return values.isEmpty() ? null : values;
    }
}
