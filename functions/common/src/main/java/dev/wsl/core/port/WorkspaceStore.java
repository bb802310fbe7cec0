package dev.wsl.core.port;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.TooManyRequests;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Workspaces, members, grants, invitation links, user records and the audit trail. Every change
 * writes its audit entry in the same all-or-nothing step, and every member write is conditioned on
 * the version read ({@link ChangedMeanwhile} otherwise).
 */
public interface WorkspaceStore {

    Optional<Workspace> findWorkspace(String workspaceId);

    /** The access of an ACTIVE member, by account: what every request is authorized against. */
    Optional<Grant> findGrant(String workspaceId, String userId);

    Optional<Member> findMember(String workspaceId, String memberId);

    Optional<String> findMemberIdByEmail(String workspaceId, String email);

    /**
     * What an invitation decides on, read together (one consistent BatchGetItem, where the separate reads were three
     * round trips): the workspace, the member its email is locked to, and its license pool (an active subscription
     * raises the invitation limit).
     */
    InvitationSubject invitationSubject(String workspaceId, String email);

    /** {@link #findWorkspace}, {@link #findMemberIdByEmail} and the {@link LicenseStore#pool} of one workspace. */
    record InvitationSubject(Optional<Workspace> workspace, Optional<String> memberIdByEmail, LicensePool pool) {
        public InvitationSubject {
            Objects.requireNonNull(workspace);
            Objects.requireNonNull(memberIdByEmail);
            Objects.requireNonNull(pool);
        }
    }

    /** The workspace and member an invitation token hash points to, if the token was issued and not used. */
    Optional<InvitationRef> findInvitation(String tokenHash);

    /** Where an invitation link leads. */
    record InvitationRef(String workspaceId, String memberId, long sequence) {}

    /** @throws InvalidInput for a cursor this list did not return */
    Page<Member> listMembers(String workspaceId, boolean includeRemoved, int limit, String cursor);

    /** Newest first. @throws InvalidInput for a cursor this list did not return */
    Page<AuditEntry> listAudit(String workspaceId, int limit, String cursor);

    /**
     * The user's ACTIVE memberships with each workspace's name, oldest workspace first. Read from an
     * index that may lag a moment behind an acceptance (it decides nothing: it lists).
     *
     * @throws dev.wsl.core.failure.Busy when the table left part of the read unprocessed
     */
    List<Membership> workspacesOf(String userId);

    /** The hash of the user's current personal auth token, if they have a user record with one. */
    default Optional<String> authTokenHash(String userId) {
        return authTokens(userId).map(TokenHashes::current);
    }

    /**
     * The user's current auth token and, while a rotation's overlap lasts, the one it replaced (which the writes
     * below keep in step), if they have a user record with a token. One consistent read of the record.
     */
    Optional<TokenHashes> authTokens(String userId);

    /**
     * Creates a workspace with its creator as the first ACTIVE admin, and the creator's user record. The
     * creator joined it themselves: it becomes where their auth token activates unless they chose before.
     *
     * @param authToken the user's current token (and an overlapping one), or null when {@code newToken} issues their first
     * @param newToken the auth token to issue with the user record, or null when the user has one already
     * @throws ChangedMeanwhile when a concurrent first sign-in issued the user's token, or a rotation replaced it,
     *                          meanwhile
     */
    void createWorkspace(Workspace workspace, Member creator, UserProfile profile, TokenHashes authToken,
                         PersonalToken newToken, AuditEntry audit);

    /**
     * A first invitation of this email to this workspace, with the email to send, counted against the
     * quota's two counters in the same step.
     *
     * @throws AlreadyExists {@code member-exists} when the email is a member already (or got invited meanwhile)
     * @throws NotFound when the workspace does not exist
     * @throws TooManyRequests when the recipient's or the workspace's counter is at its limit (nothing is written)
     */
    void insertInvitedMember(Member member, OutboxMessage message, InvitationQuota quota, AuditEntry audit);

    /**
     * Replaces the member's invitation with a new one (resend, or re-invite after removal); the earlier
     * link stops working in the same step, and the email counts against the quota's counters in it.
     *
     * @throws TooManyRequests when the recipient's or the workspace's counter is at its limit (nothing is written)
     */
    void reinvite(Member before, Member after, OutboxMessage message, InvitationQuota quota, AuditEntry audit);

