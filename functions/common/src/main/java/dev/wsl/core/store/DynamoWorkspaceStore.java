package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Page;
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
import dev.wsl.core.port.WorkspaceStore.MemberSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link WorkspaceStore} in the single table. Each mutating method is one DynamoDB transaction whose
 * every write has a condition; a failed condition becomes the typed failure that explains it. Reads
 * of state that decides a write are strongly consistent. Thread-safe.
 */
public final class DynamoWorkspaceStore implements WorkspaceStore {
    /** Invitation lookups stay readable this long after expiry so that callers learn "expired", not "unknown". */
    private static final long TOKEN_ITEM_GRACE_SECONDS = 30L * 24 * 3600;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoWorkspaceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
    }

    @Override
    public Optional<Workspace> findWorkspace(String workspaceId) {
        return get(Keys.workspace(workspaceId)).map(MemberItems::workspace);
    }

    @Override
    public Optional<Grant> findGrant(String workspaceId, String userId) {
        return get(Keys.grant(workspaceId, userId)).map(item -> MemberItems.grant(workspaceId, userId, item));
    }

    @Override
    public Optional<Member> findMember(String workspaceId, String memberId) {
        return get(Keys.member(workspaceId, memberId)).map(MemberItems::member);
    }

    @Override
    public Optional<String> findMemberIdByEmail(String workspaceId, String email) {
        return get(Keys.memberEmail(workspaceId, email)).map(item -> Attrs.str(item, "memberId"));
    }

    /** The workspace and member an invitation token hash points to, if the token was ever issued and not used. */
    @Override
    public Optional<InvitationRef> findInvitation(String tokenHash) {
        return get(Keys.invitationToken(tokenHash)).map(item -> new InvitationRef(
                Attrs.str(item, "workspaceId"), Attrs.str(item, "memberId"), Attrs.num(item, "sequence", 0)));
    }

    /**
     * Queries one members page may send: the first asks for the page, and while REMOVED members (filtered out)
     * leave it short, each next one reads four times more ({@code limit}, then 4 and 16 times as many, at most
     * {@value #MAX_QUERY_ITEMS} items each). So a page reads at most 21 pages' worth of items, however large the
     * workspace and however many of its members were removed: O(page) in requests and read units. A page that this
     * did not fill is shorter than its limit (possibly empty), and its cursor goes on after what was read.
     */
    static final int MEMBER_QUERIES_PER_PAGE = 3;
    static final int MAX_QUERY_ITEMS = 1000;

    @Override
    public Page<Member> listMembers(String workspaceId, boolean includeRemoved, int limit, String cursor) {
        List<Member> members = new ArrayList<>();
        Map<String, AttributeValue> start = Cursors.decode(cursor, Keys.workspacePk(workspaceId), Keys.MEMBER_PREFIX);
        Map<String, AttributeValue> next = null;
        int ask = limit;
        for (int query = 0; query < MEMBER_QUERIES_PER_PAGE && members.size() < limit; query++) {
            QueryRequest.Builder request = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .exclusiveStartKey(start)
                    .limit(ask);
            Map<String, AttributeValue> values = new LinkedHashMap<>();
            values.put(":pk", Attrs.s(Keys.workspacePk(workspaceId)));
            values.put(":prefix", Attrs.s(Keys.MEMBER_PREFIX));
            if (!includeRemoved) {
                request.filterExpression("#status <> :removed").expressionAttributeNames(Map.of("#status", "status"));
                values.put(":removed", Attrs.s(MemberStatus.REMOVED.name()));
            }
            QueryResponse page = dynamo.query(request.expressionAttributeValues(values).build());
            // Everything up to the last evaluated key was read: what the filter dropped there is REMOVED, not skipped.
            Map<String, AttributeValue> evaluatedUpTo = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? page.lastEvaluatedKey() : null;
            next = evaluatedUpTo;
            Map<String, AttributeValue> lastKept = null;
            for (Map<String, AttributeValue> item : page.items()) {
                if (members.size() == limit) {
                    // A query that read ahead found more than the page holds: the next page starts after the last kept.
                    next = Keys.Key.of(lastKept).toMap();
                    break;
                }
                members.add(MemberItems.member(item));
                lastKept = item;
            }
            if (evaluatedUpTo == null) {
                break;
            }
            start = evaluatedUpTo;
            ask = Math.min(MAX_QUERY_ITEMS, ask * 4);
        }
        return new Page<>(members, Cursors.encode(next));
    }

    @Override
    public Page<AuditEntry> listAudit(String workspaceId, int limit, String cursor) {
        QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.workspacePk(workspaceId)),
                        ":prefix", Attrs.s(Keys.AUDIT_PREFIX)))
                .exclusiveStartKey(Cursors.decode(cursor, Keys.workspacePk(workspaceId), Keys.AUDIT_PREFIX))
                .scanIndexForward(false)
                .limit(limit)
                .build());
        List<AuditEntry> entries = page.items().stream().map(item -> MemberItems.audit(workspaceId, item)).toList();
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? Cursors.encode(page.lastEvaluatedKey()) : null;
        return new Page<>(entries, next);
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
        profileWithToken(tx, profile, workspace.createdAt(), newToken, authToken, ws);
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

    /** The user's current personal auth token (and an overlapping one), if they have a user record with one. */
    @Override
    public Optional<TokenHashes> authTokens(String userId) {
        return TokenIndex.tokens(dynamo, table, userId);
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

    @Override
    public Optional<Instant> lastIdpAdminLoss(String workspaceId) {
        return ScimItems.lastAdminLoss(dynamo, table, workspaceId);
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
            profileWithToken(tx, profile, after.acceptedAt(), newToken, authToken, prefer);
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
    public Optional<String> findMemberIdByUserName(String workspaceId, String userNameKey) {
        return get(Keys.scimUserName(workspaceId, userNameKey)).map(item -> Attrs.str(item, "memberId"));
    }

    @Override
    public Optional<String> findMemberIdByExternalId(String workspaceId, String externalId) {
        return get(Keys.scimExternalId(workspaceId, externalId)).map(item -> Attrs.str(item, "memberId"));
    }

    @Override
    public Map<String, Member> findMembers(String workspaceId, java.util.Collection<String> memberIds) {
        Map<String, Member> out = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = new java.util.LinkedHashSet<>(memberIds).stream()
                .map(id -> Keys.member(workspaceId, id).toMap()).toList();
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table, keys)) {
            Member m = MemberItems.member(item);
            out.put(m.memberId(), m);
        }
        return out;
    }

    /** GSI1 partition {@code PROVISIONED#{email}}: a keyed query, all pages (one per workspace that provisioned the email). */
    @Override
    public List<Member> awaitingSignIn(dev.wsl.core.domain.EmailAddress email) {
        List<Member> members = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Keys.GSI1PK))
                    .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.provisionedPk(email.value()))))
                    .exclusiveStartKey(start).build());
            page.items().forEach(item -> members.add(MemberItems.member(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return members;
    }

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

    @Override
    public Optional<dev.wsl.core.domain.EmailDomain> findDomain(String workspaceId, String domainName) {
        return get(Keys.domain(workspaceId, domainName)).map(DomainItems::domain);
    }

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

    /**
     * Creates or refreshes the user record. With a new token, only if the record has none yet (two
     * first sign-ins racing issue one token); otherwise only if the token read is still current, so
     * that an index update in the same transaction goes to the right token.
     */
    private static void profileWithToken(Transaction tx, UserProfile profile, Instant now, PersonalToken newToken,
                                         TokenHashes current, String preferIfUnset) {
        String currentHash = current == null ? null : current.current();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":email", Attrs.s(profile.email().value()),
                ":username", Attrs.s(profile.username()), ":uid", Attrs.s(profile.userId()), ":now", Attrs.time(now)));
        StringBuilder update = new StringBuilder(
                "SET email = :email, username = :username, userId = :uid, createdAt = if_not_exists(createdAt, :now)");
        String condition = null;
        if (newToken != null) {
            update.append(", ").append(ProfileToken.SET_TOKEN);
            values.putAll(ProfileToken.values(newToken));
            condition = "attribute_not_exists(tokenHash)";
        } else if (currentHash != null) {
            values.put(":current", Attrs.s(currentHash));
            condition = "tokenHash = :current";
        }
        Map<String, String> names = new HashMap<>();
        if (preferIfUnset != null && (newToken != null || currentHash != null)) {
            // Equal to the token's lookup item, which the same transaction gives the same value.
            update.append(", #pref = if_not_exists(#pref, :pref)");
            names.put("#pref", TokenIndex.ACTIVATES_IN);
            values.put(":pref", Attrs.s(preferIfUnset));
        }
        tx.update(Keys.user(profile.userId()), update.toString(), new Condition(condition, names, values),
                TokenIndex::rotatedMeanwhile);
    }

    static long tokenItemTtl(Instant expiresAt) {
        return expiresAt.getEpochSecond() + TOKEN_ITEM_GRACE_SECONDS;
    }

    /**
     * The user's ACTIVE memberships, oldest workspace first: every page of the index partition
     * {@code USER#{userId}} (GSI1, which holds a member item only while it is ACTIVE), then one
     * BatchGetItem (per 100) for the workspaces' names. The index is eventually consistent, so a
     * membership accepted a moment ago may still be missing.
     */
    @Override
    public List<Membership> workspacesOf(String userId) {
        List<Member> members = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :ws)")
                    .expressionAttributeNames(Map.of("#pk", Keys.GSI1PK, "#sk", Keys.GSI1SK))
                    .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.userWorkspacesPk(userId)),
                            ":ws", Attrs.s(Keys.workspacePk(""))))
                    .exclusiveStartKey(start).build());
            page.items().forEach(item -> members.add(MemberItems.member(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (members.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = new HashMap<>();
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table,
                members.stream().map(m -> Keys.workspace(m.workspaceId()).toMap()).toList(), false)) {
            Workspace ws = MemberItems.workspace(item);
            names.put(ws.workspaceId(), ws.name());
        }
        // A workspace item never goes away while it has members; skip one that did rather than show no name.
        return members.stream().filter(m -> names.containsKey(m.workspaceId()))
                .map(m -> new Membership(m.workspaceId(), names.get(m.workspaceId()), m.memberId(), m.access()))
                .toList();
    }

    // ------------------------------------------------------------------ SCIM listings (issue 18)

    /**
     * Keeps the workspace's count of SCIM users equal to its members in the SCIM index: a write that makes
     * a member one (a new member) or no longer one (removed by a person, deleted by the IdP) adds to the
     * counter in the same transaction. {@code before} null: a new member.
     */
    private static void countScimUsers(Transaction tx, Member before, Member after) {
        int delta = (Keys.scimIndexSk(after) != null ? 1 : 0) - (before != null && Keys.scimIndexSk(before) != null ? 1 : 0);
        if (delta != 0) {
            // usersMoves only grows: the upgrade backfill's recount is conditioned on it, so that no move of the
            // counter between its read and its set is lost, even moves that add up to zero.
            tx.update(Keys.scimCount(after.workspaceId()), "ADD #users :delta, " + SCIM_USERS_MOVES + " :one",
                    new Condition(null, Map.of("#users", "users"), Map.of(":delta", Attrs.n(delta), ":one", Attrs.n(1))),
                    null);
        }
    }

    /** How often the SCIM users counter moved (see {@link #countScimUsers}). */
    static final String SCIM_USERS_MOVES = "usersMoves";

    @Override
    public long scimUserCount(String workspaceId) {
        return get(Keys.scimCount(workspaceId)).map(item -> Attrs.num(item, "users", 0)).orElse(0L);
    }

    /** The key ranges of a set in the SCIM index, in the set's order (a license group: its admins, then the rest). */
    private static List<String> ranges(MemberSet set) {
        return switch (set.kind()) {
            case SCIM_USERS -> List.of("");
            case MEMBERS -> List.of(Keys.scimMembersPrefix(null, null));
            case ADMINS -> List.of(Keys.scimMembersPrefix("ADMIN", null));
            case LICENSED_FROM -> List.of(Keys.scimMembersPrefix("ADMIN", set.subscriptionId()),
                    Keys.scimMembersPrefix("MEMBER", set.subscriptionId()));
        };
    }

    @Override
    public Page<Member> memberSet(String workspaceId, MemberSet set, int limit, String cursor) {
        List<Member> members = new ArrayList<>();
        List<String> ranges = ranges(set);
        ScimCursor at = ScimCursor.decode(cursor, workspaceId, ranges.size());
        while (at != null && members.size() < limit) {
            QueryResponse page = dynamo.query(scimQuery(workspaceId, ranges.get(at.range()), at.startKey(workspaceId))
                    .limit(limit - members.size()).build());
            page.items().forEach(item -> members.add(MemberItems.member(item)));
            at = at.next(page, ranges.size());
        }
        return new Page<>(members, at == null ? null : at.encode(workspaceId));
    }

    @Override
    public String skipInSet(String workspaceId, MemberSet set, long count, String cursor) {
        List<String> ranges = ranges(set);
        ScimCursor at = ScimCursor.decode(cursor, workspaceId, ranges.size());
        long left = count;
        while (at != null && left > 0) {
            QueryResponse page = dynamo.query(scimQuery(workspaceId, ranges.get(at.range()), at.startKey(workspaceId))
                    .limit((int) Math.min(left, 1000))
                    .projectionExpression("PK, SK, #ipk, #isk").build());
            left -= page.count();
            at = at.next(page, ranges.size());
        }
        return at == null ? null : at.encode(workspaceId);
    }

    private QueryRequest.Builder scimQuery(String workspaceId, String prefix, Map<String, AttributeValue> startKey) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(Keys.SCIM_INDEX)
                .expressionAttributeNames(Map.of("#ipk", Keys.SCIM_INDEX_PK, "#isk", Keys.SCIM_INDEX_SK))
                .exclusiveStartKey(startKey);
        if (prefix.isEmpty()) {
            // The whole partition (#isk is named for the projection of a skip).
            return query.keyConditionExpression("#ipk = :pk AND #isk > :none")
                    .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.scimIndexPk(workspaceId)), ":none", Attrs.s("#")));
        }
        return query.keyConditionExpression("#ipk = :pk AND begins_with(#isk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.scimIndexPk(workspaceId)), ":prefix", Attrs.s(prefix)));
    }

    private Optional<Map<String, AttributeValue>> get(Keys.Key key) {
        return Reads.get(dynamo, table, key);
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
