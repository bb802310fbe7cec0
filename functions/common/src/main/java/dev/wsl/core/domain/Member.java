package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A person's membership in one workspace. Immutable; changes produce a new
 * value with {@code version + 1}, and the store writes it only if the stored
 * version is still the one read (optimistic concurrency). Built through named steps:
 * {@link #invited}, {@link #creator} and {@link #builder()} for a member read back, and the
 * withers ({@link #withAccess}, {@link #removed}, {@link #reinvited} …) for every change.
 *
 * @param name       the placeholder name from the invitation until the invitee accepts, then their username
 * @param userId     the invitee's account ({@code sub}) once they accepted; null before
 * @param acceptedAt when the current membership was accepted; null while invited (also after a re-invitation)
 * @param invitation the latest invitation (pending only while INVITED; kept afterwards so that its sequence
 *                   keeps growing across removal and re-invitation); null for a workspace's creator
 * @param holdings   license and legacy key held; always {@link Holdings#NONE} once REMOVED
 * @param provisioning how an identity provider knows the member (SCIM), or null: a member provisioned over
 *                   SCIM is INVITED without an invitation until their first sign-in with that email
 * @param removedBy  who removed the member (a person, or {@link Actor#SCIM}); null unless REMOVED, and null for a
 *                   member removed before removals recorded it
 * @param scimMayRestore whether the identity provider may bring a REMOVED member back: true when the identity
 *                   provider removed them, or an admin allowed provisioning again; false when a person removed them
 *                   ({@link #removalSticks()})
 * @param roleFromScim whether the identity provider gave the member's current role (its Admins group) rather than
 *                   a person: an ADMIN it made is not an {@link #isAppointedAdmin() appointed} admin
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
        long version,
        Provisioning provisioning,
        Actor removedBy,
        boolean scimMayRestore,
        boolean roleFromScim) {

    public Member {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(memberId);
        Objects.requireNonNull(email);
        Objects.requireNonNull(name);
        Objects.requireNonNull(status);
        Objects.requireNonNull(access);
        Objects.requireNonNull(holdings);
    }

    /** A first invitation of an email to a workspace: INVITED, holding nothing, invitation sequence 1. */
    public static Member invited(String workspaceId, String memberId, EmailAddress email, String name, Access access,
                                 String inviterId, Instant at, Instant expiresAt) {
        return builder().workspaceId(workspaceId).memberId(memberId).email(email).name(name)
                .status(MemberStatus.INVITED).access(access).invitedAt(at).invitedBy(inviterId)
                .invitation(new Invitation(1, expiresAt, Invitation.Delivery.PENDING, 0, null)).build();
    }

    /** The creator of a workspace: its first ACTIVE admin, with no invitation. */
    public static Member creator(String workspaceId, String memberId, Caller caller, Instant at) {
        return builder().workspaceId(workspaceId).memberId(memberId).email(caller.email()).name(caller.username())
                .status(MemberStatus.ACTIVE).access(Access.ADMIN).userId(caller.userId()).invitedAt(at)
                .invitedBy(caller.userId()).acceptedAt(at).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this member's fields, version included (for mappers and tests; changes use the withers). */
    public Builder toBuilder() {
        return new Builder().workspaceId(workspaceId).memberId(memberId).email(email).name(name).status(status)
                .access(access).userId(userId).invitedAt(invitedAt).invitedBy(invitedBy).acceptedAt(acceptedAt)
                .removedAt(removedAt).invitation(invitation).holdings(holdings).version(version)
                .provisioning(provisioning).removedBy(removedBy).scimMayRestore(scimMayRestore)
                .roleFromScim(roleFromScim);
    }

    /**
     * Whether this member's personal auth token activates this workspace's license: an ACTIVE member,
     * bound to an account, holding a license. The token's index of licensed workspaces is kept equal
     * to this, in the same transactions that change it.
     */
    public boolean activatesLicense() {
        return status == MemberStatus.ACTIVE && userId != null && holdings.licensed();
    }

    /** Whether an identity provider manages the member (SCIM). */
    public boolean provisioned() {
        return provisioning != null;
    }

    /**
     * Whether the member waits for their first sign-in to claim a membership an identity provider
     * created: INVITED with no invitation link pending.
     */
    public boolean awaitsFirstSignIn() {
        return status == MemberStatus.INVITED && provisioning != null
                && (invitation == null || invitation.tokenHash() == null);
    }

    public boolean isActiveAdmin() {
        return status == MemberStatus.ACTIVE && access.isAdmin();
    }

    /**
     * An ACTIVE admin whose ADMIN role a person gave: the workspace's creator, an invitation, an admin's access
     * change, or an admin's confirmation of a held SCIM change; not the identity provider's Admins group on its
     * own. The identity provider can never leave a workspace without one (docs/trust-and-consent.md, "No
     * lock-out through SCIM").
     */
    public boolean isAppointedAdmin() {
        return isActiveAdmin() && !roleFromScim;
    }

    /**
     * Whether this REMOVED member stays removed against the identity provider: a person removed them (or nobody
     * recorded who), and no admin has allowed provisioning again since. Only a re-invitation or an admin's
     * "allow provisioning again" lifts it.
     */
    public boolean removalSticks() {
        return status == MemberStatus.REMOVED && !scimMayRestore;
    }

    /** Access a person gave (an admin's change, or a confirmed change): the role is theirs, not the IdP's. */
    public Member withAccess(Access newAccess) {
        return next().access(newAccess).roleFromScim(false).build();
    }

    /** Access the identity provider gave (its Admins group). */
    public Member withAccessFromScim(Access newAccess) {
        return next().access(newAccess).roleFromScim(true).build();
    }

    public Member withHoldings(Holdings newHoldings) {
        return next().holdings(newHoldings).build();
    }

    /**
     * Removal gives up everything held: the seat is freed in the same transaction. Nobody is recorded as the
     * remover, so the removal sticks as a person's would; the use cases say who removed ({@link #removedBy}).
     */
    public Member removed(Instant at) {
        return next().status(MemberStatus.REMOVED).removedAt(at)
                .invitation(invitation == null ? null : invitation.withoutToken()).holdings(Holdings.NONE)
                .removedBy(null).scimMayRestore(false).build();
    }

    /** Removed by a person (console or API): the identity provider cannot bring them back on its own. */
    public Member removedBy(Actor person, Instant at) {
        return removed(at).toBuilder().removedBy(Objects.requireNonNull(person)).build();
    }

    /**
     * Removed by the identity provider ({@code active: false}, a delete, its Members group; also such a change an
     * admin confirmed): the identity provider may bring them back.
     */
    public Member removedByIdentityProvider(Actor actor, Instant at) {
        return removed(at).toBuilder().removedBy(Objects.requireNonNull(actor)).scimMayRestore(true).build();
    }

    /** An admin allows the identity provider to provision this removed member again (who removed them is kept). */
    public Member provisioningAllowed() {
        return next().scimMayRestore(true).build();
    }

    /**
     * A new invitation (invite again after removal, or resend): earlier links stop working, and the
     * member is INVITED again, so nothing of an earlier acceptance or removal is kept.
     */
    public Member reinvited(String inviterId, Instant at, Instant expiresAt) {
        long sequence = invitation == null ? 1 : invitation.sequence() + 1;
        return next().status(MemberStatus.INVITED).invitedAt(at).invitedBy(inviterId).acceptedAt(null).removedAt(null)
                .removedBy(null).scimMayRestore(false)
                .invitation(new Invitation(sequence, expiresAt, Invitation.Delivery.PENDING, 0, null)).build();
    }

    /** The same invitation with the hash of the token the mailer just issued for it. */
    public Member withIssuedToken(String tokenHash) {
        Invitation current = Objects.requireNonNull(invitation, "no invitation");
        return next().invitation(new Invitation(current.sequence(), current.expiresAt(), current.delivery(),
                current.attempts(), tokenHash)).build();
    }

    public Member accepted(String acceptingUserId, String username, Instant at) {
        return next().name(username).status(MemberStatus.ACTIVE).userId(acceptingUserId).acceptedAt(at).removedAt(null)
                .removedBy(null).scimMayRestore(false)
                .invitation(invitation == null ? null : invitation.withoutToken()).build();
    }

    /** An invitation's placeholder name and access, as an admin gives them when inviting a removed member again. */
    public Member renamed(String placeholderName, Access newAccess) {
        return next().name(placeholderName).access(newAccess).roleFromScim(false).build();
    }

    /** The identity provider's view of the member (null: the IdP deleted the user). */
    public Member withProvisioning(Provisioning value) {
        return next().provisioning(value).build();
    }

    /** Name, email and provisioning as the identity provider now sends them. */
    public Member reprovisioned(String newName, EmailAddress newEmail, Provisioning value) {
        return next().name(newName).email(newEmail).provisioning(value).build();
    }

    /**
     * A REMOVED member brought back by the identity provider ({@code active: true} again): INVITED without
     * a link, until they sign in (their first sign-in, or their next one, makes them ACTIVE). Coming back starts
     * from nothing: the role MEMBER, no advanced permissions, no license, no legacy key; more only through a new
     * decision.
     */
    public Member reactivated(String actorId, Instant at) {
        return next().status(MemberStatus.INVITED).invitedAt(at).invitedBy(actorId).acceptedAt(null).removedAt(null)
                .removedBy(null).scimMayRestore(false).access(Access.MEMBER).roleFromScim(false)
                .invitation(invitation == null ? null : invitation.withoutToken()).holdings(Holdings.NONE).build();
    }

    private Builder next() {
        return toBuilder().version(version + 1);
    }

    /** Named steps for the eighteen fields; unset fields are null ({@link Holdings#NONE}, version 0). Not thread-safe. */
    public static final class Builder {
        private String workspaceId;
        private String memberId;
        private EmailAddress email;
        private String name;
        private MemberStatus status;
        private Access access;
        private String userId;
        private Instant invitedAt;
        private String invitedBy;
        private Instant acceptedAt;
        private Instant removedAt;
        private Invitation invitation;
        private Holdings holdings = Holdings.NONE;
        private long version;
        private Provisioning provisioning;
        private Actor removedBy;
        private boolean scimMayRestore;
        private boolean roleFromScim;

        private Builder() {}

        public Builder workspaceId(String value) {
            workspaceId = value;
            return this;
        }

        public Builder memberId(String value) {
            memberId = value;
            return this;
        }

        public Builder email(EmailAddress value) {
            email = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder status(MemberStatus value) {
            status = value;
            return this;
        }

        public Builder access(Access value) {
            access = value;
            return this;
        }

        public Builder userId(String value) {
            userId = value;
            return this;
        }

        public Builder invitedAt(Instant value) {
            invitedAt = value;
            return this;
        }

        public Builder invitedBy(String value) {
            invitedBy = value;
            return this;
        }

        public Builder acceptedAt(Instant value) {
            acceptedAt = value;
            return this;
        }

        public Builder removedAt(Instant value) {
            removedAt = value;
            return this;
        }

        public Builder invitation(Invitation value) {
            invitation = value;
            return this;
        }

        public Builder holdings(Holdings value) {
            holdings = value;
            return this;
        }

        public Builder version(long value) {
            version = value;
            return this;
        }

        public Builder provisioning(Provisioning value) {
            provisioning = value;
            return this;
        }

        public Builder removedBy(Actor value) {
            removedBy = value;
            return this;
        }

        public Builder scimMayRestore(boolean value) {
            scimMayRestore = value;
            return this;
        }

        public Builder roleFromScim(boolean value) {
            roleFromScim = value;
            return this;
        }

        public Member build() {
            return new Member(workspaceId, memberId, email, name, status, access, userId, invitedAt, invitedBy,
                    acceptedAt, removedAt, invitation, holdings, version, provisioning, removedBy, scimMayRestore,
                    roleFromScim);
        }
    }
}
