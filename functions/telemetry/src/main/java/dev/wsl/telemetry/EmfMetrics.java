package dev.wsl.telemetry;

import java.util.function.BinaryOperator;

/**
 * The metrics of one summary line, written as CloudWatch's embedded metric format: {@code "_aws":{…}} with one
 * directive per dimension set (metrics with the same dimensions share one), then each dimension's value and each
 * metric's count. A handful of metrics at most, so arrays rather than collections (the hot path's allocation).
 */
final class EmfMetrics {
    private static final int MAX_METRICS = 8;

    private final Metric[] metrics = new Metric[MAX_METRICS];
    private final long[] counts = new long[MAX_METRICS];
    private int metricCount;

    /**
     * @throws IllegalArgumentException for a metric of another service than the line's other metrics (one line
     *                                  has one {@code Service} dimension value), or a ninth metric
     */
    void count(Metric metric, long n) {
        for (int i = 0; i < metricCount; i++) {
            if (metrics[i] == metric) {
                counts[i] += n;
                return;
            }
        }
        if (metricCount > 0 && !metrics[0].service().equals(metric.service())) {
            throw new IllegalArgumentException(metric + " is not of service " + metrics[0].service());
        }
        if (metricCount == MAX_METRICS) {
            throw new IllegalArgumentException("at most " + MAX_METRICS + " metrics per line");
        }
        metrics[metricCount] = metric;
        counts[metricCount++] = n;
    }

    boolean isEmpty() {
        return metricCount == 0;
    }

    /** @param dimensionValue a dimension's value on this line, from (dimension name, the field it defaults to) */
    void appendTo(StringBuilder out, long now, BinaryOperator<String> dimensionValue) {
        out.append(",\"_aws\":{\"Timestamp\":").append(now).append(",\"CloudWatchMetrics\":[");
        boolean[] done = new boolean[metricCount];
        for (int i = 0; i < metricCount; i++) {
            if (done[i]) {
                continue;
            }
            out.append(i == 0 ? "" : ",").append("{\"Namespace\":\"").append(Metric.NAMESPACE)
                    .append("\",\"Dimensions\":").append(metrics[i].dimensionsJson()).append(",\"Metrics\":[")
                    .append(metrics[i].definitionJson());
            for (int j = i + 1; j < metricCount; j++) {
                if (metrics[j].dimensions().equals(metrics[i].dimensions())) {
                    out.append(',').append(metrics[j].definitionJson());
                    done[j] = true;
                }
            }
            out.append("]}");
        }
        out.append("]}");
        Names written = new Names();
        for (int i = 0; i < metricCount; i++) {
            Metric metric = metrics[i];
            for (int d = 0; d < metric.dimensions().size(); d++) {
                String dimension = metric.dimensions().get(d);
                if (written.add(dimension)) {
                    String value = d == 0 ? metric.service() : dimensionValue.apply(dimension, metric.fields().get(d));
                    JsonText.string(out.append(",\"").append(dimension).append("\":"), value);
                }
            }
        }
        for (int i = 0; i < metricCount; i++) {
            out.append(",\"").append(metrics[i].metricName()).append("\":").append(counts[i]);
        }
    }

    /** The few dimension names already written to a line (at most a handful: an array beats a set). */
    private static final class Names {
        private final String[] seen = new String[MAX_METRICS];
        private int n;

        boolean add(String name) {
            for (int i = 0; i < n; i++) {
                if (seen[i].equals(name)) {
                    return false;
                }
            }
            seen[n++] = name;
            return true;
        }
    }
}
