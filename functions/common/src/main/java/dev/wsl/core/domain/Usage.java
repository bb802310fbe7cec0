package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Map;

/**
 * The last activation recorded for what a credential activates (a member's license, a CI key, a
 * legacy key), and for CI keys the number of activations per month ({@code yyyy-MM}). Admins read
 * it to find idle seats. The last activation is coalesced to one write per credential per hour, so
 * {@code at} is accurate to the hour.
 *
 * @param idleSince while the subject is a member holding a license: the seat's last activity, that is its last
 *                  activation or, when there was none since, the moment the license was given (to the second;
 *                  idle days count from it, see {@link Seat}); null for anything else, and for licenses given
 *                  before seats were tracked
 */
public record Usage(String subjectId, Instant at, String machineId, String system, String credential,
                    Map<String, Long> activationsPerMonth, Instant idleSince) {
    public Usage {
        activationsPerMonth = Map.copyOf(activationsPerMonth);
    }

    /** A usage of something that is no tracked seat (a CI key, a legacy key, an unlicensed member). */
    public Usage(String subjectId, Instant at, String machineId, String system, String credential,
                 Map<String, Long> activationsPerMonth) {
        this(subjectId, at, machineId, system, credential, activationsPerMonth, null);
    }

    /** Whole days since the seat's last activity, or null when the subject is no tracked seat. */
    public Long idleDays(Instant now) {
        return idleSince == null ? null : Seat.daysBetween(idleSince, now);
    }
}
