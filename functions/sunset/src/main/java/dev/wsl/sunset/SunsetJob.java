package dev.wsl.sunset;

import dev.wsl.core.domain.JobBudget;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.SunsetStore;
import dev.wsl.licenses.SunsetKeys;
import dev.wsl.mailer.MailSender;
import dev.wsl.telemetry.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The legacy-key sunset (PRODUCT.md section 5), run by a daily schedule. For every legacy key of
 * every workspace, in pages of the {@code LEGACYKEYS} index, it works out the plan's phase and:
 * sends each due notice once per key (to the key's holder, and once per workspace and notice a
 * digest to its admins); retires keys whose holder migrated (holds a license and activated with
 * their auth token since getting it); after the cut-off disables the remaining keys; after the
 * clean-up delay deletes them. Deletions go through the license pool's seat transaction with an
 * audit entry.
 *
 * <p>Every page ends with a checkpoint (position and counters, one transaction), and the job stops
 * before the invocation's time runs out; the next invocation continues the same run. Each key's
 * notices are recorded on its own state item and deletions find nothing the second time, so
 * re-running sends no notice twice and deletes nothing twice. A dry run reads the same and writes
 * and sends nothing. Each read and write of the job's own items runs under the {@link RetryPolicy}
 * (a busy table is asked again; the writes are whole items, so repeating one is harmless).
 * Thread-confined: one run per invocation.
 */
public final class SunsetJob {
    public static final int PAGE_SIZE = 100;

    private final SunsetStore store;
    private final SunsetKeys licenses;
    private final MailSender mail;
    private final SunsetPlan plan;
    private final Clock clock;
    private final int pageSize;
    private final RetryPolicy retry;

    public SunsetJob(SunsetStore store, SunsetKeys licenses, MailSender mail, SunsetPlan plan, Clock clock,
                     int pageSize, RetryPolicy retry) {
        this.store = Objects.requireNonNull(store);
        this.licenses = Objects.requireNonNull(licenses);
        this.mail = Objects.requireNonNull(mail);
        this.plan = Objects.requireNonNull(plan);
        this.clock = Objects.requireNonNull(clock);
        this.pageSize = pageSize;
        this.retry = Objects.requireNonNull(retry);
    }

    /**
     * Continues the run in progress, or starts one. Answers the run's record: counters per phase
     * ({@code phase.*}), per workspace ({@code workspace.*}), {@code noticesSent}, {@code digestsSent},
     * {@code keysRetired}, {@code keysDisabled}, {@code keysDeleted}, {@code sendFailures},
     * {@code invocations}, and whether it is {@code complete}; and under {@code thisInvocation} the
     * counters of this invocation alone (a run may span several), which its metrics report.
     */
    public Map<String, Object> run(JobBudget budget) {
        Instant now = clock.instant();
        SunsetStore.Checkpoint checkpoint = store.currentRun().orElse(null);
        if (checkpoint == null) {
            // Time-ordered, and unique even for two runs started in the same instant (a re-run).
            String runId = now + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            if (!retry.run(() -> store.startRun(runId, now, planSummary()))) {
                return Map.of("complete", false, "stopped", "another invocation started a run meanwhile");
            }
            checkpoint = new SunsetStore.Checkpoint(runId, null, 0);
        }
        Map<String, Long> done = new TreeMap<>();
        boolean firstPage = true;
        Map<String, Set<String>> digests = new HashMap<>();
        while (true) {
            if (budget.exhausted()) {
                return report(checkpoint.runId(), false, "time budget reached; the next invocation continues", done);
            }
            SunsetStore.KeyPage page = store.keys(checkpoint.position(), pageSize);
            Map<String, Long> counts = new TreeMap<>();
            process(page.keys(), now, false, counts, digests);
            boolean finished = !page.more();
            String position = page.keys().isEmpty() ? checkpoint.position() : page.last();
            SunsetStore.Checkpoint read = checkpoint;
            boolean first = firstPage;
            if (!retry.run(() -> store.checkpoint(read, position, counts, finished, first, clock.instant()))) {
                return report(checkpoint.runId(), false, "another invocation advanced this run; it continues", done);
            }
            counts.forEach((name, n) -> done.merge(name, n, Long::sum));
            firstPage = false;
            if (finished) {
                return report(checkpoint.runId(), true, null, done);
            }
            checkpoint = new SunsetStore.Checkpoint(checkpoint.runId(), position, checkpoint.invocations());
        }
    }

