package dev.wsl.licenses;

import dev.wsl.core.domain.JobBudget;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.BackfillStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one-off backfill an operator runs after upgrading a deployment with existing data (docs/deploying.md, "Upgrading an
 * existing deployment"). For every workspace of the table it
 * <ul>
 *   <li>gives its member items the SCIM index keys (issue 18), then sets its SCIM users counter to the count of its
 *       SCIM users;</li>
 *   <li>puts every license held without a seat on the seat index (issue 21 A);</li>
 *   <li>puts a workspace with a license pool and no seat policy on the reclaim job's work list.</li>
 * </ul>
 * Each of those writes only what differs from what the live writes would have written, so a second run changes
 * nothing. It pages through the workspaces and saves a checkpoint after each workspace (conditioned on the one
 * read, so two overlapping invocations cannot both advance); it stops before the invocation's time runs out and
 * the next invocation continues; the completed run removes its checkpoint. A dry run reads the same and writes
 * nothing, not even a checkpoint. Thread-confined: one run per invocation.
 */
public final class BackfillJob {
    public static final int SCAN_PAGE = 500;
    public static final String THIS_INVOCATION = "thisInvocation";
    static final List<String> COUNTERS = List.of("workspaces", "scimUsersIndexed", "scimCountersSet", "seatsTracked",
            "workListJoined");

    private final BackfillStore store;
    private final Clock clock;
    private final int scanPage;
    private final RetryPolicy retry;

    public BackfillJob(BackfillStore store, Clock clock, int scanPage, RetryPolicy retry) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.scanPage = scanPage;
        this.retry = Objects.requireNonNull(retry);
    }

    /**
     * Continues the run in progress, or starts one. Answers the run's counters so far ({@code workspaces},
     * {@code scimUsersIndexed}, {@code scimCountersSet}, {@code seatsTracked}, {@code workListJoined}), its id,
     * whether it is {@code complete} (else why it stopped), and under {@link #THIS_INVOCATION} this invocation's.
     */
    public Map<String, Object> run(JobBudget budget) {
        BackfillStore.Checkpoint read = retry.run(store::checkpoint).orElse(null);
        BackfillStore.Checkpoint at = read != null ? read
                : new BackfillStore.Checkpoint(clock.instant().toString(), null, null, 0, Map.of(), 0);
        Map<String, Long> done = new TreeMap<>();
        boolean first = true;
        while (true) {
            String from = at.position();
            BackfillStore.WorkspacePage page = retry.run(() -> store.workspaces(from, scanPage));
            boolean skipping = at.afterWorkspace() != null && page.workspaceIds().contains(at.afterWorkspace());
            for (String ws : page.workspaceIds()) {
                if (skipping) {
                    skipping = !ws.equals(at.afterWorkspace());
                    continue;
                }
                if (budget.exhausted()) {
                    return report(at, false, "time budget reached; the next invocation continues", done);
                }
                Map<String, Long> counts = workspace(ws, false);
                BackfillStore.Checkpoint next = new BackfillStore.Checkpoint(at.runId(), at.position(), ws,
                        at.step() + 1, sum(at.counts(), counts), at.invocations() + (first ? 1 : 0));
                BackfillStore.Checkpoint current = read;
                if (!retry.run(() -> store.saveCheckpoint(current, next))) {
                    return report(at, false, "another invocation advanced this run; it continues", done);
                }
                counts.forEach((name, n) -> done.merge(name, n, Long::sum));
                first = false;
                read = next;
                at = next;
            }
            if (page.next() == null) {
                BackfillStore.Checkpoint last = read;
                if (last != null && !retry.run(() -> store.endRun(last))) {
                    return report(at, false, "another invocation advanced this run; it continues", done);
                }
                return report(at, true, null, done);
            }
            if (budget.exhausted()) {
                return report(at, false, "time budget reached; the next invocation continues", done);
            }
            BackfillStore.Checkpoint next = new BackfillStore.Checkpoint(at.runId(), page.next(), null, at.step() + 1,
                    at.counts(), at.invocations() + (first ? 1 : 0));
            BackfillStore.Checkpoint current = read;
            if (!retry.run(() -> store.saveCheckpoint(current, next))) {
                return report(at, false, "another invocation advanced this run; it continues", done);
            }
            first = false;
            read = next;
            at = next;
        }
    }

    /**
     * What a run would change now, writing nothing: the same counters. When the budget ends first,
     * {@code position} is where a next dry run continues (at the start of the page it was in).
     */
    public Map<String, Object> dryRun(String from, JobBudget budget) {
        Map<String, Long> counts = new TreeMap<>();
        String position = from;
        do {
            if (budget.exhausted()) {
                Map<String, Object> out = new LinkedHashMap<>(counts);
                out.put("dryRun", true);
                out.put("complete", false);
                out.put("position", position);
                return out;
            }
            String page = position;
            BackfillStore.WorkspacePage workspaces = retry.run(() -> store.workspaces(page, scanPage));
            for (String ws : workspaces.workspaceIds()) {
                workspace(ws, true).forEach((name, n) -> counts.merge(name, n, Long::sum));
            }
            position = workspaces.next();
        } while (position != null);
        Map<String, Object> out = new LinkedHashMap<>(counts);
        out.put("dryRun", true);
        out.put("complete", true);
        return out;
    }

    /**
     * One workspace. The counter is set after every member of the workspace carries its index keys (the count
     * itself is taken from the member items, which live writes and this backfill keep alike).
     */
    private Map<String, Long> workspace(String ws, boolean dry) {
        Instant now = clock.instant();
        Map<String, Long> counts = new TreeMap<>();
        counts.put("workspaces", 1L);
        add(counts, "scimUsersIndexed", retry.run(() -> store.indexScimUsers(ws, dry)));
        add(counts, "scimCountersSet", retry.run(() -> store.recountScimUsers(ws, dry)) ? 1 : 0);
        add(counts, "seatsTracked", retry.run(() -> store.trackSeats(ws, now, dry)));
        add(counts, "workListJoined", retry.run(() -> store.joinWorkList(ws, dry)) ? 1 : 0);
        return counts;
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((name, n) -> out.merge(name, n, Long::sum));
        return out;
    }

    private static void add(Map<String, Long> counts, String name, long n) {
        if (n != 0) {
            counts.merge(name, n, Long::sum);
        }
    }

    private static Map<String, Object> report(BackfillStore.Checkpoint at, boolean complete, String stopped,
                                              Map<String, Long> done) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", at.runId());
        for (String name : COUNTERS) {
            out.put(name, at.counts().getOrDefault(name, 0L));
        }
        out.put("invocations", at.invocations());
        out.put("complete", complete);
        if (stopped != null) {
            out.put("stopped", stopped);
        }
        Map<String, Long> mine = new TreeMap<>();
        for (String name : COUNTERS) {
            mine.put(name, done.getOrDefault(name, 0L));
        }
        out.put(THIS_INVOCATION, mine);
        return out;
    }
}
