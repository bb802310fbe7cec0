package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An email the write path asked for, stored in the same transaction as the
 * change that asked for it (transactional outbox). The invitation token is not
 * in it: the mailer issues the token when it sends, so no plaintext secret is
 * ever stored. One message per (member, invitation sequence).
 *
 * <p>Besides invitations, the outbox carries notices whose text is written when they are queued (it holds no
 * secret): the reclaim policy's notice to a seat's holder and its digest to the admins (issue 21). The mailer
 * sends those as they are, once: their ids are the notice's own (see {@link Kind}), so queueing the same notice
 * again finds it there.
 *
 * @param subject the notice's subject (null for invitations, whose text the mailer writes with the link)
 * @param text    the notice's plain-text body (null for invitations)
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
        Instant createdAt,
        Kind kind,
        String subject,
        String text) {

    /**
     * What a message is, which also decides its id's meaning: an invitation is the member's invitation of that
     * sequence; a reclaim notice the seat holder's for the idle stretch that began at {@code sequence} (epoch
     * seconds); a reclaim digest the admin's of the run that started at {@code sequence}.
     */
    public enum Kind { INVITATION, RECLAIM_NOTICE, RECLAIM_DIGEST }

    public OutboxMessage {
        Objects.requireNonNull(kind);
        if (kind != Kind.INVITATION && (subject == null || text == null)) {
            throw new IllegalArgumentException("a notice carries its subject and text");
        }
    }

    /** An invitation email. */
    public OutboxMessage(String workspaceId, String memberId, long sequence, EmailAddress to, String inviteeName,
                         String workspaceName, String inviterName, Instant expiresAt, Instant createdAt) {
        this(workspaceId, memberId, sequence, to, inviteeName, workspaceName, inviterName, expiresAt, createdAt,
                Kind.INVITATION, null, null);
    }

    /** A notice sent as written: {@code memberId} is its recipient's (or the seat's) member, see {@link Kind}. */
    public static OutboxMessage notice(Kind kind, String workspaceId, String memberId, long sequence, EmailAddress to,
                                       String workspaceName, String subject, String text, Instant createdAt) {
        if (kind == Kind.INVITATION) {
            throw new IllegalArgumentException("an invitation is no notice");
        }
        return new OutboxMessage(workspaceId, memberId, sequence, to, null, workspaceName, null, null, createdAt, kind,
                subject, text);
    }

    public boolean isNotice() {
        return kind != Kind.INVITATION;
    }

    /** Which message: one per kind, member and sequence. */
    public record Id(String workspaceId, String memberId, long sequence, Kind kind) {
        public Id {
            Objects.requireNonNull(kind);
        }

        /** An invitation's id. */
        public Id(String workspaceId, String memberId, long sequence) {
            this(workspaceId, memberId, sequence, Kind.INVITATION);
        }
    }

    public Id id() {
        return new Id(workspaceId, memberId, sequence, kind);
    }
}
