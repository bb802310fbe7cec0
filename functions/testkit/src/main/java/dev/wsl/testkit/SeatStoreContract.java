package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.port.OutboxStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Idle seats, the seat policy and the reclaim job's own items (issue 21). */
public abstract class SeatStoreContract extends StoreContract {
    private static final java.time.Duration DAY = java.time.Duration.ofDays(1);

    private Member licensedAt(Arrange.Ws ws, String name, Instant at) {
        return arrange.license(arrange.invite(ws, email(name)), at);
    }

    private dev.wsl.core.domain.Seat seat(Member m) {
        return stores.seats().seats(m.workspaceId(), List.of(m.memberId())).get(m.memberId());
    }

    private SeatChange unassign(Member m, Instant unusedSince) {
        return new SeatChange(m.workspaceId(), List.of(new SeatChange.MemberChange(m,
                m.withHoldings(m.holdings().withLicense(false)), unusedSince)), List.of(),
                List.of(arrange.audit(m.workspaceId(), Arrange.caller("x@example.com"), "license.unassigned")));
    }

    @Test
    void aLicense_shouldPutItsSeatOnTheIndex_idleFromWhenItWasGiven_andItsEndShouldTakeItOff() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 10);
        Instant given = NOW.minus(DAY.multipliedBy(40));
        Member jane = licensedAt(ws, "jane", given);

        dev.wsl.core.domain.Seat seat = seat(jane);
        assertThat(seat.lastActivity()).isEqualTo(given.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(seat.licensedAt()).isEqualTo(given);
        assertThat(seat.lastActivation()).as("no activation since the license").isNull();
        assertThat(seat.noticed()).isFalse();
        assertThat(stores.seats().idleSeats(ws.id(), NOW.minus(DAY.multipliedBy(30)), 10, null).seats())
                .extracting(dev.wsl.core.domain.Seat::memberId).containsExactly(jane.memberId());
        assertThat(stores.credentials().usage(ws.id(), List.of(jane.memberId())).get(jane.memberId()).idleSince())
                .isEqualTo(seat.lastActivity());

        stores.licenses().apply(unassign(jane, null), stores.licenses().pool(ws.id()));

        assertThat(seat(jane)).isNull();
        assertThat(stores.seats().idleSeats(ws.id(), NOW, 10, null).seats()).isEmpty();
        var usage = stores.credentials().usage(ws.id(), List.of(jane.memberId())).get(jane.memberId());
        assertThat(usage == null ? null : usage.idleSince()).as("no seat, no idle time").isNull();
    }

    @Test
    void idleSeats_shouldListLongestIdleFirst_pageByPage_andRefuseACursorItDidNotReturn() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 10);
        Member a = licensedAt(ws, "a", NOW.minus(DAY.multipliedBy(50)));
        Member b = licensedAt(ws, "b", NOW.minus(DAY.multipliedBy(35)));
        Member c = licensedAt(ws, "c", NOW.minus(DAY.multipliedBy(40)));
        licensedAt(ws, "recent", NOW.minus(DAY.multipliedBy(10)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = stores.seats().idleSeats(ws.id(), NOW.minus(DAY.multipliedBy(30)), 2, cursor);
            page.seats().forEach(s -> seen.add(s.memberId()));
            cursor = page.next();
            pages++;
        } while (cursor != null && pages < 5);

        assertThat(seen).containsExactly(a.memberId(), c.memberId(), b.memberId());
        assertThat(pages).isBetween(2, 3);
        assertThatThrownBy(() -> stores.seats().idleSeats(ws.id(), NOW, 2, "not-a-cursor"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-cursor"));
    }

    @Test
    void anActivation_shouldMoveTheSeat_andAnEndConditionedOnTheOldActivity_shouldThenChangeNothing() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 10);
        Instant given = NOW.minus(DAY.multipliedBy(40));
        Member jane = licensedAt(ws, "jane", given);
        dev.wsl.core.domain.Seat idle = seat(jane);

        stores.recordActivation(ws.id(), jane.memberId(), NOW.minus(DAY));

        dev.wsl.core.domain.Seat used = seat(jane);
        assertThat(used.lastActivity()).isEqualTo(NOW.minus(DAY));
        assertThat(used.lastActivation().at()).isEqualTo(NOW.minus(DAY));
        assertThat(stores.seats().idleSeats(ws.id(), NOW.minus(DAY.multipliedBy(30)), 10, null).seats()).isEmpty();
        assertThatThrownBy(() -> stores.licenses().apply(unassign(jane, idle.lastActivity()),
                stores.licenses().pool(ws.id()))).isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(jane).holdings().licensed()).as("nothing written").isTrue();
        assertThat(seat(jane)).isEqualTo(used);

        stores.licenses().apply(unassign(jane, used.lastActivity()), stores.licenses().pool(ws.id()));
        assertThat(member(jane).holdings().licensed()).isFalse();
        assertThat(seat(jane)).isNull();
        assertCountersEqualRecount(ws.id());
    }

    @Test
    void aNotice_shouldBeRecordedOncePerIdleStretch_withItsEmail() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 10);
        Member jane = licensedAt(ws, "jane", NOW.minus(DAY.multipliedBy(60)));
        dev.wsl.core.domain.Seat idle = seat(jane);
        OutboxMessage email = notice(jane, idle);
        var notice = new dev.wsl.core.domain.Seat.ReclaimNotice(idle.lastActivity(), NOW, NOW.plus(DAY.multipliedBy(7)));

        assertThat(stores.seats().recordNotice(idle, notice, email)).isTrue();
        assertThat(stores.seats().recordNotice(idle, notice, email)).as("the same stretch again").isFalse();
        assertThat(seat(jane).noticed()).isTrue();
        assertThat(seat(jane).notice()).isEqualTo(notice);
        assertThat(stores.outbox().state(email.id())).contains(OutboxStore.State.PENDING);

        stores.recordActivation(ws.id(), jane.memberId(), NOW.minus(DAY));
        assertThat(seat(jane).noticed()).as("an activation starts a new stretch").isFalse();
        assertThat(stores.seats().recordNotice(idle, notice, notice(jane, idle)))
                .as("a notice for the stretch that ended").isFalse();
        dev.wsl.core.domain.Seat again = seat(jane);
        assertThat(stores.seats().recordNotice(again, new dev.wsl.core.domain.Seat.ReclaimNotice(
                again.lastActivity(), NOW, NOW.plus(DAY.multipliedBy(60))), notice(jane, again))).isTrue();
    }

    private OutboxMessage notice(Member m, dev.wsl.core.domain.Seat seat) {
        return OutboxMessage.notice(OutboxMessage.Kind.RECLAIM_NOTICE, m.workspaceId(), m.memberId(),
                seat.lastActivity().getEpochSecond(), m.email(), "Workspace", "Reclaim", "Text", NOW);
    }

    @Test
    void aMessage_shouldBeQueuedOnce() {
        Arrange.Ws ws = arrange.workspace();
        OutboxMessage digest = OutboxMessage.notice(OutboxMessage.Kind.RECLAIM_DIGEST, ws.id(),
                ws.admin().memberId(), NOW.getEpochSecond(), ws.admin().email(), "Workspace", "Digest", "Text", NOW);

        assertThat(stores.seats().queue(digest)).isTrue();
        assertThat(stores.seats().queue(digest)).isFalse();
        assertThat(stores.outbox().state(digest.id())).contains(OutboxStore.State.PENDING);
        assertThat(stores.seats().admins(ws.id())).extracting(Member::memberId).containsExactly(ws.admin().memberId());
    }

    @Test
    void thePolicy_shouldDefault_changeOnlyFromTheVersionRead_andKeepTheJobsCounts() {
        Arrange.Ws ws = arrange.workspace();
        var overview = stores.seats().overview(ws.id());
        assertThat(overview.policy()).isEqualTo(dev.wsl.core.domain.SeatPolicy.defaults(ws.id()));
        assertThat(overview.pool().seats()).isZero();
        arrange.seats(ws.id(), 5);
        var counts = new dev.wsl.core.domain.SeatPolicy.IdleCounts(NOW, 3, 2, 1);
        stores.seats().saveCounts(ws.id(), counts);

        dev.wsl.core.domain.SeatPolicy read = stores.seats().policy(ws.id());
        var by = new dev.wsl.core.domain.Actor("sub-admin", "admin@example.com");
        dev.wsl.core.domain.SeatPolicy next = read.changedTo(60, true, 90, by, NOW);
        stores.seats().savePolicy(read, next, arrange.audit(ws.id(), ws.caller(), "seat-policy.changed"));

        assertThatThrownBy(() -> stores.seats().savePolicy(read, read.changedTo(90, false, 30, by, NOW),
                arrange.audit(ws.id(), ws.caller(), "seat-policy.changed"))).isInstanceOf(ChangedMeanwhile.class);
        var stored = stores.seats().overview(ws.id());
        assertThat(stored.policy()).isEqualTo(next.withCounts(counts));
        assertThat(stored.pool().seats()).isEqualTo(5);
    }

    @Test
    void aPurchase_shouldPutTheWorkspaceOnTheJobsWorkList_andReclaimMoveItToTheReclaimPart() {
        Arrange.Ws ws = arrange.workspace();
        assertThat(policies(false)).doesNotContain(ws.id());
        arrange.seats(ws.id(), 5);
        assertThat(policies(false)).contains(ws.id());
        assertThat(policies(true)).doesNotContain(ws.id());

        dev.wsl.core.domain.SeatPolicy read = stores.seats().policy(ws.id());
        stores.seats().savePolicy(read, read.changedTo(30, true, 60,
                new dev.wsl.core.domain.Actor("sub-admin", "admin@example.com"), NOW),
                arrange.audit(ws.id(), ws.caller(), "seat-policy.changed"));
        arrange.seats(ws.id(), 6);

        assertThat(policies(true)).as("a later purchase keeps the admin's choice").contains(ws.id());
        assertThat(policies(false)).doesNotContain(ws.id());
        assertThat(stores.seats().policy(ws.id()).reclaim()).isTrue();
    }

    private List<String> policies(boolean reclaim) {
        List<String> out = new ArrayList<>();
        String after = null;
        for (int i = 0; i < 1000; i++) {
            var page = stores.seats().policies(reclaim, after, 50);
            page.policies().forEach(p -> out.add(p.workspaceId()));
            if (!page.more()) {
                break;
            }
            after = page.last();
        }
        return out;
    }

    @Test
    void aRun_shouldStartOnce_andMoveOnlyFromTheStepRead() {
        String runId = NOW + "-" + suffix;
        assertThat(stores.seats().startRun(runId, NOW)).isTrue();
        try {
            assertThat(stores.seats().startRun(NOW + "-other" + suffix, NOW)).isFalse();
            var start = stores.seats().currentRun().orElseThrow();
            var next = new dev.wsl.core.port.SeatStore.Progress("on", null, "ws_x", "pos",
                    new dev.wsl.core.domain.SeatPolicy.IdleCounts(null, 4, 2, 1), 3, 1, List.of("Jane: reclaimed"));

            assertThat(stores.seats().checkpoint(start, next, Map.of("reclaimed", 1L), false, true, NOW)).isTrue();
            assertThat(stores.seats().checkpoint(start, next, Map.of("reclaimed", 5L), false, false, NOW))
                    .as("a second invocation that read the same step").isFalse();
            var moved = stores.seats().currentRun().orElseThrow();
            assertThat(moved.progress()).isEqualTo(next);
            assertThat(moved.step()).isEqualTo(start.step() + 1);
            assertThat(stores.seats().checkpoint(moved, next, Map.of("reclaimed", 2L), true, false, NOW)).isTrue();
        } finally {
            stores.seats().currentRun().ifPresent(c -> stores.seats().checkpoint(c, c.progress(), Map.of(), true,
                    false, NOW));
        }
        assertThat(stores.seats().currentRun()).isEmpty();
        assertThat(stores.seats().run(runId)).containsEntry("reclaimed", 3L).containsEntry("status", "COMPLETE")
                .containsEntry("invocations", 1L);
    }
}
