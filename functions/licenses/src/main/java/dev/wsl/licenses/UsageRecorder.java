package dev.wsl.licenses;

import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.UsageStore;
import dev.wsl.core.port.UsageStore.Credential;
import dev.wsl.core.port.UsageStore.SeatDay;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the daily usage items from what the table's stream says happened (issue 21): activation's hourly usage
 * record of a seat, which it writes anyway, and the license pool's changes. Activation itself writes nothing more
 * and waits for nothing: a seat's record moving to a new UTC day is its first activation that day, counted once
 * (the store's markers make a second delivery of the record, or a second record of the same day, count nothing).
 * Thread-safe.
 */
public final class UsageRecorder {
    /** What a usage record's write means for the day items. */
    public enum Outcome { COUNTED, COUNTED_BEFORE, SAME_DAY, NOT_A_SEAT }

    private final UsageStore usage;
    private final LicenseStore licenses;

    public UsageRecorder(UsageStore usage, LicenseStore licenses) {
        this.usage = Objects.requireNonNull(usage);
        this.licenses = Objects.requireNonNull(licenses);
    }

    /**
     * A seat's usage record was written: counts the seat on the day of {@code lastAt} when that is another day than
     * the one the record said before ({@code previousAt}; null for a new record).
     *
     * @param credential the record's credential kind as activation labels it ({@code auth-token}, {@code ci-key},
     *                   {@code legacy-key})
     */
    public Outcome usageWritten(String workspaceId, String subjectId, String credential, Instant previousAt,
                                Instant lastAt) {
        Optional<Credential> kind = kind(credential);
        if (kind.isEmpty() || lastAt == null) {
            return Outcome.NOT_A_SEAT;
        }
        LocalDate day = day(lastAt);
        if (previousAt != null && day(previousAt).equals(day)) {
            return Outcome.SAME_DAY;
        }
        String memberId = switch (kind.get()) {
            case AUTH_TOKEN -> subjectId;
            case LEGACY_KEY -> licenses.findKey(workspaceId, subjectId).map(LegacyKey::assigneeMemberId).orElse(null);
            case CI_KEY -> null;
        };
        SeatDay seat = new SeatDay(workspaceId, day, subjectId, kind.get(), memberId);
        UsageStore.Count count = usage.countSeat(seat);
        if (count == UsageStore.Count.MEMBER_COUNTED_BEFORE) {
            // The member activated that day with another credential (their token and an assigned legacy key): one
            // member, two seats.
            count = usage.countSeat(seat.withoutMember());
        }
        return count == UsageStore.Count.COUNTED ? Outcome.COUNTED : Outcome.COUNTED_BEFORE;
    }

    /** The pool changed at {@code at}: its seats in use and seats before and after, on that day's item. */
    public void poolChanged(String workspaceId, Instant at, long inUseBefore, long seatsBefore, long inUseAfter,
                            long seatsAfter) {
        if (inUseBefore == inUseAfter && seatsBefore == seatsAfter) {
            return;
        }
        usage.recordPool(workspaceId, day(at), inUseBefore, seatsBefore, inUseAfter, seatsAfter);
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private static Optional<Credential> kind(String label) {
        return Optional.ofNullable(switch (label == null ? "" : label) {
            case "auth-token" -> Credential.AUTH_TOKEN;
            case "ci-key" -> Credential.CI_KEY;
            case "legacy-key" -> Credential.LEGACY_KEY;
            default -> null;
        });
    }
}
