package dev.wsl.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The streaming writer against the ObjectMapper the API wrote with before ({@link Json#mapper()}): the same bytes. */
class JsonWriterTest {

    enum Role { ADMIN, MEMBER }

    record Inner(String at, Long count, Role role) {}

    record Outer(String id, int attempts, long seats, boolean licensed, Inner inner, List<Inner> items,
                 Map<String, Long> perMonth, Map<String, String> details, List<String> tags, Double ratio) {}

    record Generic<T>(List<T> items, String nextCursor) {}

    record Empty() {}

    /** Mirrors the ObjectMapper's output for the same value; {@code JsonWriterViewsTest}s do so per module. */
    static void assertWrittenAsBefore(Object value) {
        String before;
        try {
            before = Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
        assertThat(JsonWriter.write(value)).isEqualTo(before);
    }

    static Stream<Object> values() {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:problem:wsl:limit-reached");
        problem.put("title", "Too many requests");
        problem.put("status", 429);
        problem.put("detail", "Wait \"a bit\"\n\tthen retry: ✓ ünïcødé 😀 \u0000\u001f\u007f\u2028 </script>");
        problem.put("instance", "urn:request:7f1c-…");
        problem.put("retryAfter", 30L);
        problem.put("limit", 20);
        problem.put("memberIds", List.of("m_a", "m_b"));
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("kept", "v");
        withNull.put("dropped", null);
        Map<String, Long> months = new TreeMap<>(Map.of("2026-11", 3L, "2026-12", 0L));
        Inner inner = new Inner("2026-12-08T00:00:00Z", null, Role.ADMIN);
        return Stream.of(
                problem, withNull, Map.of(), List.of(), new Empty(), "plain", 42, -7L, true, Role.MEMBER,
                Arrays.asList("a", null, "c"),
                new Outer("m_\u00e9\u4e2d", 3, 9_000_000_000L, true, inner,
                        List.of(inner, new Inner(null, 5L, null)), months, withNull, List.of("x\\y", "\u0001"), 0.5),
                new Outer(null, 0, 0, false, null, null, null, null, null, null),
                new Outer("id", -1, Long.MIN_VALUE, false, null, List.of(), Map.of(), Map.of(), List.of(), 1e300),
                new Generic<>(List.of(inner), null), new Generic<>(List.of(Map.of("k", List.of(1, 2))), "c1"),
                new BigDecimal("12.50"), new BigInteger("123456789012345678901234567890"), 1.5f, (short) 3, 'q',
                new String[] {"a", "b"}, new ArrayList<>(List.of(new Empty())));
    }

    @ParameterizedTest
    @MethodSource("values")
    void write_shouldProduceTheObjectMappersBytes(Object value) {
        assertWrittenAsBefore(value);
    }

    @Test
    void write_shouldRefuseTypesWithoutAJsonFormHere() {
        assertThatThrownBy(() -> JsonWriter.write(Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.time.Instant");
        assertThatThrownBy(() -> JsonWriter.write(List.of(Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class);
        Map<String, String> nullKey = new java.util.HashMap<>();
        nullKey.put(null, "v");
        assertThatThrownBy(() -> JsonWriter.write(nullKey)).isInstanceOf(IllegalArgumentException.class);
    }
}
