package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.ScimStore.GroupFailures;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link ScimStore} in the single table: the token item {@code WS#{ws}/SCIMTOKEN} (hash, hint, creation, and
 * why it stopped), its lookup item {@code SCIMTOKEN#{sha256}} (workspace, last use), {@code WS#{ws}/SCIMCHANGE#{id}}
 * items for held changes ({@link ScimItems} maps the token's), the IdP groups with their lock and membership
 * items, and list bookmarks (see {@link Keys}). Every lookup is keyed; a group's members are a Query of its own
 * prefix. Thread-safe.
 */
public final class DynamoScimStore extends DynamoScimTokens {
    public DynamoScimStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    // ------------------------------------------------------------------ IdP groups (issue 18)

    /** Bookmarks of SCIM list walks expire: they only speed up the next page of a walk under way. */
    private static final long BOOKMARK_SECONDS = 3600;

    @Override
    public Optional<ScimGroup> group(String workspaceId, String groupId) {
        return Reads.get(dynamo, table, Keys.scimGroup(workspaceId, groupId)).map(item -> group(workspaceId, item));
    }

    @Override
    public Optional<String> groupIdByName(String workspaceId, String nameKey) {
        return Reads.get(dynamo, table, Keys.scimGroupName(workspaceId, nameKey)).map(item -> Attrs.str(item, "groupId"));
    }

    @Override
    public Optional<String> groupIdByExternalId(String workspaceId, String externalId) {
        return Reads.get(dynamo, table, Keys.scimGroupExternalId(workspaceId, externalId))
                .map(item -> Attrs.str(item, "groupId"));
    }

    @Override
    public Page<ScimGroup> groupPage(String workspaceId, int limit, String cursor) {
        QueryResponse page = prefixQuery(workspaceId, Keys.SCIM_GROUP_PREFIX, cursor, limit, false);
        return new Page<>(page.items().stream().map(item -> group(workspaceId, item)).toList(), next(page));
    }

    @Override
    public String skipGroups(String workspaceId, long count, String cursor) {
        return skip(workspaceId, Keys.SCIM_GROUP_PREFIX, count, cursor);
    }

    @Override
    public long groupCount(String workspaceId) {
        return Reads.get(dynamo, table, Keys.scimCount(workspaceId)).map(item -> Attrs.num(item, "groups", 0)).orElse(0L);
    }

    @Override
    public void createGroup(ScimGroup g, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .check(Keys.workspace(g.workspaceId()), Condition.of("attribute_exists(PK)"),
                        () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                .put(groupItem(g), Condition.notExists(), () -> new ChangedMeanwhile("A group with the same id exists; retry."))
                .put(nameLock(g), Condition.notExists(), GroupFailures::nameTaken)
                .update(Keys.scimCount(g.workspaceId()), "ADD #groups :one", new Condition(null,
                        Map.of("#groups", "groups"), Map.of(":one", Attrs.n(1))), null)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoScimStore::auditCollision);
        if (g.externalId() != null) {
            tx.put(externalIdLock(g), Condition.notExists(), GroupFailures::externalIdTaken);
        }
        tx.execute(dynamo);
    }

    @Override
    public void updateGroup(ScimGroup before, ScimGroup after, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .put(groupItem(after), Condition.version(before.version()), GroupFailures::groupChanged)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoScimStore::auditCollision);
        if (!before.nameKey().equals(after.nameKey())) {
            tx.delete(Keys.scimGroupName(before.workspaceId(), before.nameKey()), heldBy(before), GroupFailures::groupChanged)
                    .put(nameLock(after), Condition.notExists(), GroupFailures::nameTaken);
        }
        if (!Objects.equals(before.externalId(), after.externalId())) {
            if (before.externalId() != null) {
                tx.delete(Keys.scimGroupExternalId(before.workspaceId(), before.externalId()), heldBy(before),
                        GroupFailures::groupChanged);
            }
            if (after.externalId() != null) {
                tx.put(externalIdLock(after), Condition.notExists(), GroupFailures::externalIdTaken);
            }
        }
        if (!Objects.equals(before.mapping(), after.mapping())) {
            Map<String, String> names = Map.of("#group", "g:" + after.groupId());
            if (after.mapping() == null) {
                tx.update(Keys.scimMappedGroups(after.workspaceId()), "REMOVE #group", new Condition(null, names, Map.of()),
                        null);
            } else {
                tx.update(Keys.scimMappedGroups(after.workspaceId()), "SET #group = :target",
                        new Condition(null, names, Map.of(":target", Attrs.s(after.mapping()))), null);
            }
        }
        tx.execute(dynamo);
    }

    @Override
    public void changeMembers(ScimGroup before, ScimGroup after, List<String> add, List<String> remove, AuditEntry audit) {
        if (add.size() + remove.size() > MAX_MEMBERS_PER_CHANGE) {
            throw new IllegalArgumentException("at most " + MAX_MEMBERS_PER_CHANGE + " members per change");
        }
        String ws = before.workspaceId();
        Transaction tx = new Transaction(table)
                .put(groupItem(after), Condition.version(before.version()), GroupFailures::groupChanged);
        if (audit != null) {
            tx.put(MemberItems.audit(audit), Condition.notExists(), DynamoScimStore::auditCollision);
        }
        for (String memberId : add) {
            Map<String, AttributeValue> member = new LinkedHashMap<>(Keys.scimGroupMember(ws, after.groupId(), memberId).toMap());
            member.put("type", Attrs.s("scim-group-member"));
            member.put("memberId", Attrs.s(memberId));
            Map<String, AttributeValue> side = new LinkedHashMap<>(Keys.scimMemberGroup(ws, memberId, after.groupId()).toMap());
            side.put("type", Attrs.s("scim-member-group"));
            side.put("groupId", Attrs.s(after.groupId()));
            tx.put(member, Condition.notExists(), GroupFailures::membershipChanged)
                    .put(side, null, null);
        }
        for (String memberId : remove) {
            tx.delete(Keys.scimGroupMember(ws, after.groupId(), memberId), Condition.of("attribute_exists(PK)"),
                    GroupFailures::membershipChanged)
                    .delete(Keys.scimMemberGroup(ws, memberId, after.groupId()), null, null);
        }
        tx.execute(dynamo);
    }

    @Override
    public void deleteGroup(ScimGroup before, AuditEntry audit) {
        Condition emptyAsRead = new Condition("#version = :v AND memberCount = :zero", Map.of("#version", "version"),
                Map.of(":v", Attrs.n(before.version()), ":zero", Attrs.n(0)));
        Transaction tx = new Transaction(table)
                .delete(Keys.scimGroup(before.workspaceId(), before.groupId()), emptyAsRead, GroupFailures::groupChanged)
                .delete(Keys.scimGroupName(before.workspaceId(), before.nameKey()), heldBy(before), GroupFailures::groupChanged)
                .update(Keys.scimCount(before.workspaceId()), "ADD #groups :minusOne", new Condition(null,
                        Map.of("#groups", "groups"), Map.of(":minusOne", Attrs.n(-1))), null)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoScimStore::auditCollision);
        if (before.externalId() != null) {
            tx.delete(Keys.scimGroupExternalId(before.workspaceId(), before.externalId()), heldBy(before),
                    GroupFailures::groupChanged);
        }
        if (before.mapped()) {
            tx.update(Keys.scimMappedGroups(before.workspaceId()), "REMOVE #group",
                    new Condition(null, Map.of("#group", "g:" + before.groupId()), Map.of()), null);
        }
        tx.execute(dynamo);
    }

    @Override
    public Page<String> groupMembers(String workspaceId, String groupId, int limit, String cursor) {
        QueryResponse page = prefixQuery(workspaceId, Keys.scimGroupMembersPrefix(groupId), cursor, limit, false);
        return new Page<>(page.items().stream().map(item -> Attrs.str(item, "memberId")).toList(), next(page));
    }

    @Override
    public String skipGroupMembers(String workspaceId, String groupId, long count, String cursor) {
        return skip(workspaceId, Keys.scimGroupMembersPrefix(groupId), count, cursor);
    }

    @Override
    public Set<String> membersIn(String workspaceId, String groupId, Collection<String> memberIds) {
        List<Map<String, AttributeValue>> keys = new LinkedHashSet<>(memberIds).stream()
                .map(id -> Keys.scimGroupMember(workspaceId, groupId, id).toMap()).toList();
        Set<String> in = new LinkedHashSet<>();
        Batches.get(dynamo, table, keys).forEach(item -> in.add(Attrs.str(item, "memberId")));
        return in;
    }

    @Override
    public List<String> groupsOf(String workspaceId, String memberId) {
        return Reads.allWithPrefix(dynamo, table, workspaceId, Keys.scimMemberGroupsPrefix(memberId)).stream()
                .map(item -> Attrs.str(item, "groupId")).toList();
    }

    @Override
    public Map<String, String> mappedGroups(String workspaceId) {
        Map<String, String> out = new LinkedHashMap<>();
        Reads.get(dynamo, table, Keys.scimMappedGroups(workspaceId)).ifPresent(item -> item.forEach((name, value) -> {
            if (name.startsWith("g:")) {
                out.put(name.substring(2), value.s());
            }
        }));
        return out;
    }

    @Override
    public Optional<Bookmark> bookmark(String workspaceId, String list, long startIndex) {
        String prefix = Keys.scimPagePrefix(list);
        QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.workspacePk(workspaceId)),
                        ":from", Attrs.s(prefix), ":to", Attrs.s(Keys.scimPage(workspaceId, list, startIndex).sk())))
                .scanIndexForward(false).limit(1).build());
        return page.items().stream().findFirst().map(item -> new Bookmark(Attrs.num(item, "startIndex", 1),
                Attrs.str(item, "cursor")));
    }

    @Override
    public void saveBookmark(String workspaceId, String list, Bookmark bookmark, Instant now) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.scimPage(workspaceId, list, bookmark.startIndex()).toMap());
        item.put("type", Attrs.s("scim-page"));
        item.put("startIndex", Attrs.n(bookmark.startIndex()));
        item.put("cursor", Attrs.s(bookmark.cursor()));
        item.put(Keys.TTL, Attrs.n(now.getEpochSecond() + BOOKMARK_SECONDS));
        // Unconditional: a bookmark only says where a page began when it was written; the newest is the best guess.
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item).build());
    }

    private QueryResponse prefixQuery(String workspaceId, String prefix, String cursor, int limit, boolean keysOnly) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.workspacePk(workspaceId)), ":prefix", Attrs.s(prefix)))
                .exclusiveStartKey(Cursors.decode(cursor, Keys.workspacePk(workspaceId), prefix))
                .limit(limit);
        if (keysOnly) {
            query.projectionExpression("PK, SK");
        }
        return dynamo.query(query.build());
    }

    private String skip(String workspaceId, String prefix, long count, String cursor) {
        String at = cursor;
        long left = count;
        while (left > 0) {
            QueryResponse page = prefixQuery(workspaceId, prefix, at, (int) Math.min(left, 1000), true);
            left -= page.count();
            at = next(page);
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    private static String next(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? Cursors.encode(page.lastEvaluatedKey()) : null;
    }

    private static Map<String, AttributeValue> groupItem(ScimGroup g) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.scimGroup(g.workspaceId(), g.groupId()).toMap());
        item.put("type", Attrs.s("scim-group"));
        item.put("groupId", Attrs.s(g.groupId()));
        item.put("displayName", Attrs.s(g.displayName()));
        if (g.externalId() != null) {
            item.put("externalId", Attrs.s(g.externalId()));
        }
        if (g.mapping() != null) {
            item.put("mapping", Attrs.s(g.mapping()));
        }
        item.put("memberCount", Attrs.n(g.memberCount()));
        item.put("version", Attrs.n(g.version()));
        item.put("createdAt", Attrs.time(g.createdAt()));
        item.put("modifiedAt", Attrs.time(g.modifiedAt()));
        return item;
    }

    private static ScimGroup group(String workspaceId, Map<String, AttributeValue> item) {
        return new ScimGroup(workspaceId, Attrs.str(item, "groupId"), Attrs.str(item, "displayName"),
                Attrs.str(item, "externalId"), Attrs.str(item, "mapping"), Attrs.num(item, "memberCount", 0),
                Attrs.num(item, "version", 0), Attrs.instant(item, "createdAt"), Attrs.instant(item, "modifiedAt"));
    }

    private static Map<String, AttributeValue> nameLock(ScimGroup g) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.scimGroupName(g.workspaceId(), g.nameKey()).toMap());
        item.put("type", Attrs.s("scim-group-name"));
        item.put("groupId", Attrs.s(g.groupId()));
        return item;
    }

    private static Map<String, AttributeValue> externalIdLock(ScimGroup g) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.scimGroupExternalId(g.workspaceId(), g.externalId()).toMap());
        item.put("type", Attrs.s("scim-group-external-id"));
        item.put("groupId", Attrs.s(g.groupId()));
        return item;
    }

    private static Condition heldBy(ScimGroup g) {
        return new Condition("groupId = :holder", Map.of(), Map.of(":holder", Attrs.s(g.groupId())));
    }

    private static ChangedMeanwhile auditCollision() {
        return new ChangedMeanwhile("A concurrent request wrote the same audit entry; retry.");
    }
}
