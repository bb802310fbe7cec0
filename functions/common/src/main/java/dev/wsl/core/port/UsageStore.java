package dev.wsl.core.port;

import dev.wsl.core.domain.UsageDay;
import java.time.LocalDate;
import java.util.List;

/**
 * A workspace's usage per UTC day (issue 21, "usage over time, as a picture"): one small item per
 * workspace and day, kept by the consumer of the table's stream from what activation writes anyway (the hourly
 * usage record of a seat) and from the license pool's changes. Nothing here is on activation's path.
 */
public interface UsageStore {
    /** Who activated a seat: the kind of credential of the usage record. */
    enum Credential { AUTH_TOKEN, CI_KEY, LEGACY_KEY }

    /**
     * A seat's first activation of a day, to count once.
     *
     * @param subjectId the usage record's subject: a member's id (auth token), a CI key's or a legacy key's id
     * @param memberId  the member who activated (the subject for an auth token, the assignee of a legacy key), or
     *                  null (a CI key, an unassigned legacy key, or a count without the member)
     */
    record SeatDay(String workspaceId, LocalDate day, String subjectId, Credential credential, String memberId) {
        public SeatDay withoutMember() {
            return new SeatDay(workspaceId, day, subjectId, credential, null);
        }
    }

    /** What {@link #countSeat} did. */
    enum Count {
        /** The seat (and the member, when named) now count on the day's item. */
        COUNTED,
        /** The seat was counted that day already: nothing was written. */
        SEAT_COUNTED_BEFORE,
        /** Only the member was counted that day already: nothing was written (count the seat without them). */
        MEMBER_COUNTED_BEFORE
    }

    /**
     * Counts the seat (and the member, when named) on the day's item, in one step with a marker per seat and day
     * and per member and day whose existence makes the step write nothing: at most once each, however often the
     * stream delivers a record.
     */
    Count countSeat(SeatDay seat);

    /**
     * Records a change of the pool on its day's item: the seats in use and seats after it, and, unless the day has
     * them already, before it (the day's start). The table's stream delivers one item's changes in order, so the
     * last change of a day is written last.
     */
    void recordPool(String workspaceId, LocalDate day, long inUseBefore, long seatsBefore, long inUseAfter,
                    long seatsAfter);

    /** The day items of the workspace from {@code from} to {@code to}, both included, oldest first: one Query. */
    List<UsageDay> days(String workspaceId, LocalDate from, LocalDate to);
}
