package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A person's membership in one workspace. Immutable; changes produce a new
 * value with {@code version + 1}, and the store writes it only if the stored
 * version is still the one read (optimistic concurrency).
 *
 * @param name       the placeholder name from the invitation until the invitee accepts, then their username
 * @param userId     the invitee's account ({@code sub}) once they accepted; null before
 * @param invitation the latest invitation (pending only while INVITED; kept afterwards so that its sequence
 *                   keeps growing across removal and re-invitation); null for a workspace's creator
 * @param holdings   license and legacy key held; always {@link Holdings#NONE} once REMOVED
 */
public record Member(
        String workspaceId,
        String memberId,
        EmailAddress email,
        String name,
        MemberStatus status,
        Access access,
        String userId,
        Instant invitedAt,
        String invitedBy,
        Instant acceptedAt,
        Instant removedAt,
        Invitation invitation,
        Holdings holdings,
        long version) {

    public Member {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(memberId);
        Objects.requireNonNull(email);
        Objects.requireNonNull(name);
        Objects.requireNonNull(status);
        Objects.requireNonNull(access);
        Objects.requireNonNull(holdings);
    }

    /**
     * Whether this member's personal auth token activates this workspace's license: an ACTIVE member,
     * bound to an account, holding a license. The token's index of licensed workspaces is kept equal
     * to this, in the same transactions that change it.
     */
    public boolean activatesLicense() {
        return status == MemberStatus.ACTIVE && userId != null && holdings.licensed();
    }

    public boolean isActiveAdmin() {
        return status == MemberStatus.ACTIVE && access.isAdmin();
    }

    public Member withAccess(Access newAccess) {
        return new Member(workspaceId, memberId, email, name, status, newAccess, userId, invitedAt, invitedBy,
                acceptedAt, removedAt, invitation, holdings, version + 1);
    }

    public Member withHoldings(Holdings newHoldings) {
        return new Member(workspaceId, memberId, email, name, status, access, userId, invitedAt, invitedBy,
                acceptedAt, removedAt, invitation, newHoldings, version + 1);
    }

    /** Removal gives up everything held: the seat is freed in the same transaction. */
    public Member removed(Instant at) {
        return new Member(workspaceId, memberId, email, name, MemberStatus.REMOVED, access, userId, invitedAt,
                invitedBy, acceptedAt, at, invitation == null ? null : invitation.withoutToken(), Holdings.NONE,
                version + 1);
    }

    /** A new invitation (invite again after removal, or resend): earlier links stop working. */
    public Member reinvited(String inviterId, Instant at, Instant expiresAt) {
        long sequence = invitation == null ? 1 : invitation.sequence() + 1;
        return new Member(workspaceId, memberId, email, name, MemberStatus.INVITED, access, userId, at, inviterId,
                acceptedAt, null, new Invitation(sequence, expiresAt, Invitation.Delivery.PENDING, 0, null),
                holdings, version + 1);
    }

    /** The same invitation with the hash of the token the mailer just issued for it. */
    public Member withIssuedToken(String tokenHash) {
        Invitation current = Objects.requireNonNull(invitation, "no invitation");
        return new Member(workspaceId, memberId, email, name, status, access, userId, invitedAt, invitedBy,
                acceptedAt, removedAt, new Invitation(current.sequence(), current.expiresAt(), current.delivery(),
                current.attempts(), tokenHash), holdings, version + 1);
    }

    public Member accepted(String acceptingUserId, String username, Instant at) {
        return new Member(workspaceId, memberId, email, username, MemberStatus.ACTIVE, access, acceptingUserId, invitedAt, invitedBy, at, null,
                invitation == null ? null : invitation.withoutToken(), holdings, version + 1);
    }
}
