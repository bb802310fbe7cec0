package dev.wsl.core.port;

import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.failure.ChangedMeanwhile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox's state machine. A message is claimed (PENDING/FAILED, or SENDING whose lease ran out
 * → SENDING) before anything is sent, so that the stream consumer and the sweep never send the same
 * message at the same time.
 */
public interface OutboxStore {
    /** PENDING → SENDING → SENT; SENDING → FAILED → SENDING …; → DEAD after the last attempt; SUPERSEDED when a newer invitation or a removal overtook it. */
    enum State { PENDING, SENDING, SENT, FAILED, SUPERSEDED, DEAD }

    /** A message this caller may now send, and which attempt this is (1-based). */
    record Claimed(OutboxMessage message, int attempt) {}

    /** Empty when the message is gone, sent, or held by another worker whose lease still runs. */
    Optional<Claimed> claim(OutboxMessage.Id id, Instant now, Duration lease);

    /** The member the message invites, as it is now. */
    Optional<Member> invitee(OutboxMessage message);

    /**
     * Records the hash of a fresh token on the member's invitation (and the link's lookup); any token an
     * earlier attempt issued stops working.
     *
     * @param invitee the member as read, still INVITED with the message's invitation
     * @throws ChangedMeanwhile when the member changed since read
     */
    void issueToken(Member invitee, OutboxMessage message, String tokenHash);

    /** The send succeeded. A claim whose lease another worker took over meanwhile changes nothing. */
    void markSent(Claimed claimed, Instant now);

    /** @param retryAt when the sweep should try again, or null to give up (DEAD) */
    void markFailed(Claimed claimed, String reason, Instant retryAt);

    void markSuperseded(Claimed claimed);

    /** Messages whose next attempt is due: never sent, failed, or abandoned mid-send. */
    List<OutboxMessage.Id> due(Instant now, int limit);

    /** The message's state, for tests and operators. */
    Optional<State> state(OutboxMessage.Id id);
}
