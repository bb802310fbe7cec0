package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.Ids;
import org.junit.jupiter.api.Test;

/**
 * The daily usage items (issue 21): a seat counts once a day, a member once a day across their credentials,
 * the pool's day keeps its start and its end, and the window reads back oldest first.
 */
public abstract class UsageStoreContract extends StoreContract {
    private static final java.time.LocalDate DAY = java.time.LocalDate.of(2026, 11, 27);

    @Test
    void aSeat_shouldCountOncePerDay_andAMemberOnceAcrossTheirCredentials() {
        String ws = Ids.newId("ws", NOW.toEpochMilli());
        var usage = stores.usage();
        var token = new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "m_ada", dev.wsl.core.port.UsageStore.Credential.AUTH_TOKEN, "m_ada");
        var key = new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "lk_1", dev.wsl.core.port.UsageStore.Credential.LEGACY_KEY, "m_ada");
        var ci = new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "ci_1", dev.wsl.core.port.UsageStore.Credential.CI_KEY, null);

        assertThat(usage.countSeat(token)).isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);
        assertThat(usage.countSeat(token)).isEqualTo(dev.wsl.core.port.UsageStore.Count.SEAT_COUNTED_BEFORE);
        assertThat(usage.countSeat(key)).as("the same member with a legacy key")
                .isEqualTo(dev.wsl.core.port.UsageStore.Count.MEMBER_COUNTED_BEFORE);
        assertThat(usage.countSeat(key.withoutMember())).isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);
        assertThat(usage.countSeat(ci)).isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);
        assertThat(usage.countSeat(ci)).isEqualTo(dev.wsl.core.port.UsageStore.Count.SEAT_COUNTED_BEFORE);
        assertThat(usage.countSeat(new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY.plusDays(1), "m_ada",
                dev.wsl.core.port.UsageStore.Credential.AUTH_TOKEN, "m_ada"))).as("the next day")
                .isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);

        assertThat(usage.days(ws, DAY, DAY)).containsExactly(
                new dev.wsl.core.domain.UsageDay(DAY, 1, 1, 1, 1, null, null, null, null));
    }

    @Test
    void poolChanges_shouldKeepTheDaysFirstStartAndLastEnd_andTheWindowReadOldestFirst() {
        String ws = Ids.newId("ws", NOW.toEpochMilli());
        var usage = stores.usage();
        usage.recordPool(ws, DAY, 2, 5, 3, 5);
        usage.recordPool(ws, DAY, 3, 5, 4, 10);
        usage.recordPool(ws, DAY.minusDays(2), 0, 0, 2, 5);
        usage.countSeat(new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "ci_9",
                dev.wsl.core.port.UsageStore.Credential.CI_KEY, null));
        usage.recordPool(ws, DAY.plusDays(1), 4, 10, 1, 10);

        assertThat(usage.days(ws, DAY.minusDays(2), DAY)).containsExactly(
                new dev.wsl.core.domain.UsageDay(DAY.minusDays(2), 0, 0, 0, 0, 0L, 2L, 0L, 5L),
                new dev.wsl.core.domain.UsageDay(DAY, 0, 0, 1, 0, 2L, 4L, 5L, 10L));
        assertThat(usage.days(ws, DAY.minusDays(1), DAY.minusDays(1))).isEmpty();
        assertThat(usage.days(Ids.newId("ws", NOW.toEpochMilli()), DAY.minusDays(90), DAY)).isEmpty();
    }
}
