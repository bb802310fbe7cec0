package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import java.util.Map;

/**
 * {@link WorkspaceStore} in the single table. Each mutating method is one DynamoDB transaction whose
 * every write has a condition; a failed condition becomes the typed failure that explains it. Reads
 * of state that decides a write are strongly consistent. Thread-safe.
 */
public final class DynamoWorkspaceStore extends DynamoWorkspaceReads {
    /** Invitation lookups stay readable this long after expiry so that callers learn "expired", not "unknown". */
    private static final long TOKEN_ITEM_GRACE_SECONDS = 30L * 24 * 3600;

    public DynamoWorkspaceStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    /**
     * The creator holds no license yet, so an existing token's index is unchanged; the workspace becomes where
     * the token activates unless the user chose before (they joined it themselves), on the token's lookup item
     * and the user record alike.
     */
    @Override
    public void createWorkspace(Workspace workspace, Member creator, UserProfile profile, TokenHashes authToken,
                                PersonalToken newToken, AuditEntry audit) {
        Transaction tx = new Transaction(table);
        String ws = workspace.workspaceId();
        ProfileToken.upsert(tx, profile, workspace.createdAt(), newToken, authToken, ws);
        if (newToken != null) {
            tx.put(TokenIndex.item(profile.userId(), newToken, Map.of(), ws), Condition.notExists(),
                    DynamoWorkspaceStore::idCollision);
        } else if (authToken != null) {
            TokenIndex.preferIfUnset(tx, authToken, profile.userId(), ws);
        }
        tx
                .put(MemberItems.workspace(workspace), Condition.notExists(), DynamoWorkspaceStore::idCollision)
                .put(MemberItems.member(creator), Condition.notExists(), DynamoWorkspaceStore::idCollision)
                .put(MemberItems.emailLock(creator), Condition.notExists(), DynamoWorkspaceStore::idCollision)
                .put(MemberItems.grant(creator), Condition.notExists(), DynamoWorkspaceStore::idCollision)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        countScimUsers(tx, null, creator);
        tx.execute(dynamo);
    }

    /** A first invitation of this email to this workspace, with the email to send. */
    @Override
    public void insertInvitedMember(Member member, OutboxMessage message, InvitationQuota quota, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .check(Keys.workspace(member.workspaceId()), Condition.of("attribute_exists(PK)"),
                        () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                .put(MemberItems.emailLock(member), Condition.notExists(), () -> new AlreadyExists("member-exists",
                        "This email was invited to the workspace meanwhile."))
                .put(MemberItems.member(member), Condition.notExists(), DynamoWorkspaceStore::idCollision)
                .put(OutboxItems.item(message), Condition.notExists(), DynamoWorkspaceStore::idCollision)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        countInvitation(tx, quota);
        countScimUsers(tx, null, member);
        tx.execute(dynamo);
    }

    /**
     * Replaces the member's invitation with a new one (resend, or re-invite after removal); the earlier
     * link's lookup item is deleted in the same transaction, so it stops working at once.
     */
    @Override
    public void reinvite(Member before, Member after, OutboxMessage message, InvitationQuota quota, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(after), Condition.version(before.version()), DynamoWorkspaceStore::changedMeanwhile)
                .put(OutboxItems.item(message), Condition.notExists(), DynamoWorkspaceStore::changedMeanwhile)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        deleteOldToken(tx, before);
        countInvitation(tx, quota);
        countScimUsers(tx, before, after);
        tx.execute(dynamo);
    }

    /**
     * The invitation email's two counters, in the transaction that writes it: each is incremented only while
     * below its limit (a new day's counter does not exist yet), so of any number of parallel invitations exactly
     * the limit commit. The counters come after the member's writes, so that a member who exists already is
     * told so first. Each expires a day after its window ends.
     */
    private static void countInvitation(Transaction tx, InvitationQuota quota) {
        String day = quota.day().toString();
        long ttl = quota.windowEnd().getEpochSecond() + 86_400;
        tx.update(Keys.invitationsTo(quota.recipient().value(), day), COUNT_INVITATION,
                        counterBelow(quota.recipientLimit(), ttl), quota::recipientLimitReached)
                .update(Keys.invitationsFrom(quota.workspaceId(), day), COUNT_INVITATION,
                        counterBelow(quota.workspaceLimit(), ttl), quota::workspaceLimitReached);
    }

