package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.port.WorkspaceStore.MemberSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The reads of {@link DynamoWorkspaceStore}: finds by key, the members' and audit lists, a user's workspaces and
 * the SCIM sets. Reads of state that decides a write are strongly consistent.
 */
abstract class DynamoWorkspaceReads extends TableStore implements WorkspaceStore {
    DynamoWorkspaceReads(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
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

    /** One consistent BatchGetItem of the workspace, the email's lock and the license pool. */
    @Override
    public InvitationSubject invitationSubject(String workspaceId, String email) {
        Keys.Key workspace = Keys.workspace(workspaceId);
        Keys.Key lock = Keys.memberEmail(workspaceId, email);
        Keys.Key pool = Keys.licensePool(workspaceId);
        Optional<Workspace> found = Optional.empty();
        Optional<String> lockedTo = Optional.empty();
        LicensePool licenses = LicensePool.empty(workspaceId);
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table,
                List.of(workspace.toMap(), lock.toMap(), pool.toMap()))) {
            Keys.Key key = Keys.Key.of(item);
            if (key.equals(workspace)) {
                found = Optional.of(MemberItems.workspace(item));
            } else if (key.equals(lock)) {
                lockedTo = Optional.of(Attrs.str(item, "memberId"));
            } else if (key.equals(pool)) {
                licenses = LicenseItems.pool(workspaceId, item);
            }
        }
        return new InvitationSubject(found, lockedTo, licenses);
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

    /** The user's current personal auth token (and an overlapping one), if they have a user record with one. */
    @Override
    public Optional<TokenHashes> authTokens(String userId) {
        return TokenIndex.tokens(dynamo, table, userId);
    }

    @Override
    public Optional<Instant> lastIdpAdminLoss(String workspaceId) {
        return ScimItems.lastAdminLoss(dynamo, table, workspaceId);
    }

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
    public Optional<dev.wsl.core.domain.EmailDomain> findDomain(String workspaceId, String domainName) {
        return get(Keys.domain(workspaceId, domainName)).map(DomainItems::domain);
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

    /**
     * Keeps the workspace's count of SCIM users equal to its members in the SCIM index: a write that makes
     * a member one (a new member) or no longer one (removed by a person, deleted by the IdP) adds to the
     * counter in the same transaction. {@code before} null: a new member.
     */
    static void countScimUsers(Transaction tx, Member before, Member after) {
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
    static List<String> ranges(MemberSet set) {
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

    QueryRequest.Builder scimQuery(String workspaceId, String prefix, Map<String, AttributeValue> startKey) {
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

    Optional<Map<String, AttributeValue>> get(Keys.Key key) {
        return Reads.get(dynamo, table, key);
    }
}
