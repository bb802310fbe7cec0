package dev.wsl.members;

import dev.wsl.core.domain.JobBudget;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.DomainStore;
import dev.wsl.core.port.TxtResolver;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The daily check of every email domain of every workspace (PRODUCT.md section 11: "checked on request and
 * again daily"). Pages through the {@code DOMAINS} index (no scan), looks each domain's record up in DNS and
 * records what it saw: a domain whose record appears is verified, one whose record is gone starts (or keeps)
 * its 7-day grace, and one whose grace is over lapses. A change of status is audited in the domain's workspace
 * with the job as actor; a check that changes nothing is recorded on the domain only.
 *
 * <p>Bounded and resumable: pages of {@code pageSize}; after each page the run's checkpoint moves on (one
 * conditioned write), and the job stops {@link Budget#reserveMillis()} before the invocation's time runs out;
 * the next invocation continues the same run. A domain an admin changed meanwhile is skipped (their own check
 * just happened; a busy table leaves it to the next day's run). Thread-confined: one run per invocation.
 */
public final class DomainCheckJob {
    public static final int PAGE_SIZE = 25;
    static final Actor JOB = new Actor("domain-check", "domain-check");

    private final DomainStore store;
    private final TxtResolver dns;
    private final Clock clock;
    private final int pageSize;
    private final RetryPolicy retry;

    public DomainCheckJob(DomainStore store, TxtResolver dns, Clock clock, int pageSize, RetryPolicy retry) {
        this.store = Objects.requireNonNull(store);
        this.dns = Objects.requireNonNull(dns);
        this.clock = Objects.requireNonNull(clock);
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
        this.pageSize = pageSize;
        this.retry = Objects.requireNonNull(retry);
    }

    /**
     * Continues the run in progress, or starts one. Answers {@code runId}, {@code complete} (or why it
     * {@code stopped}) and this invocation's counters: {@code checked}, {@code verified} (newly), {@code lapsed},
     * {@code stillVerified}, {@code missing}, {@code wrongValue}, {@code lookupFailed}, {@code skipped}.
     */
    public Map<String, Object> run(JobBudget budget) {
        DomainStore.Run run = retry.run(store::currentRun).orElse(null);
        if (run == null) {
            String runId = clock.instant() + "-" + UUID.randomUUID().toString().substring(0, 8);
            if (!retry.run(() -> store.startRun(runId, clock.instant()))) {
                return report(null, false, "another invocation started a run meanwhile", new TreeMap<>());
            }
            run = new DomainStore.Run(runId, null);
        }
        Map<String, Long> counts = new TreeMap<>();
        while (true) {
            if (budget.exhausted()) {
                return report(run.runId(), false, "time budget reached; the next invocation continues", counts);
            }
            DomainStore.Run read = run;
            DomainStore.Page page = retry.run(() -> store.page(read.position(), pageSize));
            for (EmailDomain domain : page.domains()) {
                check(domain, counts);
            }
            boolean finished = !page.more();
            String position = page.domains().isEmpty() ? run.position() : page.last();
            if (!retry.run(() -> store.advance(read, position, finished))) {
                return report(run.runId(), false, "another invocation advanced this run; it continues", counts);
            }
            if (finished) {
                return report(run.runId(), true, null, counts);
            }
            run = new DomainStore.Run(run.runId(), position);
        }
    }

    private void check(EmailDomain before, Map<String, Long> counts) {
        EmailDomain.CheckResult result = before.judge(dns.txt(before.recordName()));
        Instant now = clock.instant();
        EmailDomain after = before.checked(result, now);
        String action = !before.verified(now) && after.verified(now) ? "domain.verified"
                : before.verifiedAt() != null && after.verifiedAt() == null ? "domain.lapsed" : null;
        try {
            // One attempt: a domain changed meanwhile was just checked or removed by an admin.
            store.saveCheck(before, after, action == null ? null : JOB.audit(before.workspaceId(), now, action,
                    before.name(), Map.of("result", result.name())));
        } catch (ChangedMeanwhile | dev.wsl.core.failure.Busy changedMeanwhile) {
            counts.merge("skipped", 1L, Long::sum);
            return;
        }
        counts.merge("checked", 1L, Long::sum);
        counts.merge(switch (result) {
            case FOUND -> "found";
            case MISSING -> "missing";
            case WRONG_VALUE -> "wrongValue";
            case LOOKUP_FAILED -> "lookupFailed";
        }, 1L, Long::sum);
        if ("domain.verified".equals(action)) {
            counts.merge("verified", 1L, Long::sum);
        } else if ("domain.lapsed".equals(action)) {
            counts.merge("lapsed", 1L, Long::sum);
        }
    }

    private static Map<String, Object> report(String runId, boolean complete, String stopped, Map<String, Long> counts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", runId);
        out.put("complete", complete);
        if (stopped != null) {
            out.put("stopped", stopped);
        }
        out.putAll(counts);
        return out;
    }
}
