package dev.wsl.licenses;

import dev.wsl.core.domain.JobBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.access.Principal;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.ReclaimRules;
import dev.wsl.core.domain.Role;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SeatService} on its own, against the in-memory stores: the policy's partial changes and their audit, who
 * may change it, and the reclaim of one seat with each way it can end ({@link ReclaimJobTest} drives it through the
 * job).
 */
class SeatServiceTest {
    private static final Instant T0 = Instant.parse("2026-01-05T05:45:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(T0);
    private final Arrange arrange = new Arrange(stores, T0);
    private final RetryPolicy retry = RetryPolicy.withoutPauses(4);
    private final LicenseService licenses = new LicenseService(stores.workspaces(), stores.licenses(), clock, retry);
    private final SeatService seats = new SeatService(stores.workspaces(), stores.licenses(), stores.seats(),
            new ReclaimRules(7), LocalTime.of(5, 45), clock, retry);
    private final Arrange.Ws ws = arrange.workspace();

    private Principal.Person person(Caller caller) {
        return new Authorization(stores.workspaces()).person(caller, ws.id());
    }

    private List<AuditEntry> audit(String action) {
        return stores.auditOf(ws.id()).stream().filter(e -> e.action().equals(action)).toList();
    }

    private String licensed(String name) {
        String id = arrange.invite(ws, name + "@example.com").memberId();
        licenses.assign(person(ws.caller()), ws.id(), id, null);
        return id;
    }

    private Seat seatOf(String memberId) {
        return stores.seats().seats(ws.id(), List.of(memberId)).get(memberId);
    }

    private Member member(String id) {
        return stores.workspaces().findMember(ws.id(), id).orElseThrow();
    }

    @Test
    void choosingTheDefaults_shouldStoreThemOnce_andEachPartialChangeShouldKeepTheRest() {
        SeatPolicy first = seats.setPolicy(ws.caller(), ws.id(), SeatPolicy.DEFAULT_IDLE_DAYS, false,
                SeatPolicy.DEFAULT_RECLAIM_DAYS);

        // Never stored before: the admin's explicit choice is stored and audited even though it equals the defaults.
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.changedBy()).isEqualTo(ws.admin().email().value());
        assertThat(first.changedAt()).isEqualTo(T0);
        assertThat(audit("seat-policy.changed")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("before", "idleDays=30, reclaim=false, reclaimDays=90"));

        clock.set(T0.plus(DAY));
        SeatPolicy on = seats.setPolicy(ws.caller(), ws.id(), null, true, null);
        SeatPolicy idle60 = seats.setPolicy(ws.caller(), ws.id(), 60, null, null);
        SeatPolicy days30 = seats.setPolicy(ws.caller(), ws.id(), null, null, 30);
        SeatPolicy again = seats.setPolicy(ws.caller(), ws.id(), null, null, null);

        assertThat(on).extracting(SeatPolicy::idleDays, SeatPolicy::reclaim, SeatPolicy::reclaimDays)
                .containsExactly(30, true, 90);
        assertThat(idle60).extracting(SeatPolicy::idleDays, SeatPolicy::reclaim, SeatPolicy::reclaimDays)
                .containsExactly(60, true, 90);
        assertThat(days30).extracting(SeatPolicy::idleDays, SeatPolicy::reclaim, SeatPolicy::reclaimDays,
                SeatPolicy::version).containsExactly(60, true, 30, 4L);
        assertThat(again).as("nothing asked: nothing written").isEqualTo(days30);
        assertThat(stores.seats().policy(ws.id())).extracting(SeatPolicy::idleDays, SeatPolicy::reclaim,
                SeatPolicy::reclaimDays, SeatPolicy::version, SeatPolicy::changedAt).containsExactly(60, true, 30, 4L,
                T0.plus(DAY));
        assertThat(audit("seat-policy.changed")).hasSize(4).last().satisfies(e -> assertThat(e.details())
                .containsEntry("idleDays", "60").containsEntry("reclaim", "true").containsEntry("reclaimDays", "30")
                .containsEntry("before", "idleDays=60, reclaim=true, reclaimDays=90"));
    }

