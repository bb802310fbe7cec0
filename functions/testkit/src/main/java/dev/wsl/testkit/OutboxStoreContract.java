package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Invitation;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.OutboxStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outbox: a message claimed by one worker at a time, sent once, due again at its retry time or dead. */
public abstract class OutboxStoreContract extends StoreContract {
    @Test
    void aMessage_shouldBeClaimedByOneWorkerAtATime_untilItsLeaseRunsOut() {
        Member jane = arrange.invite(arrange.workspace(), email("jane"));
        OutboxMessage.Id id = Arrange.message(jane).id();

        Optional<OutboxStore.Claimed> first = stores.outbox().claim(id, NOW, Duration.ofMinutes(2));
        assertThat(first).isPresent().get().extracting(OutboxStore.Claimed::attempt).isEqualTo(1);
        assertThat(stores.outbox().claim(id, NOW.plusSeconds(60), Duration.ofMinutes(2))).isEmpty();
        assertThat(stores.outbox().claim(id, NOW.plusSeconds(121), Duration.ofMinutes(2)))
                .get().extracting(OutboxStore.Claimed::attempt).isEqualTo(2);
    }

    @Test
    void aSentMessage_shouldNeverBeClaimedAgain_norBeDue() {
        Member jane = arrange.invite(arrange.workspace(), email("jane"));
        OutboxMessage.Id id = Arrange.message(jane).id();
        OutboxStore.Claimed claimed = stores.outbox().claim(id, NOW, Duration.ofMinutes(2)).orElseThrow();

        stores.outbox().markSent(claimed, NOW);

        assertThat(stores.outbox().state(id)).contains(OutboxStore.State.SENT);
        assertThat(stores.outbox().claim(id, NOW.plus(Duration.ofHours(1)), Duration.ofMinutes(2))).isEmpty();
        assertThat(stores.outbox().due(NOW.plus(Duration.ofDays(1)), 1000)).doesNotContain(id);
        assertThat(member(jane).invitation().delivery()).isEqualTo(Invitation.Delivery.SENT);
    }

    @Test
    void aFailedSend_shouldBeDueAgainAtItsRetryTime_orDeadWithoutOne() {
        Member jane = arrange.invite(arrange.workspace(), email("jane"));
        OutboxMessage.Id id = Arrange.message(jane).id();
        OutboxStore.Claimed claimed = stores.outbox().claim(id, NOW, Duration.ofMinutes(2)).orElseThrow();

        stores.outbox().markFailed(claimed, "refused", NOW.plus(Duration.ofMinutes(4)));

        assertThat(stores.outbox().state(id)).contains(OutboxStore.State.FAILED);
        assertThat(stores.outbox().due(NOW.plus(Duration.ofMinutes(3)), 1000)).doesNotContain(id);
        assertThat(stores.outbox().due(NOW.plus(Duration.ofMinutes(5)), 1000)).contains(id);
        OutboxStore.Claimed again = stores.outbox().claim(id, NOW.plus(Duration.ofMinutes(5)), Duration.ofMinutes(2))
                .orElseThrow();
        stores.outbox().markFailed(again, "refused", null);
        assertThat(stores.outbox().state(id)).contains(OutboxStore.State.DEAD);
        assertThat(stores.outbox().due(NOW.plus(Duration.ofDays(1)), 1000)).doesNotContain(id);
    }

    @Test
    void issuingATokenForAMemberReadBeforeAChange_shouldThrowChangedMeanwhile() {
        Arrange.Ws ws = arrange.workspace();
        Member jane = arrange.invite(ws, email("jane"));
        stores.workspaces().changeAccess(jane, jane.withAccess(Access.ADMIN), 0, arrange.audit(ws.id(), ws.caller(), "a"));

        assertThatThrownBy(() -> arrange.issueToken(jane, Secrets.newInvitationToken()))
                .isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(jane).invitation().tokenHash()).isNull();
    }

    @Test
    void aNewToken_shouldReplaceTheOldLink() {
        Member jane = arrange.invite(arrange.workspace(), email("jane"));
        String old = Secrets.newInvitationToken();
        Member withOld = arrange.issueToken(jane, old);
        String fresh = Secrets.newInvitationToken();

        arrange.issueToken(withOld, fresh);

        assertThat(stores.workspaces().findInvitation(Secrets.sha256Hex(old))).isEmpty();
        assertThat(stores.workspaces().findInvitation(Secrets.sha256Hex(fresh))).get()
                .extracting(r -> r.memberId()).isEqualTo(jane.memberId());
    }
}
