package dev.wsl.core.port;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.InvalidInput;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Idle seats and the reclaim policy (issue 21). The seat index holds one entry per license held, keyed by the
 * seat's last activity: the seat changes that give and end licenses keep it in their own transactions, and the
 * activation's usage write (which happens anyway) moves it, so finding idle seats is a keyed range query and never
 * a scan. A workspace's seat policy (idle days, reclaim) is one item that also carries the scheduled job's idle
 * counts, read with the license pool in one request; the policies form the job's work list.
 */
public interface SeatStore {

    /** What the Licenses section shows: the pool, and the policy with the job's idle counts. */
    record Overview(LicensePool pool, SeatPolicy policy) {}

    /** The pool and the policy (the defaults when none was stored), in one consistent read. */
    Overview overview(String workspaceId);

    /** The workspace's policy, or its defaults (version 0) when it never stored one. */
    SeatPolicy policy(String workspaceId);

    /**
     * Writes an admin's policy with its audit entry, conditioned on the version read; a policy with reclaim on
     * joins the reclaim job's work list in the same step, one with reclaim off leaves it.
     *
     * @throws ChangedMeanwhile when the policy changed since read
     */
    void savePolicy(SeatPolicy read, SeatPolicy next, AuditEntry audit);

    /**
     * A page of seats, longest idle first.
     *
     * @param next where the next page starts (give it back as {@code after}), or null after the last
     */
    record SeatPage(List<Seat> seats, String next) {}

    /**
     * Seats whose last activity is before {@code before}, longest idle first, from an index that may lag a moment
     * behind a change (callers read the members again before they act or show them).
     *
     * @param after a position an earlier page returned (for the same workspace), or null for the first page
     * @throws InvalidInput for a position this list did not return
     */
    SeatPage idleSeats(String workspaceId, Instant before, int limit, String after);

    /** The tracked seats of these members, consistently read (a member without one is absent). */
    Map<String, Seat> seats(String workspaceId, Collection<String> memberIds);

    // ------------------------------------------------------------------ the reclaim job

    /**
     * A page of seat policies.
     *
     * @param last the position of the page's last policy (where the next page starts), or null when empty
     * @param more whether policies may follow
     */
    record PolicyPage(List<SeatPolicy> policies, String last, boolean more) {}

    /** Policies with reclaim on (or off), in workspace order, after {@code after} (a position a page returned). */
    PolicyPage policies(boolean reclaim, String after, int limit);

    /** The job's idle counts of a workspace (whatever they were before); the policy's own fields are left as they are. */
    void saveCounts(String workspaceId, SeatPolicy.IdleCounts counts);

    /**
     * Records a reclaim notice on the seat and queues its email, in one step.
     *
     * @return false when nothing was written: the seat was used (an activation moved it), ended, or noticed for
     *         this idle stretch meanwhile
     */
    boolean recordNotice(Seat read, Seat.ReclaimNotice notice, OutboxMessage email);

    /**
     * Queues a message unless one with its id was queued before.
     *
     * @return false when one was: the same notice is never sent twice
     */
    boolean queue(OutboxMessage message);

    /** The workspace's ACTIVE admins. */
    List<Member> admins(String workspaceId);

    /**
     * Where a run stands: the phase ({@code on}: workspaces with reclaim on, then {@code off}: the others, for their
     * counts), the last workspace it finished in that phase, the workspace it is in and the position of its next
     * seat page, and what it gathered there so far (counts, and the digest for its admins).
     */
    record Progress(String phase, String afterWorkspace, String workspace, String seatPosition,
                    SeatPolicy.IdleCounts counts, long noticed, long reclaimed, List<String> digest) {
        public Progress {
            digest = List.copyOf(digest);
        }

        public static Progress start() {
            return new Progress("on", null, null, null, SeatPolicy.IdleCounts.NONE, 0, 0, List.of());
        }
    }

    /** The run in progress: its id, where it stands, how many checkpoints it wrote, how many invocations it took. */
    record Checkpoint(String runId, Progress progress, long step, long invocations) {}

    Optional<Checkpoint> currentRun();

    /** Starts a run; false when another invocation started one meanwhile. */
    boolean startRun(String runId, Instant at);

    /**
     * Records progress: the counters are added to the run's record and the checkpoint moves on, in one step
     * conditioned on the checkpoint read (its step); the last one ends the run.
     *
     * @return false when another invocation moved the run meanwhile
     */
    boolean checkpoint(Checkpoint read, Progress next, Map<String, Long> counts, boolean finished,
                       boolean newInvocation, Instant at);

    /** A run's record: its counters by name, status and times. */
    Map<String, Object> run(String runId);
}
