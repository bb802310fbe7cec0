package dev.wsl.members;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.wsl.core.Env;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.DynamoDomainStore;
import dev.wsl.telemetry.Invocation;
import java.time.Clock;
import java.util.Map;

/**
 * The daily schedule's target ({@code DomainCheckFunction}): checks every workspace's email domains in DNS
 * ({@link DomainCheckJob}). It stops {@code DOMAIN_CHECK_RESERVE_SECONDS} (default 60) before the invocation's
 * time limit; the next invocation continues the run. Its summary line has the run, whether it completed, and
 * this invocation's counters; a run with lookups DNS did not answer is a warning.
 */
public final class DomainCheckHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final DomainCheckJob job;
    private final long reserveMillis;

    public DomainCheckHandler() {
        this(new DomainCheckJob(new DynamoDomainStore(DynamoClients.create(),
                        dev.wsl.core.FunctionConfig.fromEnvironment().table()),
                        JndiTxtResolver.fromEnvironment(), Clock.systemUTC(), DomainCheckJob.PAGE_SIZE,
                        RetryPolicy.STANDARD),
                Long.parseLong(Env.optional("DOMAIN_CHECK_RESERVE_SECONDS").orElse("60")) * 1000);
    }

    public DomainCheckHandler(DomainCheckJob job, long reserveMillis) {
        this.job = job;
        this.reserveMillis = reserveMillis;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Invocation.run(context, "schedule", invocation -> {
            Map<String, Object> report = job.run(new DomainCheckJob.Budget(
                    context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis, reserveMillis));
            boolean complete = Boolean.TRUE.equals(report.get("complete"));
            invocation.field("runId", report.get("runId") instanceof String id ? id : null)
                    .field("complete", complete)
                    .outcome(complete ? "complete" : "continues");
            report.forEach((name, value) -> {
                if (value instanceof Long n) {
                    invocation.field(name, n);
                }
            });
            if (report.get("lookupFailed") instanceof Long failed && failed > 0) {
                invocation.warn();
            }
            return report;
        });
    }
}