    @Test
    void thePolicy_shouldStayAnAdminsDecision_evenForAMemberWithEveryAdvancedPermission() {
        Member member = arrange.activeMember(ws, "helper@example.com");
        stores.workspaces().changeAccess(member, member.withAccess(new Access(Role.MEMBER,
                EnumSet.allOf(Permission.class))), 0, arrange.audit(ws.id(), ws.caller(), "member.access-changed"));
        var helper = Arrange.caller("helper@example.com");

        assertThatThrownBy(() -> seats.setPolicy(helper, ws.id(), 60, true, 60))
                .isInstanceOfSatisfying(Forbidden.class, e -> assertThat(e.slug()).isEqualTo("missing-permission"));
        assertThatThrownBy(() -> seats.preview(helper, ws.id(), 10, null)).isInstanceOf(Forbidden.class);
        assertThat(stores.seats().policy(ws.id()).version()).isZero();
        assertThat(audit("seat-policy.changed")).isEmpty();
    }

    @Test
    void reclaimingOneSeat_shouldEndAsTheRulesAndTheSeatSayAtThatMoment() {
        arrange.seats(ws.id(), 5);
        SeatPolicy policy = seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        String jane = licensed("jane");
        String dana = licensed("dana");
        String subscription = member(dana).holdings().subscriptionId();
        clock.set(T0.plus(DAY.multipliedBy(24)));

        // Idle but never told: the rules say notice, not reclaim.
        assertThat(seats.reclaim(ws.id(), seatOf(dana), policy)).isEqualTo(SeatService.Reclaimed.NOT_RECLAIMABLE);
        assertThat(member(dana).holdings().licensed()).isTrue();

        new ReclaimJob(stores.seats(), stores.workspaces(), seats, clock, 100, retry)
                .run(new JobBudget(() -> 900_000, 1_000));
        clock.set(T0.plus(DAY.multipliedBy(31)));
        Seat janeAsRead = seatOf(jane);
        Seat danaAsRead = seatOf(dana);
        // Jane activates after the job read her seat: her seat is not the one read any more.
        stores.recordActivation(ws.id(), jane, clock.instant());

        assertThat(seats.reclaim(ws.id(), janeAsRead, policy)).isEqualTo(SeatService.Reclaimed.USED_MEANWHILE);
        assertThat(seats.reclaim(ws.id(), danaAsRead, policy)).isEqualTo(SeatService.Reclaimed.RECLAIMED);

        assertThat(member(jane).holdings().licensed()).isTrue();
        assertThat(member(dana).holdings().licensed()).isFalse();
        assertThat(audit("license.reclaimed")).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo(dana);
            assertThat(e.details()).containsEntry("idleSince", danaAsRead.lastActivity().toString())
                    .containsEntry("idleDays", Long.toString(danaAsRead.idleDays(clock.instant())))
                    .containsEntry("noticedAt", danaAsRead.notice().noticedAt().toString())
                    .containsEntry("subscription", subscription);
        });
        assertThat(stores.licenses().pool(ws.id()).tally()).isEqualTo(stores.recount(ws.id()));
        // Reclaimed already: the seat left the index, nothing is taken twice.
        assertThat(seats.reclaim(ws.id(), danaAsRead, policy)).isNotEqualTo(SeatService.Reclaimed.RECLAIMED);
        assertThat(audit("license.reclaimed")).hasSize(1);
    }

    @Test
    void thePreviewsRun_shouldBeTodaysWhileItIsAhead_andTomorrowsOnceItStarted() {
        Instant today = Instant.parse("2026-03-10T05:45:00Z");

        assertThat(seats.nextRun(today.minusSeconds(1))).isEqualTo(today);
        assertThat(seats.nextRun(today)).as("the run at this instant is under way").isEqualTo(today.plus(DAY));
        assertThat(seats.nextRun(today.plusSeconds(1))).isEqualTo(today.plus(DAY));
    }

    @Test
    void theSummary_shouldShowThePolicyToEveryMember_andNameKeysOnlyToThoseWhoManageThem() {
        arrange.seats(ws.id(), 4);
        seats.setPolicy(ws.caller(), ws.id(), 60, true, 90);
        arrange.activeMember(ws, "plain@example.com");

        SeatService.Summary forAdmin = seats.summary(ws.caller(), ws.id());
        SeatService.Summary forMember = seats.summary(Arrange.caller("plain@example.com"), ws.id());

        assertThat(forAdmin.pool().seats()).isEqualTo(4);
        assertThat(forAdmin.policy()).extracting(SeatPolicy::idleDays, SeatPolicy::reclaim).containsExactly(60, true);
        assertThat(forAdmin.noticeDays()).isEqualTo(7);
        assertThat(forAdmin.namesKeys()).isTrue();
        assertThat(forMember.policy()).isEqualTo(forAdmin.policy());
        assertThat(forMember.namesKeys()).isFalse();
        assertThatThrownBy(() -> seats.summary(Arrange.caller("stranger@example.com"), ws.id()))
                .isInstanceOf(RuntimeException.class);
    }
}
