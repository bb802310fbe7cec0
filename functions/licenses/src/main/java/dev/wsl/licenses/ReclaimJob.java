package dev.wsl.licenses;

import dev.wsl.core.domain.JobBudget;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.ReclaimRules;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.SeatStore;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.telemetry.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The daily seat job (issue 21), run by a schedule. It pages through the seat policies (a keyed index, no scan):
 * first the workspaces with reclaim on, then the others; for each workspace it pages through the seat index from
 * the longest idle seat on, and
 * <ul>
 *   <li>counts the seats idle for 30, 60 and 90 days (the Licenses section shows the count for the workspace's idle
 *       days, with when it was counted);</li>
 *   <li>with reclaim on, decides each seat by {@link ReclaimRules}: a notice to its holder (queued in the outbox with
 *       the record on the seat, in one step, so that one idle stretch gets one notice, ever), or the reclaim of a seat
 *       whose deadline passed and whose holder did not activate since the notice (conditioned on exactly that; audited
 *       with the policy as actor); never a legacy key or its holder's seat (the sunset decides those); and once the
 *       workspace is done, a digest of what it noticed and reclaimed to its admins.</li>
 * </ul>
 *
 * <p>Every seat page ends with a checkpoint (where the run stands and what the workspace gathered so far, conditioned
 * on the checkpoint read), and the job stops before the invocation's time runs out: the next invocation continues the
 * same run. Re-running sends no notice twice (the seat's record and the message's own id) and reclaims nothing twice
 * (a reclaimed seat leaves the index). A dry run reads the same and writes and queues nothing. Thread-confined: one
 * run per invocation.
 */
public final class ReclaimJob {
    public static final int PAGE_SIZE = 100;
    /** Lines of a digest; the rest is counted ("and 12 more"), the console's preview lists them all. */
    static final int DIGEST_LINES = 20;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final SeatStore store;
    private final WorkspaceStore workspaces;
    private final SeatService seats;
    private final ReclaimRules rules;
    private final Clock clock;
    private final int pageSize;
    private final RetryPolicy retry;

    public ReclaimJob(SeatStore store, WorkspaceStore workspaces, SeatService seats, Clock clock, int pageSize,
                      RetryPolicy retry) {
        this.store = Objects.requireNonNull(store);
        this.workspaces = Objects.requireNonNull(workspaces);
        this.seats = Objects.requireNonNull(seats);
        this.rules = seats.rules();
        this.clock = Objects.requireNonNull(clock);
        this.pageSize = pageSize;
        this.retry = Objects.requireNonNull(retry);
    }

    /** The key of the answer's counters of this invocation alone. */
    public static final String THIS_INVOCATION = "thisInvocation";

    /**
     * Continues the run in progress, or starts one. Answers the run's record (its counters: {@code workspaces},
     * {@code seats}, {@code noticesQueued}, {@code reclaimed}, {@code usedMeanwhile}, {@code keptForLegacyKey},
     * {@code digestsQueued}, {@code invocations}; status and times), whether it is {@code complete}, and under
     * {@link #THIS_INVOCATION} the counters of this invocation alone (a run may span several).
     */
    public Map<String, Object> run(JobBudget budget) {
        Instant now = clock.instant();
        SeatStore.Checkpoint checkpoint = retry.run(store::currentRun).orElse(null);
        if (checkpoint == null) {
            // Time-ordered, and unique even for two runs started in the same instant (a re-run).
            String runId = now + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            if (!retry.run(() -> store.startRun(runId, now))) {
                return Map.of("complete", false, "stopped", "another invocation started a run meanwhile");
            }
            checkpoint = new SeatStore.Checkpoint(runId, SeatStore.Progress.start(), 0, 0);
        }
        Map<String, Long> done = new TreeMap<>();
        boolean firstStep = true;
        while (true) {
            if (budget.exhausted()) {
                return report(checkpoint.runId(), false, "time budget reached; the next invocation continues", done);
            }
            Map<String, Long> counts = new TreeMap<>();
            SeatStore.Progress next = step(checkpoint.progress(), runStart(checkpoint.runId()), now, false, counts);
            boolean finished = next == null;
            SeatStore.Checkpoint read = checkpoint;
            boolean first = firstStep;
            if (!retry.run(() -> store.checkpoint(read, next, counts, finished, first, clock.instant()))) {
                return report(checkpoint.runId(), false, "another invocation advanced this run; it continues", done);
            }
            counts.forEach((name, n) -> done.merge(name, n, Long::sum));
            firstStep = false;
            if (finished) {
                return report(checkpoint.runId(), true, null, done);
            }
            checkpoint = new SeatStore.Checkpoint(checkpoint.runId(), next, checkpoint.step() + 1,
                    checkpoint.invocations() + (first ? 1 : 0));
        }
    }

