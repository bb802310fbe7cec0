package dev.wsl.core.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workspace's use per UTC day over a window ending today, every day present (a day without an item had no
 * activation and no change of the pool). Seats in use at the end of each day are worked out backwards from the
 * pool as it is now: a day's end is the next day's start, which is stored on the next day's item if the pool
 * changed then, else the next day's end. So the figures before the first change in the window are exact too,
 * and nothing older than the window is read.
 *
 * @param days oldest first
 */
public record UsageHistory(LocalDate from, LocalDate to, List<Day> days) {
    /** The longest window the API serves (the "last 90 days"). */
    public static final int MAX_DAYS = 90;

    /**
     * One day: the pool's seats in use and seats at the day's end (now, for today), the distinct members who
     * activated, and the seats that activated by kind of credential.
     */
    public record Day(LocalDate date, long seatsInUse, long seats, long members, long authTokens, long ciKeys,
                      long legacyKeys) {}

    public UsageHistory {
        days = List.copyOf(days);
    }

    /**
     * @param stored     the window's day items (any order; days outside the window are ignored)
     * @param inUseNow   the pool's seats in use now
     * @param seatsNow   the pool's seats now
     */
    public static UsageHistory of(LocalDate from, LocalDate to, List<UsageDay> stored, long inUseNow, long seatsNow) {
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from after to");
        }
        Map<LocalDate, UsageDay> byDay = new HashMap<>();
        stored.forEach(d -> byDay.put(d.day(), d));
        List<Day> backwards = new ArrayList<>();
        long inUse = inUseNow;
        long seats = seatsNow;
        for (LocalDate d = to; !d.isBefore(from); d = d.minusDays(1)) {
            UsageDay item = byDay.get(d);
            backwards.add(item == null ? new Day(d, inUse, seats, 0, 0, 0, 0)
                    : new Day(d, inUse, seats, item.members(), item.authTokens(), item.ciKeys(), item.legacyKeys()));
            if (item != null && item.poolChanged()) {
                inUse = item.seatsInUseAtStart();
                seats = item.seatsAtStart();
            }
        }
        return new UsageHistory(from, to, backwards.reversed());
    }
}
