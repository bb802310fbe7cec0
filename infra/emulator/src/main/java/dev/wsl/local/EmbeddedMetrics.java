package dev.wsl.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CloudWatch embedded metric format (EMF) out of a log line as CloudWatch Logs does: a JSON
 * object whose {@code _aws} member holds a {@code Timestamp} (epoch milliseconds) and
 * {@code CloudWatchMetrics}, a list of directives, each with a {@code Namespace}, {@code Dimensions}
 * (a list of dimension sets, each a list of names of top-level string members) and {@code Metrics}
 * (a list of {@code {"Name", "Unit"}} whose names are top-level numeric members, or lists of numbers).
 * A line that breaks one of these rules yields no metric in CloudWatch (it only counts an EMF
 * validation error); here it yields the reason, so that a test fails on it.
 */
public final class EmbeddedMetrics {
    private EmbeddedMetrics() {}

    /** One value of one metric in one dimension set, as CloudWatch would record it. */
    public record Value(String namespace, String name, Map<String, String> dimensions, double value, String unit,
                        long timestamp) {
        /** {@code WorkspaceLicenses Activations{Service=activation,Outcome=granted}=1 Count}. */
        public String describe() {
            StringBuilder out = new StringBuilder(namespace).append(' ').append(name).append('{');
            dimensions.forEach((k, v) -> out.append(out.charAt(out.length() - 1) == '{' ? "" : ",").append(k).append('=')
                    .append(v));
            String number = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
            return out.append("}=").append(number).append(' ').append(unit).toString();
        }
    }

    /** The metric values a line carries (empty for a line without {@code _aws}), or why it is invalid EMF. */
    public sealed interface Result permits Metrics, Invalid {}

    public record Metrics(List<Value> values) implements Result {}

    public record Invalid(String reason) implements Result {}

    public static Result read(JsonNode line) {
        JsonNode aws = line.get("_aws");
        if (aws == null) {
            return new Metrics(List.of());
        }
        if (!aws.isObject() || !aws.path("Timestamp").isIntegralNumber()) {
            return new Invalid("_aws.Timestamp must be a number of epoch milliseconds");
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            return new Invalid("_aws.CloudWatchMetrics must be a list");
        }
        long timestamp = aws.get("Timestamp").asLong();
        List<Value> values = new ArrayList<>();
        for (JsonNode directive : directives) {
            JsonNode namespace = directive.get("Namespace");
            JsonNode sets = directive.get("Dimensions");
            JsonNode metrics = directive.get("Metrics");
            if (namespace == null || !namespace.isTextual() || namespace.asText().isEmpty()) {
                return new Invalid("a directive needs a Namespace");
            }
            if (sets == null || !sets.isArray() || metrics == null || !metrics.isArray() || metrics.isEmpty()) {
                return new Invalid("a directive needs Dimensions (a list of lists) and Metrics (a non-empty list)");
            }
            List<Map<String, String>> dimensionSets = new ArrayList<>();
            for (JsonNode set : sets) {
                if (!set.isArray() || set.size() > 30) {
                    return new Invalid("a dimension set must be a list of at most 30 names");
                }
                Map<String, String> dimensions = new LinkedHashMap<>();
                for (JsonNode name : set) {
                    JsonNode member = line.get(name.asText());
                    if (member == null || !member.isTextual()) {
                        return new Invalid("dimension " + name + " has no string member at the top level");
                    }
                    dimensions.put(name.asText(), member.asText());
                }
                dimensionSets.add(dimensions);
            }
            if (dimensionSets.isEmpty()) {
                dimensionSets.add(Map.of());
            }
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText("");
                JsonNode member = line.get(name);
                if (name.isEmpty() || member == null || !(member.isNumber() || member.isArray())) {
                    return new Invalid("metric '" + name + "' has no numeric member at the top level");
                }
                String unit = metric.path("Unit").asText("None");
                List<Double> numbers = new ArrayList<>();
                if (member.isArray()) {
                    member.forEach(n -> numbers.add(n.asDouble()));
                } else {
                    numbers.add(member.asDouble());
                }
                for (Map<String, String> dimensions : dimensionSets) {
                    numbers.forEach(n -> values.add(new Value(namespace.asText(), name, dimensions, n, unit, timestamp)));
                }
            }
        }
        return new Metrics(values);
    }
}
