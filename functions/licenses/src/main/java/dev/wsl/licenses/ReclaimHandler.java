package dev.wsl.licenses;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsl.core.Env;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.util.Map;

/**
 * The daily schedule's target ({@code ReclaimFunction}, issue 21). Input: {@code {}} for a run (continues the run in
 * progress, if any), {@code {"dryRun": true, "position"?: "on|ws_…"}} for a dry run. It stops
 * {@code RECLAIM_RESERVE_SECONDS} (default 60) before the invocation's time limit; the next invocation — the next
 * day's schedule, Lambda's retry, or an immediate re-invoke — continues where it stopped. Its summary line has the
 * run, whether it completed, and this invocation's counters; its metrics count reclaimed seats and queued notices
 * (dimension {@code Service=reclaim}; a dry run counts nothing).
 */
public final class ReclaimHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final ReclaimJob job;
    private final long reserveMillis;

    public ReclaimHandler() {
        this(LicenseServices.reclaimJob(), Long.parseLong(Env.optional("RECLAIM_RESERVE_SECONDS").orElse("60")) * 1000);
    }

    public ReclaimHandler(ReclaimJob job, long reserveMillis) {
        this.job = job;
        this.reserveMillis = reserveMillis;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Invocation.run(context, "schedule", invocation -> {
            ReclaimJob.Budget budget = new ReclaimJob.Budget(context::getRemainingTimeInMillis, reserveMillis);
            Object dry = input == null ? null : input.get("dryRun");
            if (Boolean.TRUE.equals(dry) || "true".equals(dry)) {
                Object position = input.get("position");
                Map<String, Object> report = job.dryRun(position instanceof String p && !p.isBlank() ? p : null, budget);
                describe(invocation.field("dryRun", true), report, report);
                return report;
            }
            Map<String, Object> report = job.run(budget);
            Map<?, ?> counters = report.get(ReclaimJob.THIS_INVOCATION) instanceof Map<?, ?> m ? m : Map.of();
            describe(invocation, report, counters);
            invocation.count(Metric.SEATS_RECLAIMED, number(counters.get("reclaimed")))
                    .count(Metric.RECLAIM_NOTICES_QUEUED, number(counters.get("noticesQueued")));
            return report;
        });
    }

    private static void describe(Invocation invocation, Map<String, Object> report, Map<?, ?> counters) {
        invocation.field("runId", report.get("runId") instanceof String id ? id : null)
                .field("complete", Boolean.TRUE.equals(report.get("complete")))
                .field("stopped", report.get("stopped") instanceof String why ? why : null)
                .outcome(Boolean.TRUE.equals(report.get("complete")) ? "complete" : "continues");
        counters.forEach((name, value) -> {
            if (name instanceof String n && value instanceof Number v) {
                invocation.field(n, v.longValue());
            }
        });
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
