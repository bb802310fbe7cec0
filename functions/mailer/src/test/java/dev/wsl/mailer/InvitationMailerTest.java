package dev.wsl.mailer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Invitation;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeMail;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Delivery of invitation emails from the outbox, against the in-memory stores and a recording mail provider. */
class InvitationMailerTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Pattern LINK = Pattern.compile("https://app\\.example\\.com/accept-invitation#token=([A-Za-z0-9_-]{43})");

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, NOW);
    private final MutableClock clock = new MutableClock(NOW);
    private final FakeMail mail = new FakeMail();
    private final MailSender sender = (to, subject, body) -> {
        if (!mail.accept(to, subject, body)) {
            throw new MailSender.SendFailed("MessageRejected: refused", null);
        }
    };
    private final InvitationMailer mailer = new InvitationMailer(stores.outbox(), sender, "https://app.example.com/",
            clock, RetryPolicy.withoutPauses(3));
    private final Arrange.Ws ws = arrange.workspace();

    private OutboxMessage.Id invite(String email) {
        return Arrange.message(arrange.invite(ws, email)).id();
    }

    private Member member(OutboxMessage.Id id) {
        return stores.workspaces().findMember(id.workspaceId(), id.memberId()).orElseThrow();
    }

    @Test
    void delivery_shouldSendALinkWhoseTokenOnlyTheMembersInvitationKnowsByItsHash_once() {
        OutboxMessage.Id id = invite("jane@example.com");

        assertThat(mailer.deliver(id)).isEqualTo(InvitationMailer.Outcome.SENT);
        assertThat(mailer.deliver(id)).isEqualTo(InvitationMailer.Outcome.NOT_CLAIMED);

        assertThat(mail.sentTo("jane@example.com")).singleElement().satisfies(sent -> {
            Matcher link = LINK.matcher(sent.body());
            assertThat(link.find()).isTrue();
            String hash = Secrets.sha256Hex(link.group(1));
            assertThat(member(id).invitation().tokenHash()).isEqualTo(hash);
            assertThat(stores.workspaces().findInvitation(hash)).get().extracting(r -> r.memberId()).isEqualTo(id.memberId());
            assertThat(sent.body()).doesNotContain(hash);
        });
        assertThat(stores.outbox().state(id)).contains(OutboxStore.State.SENT);
        assertThat(member(id).invitation().delivery()).isEqualTo(Invitation.Delivery.SENT);
    }

    @Test
    void aMessageOvertakenByAResend_shouldBeDropped_withoutEmail() {
        OutboxMessage.Id first = invite("jane@example.com");
        Member before = member(first);
        Member resent = before.reinvited(ws.caller().userId(), NOW, NOW.plus(Duration.ofDays(7)));
        stores.workspaces().reinvite(before, resent, Arrange.message(resent), Arrange.quota(resent),
                arrange.audit(ws.id(), ws.caller(), "resent"));

        assertThat(mailer.deliver(first)).isEqualTo(InvitationMailer.Outcome.SUPERSEDED);
        assertThat(mailer.deliver(Arrange.message(resent).id())).isEqualTo(InvitationMailer.Outcome.SENT);
        assertThat(mail.sent()).hasSize(1);
        assertThat(stores.outbox().state(first)).contains(OutboxStore.State.SUPERSEDED);
    }

    @Test
    void aRefusedSend_shouldBeRetriedLater_withGrowingDelays_thenGivenUp() {
        OutboxMessage.Id id = invite("jane@example.com");
        mail.refuse(to -> true);

        // The stream makes the first attempt at once; the sweep's list has it only after the stream's grace.
        assertThat(stores.outbox().due(clock.instant(), 10)).doesNotContain(id);
        for (int attempt = 1; attempt <= InvitationMailer.MAX_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                assertThat(stores.outbox().due(clock.instant(), 10)).as("due before attempt %d", attempt).contains(id);
            }
            assertThat(mailer.deliver(id)).isEqualTo(attempt < InvitationMailer.MAX_ATTEMPTS
                    ? InvitationMailer.Outcome.FAILED : InvitationMailer.Outcome.DEAD);
            if (attempt < InvitationMailer.MAX_ATTEMPTS) {
                Duration delay = InvitationMailer.backoff(attempt);
                assertThat(stores.outbox().due(clock.instant().plus(delay).minusSeconds(1), 10)).doesNotContain(id);
                clock.advance(delay);
            }
        }

        assertThat(stores.outbox().state(id)).contains(OutboxStore.State.DEAD);
        assertThat(stores.outbox().due(clock.instant().plus(Duration.ofDays(1)), 10)).doesNotContain(id);
        assertThat(member(id).invitation().delivery()).isEqualTo(Invitation.Delivery.FAILED);
        assertThat(mail.refusals()).isEqualTo(InvitationMailer.MAX_ATTEMPTS);
    }

    @Test
    void aMemberChangedWhileTheTokenIsIssued_shouldBeReadAgain_andTheEmailSentOnce() {
        OutboxMessage.Id id = invite("jane@example.com");
        stores.beforeNextWrite(() -> {
            Member now = member(id);
            stores.workspaces().changeAccess(now, now.withAccess(Access.ADMIN), 0, arrange.audit(ws.id(), ws.caller(), "a"));
        });

        assertThat(mailer.deliver(id)).isEqualTo(InvitationMailer.Outcome.SENT);
        assertThat(mail.sent()).hasSize(1);
        assertThat(member(id).access()).isEqualTo(Access.ADMIN);
        assertThat(member(id).invitation().tokenHash()).isNotNull();
    }

    @Test
    void aMessageWhoseLeaseRanOut_shouldBeTakenOverByTheSweep() {
        OutboxMessage.Id id = invite("jane@example.com");
        stores.outbox().claim(id, NOW, InvitationMailer.LEASE);

        assertThat(mailer.deliver(id)).as("another worker holds it").isEqualTo(InvitationMailer.Outcome.NOT_CLAIMED);
        clock.advance(InvitationMailer.LEASE.plusSeconds(1));
        assertThat(new OutboxSweepHandler(stores.outbox(), mailer, clock).handleRequest(java.util.Map.of(), null))
                .containsEntry("sent", 1);
        assertThat(mail.sent()).hasSize(1);
    }

    @Test
    void aProviderThatThrottles_shouldBeRecordedAsAFailedSend_andSaySo_soThatTheCallerStopsSending() {
        OutboxMessage.Id id = invite("jane@example.com");
        InvitationMailer throttled = new InvitationMailer(stores.outbox(), (to, subject, body) -> {
            throw new MailSender.SendFailed("SesException: Maximum sending rate exceeded.", null, true);
        }, "https://app.example.com/", clock, RetryPolicy.withoutPauses(3));

        assertThat(throttled.deliver(id)).isEqualTo(InvitationMailer.Outcome.UNAVAILABLE);

        assertThat(stores.outbox().state(id)).as("retried by the sweep like any failed send")
                .contains(OutboxStore.State.FAILED);
        assertThat(member(id).invitation().delivery()).isEqualTo(Invitation.Delivery.FAILED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(mailer.deliver(id)).isEqualTo(InvitationMailer.Outcome.SENT);
        assertThat(mail.sentTo("jane@example.com")).hasSize(1);
    }
}
