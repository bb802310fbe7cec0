package dev.wsl.licenses;

import dev.wsl.core.api.ScheduledHandler;

/**
 * The upgrade backfill ({@code BackfillFunction}), invoked by an operator once after deploying (docs/deploying.md, "Upgrading
 * an existing deployment"); no schedule. Input: {@code {}} to run (continues the run in progress, if any),
 * {@code {"dryRun": true, "position"?: "…"}} to count what a run would change. It stops
 * {@code BACKFILL_RESERVE_SECONDS} (default 60) before the invocation's time limit; invoking it again continues.
 * Its summary line has whether it completed and this invocation's counters ({@link ScheduledHandler}).
 */
public final class BackfillHandler extends BudgetedJobHandler {

    public BackfillHandler() {
        this(LicenseServices.backfillJob(), LicenseServices.jobs().backfillReserve().toMillis());
    }

    public BackfillHandler(BackfillJob job, long reserveMillis) {
        super("operator", reserveMillis, job::run, job::dryRun);
    }
}
