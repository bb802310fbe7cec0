package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window of days: every day present, counts where stored, seats worked out backwards from the pool now. */
class UsageHistoryTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);

    private static UsageDay counts(LocalDate day, long members, long tokens, long ci, long legacy) {
        return new UsageDay(day, members, tokens, ci, legacy, null, null, null, null);
    }

    private static UsageDay pool(LocalDate day, long inUseStart, long inUseEnd, long seatsStart, long seatsEnd) {
        return new UsageDay(day, 0, 0, 0, 0, inUseStart, inUseEnd, seatsStart, seatsEnd);
    }

    @Test
    void everyDay_shouldBePresent_oldestFirst_withZerosWhereNothingWasStored() {
        UsageHistory h = UsageHistory.of(TODAY.minusDays(89), TODAY, List.of(counts(TODAY.minusDays(3), 2, 2, 1, 0)), 4, 5);

        assertThat(h.days()).hasSize(90);
        assertThat(h.days().getFirst().date()).isEqualTo(TODAY.minusDays(89));
        assertThat(h.days().getLast().date()).isEqualTo(TODAY);
        assertThat(h.days().get(86)).isEqualTo(new UsageHistory.Day(TODAY.minusDays(3), 4, 5, 2, 2, 1, 0));
        assertThat(h.days().stream().filter(d -> d.members() > 0)).hasSize(1);
    }

    @Test
    void seatsInUse_shouldBeTheNextChangesStart_allTheWayBack_andThePoolNowForToday() {
        List<UsageDay> stored = List.of(
                pool(TODAY.minusDays(10), 2, 3, 5, 5),
                pool(TODAY.minusDays(4), 3, 6, 5, 10),
                pool(TODAY, 6, 7, 10, 10));

        UsageHistory h = UsageHistory.of(TODAY.minusDays(12), TODAY, stored, 7, 10);

        assertThat(h.days()).extracting(UsageHistory.Day::seatsInUse)
                .containsExactly(2L, 2L, 3L, 3L, 3L, 3L, 3L, 3L, 6L, 6L, 6L, 6L, 7L);
        assertThat(h.days()).extracting(UsageHistory.Day::seats)
                .containsExactly(5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 10L, 10L, 10L, 10L, 10L);
    }

    @Test
    void withoutAnyChangeInTheWindow_everyDayShouldShowThePoolAsItIsNow() {
        UsageHistory h = UsageHistory.of(TODAY.minusDays(2), TODAY, List.of(counts(TODAY, 1, 1, 0, 0)), 3, 8);

        assertThat(h.days()).extracting(UsageHistory.Day::seatsInUse).containsOnly(3L);
        assertThat(h.days()).extracting(UsageHistory.Day::seats).containsOnly(8L);
    }
}