    private static final String COUNT_INVITATION = "SET #ttl = :ttl ADD #sent :one";

    private static Condition counterBelow(int limit, long ttl) {
        return Condition.of("attribute_not_exists(#sent) OR #sent < :limit").name("#sent", "sent").name("#ttl", Keys.TTL)
                .value(":one", Attrs.n(1)).value(":limit", Attrs.n(limit)).value(":ttl", Attrs.n(ttl));
    }

    /**
     * Writes a member's new access. {@code adminDelta} is the change in the number of ACTIVE admins;
     * a negative delta is refused when it would leave the workspace without one.
     */
    @Override
    public void changeAccess(Member before, Member after, int adminDelta, AuditEntry audit, IdpAdminLoss idp) {
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(after), Condition.version(before.version()), DynamoWorkspaceStore::changedMeanwhile)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        if (after.status() == MemberStatus.ACTIVE) {
            tx.put(MemberItems.grant(after), Condition.of("attribute_exists(PK)"), DynamoWorkspaceStore::changedMeanwhile);
        }
        adjustAdmins(tx, after.workspaceId(), adminDelta);
        creatorAuthority(tx, before, after, audit, idp);
        tx.execute(dynamo);
    }

    @Override
    public void remove(Member before, Member after, int adminDelta, AuditEntry audit, SeatChange freed,
                       LicensePool poolRead, IdpAdminLoss idp) {
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(after), Condition.version(before.version()), DynamoWorkspaceStore::changedMeanwhile)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        if (before.status() == MemberStatus.ACTIVE) {
            tx.delete(Keys.grant(before.workspaceId(), before.userId()), null, null);
        }
        deleteOldToken(tx, before);
        identityLocks(tx, before, after);
        adjustAdmins(tx, after.workspaceId(), adminDelta);
        creatorAuthority(tx, before, after, audit, idp);
        countScimUsers(tx, before, after);
        if (freed != null) {
            // The member item is written above; the pool's side adds the keys, the counters and the token index.
            SeatWrites.contribute(tx, dynamo, table, freed, poolRead, false);
        }
        tx.execute(dynamo);
    }

    /** What a change that may end an admin's authority adds: the SCIM token's side, and the IdP's conditions. */
    private void creatorAuthority(Transaction tx, Member before, Member after, AuditEntry audit, IdpAdminLoss idp) {
        ScimItems.creatorAuthority(tx, dynamo, table, before, after, audit);
        if (idp != null) {
            ScimItems.idpAdminLoss(tx, before.workspaceId(), idp);
        }
    }

    /**
     * Turns the invitation into an ACTIVE membership of the accepting user: exactly one of any number
     * of concurrent acceptances succeeds, because the member write requires the token hash to be the
     * current one and the lookup item to still exist.
     */
    @Override
    public void accept(Member before, Member after, String tokenHash, UserProfile profile, TokenHashes authToken,
                       PersonalToken newToken, int adminDelta, AuditEntry audit) {
        Condition stillInvited = new Condition(
                "#version = :v AND #status = :invited AND inviteTokenHash = :hash",
                Map.of("#version", "version", "#status", "status"),
                Map.of(":v", Attrs.n(before.version()), ":invited", Attrs.s(MemberStatus.INVITED.name()),
                        ":hash", Attrs.s(tokenHash)));
        Condition freeOrSame = new Condition("attribute_not_exists(PK) OR memberId = :m", Map.of(),
                Map.of(":m", Attrs.s(after.memberId())));
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(after), stillInvited, DynamoWorkspaceStore::changedMeanwhile)
                .delete(Keys.invitationToken(tokenHash), Condition.of("attribute_exists(PK)"),
                        DynamoWorkspaceStore::invitationUsed)
                .put(MemberItems.grant(after), freeOrSame, () -> new AlreadyExists("already-member",
                        "Your account is already a member of this workspace."))
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        activation(tx, after, profile, authToken, newToken, adminDelta, true);
        tx.execute(dynamo);
    }

    /**
     * What every way into an ACTIVE membership writes besides the member: user record, token and its index, admins.
     *
     * @param selfJoined the person joined themselves (an accepted invitation, Join): the workspace becomes where
     *                   their token activates unless they chose before; not for an identity provider's adoption
     */
    private static void activation(Transaction tx, Member after, UserProfile profile, TokenHashes authToken,
                                   PersonalToken newToken, int adminDelta, boolean selfJoined) {
        String prefer = selfJoined ? after.workspaceId() : null;
        if (profile != null) {
            ProfileToken.upsert(tx, profile, after.acceptedAt(), newToken, authToken, prefer);
        }
        Map<String, String> licensedIn = after.activatesLicense()
                ? Map.of(after.workspaceId(), after.memberId()) : Map.of();
        if (newToken != null) {
            tx.put(TokenIndex.item(after.userId(), newToken, licensedIn, prefer), Condition.notExists(),
                    DynamoWorkspaceStore::idCollision);
        } else if (after.activatesLicense() && authToken != null) {
            // A license assigned while the member was invited starts to activate with their token now.
            TokenIndex.link(tx, authToken, after.userId(), after.workspaceId(), after.memberId(), selfJoined);
        } else if (selfJoined && authToken != null) {
            TokenIndex.preferIfUnset(tx, authToken, after.userId(), after.workspaceId());
        }
        adjustAdmins(tx, after.workspaceId(), adminDelta);
    }

    // ------------------------------------------------------------------ SCIM provisioning

    @Override
    public void provision(Member member, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .check(Keys.workspace(member.workspaceId()), Condition.of("attribute_exists(PK)"),
                        () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                .put(MemberItems.emailLock(member), Condition.notExists(), DynamoWorkspaceStore::emailTaken)
                .put(MemberItems.member(member), Condition.notExists(), DynamoWorkspaceStore::idCollision)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        identityLocks(tx, null, member);
        countScimUsers(tx, null, member);
        tx.execute(dynamo);
    }

    @Override
    public void reprovision(Member before, Member after, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(after), Condition.version(before.version()), DynamoWorkspaceStore::changedMeanwhile)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        if (!before.email().equals(after.email())) {
            tx.delete(Keys.memberEmail(before.workspaceId(), before.email().value()), heldBy(before), 
                    DynamoWorkspaceStore::changedMeanwhile)
                    .put(MemberItems.emailLock(after), Condition.notExists(), DynamoWorkspaceStore::emailTaken);
        }
        identityLocks(tx, before, after);
        countScimUsers(tx, before, after);
        tx.execute(dynamo);
    }

    @Override
    public void activate(Member before, Member after, UserProfile profile, TokenHashes authToken,
                         PersonalToken newToken, int adminDelta, AuditEntry audit) {
        // As read: INVITED for a first sign-in, REMOVED for a reactivation.
        Condition asRead = new Condition("#version = :v AND #status = :status",
                Map.of("#version", "version", "#status", "status"),
                Map.of(":v", Attrs.n(before.version()), ":status", Attrs.s(before.status().name())));
        Condition freeOrSame = new Condition("attribute_not_exists(PK) OR memberId = :m", Map.of(),
                Map.of(":m", Attrs.s(after.memberId())));
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(after), asRead, DynamoWorkspaceStore::changedMeanwhile)
                .put(MemberItems.grant(after), freeOrSame, () -> new AlreadyExists("already-member",
                        "The account is already a member of this workspace."))
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        deleteOldToken(tx, before);
        identityLocks(tx, before, after);
        activation(tx, after, profile, authToken, newToken, adminDelta, false);
        countScimUsers(tx, before, after);
        tx.execute(dynamo);
    }

    // ------------------------------------------------------------------ consent and verified domains (issue 17, part B)

    /**
     * As {@link #activate} for a first sign-in, conditioned on the member still waiting (INVITED, the version
     * read, no invitation link), as a membership the person joined themselves (where their token activates,
     * unless they chose before), and with a license it held while it waited given up in the same transaction.
     */
    @Override
    public void join(Member before, Member after, UserProfile profile, TokenHashes authToken, PersonalToken newToken,
                     int adminDelta, AuditEntry audit, SeatChange freed, LicensePool poolRead) {
        Condition stillWaiting = new Condition(
                "#version = :v AND #status = :invited AND attribute_not_exists(inviteTokenHash)",
                Map.of("#version", "version", "#status", "status"),
                Map.of(":v", Attrs.n(before.version()), ":invited", Attrs.s(MemberStatus.INVITED.name())));
        Condition freeOrSame = new Condition("attribute_not_exists(PK) OR memberId = :m", Map.of(),
                Map.of(":m", Attrs.s(after.memberId())));
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(after), stillWaiting, DynamoWorkspaceStore::changedMeanwhile)
                .put(MemberItems.grant(after), freeOrSame, () -> new AlreadyExists("already-member",
                        "Your account is already a member of this workspace."))
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoWorkspaceStore::idCollision);
        activation(tx, after, profile, authToken, newToken, adminDelta, true);
        countScimUsers(tx, before, after);
        if (freed != null) {
            SeatWrites.contribute(tx, dynamo, table, freed, poolRead, false);
        }
        tx.execute(dynamo);
    }

    /**
     * Moves the userName and externalId locks where a change of how the identity provider knows the member
     * (before: null for a new member) changed them: the old lock goes (if it still names this member), the
     * new one is taken only if free.
     */
    private static void identityLocks(Transaction tx, Member before, Member after) {
        Provisioning was = before == null ? null : before.provisioning();
        Provisioning is = after.provisioning();
        String oldName = was == null ? null : was.userNameKey();
        String newName = is == null ? null : is.userNameKey();
        if (!java.util.Objects.equals(oldName, newName)) {
            if (oldName != null) {
                tx.delete(Keys.scimUserName(after.workspaceId(), oldName), heldBy(after),
                        DynamoWorkspaceStore::changedMeanwhile);
            }
            if (newName != null) {
                tx.put(MemberItems.userNameLock(after), Condition.notExists(), () -> new AlreadyExists(
                        "user-name-exists", "Another member of the workspace has this userName."));
            }
        }
        String oldExternal = was == null ? null : was.externalId();
        String newExternal = is == null ? null : is.externalId();
        if (!java.util.Objects.equals(oldExternal, newExternal)) {
            if (oldExternal != null) {
                tx.delete(Keys.scimExternalId(after.workspaceId(), oldExternal), heldBy(after),
                        DynamoWorkspaceStore::changedMeanwhile);
            }
            if (newExternal != null) {
                tx.put(MemberItems.externalIdLock(after), Condition.notExists(), () -> new AlreadyExists(
                        "external-id-exists", "Another member of the workspace has this externalId."));
            }
        }
    }

    private static Condition heldBy(Member m) {
        return new Condition("memberId = :holder", Map.of(), Map.of(":holder", Attrs.s(m.memberId())));
    }

    private static AlreadyExists emailTaken() {
        return new AlreadyExists("member-exists", "Another member of the workspace has this email.");
    }

    private void deleteOldToken(Transaction tx, Member before) {
        if (before.invitation() != null && before.invitation().tokenHash() != null) {
            tx.delete(Keys.invitationToken(before.invitation().tokenHash()), null, DynamoWorkspaceStore::changedMeanwhile);
        }
    }

    private static void adjustAdmins(Transaction tx, String workspaceId, int delta) {
        if (delta == 0) {
            return;
        }
        Condition condition = new Condition(delta < 0 ? "activeAdmins >= :min" : "attribute_exists(PK)", Map.of(),
                delta < 0 ? Map.of(":delta", Attrs.n(delta), ":min", Attrs.n(1L - delta))
                        : Map.of(":delta", Attrs.n(delta)));
        tx.update(Keys.workspace(workspaceId), "SET activeAdmins = activeAdmins + :delta", condition, LastAdmin::new);
    }

    static long tokenItemTtl(Instant expiresAt) {
        return expiresAt.getEpochSecond() + TOKEN_ITEM_GRACE_SECONDS;
    }

    private static ChangedMeanwhile changedMeanwhile() {
        return new ChangedMeanwhile("The member was changed by another request meanwhile; reload and retry.");
    }

    private static Conflict invitationUsed() {
        return new Conflict("invitation-used", "This invitation link has already been used or replaced.");
    }

    private static ChangedMeanwhile idCollision() {
        return new ChangedMeanwhile("A concurrent request created the same item; retry.");
    }
}
