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
import dev.wsl.licenses.LicenseService;
import dev.wsl.mailer.SesMailSender;
import java.time.Clock;
import java.util.Map;

/**
 * The daily schedule's target ({@code SunsetFunction}). Input: {@code {}} for a run (continues the
 * run in progress, if any), {@code {"dryRun": true, "position"?: "..."}} for a dry run. It stops
 * {@code SUNSET_RESERVE_SECONDS} (default 60) before the invocation's time limit; the next
 * invocation — the next day's schedule, or an immediate re-invoke — continues where it stopped.
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
        if (job == null) {
            return Map.of("complete", true, "skipped", "no sunset plan is configured (SunsetCutoff is empty)");
        }
        SunsetJob.Budget budget = new SunsetJob.Budget(context::getRemainingTimeInMillis, reserveMillis);
        Object dry = input == null ? null : input.get("dryRun");
        if (Boolean.TRUE.equals(dry) || "true".equals(dry)) {
            Object position = input.get("position");
            return job.dryRun(position instanceof String p && !p.isBlank() ? p : null, budget);
        }
        return job.run(budget);
    }

    private static SunsetJob fromEnvironment() {
        return SunsetSettings.fromEnvironment().map(plan -> {
            var dynamo = DynamoClients.create();
            String table = DynamoClients.tableName();
            LicenseService licenses = new LicenseService(new DynamoWorkspaceStore(dynamo, table),
                    new DynamoLicenseStore(dynamo, table), new DynamoCredentialStore(dynamo, table), Clock.systemUTC(),
                    RetryPolicy.STANDARD);
            return new SunsetJob(new DynamoSunsetStore(dynamo, table), licenses,
                    new SesMailSender(SesMailSender.client(), Env.required("SENDER_EMAIL")), plan, Clock.systemUTC(),
                    SunsetJob.PAGE_SIZE, RetryPolicy.STANDARD);
        }).orElse(null);
    }
}
