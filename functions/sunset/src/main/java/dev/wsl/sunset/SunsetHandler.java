package dev.wsl.sunset;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsl.core.Env;
import dev.wsl.core.SunsetSettings;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoSunsetStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.licenses.LegacyKeyService;
import dev.wsl.licenses.SunsetKeys;
import dev.wsl.mailer.SesMailSender;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.time.Clock;
import java.util.Map;

/**
 * The daily schedule's target ({@code SunsetFunction}). Input: {@code {}} for a run (continues the
 * run in progress, if any), {@code {"dryRun": true, "position"?: "..."}} for a dry run. It stops
 * {@code SUNSET_RESERVE_SECONDS} (default 60) before the invocation's time limit; the next
 * invocation — the next day's schedule, or an immediate re-invoke — continues where it stopped.
 * Its summary line has the run, whether it completed, and this invocation's counters; its metrics
 * count notices and digests sent, keys retired, disabled and deleted, and failed sends (dimension
 * {@code Service=sunset}; a dry run counts nothing).
 */
public final class SunsetHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final SunsetJob job;
    private final long reserveMillis;

    public SunsetHandler() {
        this(fromEnvironment(), Long.parseLong(Env.optional("SUNSET_RESERVE_SECONDS").orElse("60")) * 1000);
    }

    /** @param job null when no sunset plan is configured (every invocation then reports that and does nothing) */
    public SunsetHandler(SunsetJob job, long reserveMillis) {
        this.job = job;
        this.reserveMillis = reserveMillis;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Invocation.run(context, "schedule", invocation -> {
            if (job == null) {
                invocation.outcome("no-plan");
                return Map.of("complete", true, "skipped", "no sunset plan is configured (SunsetCutoff is empty)");
            }
            SunsetJob.Budget budget = new SunsetJob.Budget(context::getRemainingTimeInMillis, reserveMillis);
            Object dry = input == null ? null : input.get("dryRun");
            if (Boolean.TRUE.equals(dry) || "true".equals(dry)) {
                Object position = input.get("position");
                Map<String, Object> report = job.dryRun(position instanceof String p && !p.isBlank() ? p : null, budget);
                describe(invocation.field("dryRun", true), report, report);
                return report;
            }
            Map<String, Object> report = job.run(budget);
            Map<?, ?> counters = report.get(SunsetJob.THIS_INVOCATION) instanceof Map<?, ?> m ? m : Map.of();
            describe(invocation, report, counters);
            invocation.count(Metric.SUNSET_NOTICES_SENT, number(counters.get("noticesSent")))
                    .count(Metric.SUNSET_DIGESTS_SENT, number(counters.get("digestsSent")))
                    .count(Metric.SUNSET_KEYS_RETIRED, number(counters.get("keysRetired")))
                    .count(Metric.SUNSET_KEYS_DISABLED, number(counters.get("keysDisabled")))
                    .count(Metric.SUNSET_KEYS_DELETED, number(counters.get("keysDeleted")))
                    .count(Metric.SUNSET_SEND_FAILURES, number(counters.get("sendFailures")));
            return report;
        });
    }

    /** The run, whether it is complete (or why it stopped), and this invocation's counters (no per-workspace ones). */
    private static void describe(Invocation invocation, Map<String, Object> report, Map<?, ?> counters) {
        invocation.field("runId", report.get("runId") instanceof String id ? id : null)
                .field("complete", Boolean.TRUE.equals(report.get("complete")))
                .field("stopped", report.get("stopped") instanceof String why ? why : null)
                .outcome(Boolean.TRUE.equals(report.get("complete")) ? "complete" : "continues");
        counters.forEach((name, value) -> {
            if (name instanceof String n && !n.startsWith("workspace.") && value instanceof Number v) {
                invocation.field(n, v.longValue());
            }
        });
        if (number(counters.get("sendFailures")) > 0) {
            invocation.warn();
        }
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static SunsetJob fromEnvironment() {
        return SunsetSettings.fromEnvironment().map(plan -> {
            var dynamo = DynamoClients.create();
            String table = dev.wsl.core.FunctionConfig.fromEnvironment().table();
            SunsetKeys licenses = new SunsetKeys(new LegacyKeyService(new DynamoWorkspaceStore(dynamo, table),
                    new DynamoLicenseStore(dynamo, table), new DynamoCredentialStore(dynamo, table), Clock.systemUTC(),
                    RetryPolicy.STANDARD));
            return new SunsetJob(new DynamoSunsetStore(dynamo, table), licenses,
                    new SesMailSender(SesMailSender.client(), Env.required("SENDER_EMAIL")), plan, Clock.systemUTC(),
                    SunsetJob.PAGE_SIZE, RetryPolicy.STANDARD);
        }).orElse(null);
    }
}
