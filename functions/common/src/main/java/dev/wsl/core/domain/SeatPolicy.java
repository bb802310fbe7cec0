package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A workspace's rules for idle seats (issue 21): after how many days without an activation a license counts as
 * idle, and the opt-in policy that takes back licenses idle for {@code reclaimDays} (off by default; the scheduled
 * job tells the holder some days before, see {@code ReclaimJob}). Admins change it; every change is audited.
 * Immutable.
 *
 * @param idleDays    30, 60 or 90
 * @param reclaim     whether the scheduled job reclaims idle licenses
 * @param reclaimDays 30, 60 or 90: how long a license must be idle to be reclaimed (kept while reclaim is off, so
 *                    that turning it on again restores the last choice)
 * @param version     0 while the workspace never stored a policy (the defaults apply)
 * @param changedAt   when an admin last changed it, or null
 * @param changedBy   who did (their email), or null
 * @param idle        the scheduled job's count of idle seats, as of its last pass over the workspace
 */
public record SeatPolicy(String workspaceId, int idleDays, boolean reclaim, int reclaimDays, long version,
                         Instant changedAt, String changedBy, IdleCounts idle) {
    /** The choices for both thresholds: a month, two, three. */
    public static final List<Integer> DAYS = List.of(30, 60, 90);
    public static final int DEFAULT_IDLE_DAYS = 30;
    public static final int DEFAULT_RECLAIM_DAYS = 90;

    public SeatPolicy {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(idle);
        requireChoice("idleDays", idleDays);
        requireChoice("reclaimDays", reclaimDays);
    }

    /** What a workspace that never changed its policy has: idle after 30 days, reclaim off. */
    public static SeatPolicy defaults(String workspaceId) {
        return new SeatPolicy(workspaceId, DEFAULT_IDLE_DAYS, false, DEFAULT_RECLAIM_DAYS, 0, null, null,
                IdleCounts.NONE);
    }

    /**
     * The policy an admin asks for, as the next version; the job's counts stay as they are (they hold every
     * threshold, so a new {@code idleDays} shows its count at once).
     *
     * @throws InvalidInput when a number of days is not 30, 60 or 90
     */
    public SeatPolicy changedTo(int newIdleDays, boolean newReclaim, int newReclaimDays, Actor by, Instant at) {
        requireChoice("idleDays", newIdleDays);
        requireChoice("reclaimDays", newReclaimDays);
        return new SeatPolicy(workspaceId, newIdleDays, newReclaim, newReclaimDays, version + 1, at, by.email(), idle);
    }

    public SeatPolicy withCounts(IdleCounts counts) {
        return new SeatPolicy(workspaceId, idleDays, reclaim, reclaimDays, version, changedAt, changedBy, counts);
    }

    /** Whether a seat whose last activity was then is idle at {@code now}. */
    public boolean isIdle(Instant lastActivity, Instant now) {
        return Seat.daysBetween(lastActivity, now) >= idleDays;
    }

    private static void requireChoice(String field, int days) {
        if (!DAYS.contains(days)) {
            throw new InvalidInput("invalid-field", field + " must be 30, 60 or 90.");
        }
    }

    /**
     * How many licenses had no activation for at least 30, 60 and 90 days, as the scheduled job counted them at
     * {@code asOf} (null: not counted yet). Kept per threshold, so that the summary answers any policy in one read.
     */
    public record IdleCounts(Instant asOf, long over30, long over60, long over90) {
        public static final IdleCounts NONE = new IdleCounts(null, 0, 0, 0);

        public long over(int days) {
            return switch (days) {
                case 30 -> over30;
                case 60 -> over60;
                case 90 -> over90;
                default -> throw new IllegalArgumentException("no count for " + days + " days");
            };
        }

        /** These counts with one more seat idle for {@code days} (counted under every threshold it reaches). */
        public IdleCounts plus(long days) {
            return new IdleCounts(asOf, over30 + (days >= 30 ? 1 : 0), over60 + (days >= 60 ? 1 : 0),
                    over90 + (days >= 90 ? 1 : 0));
        }

        public IdleCounts asOf(Instant at) {
            return new IdleCounts(at, over30, over60, over90);
        }
    }
}
