package dev.wsl.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A license held by a member, as the seat index keeps it: its last activity (the last activation with the member's
 * auth token, or the moment the license was given when there was none since; to the second), and the reclaim
 * notice the scheduled job sent for its current idle stretch, if any. Immutable.
 *
 * @param licensedAt     when the license was given (null for one given before seats were tracked)
 * @param lastActivation the last activation as the members list shows it (null when none since the license)
 * @param notice         the latest reclaim notice, or null; it counts only for the idle stretch it was sent for
 *                       ({@link #noticed()})
 */
public record Seat(String workspaceId, String memberId, Instant lastActivity, Instant licensedAt, Usage lastActivation,
                   ReclaimNotice notice) {
    public Seat {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(memberId);
        Objects.requireNonNull(lastActivity);
    }

    /** Whole days from {@code from} to {@code to} (never negative). */
    public static long daysBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toDays());
    }

    public long idleDays(Instant now) {
        return daysBetween(lastActivity, now);
    }

    /** Whether the holder was told about this idle stretch: an activation since the notice starts a new one. */
    public boolean noticed() {
        return notice != null && notice.forActivity().equals(lastActivity);
    }

    /**
     * A reclaim notice: sent at {@code noticedAt} for the idle stretch that began at {@code forActivity}; the
     * license is reclaimed at the first run from {@code deadline} on, unless the holder activates before.
     */
    public record ReclaimNotice(Instant forActivity, Instant noticedAt, Instant deadline) {
        public ReclaimNotice {
            Objects.requireNonNull(forActivity);
            Objects.requireNonNull(noticedAt);
            Objects.requireNonNull(deadline);
        }
    }
}
