package dev.wsl.core.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsl.telemetry.Invocation;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Base of every job that a schedule (or an operator) starts and that works in budgeted steps: reclaim, sunset,
 * domain check, backfill. Input: {@code {}} for a run (which continues the run in progress, if any), or
 * {@code {"dryRun": true, "position"?: "..."}} for a dry run where the job has one. The job stops when the
 * invocation's remaining time falls to its reserve; the next invocation continues where it stopped. The summary
 * line has the run, whether it completed (outcome {@code complete} or {@code continues}), why it stopped, and this
 * invocation's counters; {@link #observe} adds the job's metrics and warnings. Thread-safe if the job is.
 */
public abstract class ScheduledHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final String route;
    private final long reserveMillis;

    /**
     * @param route         the summary line's route: {@code schedule}, or {@code operator} for a job only people start
     * @param reserveMillis how long before the invocation's time limit the job stops
     */
    protected ScheduledHandler(String route, long reserveMillis) {
        this.route = route;
        this.reserveMillis = reserveMillis;
    }

    /** A run (or its continuation), within {@code remainingMillis} less the reserve. */
    protected abstract Map<String, Object> run(LongSupplier remainingMillis, long reserveMillis);

    /**
     * A dry run from {@code position} (null: the start), which changes nothing; null when the job has none
     * (then a dry-run input starts a run).
     */
    protected Map<String, Object> dryRun(String position, LongSupplier remainingMillis, long reserveMillis) {
        return null;
    }

    /** An answer without a run (e.g. nothing is configured), its outcome set on {@code invocation}; null by default. */
    protected Map<String, Object> skipped(Invocation invocation) {
        return null;
    }

    /** This invocation's counters in a run's report: the report's {@code thisInvocation} by default. */
    protected Map<?, ?> counters(Map<String, Object> report) {
        return report.get("thisInvocation") instanceof Map<?, ?> m ? m : Map.of();
    }

    /** Whether a counter goes into the summary line: every one by default. */
    protected boolean logged(String counter) {
        return true;
    }

    /** The job's metrics and warnings from a run's counters (a dry run counts nothing); none by default. */
    protected void observe(Invocation invocation, Map<?, ?> counters, boolean dryRun) {
    }

    @Override
    public final Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Invocation.run(context, route, invocation -> {
            Map<String, Object> skipped = skipped(invocation);
            if (skipped != null) {
                return skipped;
            }
            LongSupplier remaining = context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis;
            Object dry = input == null ? null : input.get("dryRun");
            if (Boolean.TRUE.equals(dry) || "true".equals(dry)) {
                Object position = input.get("position");
                Map<String, Object> report = dryRun(position instanceof String p && !p.isBlank() ? p : null,
                        remaining, reserveMillis);
                if (report != null) {
                    describe(invocation.field("dryRun", true), report, report);
                    observe(invocation, report, true);
                    return report;
                }
            }
            Map<String, Object> report = run(remaining, reserveMillis);
            Map<?, ?> counters = counters(report);
            describe(invocation, report, counters);
            observe(invocation, counters, false);
            return report;
        });
    }

    private void describe(Invocation invocation, Map<String, Object> report, Map<?, ?> counters) {
        invocation.field("runId", report.get("runId") instanceof String id ? id : null)
                .field("complete", Boolean.TRUE.equals(report.get("complete")))
                .field("stopped", report.get("stopped") instanceof String why ? why : null)
                .outcome(Boolean.TRUE.equals(report.get("complete")) ? "complete" : "continues");
        counters.forEach((name, value) -> {
            if (name instanceof String n && logged(n) && value instanceof Number v) {
                invocation.field(n, v.longValue());
            }
        });
    }

    /** A counter's value, 0 when absent. */
    protected static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