    /**
     * What a run would do now, without writing or queueing anything: the same counters. When the budget ends
     * first, {@code position} is where a next dry run continues (at the start of the workspace it was in).
     */
    public Map<String, Object> dryRun(String from, JobBudget budget) {
        Instant now = clock.instant();
        Map<String, Long> counts = new TreeMap<>();
        SeatStore.Progress progress = from == null ? SeatStore.Progress.start() : fromPosition(from);
        while (progress != null) {
            if (budget.exhausted()) {
                Map<String, Object> out = new LinkedHashMap<>(counts);
                out.put("dryRun", true);
                out.put("complete", false);
                out.put("position", progress.phase() + "|" + (progress.afterWorkspace() == null ? ""
                        : progress.afterWorkspace()));
                return out;
            }
            progress = step(progress, now, now, true, counts);
        }
        Map<String, Object> out = new LinkedHashMap<>(counts);
        out.put("dryRun", true);
        out.put("complete", true);
        return out;
    }

    private static SeatStore.Progress fromPosition(String position) {
        int bar = position.indexOf('|');
        String phase = bar < 0 ? position : position.substring(0, bar);
        String after = bar < 0 || bar == position.length() - 1 ? null : position.substring(bar + 1);
        if (!phase.equals("on") && !phase.equals("off")) {
            throw new IllegalArgumentException("a dry run's position is on|… or off|…");
        }
        return new SeatStore.Progress(phase, after, null, null, SeatPolicy.IdleCounts.NONE, 0, 0, List.of());
    }

    /**
     * One step: the next workspace's first seat page, or the current one's next page (or, between phases, the move
     * to the next phase). Returns where the run stands after it, or null when the run is done.
     */
    private SeatStore.Progress step(SeatStore.Progress at, Instant runStart, Instant now, boolean dry,
                                    Map<String, Long> counts) {
        SeatStore.Progress progress = at;
        if (progress.workspace() == null) {
            SeatStore.PolicyPage next = retry.run(() -> store.policies("on".equals(at.phase()), at.afterWorkspace(), 1));
            if (next.policies().isEmpty()) {
                return "on".equals(at.phase()) ? new SeatStore.Progress("off", null, null, null,
                        SeatPolicy.IdleCounts.NONE, 0, 0, List.of()) : null;
            }
            progress = new SeatStore.Progress(at.phase(), at.afterWorkspace(), next.policies().getFirst().workspaceId(),
                    null, SeatPolicy.IdleCounts.NONE, 0, 0, List.of());
            add(counts, "workspaces", 1);
        }
        return seatPage(progress, runStart, now, dry, counts);
    }

