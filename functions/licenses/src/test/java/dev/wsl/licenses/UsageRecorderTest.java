package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.UsageDay;
import dev.wsl.core.domain.UsageHistory;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daily usage items kept from the table's stream ({@link UsageRecorder}) and read back for the chart
 * ({@link UsageService}), on the fakes: a seat counts on its first record of a day only, a member once a day
 * whatever credential, the pool's changes give the seats, and only those who hand out seats read them.
 */
class UsageRecorderTest {
    private static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, NOW);
    private final Arrange.Ws ws = arrange.workspace();
    private final UsageRecorder recorder = new UsageRecorder(stores.usage(), stores.licenses());
    private final UsageService service = new UsageService(stores.usage(), stores.licenses(), stores.workspaces(),
            new MutableClock(NOW), RetryPolicy.withoutPauses(3));

    private UsageDay today() {
        return stores.usage().days(ws.id(), TODAY, TODAY).getFirst();
    }

    @Test
    void aSeat_shouldCountOnItsFirstRecordOfADay_only() {
        String m = ws.admin().memberId();

        assertThat(recorder.usageWritten(ws.id(), m, "auth-token", null, NOW)).isEqualTo(UsageRecorder.Outcome.COUNTED);
        assertThat(recorder.usageWritten(ws.id(), m, "auth-token", NOW, NOW.plusSeconds(3600)))
                .isEqualTo(UsageRecorder.Outcome.SAME_DAY);
        assertThat(recorder.usageWritten(ws.id(), m, "auth-token", NOW.minus(Duration.ofDays(1)), NOW))
                .as("the same record delivered again").isEqualTo(UsageRecorder.Outcome.COUNTED_BEFORE);
        assertThat(recorder.usageWritten(ws.id(), m, "auth-token", NOW, NOW.plus(Duration.ofDays(1))))
                .isEqualTo(UsageRecorder.Outcome.COUNTED);
        assertThat(recorder.usageWritten(ws.id(), "x", "something-else", null, NOW))
                .isEqualTo(UsageRecorder.Outcome.NOT_A_SEAT);

        assertThat(today()).isEqualTo(new UsageDay(TODAY, 1, 1, 0, 0, null, null, null, null));
        assertThat(stores.usage().countWrites()).isEqualTo(2);
    }

    @Test
    void aMemberWithATokenAndAnAssignedLegacyKey_shouldCountAsOneMember_andTwoSeats() {
        arrange.seats(ws.id(), 5);
        Member jane = arrange.license(arrange.activeMember(ws, "jane@example.com"));
        LegacyKey key = arrange.key(ws.id(), "AbCdEf1234", jane.memberId(), NOW);
        stores.licenses().apply(new dev.wsl.core.domain.SeatChange(ws.id(), List.of(),
                List.of(new dev.wsl.core.domain.SeatChange.KeyChange(null, key)), List.of()), stores.licenses().pool(ws.id()));
        LegacyKey loose = arrange.importKey(ws.id(), "ZyXwVu9876", NOW);

        recorder.usageWritten(ws.id(), key.keyId(), "legacy-key", null, NOW);
        recorder.usageWritten(ws.id(), jane.memberId(), "auth-token", null, NOW);
        recorder.usageWritten(ws.id(), loose.keyId(), "legacy-key", null, NOW);
        recorder.usageWritten(ws.id(), "ci_1", "ci-key", null, NOW);

        assertThat(today()).isEqualTo(new UsageDay(TODAY, 1, 1, 1, 2, null, null, null, null));
    }

    @Test
    void poolChanges_shouldGiveTheSeats_andTheServiceWorkThemOutBackwards() {
        arrange.seats(ws.id(), 5);
        arrange.license(ws.admin());
        recorder.poolChanged(ws.id(), NOW.minus(Duration.ofDays(5)), 0, 0, 0, 5);
        recorder.poolChanged(ws.id(), NOW.minus(Duration.ofDays(5)), 0, 5, 1, 5);
        recorder.poolChanged(ws.id(), NOW, 1, 5, 1, 5); // nothing that the chart shows changed: not recorded
        recorder.usageWritten(ws.id(), ws.admin().memberId(), "auth-token", null, NOW.minus(Duration.ofDays(2)));

        UsageHistory h = service.history(ws.caller(), ws.id(), 7);

        assertThat(h.from()).isEqualTo(TODAY.minusDays(6));
        assertThat(h.days()).extracting(UsageHistory.Day::seatsInUse).containsExactly(0L, 1L, 1L, 1L, 1L, 1L, 1L);
        assertThat(h.days()).extracting(UsageHistory.Day::seats).containsExactly(0L, 5L, 5L, 5L, 5L, 5L, 5L);
        assertThat(h.days()).extracting(UsageHistory.Day::members).containsExactly(0L, 0L, 0L, 0L, 1L, 0L, 0L);
        assertThat(stores.usage().days(ws.id(), TODAY, TODAY)).as("no item for a change of nothing shown").isEmpty();
    }

    @Test
    void theHistory_shouldBeForThoseWhoHandOutSeats_andRefuseBadWindows() {
        arrange.activeMember(ws, "plain@example.com");
        Member assigner = arrange.activeMember(ws, "assigner@example.com");
        stores.workspaces().changeAccess(assigner, assigner.withAccess(new Access(dev.wsl.core.domain.Role.MEMBER,
                java.util.Set.of(dev.wsl.core.domain.Permission.LICENSES_ASSIGN))), 0,
                arrange.audit(ws.id(), ws.caller(), "member.access-changed"));

        assertThat(service.history(Arrange.caller("assigner@example.com"), ws.id(), 90).days()).hasSize(90);
        assertThatThrownBy(() -> service.history(Arrange.caller("plain@example.com"), ws.id(), 90))
                .isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> service.history(Arrange.caller("stranger@example.com"), ws.id(), 90))
                .isInstanceOf(NotFound.class);
        for (int days : new int[] {0, 91, -3}) {
            assertThatThrownBy(() -> service.history(ws.caller(), ws.id(), days)).as("%d days", days)
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-days"));
        }
    }
}
