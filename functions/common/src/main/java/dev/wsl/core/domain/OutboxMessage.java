package dev.wsl.core.domain;

import java.time.Instant;

/**
 * An email the write path asked for, stored in the same transaction as the
 * change that asked for it (transactional outbox). The invitation token is not
 * in it: the mailer issues the token when it sends, so no plaintext secret is
 * ever stored. One message per (member, invitation sequence).
 */
public record OutboxMessage(
        String workspaceId,
        String memberId,
        long sequence,
        EmailAddress to,
        String inviteeName,
        String workspaceName,
        String inviterName,
        Instant expiresAt,
        Instant createdAt) {

    /** Which message: one per member and invitation sequence. */
    public record Id(String workspaceId, String memberId, long sequence) {}

    public Id id() {
        return new Id(workspaceId, memberId, sequence);
    }
}
