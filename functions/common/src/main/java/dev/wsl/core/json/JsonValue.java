package dev.wsl.core.json;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value, as small as a request body needs: what {@link JsonBody} reads, built by {@link JsonTree}
 * with jackson-core's streaming parser (no data binding on a function's cold path). Immutable.
 */
public sealed interface JsonValue {

    /** An object; its fields in the order of the text. */
    record Obj(Map<String, JsonValue> fields) implements JsonValue {
        public Obj {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }

        /** The field's value, or null when the object has no such field (a JSON null is {@link Null#NULL}). */
        public JsonValue get(String name) {
            return fields.get(name);
        }
    }

    record Arr(List<JsonValue> items) implements JsonValue {
        public Arr {
            items = List.copyOf(items);
        }
    }

    record Str(String value) implements JsonValue {}

    /** A number; {@code integer} is its value when it is written without fraction or exponent, else null. */
    record Num(BigInteger integer) implements JsonValue {
        public boolean isInt() {
            return integer != null && integer.bitLength() < Integer.SIZE;
        }
    }

    record Bool(boolean value) implements JsonValue {}

    enum Null implements JsonValue { NULL }
}