    private SeatStore.Progress seatPage(SeatStore.Progress at, Instant runStart, Instant now, boolean dry,
                                        Map<String, Long> counts) {
        String ws = at.workspace();
        SeatPolicy policy = retry.run(() -> store.policy(ws));
        // Every seat idle for 30 days is counted; with reclaim on, those the policy must notice are looked at too.
        Instant before = now.minus(Duration.ofDays(SeatPolicy.DAYS.getFirst()));
        if (policy.reclaim() && rules.candidatesBefore(policy, now).isAfter(before)) {
            before = rules.candidatesBefore(policy, now);
        }
        Instant cutoff = before;
        SeatStore.SeatPage page = retry.run(() -> store.idleSeats(ws, cutoff, pageSize, at.seatPosition()));
        Map<String, Member> holders = !policy.reclaim() || page.seats().isEmpty() ? Map.of()
                : retry.run(() -> workspaces.findMembers(ws, page.seats().stream().map(Seat::memberId).toList()));
        SeatPolicy.IdleCounts idle = at.counts();
        long noticed = at.noticed();
        long reclaimed = at.reclaimed();
        List<String> digest = new ArrayList<>(at.digest());
        Workspace workspace = null;
        for (Seat seat : page.seats()) {
            add(counts, "seats", 1);
            boolean gone = false;
            if (policy.reclaim()) {
                Member holder = holders.get(seat.memberId());
                ReclaimRules.Decision decision = rules.decide(seat, holder, policy, now);
                if (holder != null && holder.holdings().licensed() && holder.holdings().holdsKey()) {
                    add(counts, "keptForLegacyKey", 1);
                }
                switch (decision.action()) {
                    case NOTICE -> {
                        if (workspace == null) {
                            workspace = workspaces.findWorkspace(ws).orElse(null);
                        }
                        if (notice(seat, holder, workspace, policy, decision, now, dry)) {
                            add(counts, "noticesQueued", 1);
                            noticed++;
                            line(digest, holder, seat, "will be reclaimed on " + WHEN.format(decision.deadline())
                                    + " unless they activate before");
                        }
                    }
                    case RECLAIM -> {
                        SeatService.Reclaimed outcome = dry ? SeatService.Reclaimed.RECLAIMED : reclaim(ws, seat, policy);
                        if (outcome == SeatService.Reclaimed.RECLAIMED) {
                            add(counts, "reclaimed", 1);
                            reclaimed++;
                            gone = true;
                            line(digest, holder, seat, "reclaimed (idle since " + DAY.format(seat.lastActivity()) + ")");
                        } else {
                            add(counts, "usedMeanwhile", 1);
                        }
                    }
                    case WAIT, KEEP -> {
                        // Told already, or not the policy's to take.
                    }
                }
            }
            if (!gone) {
                idle = idle.plus(seat.idleDays(now));
            }
        }
        if (page.next() != null) {
            return new SeatStore.Progress(at.phase(), at.afterWorkspace(), ws, page.next(), idle, noticed, reclaimed,
                    digest);
        }
        // The workspace is done: its counts, and the digest of what this run did there.
        if (!dry) {
            SeatPolicy.IdleCounts total = idle.asOf(now);
            retry.run(() -> {
                store.saveCounts(ws, total);
                return null;
            });
        }
        if (noticed + reclaimed > 0) {
            add(counts, "digestsQueued", digest(ws, workspace, noticed, reclaimed, digest, runStart, now, dry));
        }
        return new SeatStore.Progress(at.phase(), ws, null, null, SeatPolicy.IdleCounts.NONE, 0, 0, List.of());
    }

    private SeatService.Reclaimed reclaim(String ws, Seat seat, SeatPolicy policy) {
        try {
            return seats.reclaim(ws, seat, policy);
        } catch (ChangedMeanwhile lostEveryRace) {
            // Every attempt met a change of the member or seat: not reclaimed now; the next run decides again.
            Log.warn("seat not reclaimed").field("workspaceId", ws).field("memberId", seat.memberId())
                    .error(lostEveryRace).write();
            return SeatService.Reclaimed.USED_MEANWHILE;
        }
    }

