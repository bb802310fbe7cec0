package dev.wsl.members;

import dev.wsl.core.api.ScheduledHandler;
import dev.wsl.core.domain.JobBudget;
import dev.wsl.core.wiring.Wiring;
import dev.wsl.telemetry.Invocation;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The daily schedule's target ({@code DomainCheckFunction}): checks every workspace's email domains in DNS
 * ({@link DomainCheckJob}). It stops {@code DOMAIN_CHECK_RESERVE_SECONDS} (default 60) before the invocation's
 * time limit; the next invocation continues the run. Its summary line has the run, whether it completed, and
 * this invocation's counters; a run with lookups DNS did not answer is a warning.
 */
public final class DomainCheckHandler extends ScheduledHandler {
    private final DomainCheckJob job;

    public DomainCheckHandler() {
        this(Wiring.fromEnvironment());
    }

    private DomainCheckHandler(Wiring wiring) {
        this(new DomainCheckJob(wiring.domains(), new JndiTxtResolver(wiring.config().dnsResolver().orElse(null)),
                        wiring.clock(), DomainCheckJob.PAGE_SIZE, wiring.retry()),
                wiring.config().jobs().domainCheckReserve().toMillis());
    }

    public DomainCheckHandler(DomainCheckJob job, long reserveMillis) {
        super("schedule", reserveMillis);
        this.job = job;
    }

    /** No dry run: every input starts (or continues) a run. */
    @Override
    protected Map<String, Object> run(LongSupplier remainingMillis, long reserveMillis) {
        return job.run(new JobBudget(remainingMillis, reserveMillis));
    }

    /** The run's report holds this invocation's counters itself. */
    @Override
    protected Map<?, ?> counters(Map<String, Object> report) {
        return report;
    }

    @Override
    protected void observe(Invocation invocation, Map<?, ?> counters, boolean dryRun) {
        if (counters.get("lookupFailed") instanceof Long failed && failed > 0) {
            invocation.warn();
        }
    }
}
