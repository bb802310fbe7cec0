package dev.wsl.licenses;

import dev.wsl.core.domain.JobBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.access.Principal;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.ReclaimRules;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.SeatStore;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The reclaim job's rules on a test clock, against the in-memory stores (the same job runs against DynamoDB in
 * {@code ReclaimIT}): a notice once per idle stretch, an activation after it saves the seat, the reclaim at the
 * deadline, legacy keys' holders left alone, a dry run, a run cut off and resumed, the idle counts.
 */
class ReclaimJobTest {
    private static final Instant T0 = Instant.parse("2026-01-05T05:45:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(T0);
    private final Arrange arrange = new Arrange(stores, T0);
    private final RetryPolicy retry = RetryPolicy.withoutPauses(4);
    private final LicenseService licenses = new LicenseService(stores.workspaces(), stores.licenses(), clock, retry);
    private final LegacyKeyService keys = new LegacyKeyService(stores.workspaces(), stores.licenses(),
            stores.credentials(), clock, retry);
    private final SeatService seats = new SeatService(stores.workspaces(), stores.licenses(), stores.seats(),
            new ReclaimRules(7), LocalTime.of(5, 45), clock, retry);
    private final Arrange.Ws ws = arrange.workspace();

    private Principal.Person person(Caller caller) {
        return new Authorization(stores.workspaces()).person(caller, ws.id());
    }

    private ReclaimJob job(int pageSize) {
        return new ReclaimJob(stores.seats(), stores.workspaces(), seats, clock, pageSize, retry);
    }

    private static JobBudget plenty() {
        return new JobBudget(() -> 900_000, 1_000);
    }

    private String licensed(String name) {
        String id = arrange.invite(ws, name + "@example.com").memberId();
        licenses.assign(person(ws.caller()), ws.id(), id, null);
        return id;
    }

    private Member member(String id) {
        return stores.workspaces().findMember(ws.id(), id).orElseThrow();
    }

    private List<OutboxMessage> notices(OutboxMessage.Kind kind) {
        return stores.outboxMessages().stream().filter(m -> m.kind() == kind).toList();
    }

    private List<AuditEntry> audit(String action) {
        return stores.auditOf(ws.id()).stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    void theJob_shouldNotice_thenReclaimAtTheDeadline_unlessTheHolderActivated_andLeaveLegacyKeysAlone() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 60);
        String jane = licensed("jane");
        String dana = licensed("dana");
        String bob = licensed("bob");
        keys.importKeys(person(ws.caller()), ws.id(), List.of(new LegacyKeyService.KeyImport("bobs-legacy-key-1", bob)));
        String carl = licensed("carl");
        clock.set(T0.plus(DAY.multipliedBy(50)));
        stores.recordActivation(ws.id(), carl, clock.instant());

        clock.set(T0.plus(DAY.multipliedBy(54)));
        Map<String, Object> first = job(100).run(plenty());

        assertThat(first).containsEntry("complete", true);
        // Carl activated on day 50: three idle seats; Bob's is kept for his legacy key; one admin, one digest.
        assertThat(first).containsEntry("workspaces", 1L).containsEntry("seats", 3L).containsEntry("noticesQueued", 2L)
                .containsEntry("keptForLegacyKey", 1L).containsEntry("digestsQueued", 1L).containsEntry("invocations", 1L);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_NOTICE)).extracting(OutboxMessage::memberId)
                .containsExactlyInAnyOrder(jane, dana);
        OutboxMessage toJane = notices(OutboxMessage.Kind.RECLAIM_NOTICE).stream()
                .filter(m -> m.memberId().equals(jane)).findFirst().orElseThrow();
        assertThat(toJane.to().value()).isEqualTo("jane@example.com");
        assertThat(toJane.subject()).contains("will be reclaimed on 2026-03-07");
        assertThat(toJane.text()).contains("idle for 60 days").contains("2026-03-07 05:45 UTC")
                .contains("LOCALSTACK_AUTH_TOKEN");
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).singleElement().satisfies(d -> {
            assertThat(d.to()).isEqualTo(ws.admin().email());
            assertThat(d.text()).contains("2 holder(s) told").contains("jane@example.com").contains("dana@example.com");
        });

        // The same day again: nothing new for anyone (each idle stretch gets one notice, ever).
        job(100).run(plenty());
        assertThat(notices(OutboxMessage.Kind.RECLAIM_NOTICE)).hasSize(2);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).hasSize(1);

        // Jane activates after her notice; on the deadline only Dana's license goes.
        clock.set(T0.plus(DAY.multipliedBy(58)));
        stores.recordActivation(ws.id(), jane, clock.instant());
        clock.set(T0.plus(DAY.multipliedBy(61)));
        Map<String, Object> deadline = job(100).run(plenty());

        assertThat(deadline.get(ReclaimJob.THIS_INVOCATION)).asString().contains("reclaimed=1");
        assertThat(member(dana).holdings().licensed()).isFalse();
        assertThat(member(jane).holdings().licensed()).as("activated after the notice").isTrue();
        assertThat(member(bob).holdings().licensed()).as("a legacy key holds Bob's seat: the sunset's").isTrue();
        assertThat(member(bob).holdings().holdsKey()).isTrue();
        assertThat(member(carl).holdings().licensed()).isTrue();
        assertThat(audit("license.reclaimed")).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo(dana);
            assertThat(e.actorId()).isEqualTo("reclaim-policy");
            assertThat(e.details()).containsEntry("policy", "reclaim seats idle for 60 days")
                    .containsKeys("idleSince", "noticedAt", "deadline");
        });
        assertThat(stores.licenses().pool(ws.id()).tally()).isEqualTo(stores.recount(ws.id()));
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).hasSize(2);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST).getLast().text()).contains("1 idle license(s) reclaimed")
                .contains("dana@example.com");
    }

    @Test
    void theDigest_shouldListTheFirstTwentyHolders_andCountTheRest() {
        arrange.seats(ws.id(), 30);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        for (int i = 0; i < 22; i++) {
            licensed("holder" + i);
        }
        clock.set(T0.plus(DAY.multipliedBy(24)));

        Map<String, Object> run = job(100).run(plenty());

        assertThat(run).containsEntry("complete", true).containsEntry("noticesQueued", 22L).containsEntry("digestsQueued", 1L);
        OutboxMessage digest = notices(OutboxMessage.Kind.RECLAIM_DIGEST).getFirst();
        assertThat(digest.subject()).endsWith(": 0 reclaimed, 22 noticed");
        assertThat(digest.text()).contains("- 0 idle license(s) reclaimed").contains("- 22 holder(s) told")
                .contains("  and 2 more\n");
        assertThat(digest.text().lines().filter(l -> l.contains("@example.com>: will be reclaimed on")))
                .hasSize(ReclaimJob.DIGEST_LINES);

        // At the deadline all 22 go: the reclaims are counted and listed the same way.
        clock.set(T0.plus(DAY.multipliedBy(31)));
        Map<String, Object> deadline = job(100).run(plenty());

        assertThat(deadline).containsEntry("reclaimed", 22L).containsEntry("digestsQueued", 1L);
        OutboxMessage second = notices(OutboxMessage.Kind.RECLAIM_DIGEST).getLast();
        assertThat(second.subject()).endsWith(": 22 reclaimed, 0 noticed");
        assertThat(second.text()).contains("- 22 idle license(s) reclaimed").contains("  and 2 more\n");
        assertThat(second.text().lines().filter(l -> l.contains("@example.com>: reclaimed (idle since 2026-01-05)")))
                .hasSize(ReclaimJob.DIGEST_LINES);
    }

    @Test
    void theMessages_shouldNameTheWorkspace_andEveryAdminShouldGetTheDigest() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        Member second = arrange.activeAdmin(ws, "second-admin@example.com");
        String jane = licensed("jane");
        String name = stores.workspaces().findWorkspace(ws.id()).orElseThrow().name();
        clock.set(T0.plus(DAY.multipliedBy(24)));

        Map<String, Object> noticed = job(100).run(plenty());

        assertThat(noticed).containsEntry("noticesQueued", 1L).containsEntry("digestsQueued", 2L);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_NOTICE)).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("Your LocalStack license in \"" + name + "\" will be reclaimed on 2026-02-05");
            assertThat(n.text()).startsWith("Hello " + member(jane).name() + ",").contains("since 2026-01-05 05:45 UTC (24 days)");
        });
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).extracting(m -> m.to().value())
                .containsExactlyInAnyOrder(ws.admin().email().value(), second.email().value());
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST).getFirst().text())
                .startsWith("The reclaim policy of the workspace \"" + name + "\" ran on 2026-01-29 05:45 UTC:")
                .doesNotContain("more");

        // A run that only reclaims reads the workspace for its digest's name all the same.
        clock.set(T0.plus(DAY.multipliedBy(31)));
        job(100).run(plenty());

        assertThat(member(jane).holdings().licensed()).isFalse();
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).hasSize(4).last().satisfies(d -> assertThat(d.subject())
                .isEqualTo("Idle licenses in \"" + name + "\": 1 reclaimed, 0 noticed"));
    }

    /** The seat store, with {@code before} run ahead of the named operation's first call (another invocation's doing). */
    private SeatStore racing(String operation, Runnable before) {
        return racing(operation, args -> before.run(), args -> { });
    }

    private SeatStore racing(String operation, java.util.function.Consumer<Object[]> before,
                             java.util.function.Consumer<Object[]> after) {
        SeatStore real = stores.seats();
        AtomicBoolean raced = new AtomicBoolean();
        return (SeatStore) Proxy.newProxyInstance(SeatStore.class.getClassLoader(), new Class<?>[] {SeatStore.class},
                (proxy, method, args) -> {
                    boolean race = method.getName().equals(operation) && raced.compareAndSet(false, true);
                    if (race) {
                        before.accept(args);
                    }
                    try {
                        Object answer = method.invoke(real, args);
                        if (race) {
                            after.accept(args);
                        }
                        return answer;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The same write done first by another invocation. */
    private java.util.function.Consumer<Object[]> doneMeanwhile(String operation) {
        return args -> {
            try {
                java.util.Arrays.stream(SeatStore.class.getMethods()).filter(m -> m.getName().equals(operation))
                        .findFirst().orElseThrow().invoke(stores.seats(), args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void aNoticeAnotherInvocationQueuedMeanwhile_shouldNotBeCountedAgain() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        licensed("jane");
        licensed("dana");
        clock.set(T0.plus(DAY.multipliedBy(24)));

        Map<String, Object> raced = new ReclaimJob(racing("recordNotice", doneMeanwhile("recordNotice"), a -> { }),
                stores.workspaces(), seats, clock, 100, retry).run(plenty());

        assertThat(raced).containsEntry("noticesQueued", 1L);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_NOTICE)).as("one by the other invocation, one by this").hasSize(2);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).singleElement()
                .satisfies(d -> assertThat(d.subject()).endsWith(": 0 reclaimed, 1 noticed"));
    }

    @Test
    void aDigestAnotherInvocationQueuedMeanwhile_shouldNotBeCountedAgain() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        licensed("jane");
        clock.set(T0.plus(DAY.multipliedBy(24)));

        Map<String, Object> raced = new ReclaimJob(racing("queue", doneMeanwhile("queue"), a -> { }),
                stores.workspaces(), seats, clock, 100, retry).run(plenty());

        assertThat(raced).containsEntry("noticesQueued", 1L).doesNotContainKey("digestsQueued");
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).as("queued once, by the other").hasSize(1);
    }

    @Test
    void anActivationBetweenTheJobsReadAndItsReclaim_shouldKeepTheSeat_countedAsUsedMeanwhile() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        String jane = licensed("jane");
        clock.set(T0.plus(DAY.multipliedBy(24)));
        job(100).run(plenty());
        clock.set(T0.plus(DAY.multipliedBy(31)));
        SeatStore activatedMeanwhile = racing("idleSeats", a -> { },
                a -> stores.recordActivation(ws.id(), jane, clock.instant()));

        Map<String, Object> run = new ReclaimJob(activatedMeanwhile, stores.workspaces(), seats, clock, 100, retry)
                .run(plenty());

        assertThat(run).containsEntry("usedMeanwhile", 1L).doesNotContainKey("reclaimed");
        assertThat(member(jane).holdings().licensed()).isTrue();
        assertThat(audit("license.reclaimed")).isEmpty();
    }

    @Test
    void twoInvocationsAtOnce_shouldLeaveTheRunToTheOneThatWroteFirst() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        licensed("jane");
        clock.set(T0.plus(DAY.multipliedBy(24)));
        SeatStore startedMeanwhile = racing("startRun", () -> stores.seats().startRun(clock.instant() + "-otherrun", clock.instant()));

        Map<String, Object> lost = new ReclaimJob(startedMeanwhile, stores.workspaces(), seats, clock, 100, retry)
                .run(plenty());

        assertThat(lost).containsEntry("complete", false);
        assertThat(lost.get("stopped")).asString().contains("another invocation started a run");
        assertThat(notices(OutboxMessage.Kind.RECLAIM_NOTICE)).isEmpty();

        SeatStore.Checkpoint current = stores.seats().currentRun().orElseThrow();
        SeatStore advancedMeanwhile = racing("checkpoint", () -> stores.seats().checkpoint(current,
                null, Map.of(), true, true, clock.instant()));
        Map<String, Object> behind = new ReclaimJob(advancedMeanwhile, stores.workspaces(), seats, clock, 100, retry)
                .run(plenty());

        assertThat(behind).containsEntry("complete", false);
        assertThat(behind.get("stopped")).asString().contains("another invocation advanced this run");
        assertThat(behind.get(ReclaimJob.THIS_INVOCATION)).isEqualTo(Map.of());
    }

    @Test
    void theBudget_shouldAllowWorkUntilLessThanTheReserveRemains() {
        assertThat(new JobBudget(() -> 1_001, 1_000).exhausted()).isFalse();
        assertThat(new JobBudget(() -> 1_000, 1_000).exhausted()).as("exactly the reserve left").isFalse();
        assertThat(new JobBudget(() -> 999, 1_000).exhausted()).isTrue();
    }

    @Test
    void aDryRunFromAPosition_shouldContinueAfterThatWorkspace() {
        Arrange.Ws other = arrange.workspace();
        arrange.seats(ws.id(), 10);
        arrange.seats(other.id(), 10);
        licensed("jane");
        clock.set(T0.plus(DAY.multipliedBy(40)));
        String first = ws.id().compareTo(other.id()) < 0 ? ws.id() : other.id();

        Map<String, Object> whole = job(100).dryRun("off|", plenty());
        Map<String, Object> rest = job(100).dryRun("off|" + first, plenty());

        assertThat(whole).containsEntry("workspaces", 2L);
        assertThat(rest).containsEntry("workspaces", 1L);
        assertThat(job(100).dryRun("off", plenty())).isEqualTo(whole);
    }

    @Test
    void aDryRun_shouldReportWhatARunWouldDo_andWriteNothing() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        String jane = licensed("jane");
        clock.set(T0.plus(DAY.multipliedBy(24)));
        int auditBefore = stores.auditOf(ws.id()).size();

        Map<String, Object> dry = job(100).dryRun(null, plenty());

        assertThat(dry).containsEntry("dryRun", true).containsEntry("complete", true).containsEntry("noticesQueued", 1L)
                .containsEntry("digestsQueued", 1L);
        assertThat(stores.outboxMessages()).noneMatch(OutboxMessage::isNotice);
        assertThat(stores.seats().seats(ws.id(), List.of(jane)).get(jane).noticed()).isFalse();
        assertThat(stores.seats().policy(ws.id()).idle().asOf()).as("no counts written").isNull();
        assertThat(stores.auditOf(ws.id())).hasSize(auditBefore);
        assertThat(stores.seats().currentRun()).isEmpty();
    }

    @Test
    void aDryRunCutOffAtOnce_shouldGiveItsStartingPosition_fromWhichADryRunDoesTheSame() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        licensed("jane");
        licensed("dana");
        clock.set(T0.plus(DAY.multipliedBy(24)));
        JobBudget none = new JobBudget(() -> 0, 1_000);

        Map<String, Object> cut = job(100).dryRun(null, none);
        Map<String, Object> whole = job(100).dryRun(null, plenty());

        assertThat(cut).containsEntry("complete", false).doesNotContainKey("noticesQueued");
        assertThat(cut.get("position")).isEqualTo("on|");
        assertThat(job(100).dryRun((String) cut.get("position"), plenty())).isEqualTo(whole)
                .containsEntry("noticesQueued", 2L);
        assertThat(job(100).dryRun("on", plenty())).as("no bar: from the phase's start").isEqualTo(whole);
        assertThatThrownBy(() -> job(100).dryRun("sideways|", plenty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunCutOffByItsTimeLimit_shouldContinueWhereItStopped_andActOnEverySeatOnce() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        for (int i = 0; i < 7; i++) {
            licensed("m" + i);
        }
        clock.set(T0.plus(DAY.multipliedBy(24)));
        AtomicInteger asked = new AtomicInteger();
        // Time for two steps, then the reserve is reached.
        JobBudget shortOne = new JobBudget(() -> asked.incrementAndGet() <= 2 ? 900_000 : 0, 1_000);

        Map<String, Object> cut = job(3).run(shortOne);
        Map<String, Object> rest = job(3).run(plenty());

        assertThat(cut).containsEntry("complete", false);
        assertThat(cut.get("stopped")).asString().contains("time budget");
        assertThat(rest).containsEntry("complete", true).containsEntry("runId", cut.get("runId"))
                .containsEntry("noticesQueued", 7L).containsEntry("invocations", 2L);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_NOTICE)).hasSize(7);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST)).as("one digest for the workspace").hasSize(1);
        assertThat(notices(OutboxMessage.Kind.RECLAIM_DIGEST).getFirst().text()).contains("7 holder(s) told");
    }

    @Test
    void theJob_shouldCountIdleSeatsOfEveryWorkspace_withOrWithoutReclaim_asOfItsRun() {
        arrange.seats(ws.id(), 10);
        licensed("old");
        clock.set(T0.plus(DAY.multipliedBy(31)));
        licensed("new");
        Arrange.Ws other = arrange.workspace();
        arrange.seats(other.id(), 3);
        clock.set(T0.plus(DAY.multipliedBy(95)));

        job(100).run(plenty());

        SeatPolicy policy = stores.seats().policy(ws.id());
        assertThat(policy.idle().asOf()).isEqualTo(clock.instant());
        assertThat(policy.idle().over(30)).isEqualTo(2);
        assertThat(policy.idle().over(60)).isEqualTo(2);
        assertThat(policy.idle().over(90)).as("95 days: the old one only").isEqualTo(1);
        assertThat(stores.seats().policy(other.id()).idle().asOf()).as("a workspace without seats is counted too")
                .isEqualTo(clock.instant());
        assertThat(stores.outboxMessages()).noneMatch(OutboxMessage::isNotice);
    }

    @Test
    void thePolicy_shouldBeAdminsOnly_audited_andRefuseOtherDays() {
        Member member = arrange.activeMember(ws, "plain@example.com");
        var plain = Arrange.caller(member.email().value());

        assertThatThrownBy(() -> seats.setPolicy(plain, ws.id(), 60, true, 60)).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> seats.preview(plain, ws.id(), 25, null)).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> seats.setPolicy(ws.caller(), ws.id(), 45, null, null)).isInstanceOf(InvalidInput.class);

        SeatPolicy set = seats.setPolicy(ws.caller(), ws.id(), 60, true, 90);
        seats.setPolicy(ws.caller(), ws.id(), 60, true, 90);

        assertThat(set.version()).isEqualTo(1);
        assertThat(audit("seat-policy.changed")).as("asking again changes nothing").singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reclaim", "true").containsEntry("idleDays", "60"));
    }

    @Test
    void thePreview_shouldShowWhatTheNextRunWouldDo_evenWithReclaimOff() {
        arrange.seats(ws.id(), 10);
        String jane = licensed("jane");
        clock.set(T0.plus(DAY.multipliedBy(100)).minusSeconds(3600));

        SeatService.Preview preview = seats.preview(ws.caller(), ws.id(), 25, null);

        assertThat(preview.runAt()).isEqualTo(T0.plus(DAY.multipliedBy(100)));
        assertThat(preview.policy().reclaim()).isFalse();
        assertThat(preview.items()).singleElement().satisfies(i -> {
            assertThat(i.holder().memberId()).isEqualTo(jane);
            assertThat(i.decision().action()).isEqualTo(ReclaimRules.Action.NOTICE);
            assertThat(i.decision().deadline()).isEqualTo(preview.runAt().plus(DAY.multipliedBy(7)));
        });
    }

    @Test
    void aReclaimThatLosesEveryAttempt_shouldBeCountedAsUsedMeanwhile_andLeaveTheSeatToTheNextRun() {
        arrange.seats(ws.id(), 10);
        seats.setPolicy(ws.caller(), ws.id(), 30, true, 30);
        String jane = licensed("jane");
        clock.set(T0.plus(DAY.multipliedBy(24)));
        job(100).run(plenty());
        clock.set(T0.plus(DAY.multipliedBy(31)));
        dev.wsl.core.port.LicenseStore real = stores.licenses();
        // Every write of the license meets a change made meanwhile (as under a burst of activations).
        dev.wsl.core.port.LicenseStore alwaysChanged = (dev.wsl.core.port.LicenseStore) Proxy.newProxyInstance(
                dev.wsl.core.port.LicenseStore.class.getClassLoader(), new Class<?>[] {dev.wsl.core.port.LicenseStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("apply")) {
                        throw new dev.wsl.core.failure.ChangedMeanwhile("The member changed meanwhile; retry.");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SeatService losing = new SeatService(stores.workspaces(), alwaysChanged, stores.seats(), new ReclaimRules(7),
                LocalTime.of(5, 45), clock, retry);

        Map<String, Object> run = new ReclaimJob(stores.seats(), stores.workspaces(), losing, clock, 100, retry)
                .run(plenty());

        assertThat(run).containsEntry("complete", true).containsEntry("usedMeanwhile", 1L)
                .doesNotContainKey("reclaimed");
        assertThat(member(jane).holdings().licensed()).isTrue();

        Map<String, Object> next = job(100).run(plenty());

        assertThat(next).containsEntry("reclaimed", 1L);
        assertThat(member(jane).holdings().licensed()).isFalse();
    }
}
