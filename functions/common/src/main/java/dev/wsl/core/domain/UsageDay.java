package dev.wsl.core.domain;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What one UTC day's usage item of a workspace holds: how many seats activated that day by kind of credential
 * (each seat counted once that day: a member's license with their auth token, a CI key, a legacy key), how many
 * distinct members activated (with their auth token or a legacy key assigned to them), and, when the license pool
 * changed that day, the seats in use and the seats at the start of the day (before its first change) and at its
 * end (after its last); null when the pool did not change.
 */
public record UsageDay(LocalDate day, long members, long authTokens, long ciKeys, long legacyKeys,
                       Long seatsInUseAtStart, Long seatsInUse, Long seatsAtStart, Long seats) {
    public UsageDay {
        Objects.requireNonNull(day);
    }

    /** Whether the pool changed that day (the seat fields are set). */
    public boolean poolChanged() {
        return seatsInUseAtStart != null && seatsAtStart != null;
    }
}
