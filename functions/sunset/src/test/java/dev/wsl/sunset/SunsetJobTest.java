package dev.wsl.sunset;

import dev.wsl.core.domain.JobBudget;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.licenses.LegacyKeyService;
import dev.wsl.licenses.SunsetKeys;
import dev.wsl.mailer.MailSender;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeMail;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sunset job's rules (PRODUCT.md section 5) against the in-memory stores, with a clock moved through the plan. */
class SunsetJobTest {
    private static final Instant T0 = Instant.parse("2026-11-20T06:00:00Z");
    private static final SunsetPlan PLAN = SunsetPlan.parse("2026-12-01", "2027-02-01T14:00:00Z/2027-02-01T16:00:00Z",
            "2027-03-31", "30", "14");
    private static final JobBudget UNLIMITED = new JobBudget(() -> Long.MAX_VALUE, 0);

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, T0);
    private final MutableClock clock = new MutableClock(T0);
    private final FakeMail mail = new FakeMail();
    private final MailSender sender = (to, subject, body) -> {
        if (!mail.accept(to, subject, body)) {
            throw new MailSender.SendFailed("MessageRejected: refused", null);
        }
    };
    private final SunsetKeys licenses = new SunsetKeys(new LegacyKeyService(stores.workspaces(), stores.licenses(),
            stores.credentials(), clock, RetryPolicy.withoutPauses(3)));
    private final Arrange.Ws ws = arrange.workspace();

    private SunsetJob job(int pageSize) {
        return new SunsetJob(stores.sunset(), licenses, sender, PLAN, clock, pageSize, RetryPolicy.withoutPauses(3));
    }

    /** An ACTIVE member holding a legacy key (and a license, if asked). */
    private Member holder(String email, boolean licensed) {
        Member m = arrange.activeMember(ws, email);
        LegacyKey key = arrange.key(ws.id(), "key-of-" + email.substring(0, email.indexOf('@')), m.memberId(), T0);
        stores.licenses().apply(new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(m,
                m.withHoldings(new Holdings(licensed, key.keyId())))), List.of(new SeatChange.KeyChange(null, key)),
                List.of()), stores.licenses().pool(ws.id()));
        return stores.workspaces().findMember(ws.id(), m.memberId()).orElseThrow();
    }

    private void assertCountersEqualRecount() {
        assertThat(stores.licenses().pool(ws.id()).tally()).isEqualTo(stores.recount(ws.id()));
    }

    @Test
    void eachNotice_shouldReachEachHolderOnce_andTheAdminsOncePerWorkspace() {
        arrange.seats(ws.id(), 10);
        holder("jane@example.com", false);
        holder("bob@example.com", false);
        clock.set(Instant.parse("2026-12-02T06:00:00Z"));

        Map<String, Object> run = job(100).run(UNLIMITED);
        job(100).run(UNLIMITED);

        assertThat(run).containsEntry("complete", true).containsEntry("noticesSent", 2L).containsEntry("digestsSent", 1L);
        assertThat(mail.sentTo("jane@example.com")).hasSize(1);
        assertThat(mail.sentTo("bob@example.com")).hasSize(1);
        assertThat(mail.sentTo(ws.caller().email().value())).as("one digest, not one per key").hasSize(1);

        clock.set(Instant.parse("2027-01-20T06:00:00Z"));
        job(100).run(UNLIMITED);
        assertThat(mail.sentTo("jane@example.com")).as("the brownout notice, 14 days ahead").hasSize(2)
                .last().satisfies(m -> assertThat(m.body()).contains("Brownout"));
    }

    @Test
    void aFailedSend_shouldNotBeRecorded_andGoOutOnTheNextRun() {
        arrange.seats(ws.id(), 10);
        holder("jane@example.com", false);
        clock.set(Instant.parse("2026-12-02T06:00:00Z"));
        mail.refuse(to -> to.value().equals("jane@example.com"));

        Map<String, Object> first = job(100).run(UNLIMITED);
        mail.acceptAll();
        job(100).run(UNLIMITED);

        assertThat(first).containsEntry("sendFailures", 1L);
        assertThat(mail.sentTo("jane@example.com")).hasSize(1);
    }

    @Test
    void aMigratedHoldersKey_shouldBeRetired_andAnUnmigratedOneKept() {
        arrange.seats(ws.id(), 10);
        Member migrated = holder("jane@example.com", true);
        holder("bob@example.com", true);
        stores.recordUsage(ws.id(), new Usage(migrated.memberId(), T0.plusSeconds(60), "dev-1", "Linux", "auth-token", Map.of()));
        clock.set(Instant.parse("2026-12-02T06:00:00Z"));

        Map<String, Object> run = job(100).run(UNLIMITED);

        assertThat(run).containsEntry("keysRetired", 1L);
        assertThat(stores.licenses().listKeys(ws.id())).singleElement()
                .extracting(LegacyKey::assigneeMemberId).isNotEqualTo(migrated.memberId());
        assertThat(stores.workspaces().findMember(ws.id(), migrated.memberId()).orElseThrow().holdings())
                .isEqualTo(new Holdings(true, null));
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).as("the license keeps the seat").isEqualTo(2);
        assertCountersEqualRecount();
        assertThat(stores.auditOf(ws.id())).extracting(e -> e.action()).contains("legacy-key.retired");
    }

    @Test
    void afterTheCutoff_keysShouldBeDisabled_andAfterTheCleanupDeleted() {
        arrange.seats(ws.id(), 10);
        holder("jane@example.com", false);
        arrange.importKey(ws.id(), "unassigned-key", T0);
        clock.set(Instant.parse("2027-04-01T06:00:00Z"));

        Map<String, Object> disabling = job(100).run(UNLIMITED);
        clock.set(Instant.parse("2027-05-01T06:00:00Z"));
        Map<String, Object> cleanup = job(100).run(UNLIMITED);

        assertThat(disabling).containsEntry("keysDisabled", 2L).containsEntry("phase.CUT_OFF", 2L);
        assertThat(cleanup).containsEntry("keysDeleted", 2L);
        assertThat(stores.licenses().listKeys(ws.id())).isEmpty();
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isZero();
        assertCountersEqualRecount();
        assertThat(stores.auditOf(ws.id())).filteredOn(e -> e.action().equals("legacy-key.deleted-by-sunset")).hasSize(2);
    }

    @Test
    void aRunOutOfTime_shouldStopBetweenPages_andTheNextInvocationContinue_processingEveryKeyOnce() {
        arrange.seats(ws.id(), 100);
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            holders.add("h" + i + "@example.com");
            holder(holders.getLast(), false);
        }
        clock.set(Instant.parse("2026-12-02T06:00:00Z"));
        AtomicInteger pagesLeft = new AtomicInteger(2);
        JobBudget twoPages = new JobBudget(() -> pagesLeft.getAndDecrement() > 0 ? 1000 : 0, 500);

        Map<String, Object> first = job(3).run(twoPages);
        Map<String, Object> rest = job(3).run(UNLIMITED);

        assertThat(first).containsEntry("complete", false);
        assertThat(rest).containsEntry("complete", true).containsEntry("invocations", 2L).containsEntry("noticesSent", 7L);
        holders.forEach(h -> assertThat(mail.sentTo(h)).as(h).hasSize(1));
        assertThat(stores.sunset().currentRun()).isEmpty();
    }

    @Test
    void aDryRun_shouldCountWhatARunWouldDo_andSendAndWriteNothing() {
        arrange.seats(ws.id(), 10);
        holder("jane@example.com", false);
        clock.set(Instant.parse("2027-05-01T06:00:00Z"));

        Map<String, Object> dry = job(100).dryRun(null, UNLIMITED);

        assertThat(dry).containsEntry("dryRun", true).containsEntry("keysDeleted", 1L);
        assertThat(mail.sent()).isEmpty();
        assertThat(stores.licenses().listKeys(ws.id())).hasSize(1);
        assertThat(stores.sunset().currentRun()).isEmpty();
    }

    @Test
    void beforeTheAnnouncement_nothingShouldHappen() {
        arrange.seats(ws.id(), 10);
        holder("jane@example.com", false);
        clock.set(T0.plus(Duration.ofDays(1)));

        Map<String, Object> run = job(100).run(UNLIMITED);

        assertThat(run).containsEntry("phase.BEFORE_ANNOUNCEMENT", 1L).doesNotContainKey("noticesSent");
        assertThat(mail.sent()).isEmpty();
    }
}
