package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the reclaim policy does with one seat: notice first, reclaim at the deadline, never after a new activation. */
class ReclaimRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private final ReclaimRules rules = new ReclaimRules(7);
    private final SeatPolicy reclaim60 = new SeatPolicy("ws_1", 30, true, 60, 1, null, null, SeatPolicy.IdleCounts.NONE);

    private static Member holder(boolean licensed, String keyId) {
        return Member.builder().workspaceId("ws_1").memberId("m_1").email(new EmailAddress("a@example.com")).name("A")
                .status(MemberStatus.ACTIVE).access(Access.MEMBER).userId("u1").invitedAt(NOW).invitedBy("u0")
                .acceptedAt(NOW).holdings(new Holdings(licensed, keyId)).version(1).build();
    }

    private static Seat seat(Instant lastActivity, Seat.ReclaimNotice notice) {
        return new Seat("ws_1", "m_1", lastActivity, lastActivity, null, notice);
    }

    @Test
    void aSeatIdleForLessThanTheDaysMinusTheNotice_shouldBeKept() {
        ReclaimRules.Decision d = rules.decide(seat(NOW.minus(DAY.multipliedBy(52)), null), holder(true, null), reclaim60, NOW);

        assertThat(d.action()).isEqualTo(ReclaimRules.Action.KEEP);
    }

    @Test
    void aSeatIdleForTheDaysMinusTheNotice_shouldBeNoticed_withADeadlineTheNoticeDaysAway_whenItIsIdleForTheDays() {
        Instant last = NOW.minus(DAY.multipliedBy(53)).minusSeconds(3600);
        ReclaimRules.Decision d = rules.decide(seat(last, null), holder(true, null), reclaim60, NOW);

        assertThat(d.action()).isEqualTo(ReclaimRules.Action.NOTICE);
        assertThat(d.deadline()).isEqualTo(NOW.plus(DAY.multipliedBy(7)))
                .isAfterOrEqualTo(last.plus(DAY.multipliedBy(60)));
    }

    @Test
    void aSeatIdleLongBeforeThePolicyWasOn_shouldStillGetTheWholeNotice() {
        ReclaimRules.Decision d = rules.decide(seat(NOW.minus(DAY.multipliedBy(400)), null), holder(true, null),
                reclaim60, NOW);

        assertThat(d.action()).isEqualTo(ReclaimRules.Action.NOTICE);
        assertThat(d.deadline()).as("never less than the notice days away").isEqualTo(NOW.plus(DAY.multipliedBy(7)));
    }

    @Test
    void aNoticedSeat_shouldWaitForItsDeadline_thenBeReclaimed() {
        Instant last = NOW.minus(DAY.multipliedBy(54));
        Seat noticed = seat(last, new Seat.ReclaimNotice(last, NOW, last.plus(DAY.multipliedBy(60))));

        assertThat(rules.decide(noticed, holder(true, null), reclaim60, NOW.plus(DAY.multipliedBy(5))).action())
                .isEqualTo(ReclaimRules.Action.WAIT);
        assertThat(rules.decide(noticed, holder(true, null), reclaim60, NOW.plus(DAY.multipliedBy(6))).action())
                .isEqualTo(ReclaimRules.Action.RECLAIM);
    }

    @Test
    void anActivationAfterTheNotice_shouldStartANewStretch_thatTheOldNoticeDoesNotCover() {
        Instant last = NOW.minus(DAY.multipliedBy(54));
        Seat.ReclaimNotice notice = new Seat.ReclaimNotice(last, NOW, last.plus(DAY.multipliedBy(60)));
        Seat usedSince = seat(NOW.plus(DAY), notice);

        assertThat(usedSince.noticed()).isFalse();
        assertThat(rules.decide(usedSince, holder(true, null), reclaim60, NOW.plus(DAY.multipliedBy(10))).action())
                .isEqualTo(ReclaimRules.Action.KEEP);
    }

    @Test
    void aLongerReclaimPeriodAfterTheNotice_shouldPushTheReclaimOut_andAShorterOneNeverBringItForward() {
        Instant last = NOW.minus(DAY.multipliedBy(54));
        Seat noticed = seat(last, new Seat.ReclaimNotice(last, NOW, last.plus(DAY.multipliedBy(60))));
        SeatPolicy reclaim90 = new SeatPolicy("ws_1", 30, true, 90, 2, null, null, SeatPolicy.IdleCounts.NONE);
        SeatPolicy reclaim30 = new SeatPolicy("ws_1", 30, true, 30, 2, null, null, SeatPolicy.IdleCounts.NONE);

        ReclaimRules.Decision longer = rules.decide(noticed, holder(true, null), reclaim90, NOW.plus(DAY.multipliedBy(6)));
        assertThat(longer.action()).isEqualTo(ReclaimRules.Action.WAIT);
        assertThat(longer.deadline()).isEqualTo(last.plus(DAY.multipliedBy(90)));
        assertThat(rules.decide(noticed, holder(true, null), reclaim30, NOW.plus(DAY)).action())
                .as("the deadline the holder was told").isEqualTo(ReclaimRules.Action.WAIT);
    }

    @Test
    void theHolderOfALegacyKey_orOfNoLicense_shouldBeKept() {
        Seat old = seat(NOW.minus(DAY.multipliedBy(400)), null);

        assertThat(rules.decide(old, holder(true, "lk_1"), reclaim60, NOW).action()).isEqualTo(ReclaimRules.Action.KEEP);
        assertThat(rules.decide(old, holder(false, null), reclaim60, NOW).action()).isEqualTo(ReclaimRules.Action.KEEP);
        assertThat(rules.decide(old, null, reclaim60, NOW).action()).isEqualTo(ReclaimRules.Action.KEEP);
    }

    @Test
    void noticeDays_shouldBeShorterThanTheShortestReclaimPeriod() {
        assertThatThrownBy(() -> new ReclaimRules(30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReclaimRules(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ReclaimRules(29).noticeDays()).isEqualTo(29);
        assertThat(new ReclaimRules(1).noticeDays()).isEqualTo(1);
        assertThatThrownBy(() -> new ReclaimRules(-1)).hasMessage("notice days must be 1 to 29");
    }
}
