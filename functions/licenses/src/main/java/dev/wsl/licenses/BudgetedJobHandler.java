package dev.wsl.licenses;

import dev.wsl.core.domain.JobBudget;
import dev.wsl.core.api.ScheduledHandler;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** A {@link ScheduledHandler} around one of this module's jobs that run within a {@link JobBudget}. */
abstract class BudgetedJobHandler extends ScheduledHandler {
    private final Function<JobBudget, Map<String, Object>> run;
    private final BiFunction<String, JobBudget, Map<String, Object>> dryRun;

    BudgetedJobHandler(String route, long reserveMillis, Function<JobBudget, Map<String, Object>> run,
                       BiFunction<String, JobBudget, Map<String, Object>> dryRun) {
        super(route, reserveMillis);
        this.run = run;
        this.dryRun = dryRun;
    }

    @Override
    protected final Map<String, Object> run(LongSupplier remainingMillis, long reserveMillis) {
        return run.apply(new JobBudget(remainingMillis, reserveMillis));
    }

    @Override
    protected final Map<String, Object> dryRun(String position, LongSupplier remainingMillis, long reserveMillis) {
        return dryRun.apply(position, new JobBudget(remainingMillis, reserveMillis));
    }
}
