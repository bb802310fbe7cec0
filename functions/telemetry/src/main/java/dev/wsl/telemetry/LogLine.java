package dev.wsl.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One log line: a JSON object on one line, built in one {@link StringBuilder} and written with one
 * write to standard output. It starts with {@code timestamp} (RFC 3339, UTC, milliseconds) and
 * {@code level}, the two fields Lambda reads from a JSON line for log-level filtering; field names
 * are the callers' constants and are not escaped, values are.
 *
 * <p>Standard output, read at each write: Lambda's Java runtime sends each line the function prints
 * to CloudWatch Logs as one event, and with {@code LogFormat: JSON} it keeps a line that already is a
 * JSON object as it is (no second encoding). The context's {@code LambdaLogger} would not do: under
 * JSON format it wraps each message as a string into its own object, which would hide these fields
 * (and the embedded metrics) inside {@code message}. Not thread-safe; one line per builder.
 */
final class LogLine {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static volatile Second second = new Second(Long.MIN_VALUE, "");
    private static volatile boolean muted;

    /** The formatted second of the last line, so that most lines only append their milliseconds. */
    private record Second(long epochSecond, String text) {}

    private final StringBuilder out;

    LogLine(int capacity, long epochMillis, String level) {
        out = new StringBuilder(capacity).append("{\"timestamp\":\"");
        appendTimestamp(out, epochMillis);
        out.append("\",\"level\":\"").append(level).append('"');
    }

    LogLine field(String name, String value) {
        if (value != null) {
            JsonText.string(out.append(",\"").append(name).append("\":"), value);
        }
        return this;
    }

    LogLine field(String name, long value) {
        out.append(",\"").append(name).append("\":").append(value);
        return this;
    }

    LogLine field(String name, boolean value) {
        out.append(",\"").append(name).append("\":").append(value);
        return this;
    }

    /** A duration in milliseconds with microsecond precision, e.g. {@code 12.345}. */
    LogLine millis(String name, long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        out.append(",\"").append(name).append("\":").append(micros / 1_000).append('.');
        long fraction = micros % 1_000;
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
        return this;
    }

    /** Appends already written JSON members ({@code "a":1,"b":"c"}), or nothing for an empty text. */
    LogLine members(CharSequence json) {
        if (!json.isEmpty()) {
            out.append(',').append(json);
        }
        return this;
    }

    LogLine error(Throwable error) {
        if (error != null) {
            ErrorReport.append(out.append(','), error);
        }
        return this;
    }

    StringBuilder builder() {
        return out;
    }

    /** Ends the object and writes it, with its newline, in one write. */
    void write() {
        out.append("}\n");
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        if (muted) {
            return;
        }
        java.io.PrintStream stdout = System.out;
        stdout.write(bytes, 0, bytes.length);
        stdout.flush();
    }

    /**
     * Runs {@code work} with every line built as usual but not written: SnapStart priming runs real
     * invocations, whose lines (and metrics) must not reach CloudWatch, while building them is part
     * of what priming compiles.
     */
    static void muted(Runnable work) {
        muted = true;
        try {
            work.run();
        } finally {
            muted = false;
        }
    }

    private static void appendTimestamp(StringBuilder out, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            s = new Second(epochSecond, SECOND.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC)));
            second = s;
        }
        int millis = Math.floorMod(epochMillis, 1000);
        out.append(s.text()).append('.');
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        out.append(millis).append('Z');
    }
}
