package dev.wsl.testkit;

import dev.wsl.core.domain.UsageDay;
import dev.wsl.core.port.UsageStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link UsageStore} in memory; the markers and counters of {@code DynamoUsageStore}. Thread-safe. */
public final class FakeUsageStore implements UsageStore {
    private final Map<String, UsageDay> days = new HashMap<>();
    private final Set<String> marks = new HashSet<>();
    private int countWrites;

    @Override
    public synchronized Count countSeat(SeatDay seat) {
        String seatMark = key(seat.workspaceId(), seat.day(), "seat#" + seat.subjectId());
        String memberMark = seat.memberId() == null ? null : key(seat.workspaceId(), seat.day(), "member#" + seat.memberId());
        if (marks.contains(seatMark)) {
            return Count.SEAT_COUNTED_BEFORE;
        }
        if (memberMark != null && marks.contains(memberMark)) {
            return Count.MEMBER_COUNTED_BEFORE;
        }
        marks.add(seatMark);
        if (memberMark != null) {
            marks.add(memberMark);
        }
        UsageDay d = day(seat.workspaceId(), seat.day());
        long member = seat.memberId() == null ? 0 : 1;
        put(seat.workspaceId(), new UsageDay(d.day(), d.members() + member,
                d.authTokens() + (seat.credential() == Credential.AUTH_TOKEN ? 1 : 0),
                d.ciKeys() + (seat.credential() == Credential.CI_KEY ? 1 : 0),
                d.legacyKeys() + (seat.credential() == Credential.LEGACY_KEY ? 1 : 0),
                d.seatsInUseAtStart(), d.seatsInUse(), d.seatsAtStart(), d.seats()));
        countWrites++;
        return Count.COUNTED;
    }

    @Override
    public synchronized void recordPool(String workspaceId, LocalDate day, long inUseBefore, long seatsBefore,
                                        long inUseAfter, long seatsAfter) {
        UsageDay d = day(workspaceId, day);
        put(workspaceId, new UsageDay(day, d.members(), d.authTokens(), d.ciKeys(), d.legacyKeys(),
                d.seatsInUseAtStart() != null ? d.seatsInUseAtStart() : inUseBefore, inUseAfter,
                d.seatsAtStart() != null ? d.seatsAtStart() : seatsBefore, seatsAfter));
    }

    @Override
    public synchronized List<UsageDay> days(String workspaceId, LocalDate from, LocalDate to) {
        List<UsageDay> out = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            UsageDay day = days.get(key(workspaceId, d, ""));
            if (day != null) {
                out.add(day);
            }
        }
        return out;
    }

    /** How many counts were written (each a transaction in the DynamoDB store). */
    public synchronized int countWrites() {
        return countWrites;
    }

    private UsageDay day(String workspaceId, LocalDate day) {
        return days.getOrDefault(key(workspaceId, day, ""), new UsageDay(day, 0, 0, 0, 0, null, null, null, null));
    }

    private void put(String workspaceId, UsageDay day) {
        days.put(key(workspaceId, day.day(), ""), day);
    }

    private static String key(String workspaceId, LocalDate day, String what) {
        return workspaceId + "\n" + day + "\n" + what;
    }
}
