package dev.wsl.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the reclaim policy does with one seat at a given moment (issue 21), the same for the scheduled job and its
 * preview. A license idle for {@code reclaimDays − noticeDays} gets a notice that names its deadline; it is
 * reclaimed at the first run from that deadline on, never earlier than the notice said and never before it was idle
 * for {@code reclaimDays}, and only while nobody activated since the notice (an activation starts a new idle stretch,
 * which the notice does not cover). A member who also holds a legacy key is left alone: the key holds their seat,
 * and the legacy-key sunset decides about it. Immutable, thread-safe.
 */
public final class ReclaimRules {
    public enum Action {
        /** Nothing to do (not idle long enough, or not the policy's to decide). */
        KEEP,
        /** Tell the holder (and the admins' digest) that the license goes at {@code deadline}. */
        NOTICE,
        /** Told already; the deadline is not reached. */
        WAIT,
        /** Told, the deadline passed, still idle: unassign. */
        RECLAIM
    }

    /** @param deadline when the license is reclaimed unless the holder activates (null for KEEP) */
    public record Decision(Action action, Instant deadline, String why) {}

    private final Duration notice;

    /** @param noticeDays how long before the deadline the holder is told (1 to 29) */
    public ReclaimRules(int noticeDays) {
        if (noticeDays < 1 || noticeDays >= SeatPolicy.DAYS.getFirst()) {
            throw new IllegalArgumentException("notice days must be 1 to " + (SeatPolicy.DAYS.getFirst() - 1));
        }
        this.notice = Duration.ofDays(noticeDays);
    }

    public int noticeDays() {
        return (int) notice.toDays();
    }

    /** Seats whose last activity is before this are the policy's candidates at {@code now}. */
    public Instant candidatesBefore(SeatPolicy policy, Instant now) {
        return now.minus(Duration.ofDays(policy.reclaimDays())).plus(notice);
    }

    /**
     * @param holder the member as read with the seat (null when the index named a member that is gone)
     */
    public Decision decide(Seat seat, Member holder, SeatPolicy policy, Instant now) {
        Objects.requireNonNull(seat);
        Objects.requireNonNull(policy);
        if (holder == null || holder.status() == MemberStatus.REMOVED || !holder.holdings().licensed()) {
            return new Decision(Action.KEEP, null, "holds no license");
        }
        if (holder.holdings().holdsKey()) {
            return new Decision(Action.KEEP, null, "a legacy key holds the seat (the sunset decides about it)");
        }
        Instant earliest = seat.lastActivity().plus(Duration.ofDays(policy.reclaimDays()));
        if (seat.noticed()) {
            Instant deadline = later(seat.notice().deadline(), earliest);
            return !now.isBefore(deadline) ? new Decision(Action.RECLAIM, deadline, "idle since the notice")
                    : new Decision(Action.WAIT, deadline, "noticed; the deadline is not reached");
        }
        if (seat.lastActivity().isBefore(candidatesBefore(policy, now))) {
            return new Decision(Action.NOTICE, later(earliest, now.plus(notice)), "idle; the holder is told first");
        }
        return new Decision(Action.KEEP, null, "not idle long enough");
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