    /**
     * What a run would do now, without writing or sending anything. Pages like a run; when the
     * budget ends first, the answer's {@code position} is where a next dry run continues.
     */
    public Map<String, Object> dryRun(String from, JobBudget budget) {
        Instant now = clock.instant();
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Set<String>> digests = new HashMap<>();
        String position = from;
        while (true) {
            if (budget.exhausted()) {
                return dryReport(counts, false, position);
            }
            SunsetStore.KeyPage page = store.keys(position, pageSize);
            process(page.keys(), now, true, counts, digests);
            if (!page.keys().isEmpty()) {
                position = page.last();
            }
            if (!page.more()) {
                return dryReport(counts, true, null);
            }
        }
    }

    private void process(List<LegacyKey> keys, Instant now, boolean dry, Map<String, Long> counts,
                         Map<String, Set<String>> digests) {
        if (keys.isEmpty()) {
            return;
        }
        SunsetPlan.Phase phase = plan.phaseAt(now);
        SunsetStore.PageContext context = phase == SunsetPlan.Phase.BEFORE_ANNOUNCEMENT ? null
                : retry.run(() -> store.context(keys));
        List<SunsetStore.StateWrite> states = new ArrayList<>();
        Map<String, List<LegacyKey>> retire = new LinkedHashMap<>();
        Map<String, List<LegacyKey>> delete = new LinkedHashMap<>();
        for (LegacyKey key : keys) {
            add(counts, "phase." + phase.name(), 1);
            add(counts, "workspace." + key.workspaceId(), 1);
            if (context == null) {
                continue;
            }
            Member holder = key.assigned() ? context.assignees().get(key.assigneeMemberId()) : null;
            if (migrated(holder, context.usage())) {
                retire.computeIfAbsent(key.workspaceId(), ws -> new ArrayList<>()).add(key);
                continue;
            }
            if (phase == SunsetPlan.Phase.CLEANUP) {
                delete.computeIfAbsent(key.workspaceId(), ws -> new ArrayList<>()).add(key);
                continue;
            }
            SunsetStore.KeyState state = context.states().getOrDefault(key.keyId(), SunsetStore.KeyState.NEW);
            Instant disabledAt = state.disabledAt();
            if (phase == SunsetPlan.Phase.CUT_OFF && disabledAt == null) {
                disabledAt = now;
                add(counts, "keysDisabled", 1);
            }
            Set<String> due = new LinkedHashSet<>(plan.dueNotices(now));
            due.removeAll(state.notices());
            Set<String> recorded = new java.util.TreeSet<>(state.notices());
            if (!due.isEmpty()) {
                boolean delivered = true;
                if (holder != null && holder.status() != MemberStatus.REMOVED) {
                    delivered = send(dry, holder.email(), holderSubject(key), holderBody(key, due), counts, "noticesSent");
                }
                digest(key.workspaceId(), due, now, dry, counts, digests);
                if (delivered) {
                    recorded.addAll(due);
                }
            }
            if (!recorded.equals(state.notices()) || !java.util.Objects.equals(disabledAt, state.disabledAt())) {
                states.add(new SunsetStore.StateWrite(key, new SunsetStore.KeyState(recorded, disabledAt)));
                // Emails already sent are recorded soon: a crash re-sends at most one batch's worth.
                if (!dry && states.size() >= 25) {
                    saveStates(states);
                    states.clear();
                }
            }
        }
        if (!dry) {
            saveStates(states);
        }
        add(counts, "keysRetired", deleteAll(retire, context, dry, "legacy-key.retired"));
        add(counts, "keysDeleted", deleteAll(delete, context, dry, "legacy-key.deleted-by-sunset"));
    }

    /** Deletes keys per workspace, {@link SunsetKeys#BATCH} per seat transaction; their states go too. */
    private long deleteAll(Map<String, List<LegacyKey>> byWorkspace, SunsetStore.PageContext context, boolean dry,
                           String action) {
        long deleted = 0;
        for (Map.Entry<String, List<LegacyKey>> ws : byWorkspace.entrySet()) {
            List<LegacyKey> keys = ws.getValue();
            if (dry) {
                deleted += keys.size();
                continue;
            }
            for (int from = 0; from < keys.size(); from += SunsetKeys.BATCH) {
                List<LegacyKey> chunk = keys.subList(from, Math.min(keys.size(), from + SunsetKeys.BATCH));
                deleted += licenses.deleteKeys(ws.getKey(), chunk, context.assignees(), action);
                saveStates(chunk.stream().map(k -> new SunsetStore.StateWrite(k, null)).toList());
            }
        }
        return deleted;
    }

    private void saveStates(List<SunsetStore.StateWrite> states) {
        List<SunsetStore.StateWrite> copy = List.copyOf(states);
        retry.run(() -> store.saveStates(copy));
    }

