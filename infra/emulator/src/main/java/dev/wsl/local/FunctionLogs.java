package dev.wsl.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The functions' standard output, read as Lambda and CloudWatch Logs read it. In Lambda every line a
 * function prints is one log event, and CloudWatch extracts the metrics of a line in embedded metric
 * format; here every function runs in this JVM, so this stands between {@code System.out} and the
 * terminal: each complete line is passed through unchanged, a JSON line is kept (the last
 * 20,000 of them unless {@code wsl.local.keptLogLines} says otherwise, for the tests), and each metric value a line carries is printed once more as
 * a compact {@code [metric] …} line (and kept). A line that is not valid EMF is reported as
 * {@code [metric] invalid EMF: …}. Lines are assembled per thread, so concurrent invocations never
 * interleave within a line. Thread-safe.
 */
public final class FunctionLogs {
    /** How many lines (and metric values) are kept for the tests; {@code wsl.local.keptLogLines} overrides it. */
    static final int KEEP = Integer.getInteger("wsl.local.keptLogLines", 20_000);
    private static FunctionLogs installed;

    /** A JSON line a function printed, with its position among all lines kept since start. */
    public record Line(long position, JsonNode json) {}

    /** A metric value a line carried, with the line's function and request id. */
    public record Metric(long position, EmbeddedMetrics.Value value, String function, String requestId) {}

    private final PrintStream terminal;
    private final Deque<Line> lines = new ArrayDeque<>();
    private final Deque<Metric> metrics = new ArrayDeque<>();
    private final List<String> invalid = new ArrayList<>();
    private long position;

    private FunctionLogs(PrintStream terminal) {
        this.terminal = terminal;
    }

    /** Puts itself between {@code System.out} and the terminal, once per JVM; later calls return the same. */
    public static synchronized FunctionLogs install() {
        if (installed == null) {
            FunctionLogs logs = new FunctionLogs(System.out);
            System.setOut(new PrintStream(logs.new LineSplitter(), true, StandardCharsets.UTF_8));
            installed = logs;
        }
        return installed;
    }

    /** Where the next line will be: pass it to {@link #linesSince} and {@link #metricsSince}. */
    public synchronized long mark() {
        return position;
    }

    public synchronized List<Line> linesSince(long mark) {
        return lines.stream().filter(l -> l.position() >= mark).toList();
    }

    public synchronized List<Metric> metricsSince(long mark) {
        return metrics.stream().filter(m -> m.position() >= mark).toList();
    }

    /** Why each line that tried to be EMF and was not, since start. */
    public synchronized List<String> invalidMetrics() {
        return List.copyOf(invalid);
    }

    private void line(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        JsonNode json = parse(text);
        synchronized (this) {
            terminal.write(bytes, 0, length);
            terminal.write('\n');
            if (json == null || !json.isObject()) {
                terminal.flush();
                return;
            }
            long at = position++;
            keep(lines, new Line(at, json));
            switch (EmbeddedMetrics.read(json)) {
                case EmbeddedMetrics.Metrics m -> m.values().forEach(v -> {
                    keep(metrics, new Metric(at, v, json.path("function_name").asText(null), json.path("function_request_id").asText(null)));
                    terminal.println("[metric] " + v.describe() + " (" + json.path("function_name").asText("?") + ")");
                });
                case EmbeddedMetrics.Invalid bad -> {
                    invalid.add(bad.reason() + ": " + text);
                    terminal.println("[metric] invalid EMF (" + bad.reason() + ")");
                }
            }
            terminal.flush();
        }
    }

    private static JsonNode parse(String text) {
        if (!text.startsWith("{") || !text.endsWith("}")) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static <T> void keep(Deque<T> kept, T item) {
        kept.addLast(item);
        if (kept.size() > KEEP) {
            kept.removeFirst();
        }
    }

    /** Splits what a thread writes into lines; a flush passes a partial line on as it is. */
    private final class LineSplitter extends OutputStream {
        private final ThreadLocal<ByteArrayOutputStream> pending = ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ByteArrayOutputStream buffer = pending.get();
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    buffer.write(b, start, i - start);
                    byte[] line = buffer.toByteArray();
                    int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                    buffer.reset();
                    line(line, length);
                    start = i + 1;
                }
            }
            buffer.write(b, start, off + len - start);
        }

        @Override
        public void flush() {
            ByteArrayOutputStream buffer = pending.get();
            if (buffer.size() > 0) {
                synchronized (FunctionLogs.this) {
                    terminal.write(buffer.toByteArray(), 0, buffer.size());
                    terminal.flush();
                }
                buffer.reset();
            } else {
                terminal.flush();
            }
        }
    }
}
