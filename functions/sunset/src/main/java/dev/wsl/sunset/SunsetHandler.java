package dev.wsl.sunset;

import dev.wsl.core.SunsetSettings;
import dev.wsl.core.api.ScheduledHandler;
import dev.wsl.core.domain.JobBudget;
import dev.wsl.core.wiring.Wiring;
import dev.wsl.licenses.LegacyKeyService;
import dev.wsl.licenses.SunsetKeys;
import dev.wsl.mailer.SesMailSender;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The daily schedule's target ({@code SunsetFunction}). Input: {@code {}} for a run (continues the
 * run in progress, if any), {@code {"dryRun": true, "position"?: "..."}} for a dry run. It stops
 * {@code SUNSET_RESERVE_SECONDS} (default 60) before the invocation's time limit; the next
 * invocation — the next day's schedule, or an immediate re-invoke — continues where it stopped.
 * Its summary line has the run, whether it completed, and this invocation's counters; its metrics
 * count notices and digests sent, keys retired, disabled and deleted, and failed sends (dimension
 * {@code Service=sunset}; a dry run counts nothing).
 */
public final class SunsetHandler extends ScheduledHandler {
    private final SunsetJob job;

    public SunsetHandler() {
        this(Wiring.fromEnvironment());
    }

    private SunsetHandler(Wiring wiring) {
        this(fromEnvironment(wiring), wiring.config().jobs().sunsetReserve().toMillis());
    }

    /** @param job null when no sunset plan is configured (every invocation then reports that and does nothing) */
    public SunsetHandler(SunsetJob job, long reserveMillis) {
        super("schedule", reserveMillis);
        this.job = job;
    }

    @Override
    protected Map<String, Object> skipped(Invocation invocation) {
        if (job != null) {
            return null;
        }
        invocation.outcome("no-plan");
        return Map.of("complete", true, "skipped", "no sunset plan is configured (SunsetCutoff is empty)");
    }

    @Override
    protected Map<String, Object> run(LongSupplier remainingMillis, long reserveMillis) {
        return job.run(new JobBudget(remainingMillis, reserveMillis));
    }

    @Override
    protected Map<String, Object> dryRun(String position, LongSupplier remainingMillis, long reserveMillis) {
        return job.dryRun(position, new JobBudget(remainingMillis, reserveMillis));
    }

    /** No per-workspace counters in the line. */
    @Override
    protected boolean logged(String counter) {
        return !counter.startsWith("workspace.");
    }

    @Override
    protected void observe(Invocation invocation, Map<?, ?> counters, boolean dryRun) {
        if (number(counters.get("sendFailures")) > 0) {
            invocation.warn();
        }
        if (!dryRun) {
            invocation.count(Metric.SUNSET_NOTICES_SENT, number(counters.get("noticesSent")))
                    .count(Metric.SUNSET_DIGESTS_SENT, number(counters.get("digestsSent")))
                    .count(Metric.SUNSET_KEYS_RETIRED, number(counters.get("keysRetired")))
                    .count(Metric.SUNSET_KEYS_DISABLED, number(counters.get("keysDisabled")))
                    .count(Metric.SUNSET_KEYS_DELETED, number(counters.get("keysDeleted")))
                    .count(Metric.SUNSET_SEND_FAILURES, number(counters.get("sendFailures")));
        }
    }

    private static SunsetJob fromEnvironment(Wiring wiring) {
        return SunsetSettings.fromEnvironment().map(plan -> {
            SunsetKeys licenses = new SunsetKeys(new LegacyKeyService(wiring.workspaces(), wiring.licenses(),
                    wiring.credentials(), wiring.clock(), wiring.retry()));
            return new SunsetJob(wiring.sunset(), licenses,
                    new SesMailSender(SesMailSender.client(), wiring.config().mail().sender()), plan, wiring.clock(),
                    SunsetJob.PAGE_SIZE, wiring.retry());
        }).orElse(null);
    }
}