    /**
     * Writes a member's new access. {@code adminDelta} is the change in the number of ACTIVE admins. When the
     * change takes ADMIN from the creator of the workspace's SCIM token, the token stops in the same step (see
     * {@link #remove}).
     *
     * @param idp the conditions of a change the identity provider makes alone that takes ADMIN from an active
     *            admin ({@link IdpAdminLoss}), or null for any other change
     * @throws LastAdmin when a negative delta would leave the workspace without an admin
     * @throws ChangedMeanwhile when the member, the SCIM token or what {@code idp} read changed since read
     */
    void changeAccess(Member before, Member after, int adminDelta, AuditEntry audit, IdpAdminLoss idp);

    /** {@link #changeAccess(Member, Member, int, AuditEntry, IdpAdminLoss)} of a change a person makes. */
    default void changeAccess(Member before, Member after, int adminDelta, AuditEntry audit) {
        changeAccess(before, after, adminDelta, audit, null);
    }

    /**
     * Marks the member REMOVED: their grant and any pending invitation link go in the same step, and so
     * does the license pool's side of it ({@code freed}: the seat and the legacy key they held). When the
     * removal also changes how the identity provider knows the member (a SCIM delete drops it), the
     * userName and externalId locks follow in the same step.
     *
     * <p>Credentials carry their creator's authority (PRODUCT.md section 11): when the member was an ACTIVE admin
     * and created the workspace's SCIM token, the token stops in this same step (its lookup item goes, the
     * token item records why and when, {@code scim-token.stopped} is audited as this change's actor); a token of
     * theirs that appeared since the store looked fails the step ({@link ChangedMeanwhile}) instead of surviving.
     *
     * @param freed    what the removal frees in the license pool, or null when the member held nothing
     * @param poolRead the pool as read for {@code freed}
     * @param idp      the conditions of a removal the identity provider makes alone of an active admin
     *                 ({@link IdpAdminLoss}), or null for any other removal
     * @throws LastAdmin when removing the last admin
     * @throws ChangedMeanwhile when the member, the SCIM token or what {@code idp} read changed since read
     */
    void remove(Member before, Member after, int adminDelta, AuditEntry audit, SeatChange freed, LicensePool poolRead,
                IdpAdminLoss idp);

    /** {@link #remove(Member, Member, int, AuditEntry, SeatChange, LicensePool, IdpAdminLoss)} without IdP conditions. */
    default void remove(Member before, Member after, int adminDelta, AuditEntry audit, SeatChange freed,
                        LicensePool poolRead) {
        remove(before, after, adminDelta, audit, freed, poolRead, null);
    }

    /**
     * When the identity provider last took ADMIN from an active admin on its own (the window of
     * {@link IdpAdminLoss}); empty when it never did. One consistent read of a keyed item.
     */
    Optional<java.time.Instant> lastIdpAdminLoss(String workspaceId);

    /**
     * Turns the invitation into an ACTIVE membership of the accepting user; exactly one of any number of
     * concurrent acceptances succeeds. The person joined themselves: the workspace becomes where their auth
     * token activates unless they chose before.
     *
     * @param authToken the user's current token (and an overlapping one), or null when {@code newToken} issues their first
     * @throws ChangedMeanwhile when the member or the user record changed since read
     * @throws Conflict {@code invitation-used} when the link was used meanwhile
     * @throws AlreadyExists {@code already-member} when the account is another member of the workspace
     */
    void accept(Member before, Member after, String tokenHash, UserProfile profile,
                TokenHashes authToken,
                PersonalToken newToken, int adminDelta, AuditEntry audit);

    // ------------------------------------------------------------------ SCIM provisioning (PRODUCT.md section 9)

    /** The member an identity provider knows by this userName (already lower-cased: {@code Provisioning.userNameKey}). */
    Optional<String> findMemberIdByUserName(String workspaceId, String userNameKey);

    /** The member an identity provider knows by this externalId (compared exactly). */
    Optional<String> findMemberIdByExternalId(String workspaceId, String externalId);

    /** The members with these ids (absent ones are missing from the answer), by id. */
    Map<String, Member> findMembers(String workspaceId, Collection<String> memberIds);

    /**
     * The members identity providers created for this email that wait for its first sign-in
     * ({@link Member#awaitsFirstSignIn()}), in any workspace. Read from an index that may lag a moment
     * behind the provisioning; each is read again before it is activated.
     */
    List<Member> awaitingSignIn(EmailAddress email);

