package dev.wsl.core.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small conversions between item attributes and Java values. */
final class Attrs {
    private Attrs() {}

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue time(Instant value) {
        return AttributeValue.fromS(value.toString());
    }

    static AttributeValue list(Collection<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    static AttributeValue map(Map<String, String> values) {
        java.util.Map<String, AttributeValue> m = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, AttributeValue.fromS(v)));
        return AttributeValue.fromM(m);
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> item, String name, long fallback) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? fallback : Long.parseLong(v.n());
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }

    static List<String> strList(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }

    static Map<String, String> strMap(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || !v.hasM()) {
            return Map.of();
        }
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        v.m().forEach((k, av) -> out.put(k, av.s()));
        return out;
    }
}
