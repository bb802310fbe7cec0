package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.InvalidInput;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeatPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    private static final Actor ADMIN = new Actor("sub-a", "admin@example.com");

    @Test
    void theDefaults_shouldBeIdleAfter30Days_andNoReclaim() {
        SeatPolicy p = SeatPolicy.defaults("ws_1");

        assertThat(p.idleDays()).isEqualTo(30);
        assertThat(p.reclaim()).isFalse();
        assertThat(p.version()).isZero();
        assertThat(p.idle().asOf()).isNull();
    }

    @Test
    void aChange_shouldAcceptOnly30_60Or90Days_andBeTheNextVersion_keepingTheCounts() {
        SeatPolicy counted = SeatPolicy.defaults("ws_1").withCounts(new SeatPolicy.IdleCounts(NOW, 3, 2, 1));

        SeatPolicy next = counted.changedTo(60, true, 90, ADMIN, NOW);

        assertThat(next.version()).isEqualTo(1);
        assertThat(next.changedBy()).isEqualTo("admin@example.com");
        assertThat(next.idle().over(next.idleDays())).as("the count for the new idle days at once").isEqualTo(2);
        for (int wrong : new int[] {0, 29, 31, 45, 365}) {
            assertThatThrownBy(() -> counted.changedTo(wrong, false, 90, ADMIN, NOW)).isInstanceOf(InvalidInput.class);
            assertThatThrownBy(() -> counted.changedTo(30, true, wrong, ADMIN, NOW)).isInstanceOf(InvalidInput.class);
        }
    }

    @Test
    void counts_shouldCountASeatUnderEveryThresholdItReaches() {
        SeatPolicy.IdleCounts c = SeatPolicy.IdleCounts.NONE.plus(29).plus(30).plus(61).plus(90).plus(400);

        assertThat(c.over(30)).isEqualTo(4);
        assertThat(c.over(60)).isEqualTo(3);
        assertThat(c.over(90)).isEqualTo(2);
    }

    @Test
    void idleDays_shouldBeWholeDaysSinceTheSeatsLastActivity() {
        Instant last = NOW.minus(Duration.ofDays(30)).plusSeconds(1);
        SeatPolicy p = SeatPolicy.defaults("ws_1");

        assertThat(p.isIdle(last, NOW)).as("29 days and 23:59:59").isFalse();
        assertThat(p.isIdle(last.minusSeconds(1), NOW)).isTrue();
        assertThat(new Usage("m_1", null, null, null, null, java.util.Map.of(), last).idleDays(NOW)).isEqualTo(29);
        assertThat(new Usage("m_1", NOW, null, null, null, java.util.Map.of()).idleDays(NOW)).as("no seat").isNull();
    }
}
