package dev.wsl.telemetry;

/**
 * A log line beside the invocation's summary, for what an operator needs to see on its own: a send
 * that failed and why, a record of a batch that failed, a usage write that was lost. It carries a
 * {@code message} (a constant text; ids, such as the {@code workspaceId}, and counts go into fields), the
 * running {@link Invocation}'s {@code service}, {@code function_name}, {@code function_request_id},
 * {@code xray_trace_id} and {@code route} when there is one on this thread, and the error with its causes
 * and stack trace.
 *
 * <pre>{@code
 * Log.warn("invitation email not sent").field("memberId", id).field("attempt", 3).error(e).write();
 * }</pre>
 * The same rule as for summaries: no secret, no body, no header in any field.
 */
public final class Log {
    private Log() {}

    public static Entry info(String message) {
        return new Entry("INFO", message);
    }

    public static Entry warn(String message) {
        return new Entry("WARN", message);
    }

    public static Entry error(String message) {
        return new Entry("ERROR", message);
    }

    /** One extra line being put together; {@link #write()} writes it. Not thread-safe. */
    public static final class Entry {
        private final LogLine line;
        private Throwable error;

        private Entry(String level, String message) {
            line = new LogLine(512, System.currentTimeMillis(), level).field("message", message);
            Invocation current = Invocation.current();
            if (current != null) {
                current.context(line);
            }
        }

        public Entry field(String name, String value) {
            line.field(name, value);
            return this;
        }

        public Entry field(String name, long value) {
            line.field(name, value);
            return this;
        }

        public Entry error(Throwable error) {
            this.error = error;
            return this;
        }

        public void write() {
            line.error(error);
            line.write();
        }
    }
}
