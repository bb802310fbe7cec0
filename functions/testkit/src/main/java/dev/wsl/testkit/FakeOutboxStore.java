package dev.wsl.testkit;

import dev.wsl.core.domain.Invitation;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** {@link OutboxStore} over {@link FakeStores}; the state machine and conditions of {@code DynamoOutboxStore}. */
final class FakeOutboxStore extends FakeStore implements OutboxStore {
    FakeOutboxStore(FakeStores data) {
        super(data);
    }

    @Override
    public Optional<Claimed> claim(OutboxMessage.Id id, Instant now, Duration lease) {
        synchronized (data) {
            FakeStores.OutboxEntry e = data.outbox.get(id);
            if (e == null || !(e.state == State.PENDING || e.state == State.FAILED
                    || e.state == State.SENDING && e.leaseUntil.isBefore(now))) {
                return Optional.empty();
            }
            e.state = State.SENDING;
            e.leaseUntil = now.plus(lease);
            e.attempts++;
            e.due = e.leaseUntil;
            return Optional.of(new Claimed(e.message, e.attempts));
        }
    }

    @Override
    public Optional<Member> invitee(OutboxMessage message) {
        synchronized (data) {
            return Optional.ofNullable(data.members.getOrDefault(message.workspaceId(), new TreeMap<>())
                    .get(message.memberId()));
        }
    }

    @Override
    public void issueToken(Member invitee, OutboxMessage message, String tokenHash) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data)
                    .check(() -> {
                        Member stored = invitee(message).orElse(null);
                        return stored != null && stored.version() == invitee.version();
                    }, () -> new ChangedMeanwhile("The invited member changed meanwhile."))
                    .check(() -> !data.invitationTokens.containsKey(tokenHash),
                            () -> new ChangedMeanwhile("The token collided; issue another."))
                    .write(() -> {
                        data.members.get(message.workspaceId()).put(invitee.memberId(), invitee.withIssuedToken(tokenHash));
                        data.invitationTokens.put(tokenHash, new WorkspaceStore.InvitationRef(message.workspaceId(),
                                message.memberId(), message.sequence()));
                    });
            if (invitee.invitation().tokenHash() != null) {
                tx.write(() -> data.invitationTokens.remove(invitee.invitation().tokenHash()));
            }
            tx.commit();
        }
    }

    @Override
    public void markSent(Claimed claimed, Instant now) {
        synchronized (data) {
            FakeStores.OutboxEntry e = data.outbox.get(claimed.message().id());
            if (e != null && e.state == State.SENDING && e.attempts == claimed.attempt()) {
                e.state = State.SENT;
                e.due = null;
            }
            recordDelivery(claimed, Invitation.Delivery.SENT);
        }
    }

    @Override
    public void markFailed(Claimed claimed, String reason, Instant retryAt) {
        synchronized (data) {
            FakeStores.OutboxEntry e = data.outbox.get(claimed.message().id());
            if (e != null && e.state == State.SENDING && e.attempts == claimed.attempt()) {
                e.state = retryAt == null ? State.DEAD : State.FAILED;
                e.due = retryAt;
            }
            recordDelivery(claimed, Invitation.Delivery.FAILED);
        }
    }

    @Override
    public void markSuperseded(Claimed claimed) {
        synchronized (data) {
            FakeStores.OutboxEntry e = data.outbox.get(claimed.message().id());
            if (e != null && e.state == State.SENDING) {
                e.state = State.SUPERSEDED;
                e.due = null;
            }
        }
    }

    @Override
    public List<OutboxMessage.Id> due(Instant now, int limit) {
        synchronized (data) {
            return data.outbox.values().stream().filter(e -> e.due != null && !e.due.isAfter(now))
                    .sorted(Comparator.comparing((FakeStores.OutboxEntry e) -> e.due)
                            .thenComparing(e -> e.message.workspaceId()).thenComparing(e -> e.message.memberId())
                            .thenComparing(e -> e.message.sequence()))
                    .limit(limit).map(e -> e.message.id()).toList();
        }
    }

    @Override
    public Optional<State> state(OutboxMessage.Id id) {
        synchronized (data) {
            FakeStores.OutboxEntry e = data.outbox.get(id);
            return e == null ? Optional.empty() : Optional.of(e.state);
        }
    }

    /** The member shows how delivery of their current invitation went; a newer invitation is left alone. */
    private void recordDelivery(Claimed claimed, Invitation.Delivery delivery) {
        OutboxMessage m = claimed.message();
        if (m.isNotice()) {
            return; // a notice is no invitation
        }
        Member member = invitee(m).orElse(null);
        if (member == null || member.status() != MemberStatus.INVITED || member.invitation() == null
                || member.invitation().sequence() != m.sequence()) {
            return;
        }
        Invitation i = member.invitation();
        data.members.get(m.workspaceId()).put(member.memberId(), member.toBuilder().version(member.version() + 1)
                .invitation(new Invitation(i.sequence(), i.expiresAt(), delivery, claimed.attempt(), i.tokenHash()))
                .build());
    }
}
