package dev.wsl.licenses;

import dev.wsl.core.api.ScheduledHandler;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.util.Map;

/**
 * The daily schedule's target ({@code ReclaimFunction}, issue 21). Input: {@code {}} for a run (continues the run in
 * progress, if any), {@code {"dryRun": true, "position"?: "on|ws_…"}} for a dry run. It stops
 * {@code RECLAIM_RESERVE_SECONDS} (default 60) before the invocation's time limit; the next invocation — the next
 * day's schedule, Lambda's retry, or an immediate re-invoke — continues where it stopped. Its summary line has the
 * run, whether it completed, and this invocation's counters ({@link ScheduledHandler}); its metrics count reclaimed
 * seats and queued notices (dimension {@code Service=reclaim}; a dry run counts nothing).
 */
public final class ReclaimHandler extends BudgetedJobHandler {

    public ReclaimHandler() {
        this(LicenseServices.reclaimJob(), LicenseServices.jobs().reclaimReserve().toMillis());
    }

    public ReclaimHandler(ReclaimJob job, long reserveMillis) {
        super("schedule", reserveMillis, job::run, job::dryRun);
    }

    @Override
    protected void observe(Invocation invocation, Map<?, ?> counters, boolean dryRun) {
        if (!dryRun) {
            invocation.count(Metric.SEATS_RECLAIMED, number(counters.get("reclaimed")))
                    .count(Metric.RECLAIM_NOTICES_QUEUED, number(counters.get("noticesQueued")));
        }
    }
}