    /** The holder's notice, queued with its record on the seat in one step; false when the seat moved meanwhile. */
    private boolean notice(Seat seat, Member holder, Workspace workspace, SeatPolicy policy,
                           ReclaimRules.Decision decision, Instant now, boolean dry) {
        if (dry) {
            return true;
        }
        String wsName = workspace == null ? seat.workspaceId() : workspace.name();
        String subject = "Your LocalStack license in \"" + wsName + "\" will be reclaimed on "
                + DAY.format(decision.deadline());
        String text = "Hello " + holder.name() + ",\n\n"
                + "your license in the workspace \"" + wsName + "\" has not activated LocalStack since "
                + WHEN.format(seat.lastActivity()) + " (" + seat.idleDays(now) + " days).\n"
                + "The workspace takes back licenses that are idle for " + policy.reclaimDays() + " days.\n\n"
                + "Unless you activate LocalStack with your personal auth token before "
                + WHEN.format(decision.deadline()) + ",\nyour license will be unassigned then, and its seat goes back to"
                + " the workspace.\n\n"
                + "To keep it, start LocalStack once with LOCALSTACK_AUTH_TOKEN set to your auth token (find it in the"
                + " web app under \"Auth Token\").\nIf you no longer need it, there is nothing to do.\n";
        OutboxMessage email = OutboxMessage.notice(OutboxMessage.Kind.RECLAIM_NOTICE, seat.workspaceId(),
                seat.memberId(), seat.lastActivity().getEpochSecond(), holder.email(), wsName, subject, text, now);
        return retry.run(() -> store.recordNotice(seat, new Seat.ReclaimNotice(seat.lastActivity(), now,
                decision.deadline()), email));
    }

    /** One digest per admin, once per run and workspace (its id is the run's and the admin's). */
    private long digest(String ws, Workspace workspace, long noticed, long reclaimed, List<String> lines,
                        Instant runStart, Instant now, boolean dry) {
        List<Member> admins = retry.run(() -> store.admins(ws));
        if (dry) {
            return admins.size();
        }
        Workspace named = workspace != null ? workspace : workspaces.findWorkspace(ws).orElse(null);
        String wsName = named == null ? ws : named.name();
        StringBuilder text = new StringBuilder("The reclaim policy of the workspace \"").append(wsName)
                .append("\" ran on ").append(WHEN.format(runStart)).append(":\n\n")
                .append("- ").append(reclaimed).append(" idle license(s) reclaimed (their seats are free again)\n")
                .append("- ").append(noticed).append(" holder(s) told that their idle license will be reclaimed\n\n");
        lines.forEach(l -> text.append("  ").append(l).append('\n'));
        long more = noticed + reclaimed - lines.size();
        if (more > 0) {
            text.append("  and ").append(more).append(" more\n");
        }
        text.append("\nThe console's Licenses section shows the idle seats and what the next run would reclaim;"
                + " admins can turn the policy off there.\n");
        String subject = "Idle licenses in \"" + wsName + "\": " + reclaimed + " reclaimed, " + noticed + " noticed";
        long queued = 0;
        for (Member admin : admins) {
            OutboxMessage email = OutboxMessage.notice(OutboxMessage.Kind.RECLAIM_DIGEST, ws, admin.memberId(),
                    runStart.getEpochSecond(), admin.email(), wsName, subject, text.toString(), now);
            if (retry.run(() -> store.queue(email))) {
                queued++;
            }
        }
        return queued;
    }

    private static void line(List<String> digest, Member holder, Seat seat, String what) {
        if (digest.size() < DIGEST_LINES) {
            digest.add((holder == null ? seat.memberId() : holder.name() + " <" + holder.email().value() + ">")
                    + ": " + what);
        }
    }

    /** When a run started: its id begins with that instant. */
    static Instant runStart(String runId) {
        return Instant.parse(runId.substring(0, runId.lastIndexOf('-')));
    }

    private Map<String, Object> report(String runId, boolean complete, String stopped, Map<String, Long> done) {
        Map<String, Object> out = new LinkedHashMap<>(retry.run(() -> store.run(runId)));
        out.put("complete", complete);
        if (stopped != null) {
            out.put("stopped", stopped);
        }
        out.put(THIS_INVOCATION, Map.copyOf(done));
        return out;
    }

    private static void add(Map<String, Long> counts, String name, long n) {
        if (n != 0) {
            counts.merge(name, n, Long::sum);
        }
    }
}