    /** The holder holds a license and has activated with their auth token since they got it. */
    static boolean migrated(Member holder, Map<String, Usage> usage) {
        if (holder == null || holder.status() != MemberStatus.ACTIVE || !holder.holdings().licensed()) {
            return false;
        }
        Usage u = usage.get(holder.memberId());
        return u != null && "auth-token".equals(u.credential()) && u.at() != null;
    }

    /** Once per workspace and notice: the admins learn which keys are affected and what their holders must do. */
    private void digest(String workspaceId, Set<String> due, Instant now, boolean dry, Map<String, Long> counts,
                        Map<String, Set<String>> digests) {
        Set<String> sent = digests.computeIfAbsent(workspaceId, ws -> new java.util.HashSet<>(store.digestsSent(ws)));
        List<String> missing = due.stream().filter(n -> !sent.contains(n)).toList();
        if (missing.isEmpty()) {
            return;
        }
        List<EmailAddress> admins = store.admins(workspaceId);
        List<LegacyKey> keys = licenses.keysOf(workspaceId);
        boolean allDelivered = true;
        for (EmailAddress admin : admins) {
            allDelivered &= send(dry, admin, "Legacy API keys of your workspace are being phased out",
                    digestBody(keys, missing), counts, "digestsSent");
        }
        if (allDelivered) {
            sent.addAll(missing);
            if (!dry) {
                missing.forEach(n -> retry.run(() -> store.recordDigest(workspaceId, n, now)));
            }
        }
    }

    private boolean send(boolean dry, EmailAddress to, String subject, String body, Map<String, Long> counts,
                         String counter) {
        if (dry) {
            add(counts, counter, 1);
            return true;
        }
        try {
            mail.send(to, subject, body);
            add(counts, counter, 1);
            return true;
        } catch (MailSender.SendFailed e) {
            // Not recorded as sent: the next run tries again. The run counts it; the log says why (no address).
            Log.warn("sunset email not sent").field("counter", counter).error(e).write();
            add(counts, "sendFailures", 1);
            return false;
        }
    }

    private static String holderSubject(LegacyKey key) {
        return "Action needed: your legacy LocalStack API key " + key.shown() + " is being phased out";
    }

    private String holderBody(LegacyKey key, Set<String> due) {
        StringBuilder body = new StringBuilder("Your legacy API key ").append(key.shown()).append(":\n\n");
        due.forEach(n -> body.append("- ").append(plan.describe(n)).append('\n'));
        return body.append('\n').append(HOW_TO_MIGRATE).toString();
    }

    private String digestBody(List<LegacyKey> keys, List<String> notices) {
        StringBuilder body = new StringBuilder();
        notices.forEach(n -> body.append("- ").append(plan.describe(n)).append('\n'));
        body.append("\nLegacy keys of this workspace (").append(keys.size()).append("):\n");
        keys.stream().limit(200).forEach(k -> body.append("  ").append(k.shown()).append(' ').append(k.keyId())
                .append(k.assigned() ? " held by member " + k.assigneeMemberId() : " assigned to nobody").append('\n'));
        return body.append('\n').append("Assign a license to each holder; once they activate LocalStack with their"
                + " personal auth token, their legacy key is retired automatically.\n").toString();
    }

    static final String HOW_TO_MIGRATE = """
            What to do: use your personal auth token instead. Find it in the web app under "Auth token",
            set it as LOCALSTACK_AUTH_TOKEN (and remove LOCALSTACK_API_KEY), and ask a workspace admin to
            assign you a license if you have none. In CI, use a CI key of your workspace.
            """;

    private Map<String, String> planSummary() {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("announcement", plan.announcement().toString());
        summary.put("brownouts", String.join(",", plan.brownouts().stream().map(w -> w.start() + "/" + w.end()).toList()));
        summary.put("cutoff", plan.cutoff().toString());
        summary.put("cleanupAt", plan.cleanupAt().toString());
        return summary;
    }

    private Map<String, Object> report(String runId, boolean complete, String stopped, Map<String, Long> done) {
        Map<String, Object> out = new LinkedHashMap<>(store.run(runId));
        out.put("complete", complete);
        if (stopped != null) {
            out.put("stopped", stopped);
        }
        out.put(THIS_INVOCATION, Map.copyOf(done));
        return out;
    }

    /** The key of the answer's counters of this invocation alone. */
    public static final String THIS_INVOCATION = "thisInvocation";

    private static Map<String, Object> dryReport(Map<String, Long> counts, boolean complete, String position) {
        Map<String, Object> out = new LinkedHashMap<>(counts);
        out.put("dryRun", true);
        out.put("complete", complete);
        if (position != null) {
            out.put("position", position);
        }
        return out;
    }

    private static void add(Map<String, Long> counts, String name, long n) {
        if (n != 0) {
            counts.merge(name, n, Long::sum);
        }
    }

}
