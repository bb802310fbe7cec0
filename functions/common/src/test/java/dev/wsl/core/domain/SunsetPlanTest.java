package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SunsetPlanTest {
    private final SunsetPlan plan = SunsetPlan.parse("2027-01-04", "2027-03-02T14:00:00Z/2027-03-02T16:00:00Z",
            "2027-06-30", "30", "14");

    @Test
    void phases_shouldFollowTheDates() {
        assertThat(plan.phaseAt(Instant.parse("2027-01-03T23:59:59Z"))).isEqualTo(SunsetPlan.Phase.BEFORE_ANNOUNCEMENT);
        assertThat(plan.phaseAt(Instant.parse("2027-01-04T00:00:00Z"))).isEqualTo(SunsetPlan.Phase.ANNOUNCED);
        assertThat(plan.phaseAt(Instant.parse("2027-03-02T15:00:00Z"))).isEqualTo(SunsetPlan.Phase.BROWNOUT);
        assertThat(plan.phaseAt(Instant.parse("2027-03-02T16:00:00Z"))).isEqualTo(SunsetPlan.Phase.ANNOUNCED);
        assertThat(plan.phaseAt(Instant.parse("2027-06-30T00:00:00Z"))).isEqualTo(SunsetPlan.Phase.CUT_OFF);
        assertThat(plan.phaseAt(Instant.parse("2027-07-30T00:00:00Z"))).isEqualTo(SunsetPlan.Phase.CLEANUP);
    }

    @Test
    void notices_shouldBeDueAheadOfEachPhase() {
        assertThat(plan.dueNotices(Instant.parse("2027-01-03T00:00:00Z"))).isEmpty();
        assertThat(plan.dueNotices(Instant.parse("2027-01-10T00:00:00Z"))).containsExactly("announcement");
        assertThat(plan.dueNotices(Instant.parse("2027-02-20T00:00:00Z"))).containsExactly("announcement", "brownout-1");
        assertThat(plan.dueNotices(Instant.parse("2027-06-20T00:00:00Z"))).containsExactly("announcement", "cutoff");
        assertThat(plan.dueNotices(Instant.parse("2027-07-01T00:00:00Z"))).containsExactly("announcement", "disabled");
        assertThat(plan.dueNotices(Instant.parse("2027-08-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void legacyKeys_shouldBeRefusedInBrownoutsAndAfterCutOff_withWhatToDo() {
        assertThat(plan.legacyKeyRefusal(Instant.parse("2027-02-01T00:00:00Z"))).isEmpty();
        assertThat(plan.legacyKeyRefusal(Instant.parse("2027-03-02T15:00:00Z"))).hasValueSatisfying(m ->
                assertThat(m).contains("brownout until 2027-03-02T16:00:00Z").contains("LOCALSTACK_AUTH_TOKEN")
                        .contains("2027-06-30"));
        assertThat(plan.legacyKeyRefusal(Instant.parse("2027-07-01T00:00:00Z"))).hasValueSatisfying(m ->
                assertThat(m).contains("stopped working on 2027-06-30"));
    }

    @Test
    void aPlanThatCannotWork_shouldBeRefusedAtStart() {
        assertThatThrownBy(() -> SunsetPlan.parse("2027-06-30", "", "2027-01-01", "30", "14"))
                .hasMessageContaining("before the cut-off");
        assertThatThrownBy(() -> SunsetPlan.parse("2027-01-01", "2026-12-01T00:00:00Z/2026-12-02T00:00:00Z",
                "2027-06-30", "30", "14")).hasMessageContaining("between");
        assertThatThrownBy(() -> SunsetPlan.parse("2027-01-01", "nonsense", "2027-06-30", "30", "14"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