    /**
     * A member an identity provider created, with the locks of its email, userName and externalId.
     *
     * @throws AlreadyExists {@code member-exists}, {@code user-name-exists} or {@code external-id-exists}
     *                       when another member holds one of them
     * @throws NotFound when the workspace does not exist
     */
    void provision(Member member, AuditEntry audit);

    /**
     * Writes a member whose name, email or provisioning changed (and, for a reactivation, whose status
     * went from REMOVED to INVITED; or whose removal an admin lets the identity provider undo), moving the locks
     * of what changed in the same step.
     *
     * @throws AlreadyExists when another member holds the new email, userName or externalId
     * @throws ChangedMeanwhile when the member changed since read
     */
    void reprovision(Member before, Member after, AuditEntry audit);

    /**
     * Makes a member ACTIVE for an account without an invitation link: the first sign-in of a member an
     * identity provider created (INVITED), or the reactivation of one that had signed in (REMOVED). Like
     * {@link #accept}: the grant, the user's index entry, the user record and its first token, the
     * token index when they hold a license, the admin count.
     *
     * @param profile the user record to write, or null to leave it as it is (it must exist then)
     * @throws ChangedMeanwhile when the member (its version or status) or the user record changed since read
     * @throws AlreadyExists {@code already-member} when the account is another member of the workspace
     */
    void activate(Member before, Member after, UserProfile profile, TokenHashes authToken,
                  PersonalToken newToken,
                  int adminDelta, AuditEntry audit);

    // ------------------------------------------------------------------ consent and verified domains (issue 17, part B)

    /** The workspace's email domain of this name (verified or not), if the workspace added it. */
    Optional<dev.wsl.core.domain.EmailDomain> findDomain(String workspaceId, String domainName);

    /**
     * The person's own Join of a membership an identity provider created for their email and that waits for
     * them ({@link Member#awaitsFirstSignIn()}): ACTIVE as {@link #activate} makes it, and, since they joined
     * themselves, where their auth token activates unless they chose before. What the membership held while it
     * waited is not kept: {@code freed} gives it up in the same step.
     *
     * @param freed    the license (and seat) the waiting membership held, or null when it held nothing
     * @param poolRead the pool as read for {@code freed}
     * @throws ChangedMeanwhile when the member changed, stopped waiting, or the user record changed since read
     * @throws AlreadyExists {@code already-member} when the account is another member of the workspace
     */
    void join(Member before, Member after, UserProfile profile, TokenHashes authToken,
              PersonalToken newToken,
              int adminDelta, AuditEntry audit, SeatChange freed, LicensePool poolRead);

    // ------------------------------------------------------------------ SCIM listings (issue 18)

    /**
     * A set of members a SCIM listing pages through, in one fixed order: every SCIM user (members not
     * REMOVED, and REMOVED ones an identity provider still knows), or the members of a fixed group.
     */
    record MemberSet(Kind kind, String subscriptionId) {
        public enum Kind { SCIM_USERS, MEMBERS, ADMINS, LICENSED_FROM }

        public static final MemberSet SCIM_USERS = new MemberSet(Kind.SCIM_USERS, null);
        public static final MemberSet MEMBERS = new MemberSet(Kind.MEMBERS, null);
        public static final MemberSet ADMINS = new MemberSet(Kind.ADMINS, null);

        public static MemberSet licensedFrom(String subscriptionId) {
            return new MemberSet(Kind.LICENSED_FROM, java.util.Objects.requireNonNull(subscriptionId));
        }
    }

    /**
     * A page of the set after {@code cursor} (null: from its start), at most {@code limit} members, each
     * page a keyed read whatever the workspace's size. The set is read from an index that may lag a moment
     * behind a change.
     *
     * @throws InvalidInput for a cursor this set did not return
     */
    Page<Member> memberSet(String workspaceId, MemberSet set, int limit, String cursor);

    /**
     * The cursor {@code count} members further into the set than {@code cursor} (null: its start), or
     * null when the set ends before; reads keys only.
     */
    String skipInSet(String workspaceId, MemberSet set, long count, String cursor);

    /** How many SCIM users the workspace has (a counter kept in the transactions that change it). */
    long scimUserCount(String workspaceId);
}
