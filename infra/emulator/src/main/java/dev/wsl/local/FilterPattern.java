package dev.wsl.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * An event-source-mapping filter ({@code FilterCriteria.Filters[].Pattern}): the subset of
 * EventBridge event-pattern matching that Lambda applies to stream records. Every field of the
 * pattern must match; an object descends into the event, an array lists alternatives, each an
 * exact value or one of {@code prefix}, {@code suffix}, {@code equals-ignore-case},
 * {@code anything-but}, {@code exists}, {@code numeric}. A field whose event value is an array
 * matches if any element does. Unknown operators are rejected when parsing, so a pattern the
 * local runtime cannot honour fails loudly instead of filtering differently from AWS. The
 * {@link EventBus} matches EventBridge rule patterns with it too (same grammar; rules also allow
 * {@code wildcard}, {@code cidr} and {@code $or}, which are rejected here until a rule needs them).
 */
final class FilterPattern {

    private static final Set<String> OPERATORS =
            Set.of("prefix", "suffix", "equals-ignore-case", "anything-but", "exists", "numeric");

    private final JsonNode pattern;
    private final String source;

    private FilterPattern(JsonNode pattern, String source) {
        this.pattern = pattern;
        this.source = source;
    }

    static FilterPattern parse(String json) {
        JsonNode pattern = Json.read(json);
        if (!pattern.isObject()) {
            throw new IllegalArgumentException("a filter pattern is a JSON object: " + json);
        }
        validate(pattern, json);
        return new FilterPattern(pattern, json);
    }

    boolean matches(JsonNode event) {
        return matchesObject(pattern, event);
    }

    @Override
    public String toString() {
        return source;
    }

    private static void validate(JsonNode pattern, String json) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode value = field.getValue();
            if (value.isObject()) {
                validate(value, json);
            } else if (value.isArray()) {
                for (JsonNode alternative : value) {
                    if (alternative.isObject()) {
                        if (alternative.size() != 1 || !OPERATORS.contains(alternative.fieldNames().next())) {
                            throw new IllegalArgumentException("unsupported matcher " + alternative + " in " + json);
                        }
                    } else if (alternative.isArray()) {
                        throw new IllegalArgumentException("nested array in " + json);
                    }
                }
            } else {
                throw new IllegalArgumentException("pattern leaves must be arrays, found " + field.getKey()
                        + ": " + value + " in " + json);
            }
        }
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode event) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode value = event != null && event.isObject() ? event.get(field.getKey()) : null;
            JsonNode expected = field.getValue();
            boolean ok = expected.isObject()
                    ? value != null && value.isObject() && matchesObject(expected, value)
                    : matchesAlternatives(expected, value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAlternatives(JsonNode alternatives, JsonNode value) {
        for (JsonNode alternative : alternatives) {
            if (alternative.isObject() && alternative.has("exists")) {
                if (alternative.get("exists").asBoolean() == (value != null)) {
                    return true;
                }
            } else if (value != null && anyElement(value, v -> matchesOne(alternative, v))) {
                return true;
            }
        }
        return false;
    }

    private interface Check {
        boolean test(JsonNode value);
    }

    private static boolean anyElement(JsonNode value, Check check) {
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (check.test(element)) {
                    return true;
                }
            }
            return false;
        }
        return check.test(value);
    }

    private static boolean matchesOne(JsonNode matcher, JsonNode value) {
        if (!matcher.isObject()) {
            return equalValues(matcher, value);
        }
        String operator = matcher.fieldNames().next();
        JsonNode operand = matcher.get(operator);
        return switch (operator) {
            case "prefix" -> value.isTextual() && value.asText().startsWith(operand.asText());
            case "suffix" -> value.isTextual() && value.asText().endsWith(operand.asText());
            case "equals-ignore-case" -> value.isTextual() && value.asText().equalsIgnoreCase(operand.asText());
            case "anything-but" -> !anythingButExcludes(operand, value);
            case "numeric" -> value.isNumber() && numeric(operand, value.decimalValue());
            default -> throw new IllegalStateException("unvalidated operator " + operator);
        };
    }

    /** Whether {@code value} is one of what {@code anything-but} excludes (value, list, or prefix/suffix). */
    private static boolean anythingButExcludes(JsonNode excluded, JsonNode value) {
        if (excluded.isArray()) {
            for (JsonNode e : excluded) {
                if (equalValues(e, value)) {
                    return true;
                }
            }
            return false;
        }
        if (excluded.isObject()) {
            return matchesOne(excluded, value);
        }
        return equalValues(excluded, value);
    }

    private static boolean numeric(JsonNode conditions, BigDecimal value) {
        Iterator<JsonNode> it = conditions.iterator();
        while (it.hasNext()) {
            String op = it.next().asText();
            if (!it.hasNext()) {
                throw new IllegalArgumentException("numeric matcher needs operator/value pairs: " + conditions);
            }
            int c = value.compareTo(it.next().decimalValue());
            boolean ok = switch (op) {
                case "=" -> c == 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalArgumentException("unknown numeric operator " + op);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalValues(JsonNode expected, JsonNode value) {
        if (expected.isNumber() && value.isNumber()) {
            return expected.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        if (expected.isNull()) {
            return value.isNull();
        }
        return expected.getNodeType() == value.getNodeType() && expected.asText().equals(value.asText());
    }
}
