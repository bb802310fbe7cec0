package dev.wsl.licenses;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsl.core.Env;
import dev.wsl.telemetry.Invocation;
import java.util.Map;

/**
 * The upgrade backfill ({@code BackfillFunction}), invoked by an operator once after deploying (docs/deploying.md, "Upgrading
 * an existing deployment"); no schedule. Input: {@code {}} to run (continues the run in progress, if any),
 * {@code {"dryRun": true, "position"?: "…"}} to count what a run would change. It stops
 * {@code BACKFILL_RESERVE_SECONDS} (default 60) before the invocation's time limit; invoking it again continues.
 * Its summary line has whether it completed and this invocation's counters.
 */
public final class BackfillHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final BackfillJob job;
    private final long reserveMillis;

    public BackfillHandler() {
        this(LicenseServices.backfillJob(),
                Long.parseLong(Env.optional("BACKFILL_RESERVE_SECONDS").orElse("60")) * 1000);
    }

    public BackfillHandler(BackfillJob job, long reserveMillis) {
        this.job = job;
        this.reserveMillis = reserveMillis;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Invocation.run(context, "operator", invocation -> {
            ReclaimJob.Budget budget = new ReclaimJob.Budget(context::getRemainingTimeInMillis, reserveMillis);
            Object dry = input == null ? null : input.get("dryRun");
            Map<String, Object> report;
            Map<?, ?> counters;
            if (Boolean.TRUE.equals(dry) || "true".equals(dry)) {
                Object position = input.get("position");
                report = job.dryRun(position instanceof String p && !p.isBlank() ? p : null, budget);
                counters = report;
                invocation.field("dryRun", true);
            } else {
                report = job.run(budget);
                counters = report.get(BackfillJob.THIS_INVOCATION) instanceof Map<?, ?> m ? m : Map.of();
                invocation.field("runId", report.get("runId") instanceof String id ? id : null);
            }
            invocation.field("complete", Boolean.TRUE.equals(report.get("complete")))
                    .field("stopped", report.get("stopped") instanceof String why ? why : null)
                    .outcome(Boolean.TRUE.equals(report.get("complete")) ? "complete" : "continues");
            counters.forEach((name, value) -> {
                if (name instanceof String n && value instanceof Number v) {
                    invocation.field(n, v.longValue());
                }
            });
            return report;
        });
    }
}
