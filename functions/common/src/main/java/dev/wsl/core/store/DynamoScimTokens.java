package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.Role;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.ScimStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The SCIM token of {@link DynamoScimStore}: the token item {@code WS#{ws}/SCIMTOKEN}, its lookup item
 * {@code SCIMTOKEN#{sha256}} and the held changes {@code WS#{ws}/SCIMCHANGE#{id}}.
 */
abstract class DynamoScimTokens extends TableStore implements ScimStore {
    DynamoScimTokens(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public Optional<TokenRef> findToken(String tokenHash) {
        return Reads.get(dynamo, table, Keys.scimTokenHash(tokenHash)).map(item -> new TokenRef(
                Attrs.str(item, "workspaceId"), tokenHash, Attrs.instant(item, "lastUseHour")));
    }

    @Override
    public Optional<ScimToken> token(String workspaceId) {
        return Reads.get(dynamo, table, Keys.scimToken(workspaceId)).map(item -> {
            String hash = Attrs.str(item, "tokenHash");
            // A stopped token's lookup item is gone; a working one's records the hour of its last use.
            Instant lastUse = Reads.get(dynamo, table, Keys.scimTokenHash(hash))
                    .map(lookup -> Attrs.instant(lookup, "lastUseHour")).orElse(null);
            return ScimItems.token(workspaceId, item, lastUse);
        });
    }

    /**
     * Also checks, in the same transaction, that the creator is still an ACTIVE admin (their grant holds the
     * ADMIN role): a token created while a removal or demotion of its creator is being written would otherwise
     * outlive their authority (the removal's transaction checks the other way round).
     */
    @Override
    public void saveToken(ScimToken before, ScimToken after, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .check(Keys.workspace(after.workspaceId()), Condition.of("attribute_exists(PK)"),
                        () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                .check(Keys.grant(after.workspaceId(), after.createdBy()), new Condition("#role = :admin",
                        Map.of("#role", "role"), Map.of(":admin", Attrs.s(Role.ADMIN.name()))),
                        () -> new ChangedMeanwhile("Your access changed meanwhile; reload and retry."))
                .put(ScimItems.token(after), before == null ? Condition.notExists()
                        : ScimItems.stillToken(before.hash()), DynamoScimTokens::tokenChanged)
                .put(ScimItems.lookup(after), Condition.notExists(), DynamoScimTokens::tokenChanged)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoScimTokens::tokenChanged);
        if (before != null) {
            tx.delete(Keys.scimTokenHash(before.hash()), null, null);
        }
        tx.execute(dynamo);
    }

    @Override
    public void revokeToken(ScimToken before, AuditEntry audit) {
        new Transaction(table)
                .delete(Keys.scimToken(before.workspaceId()), ScimItems.stillToken(before.hash()),
                        DynamoScimTokens::tokenChanged)
                .delete(Keys.scimTokenHash(before.hash()), null, null)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoScimTokens::tokenChanged)
                .execute(dynamo);
    }

    @Override
    public void recordUse(TokenRef ref, Instant at) {
        Instant hour = at.truncatedTo(ChronoUnit.HOURS);
        if (hour.equals(ref.lastUseHour())) {
            return;
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Keys.scimTokenHash(ref.hash()).toMap())
                    .updateExpression("SET lastUseHour = :hour")
                    .conditionExpression("attribute_exists(PK) AND (attribute_not_exists(lastUseHour) OR lastUseHour <> :hour)")
                    .expressionAttributeValues(Map.of(":hour", Attrs.time(hour))).build());
        } catch (ConditionalCheckFailedException recordedOrRevoked) {
            // Another request recorded this hour first, or the token was revoked since it was read: nothing to do.
        }
    }

    @Override
    public void recordPending(PendingChange change, AuditEntry audit) {
        new Transaction(table)
                .put(changeItem(change), Condition.notExists(),
                        () -> new ChangedMeanwhile("A change with the same id exists; retry."))
                .put(MemberItems.audit(audit), Condition.notExists(),
                        () -> new ChangedMeanwhile("A concurrent request wrote the same audit entry; retry."))
                .execute(dynamo);
    }

    @Override
    public List<PendingChange> pendingChanges(String workspaceId) {
        return Reads.allWithPrefix(dynamo, table, workspaceId, Keys.SCIM_CHANGE_PREFIX).stream()
                .map(item -> change(workspaceId, item)).filter(c -> c.status() == PendingChange.Status.PENDING)
                .sorted(Comparator.comparing(PendingChange::requestedAt)).toList();
    }

    @Override
    public Optional<PendingChange> findChange(String workspaceId, String changeId) {
        return Reads.get(dynamo, table, Keys.scimChange(workspaceId, changeId)).map(item -> change(workspaceId, item));
    }

    @Override
    public void closeChange(PendingChange before, PendingChange after, AuditEntry audit) {
        new Transaction(table)
                .put(changeItem(after), new Condition("#status = :pending", Map.of("#status", "status"),
                        Map.of(":pending", Attrs.s(PendingChange.Status.PENDING.name()))),
                        () -> new Conflict("change-closed", "The change was confirmed or discarded meanwhile."))
                .put(MemberItems.audit(audit), Condition.notExists(),
                        () -> new ChangedMeanwhile("A concurrent request wrote the same audit entry; retry."))
                .execute(dynamo);
    }

    static Condition stillToken(ScimToken before) {
        return new Condition("tokenHash = :current", Map.of(), Map.of(":current", Attrs.s(before.hash())));
    }

    static ChangedMeanwhile tokenChanged() {
        return new ChangedMeanwhile("The workspace's SCIM token was changed meanwhile; reload and retry.");
    }

    static Map<String, AttributeValue> changeItem(PendingChange c) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.scimChange(c.workspaceId(), c.changeId()).toMap());
        item.put("type", Attrs.s("scim-change"));
        item.put("changeId", Attrs.s(c.changeId()));
        item.put("groupId", Attrs.s(c.groupId()));
        item.put("groupName", Attrs.s(c.groupName()));
        item.put("remove", Attrs.list(c.remove()));
        item.put("add", Attrs.list(c.add()));
        item.put("request", Attrs.s(c.request()));
        item.put("requestedAt", Attrs.time(c.requestedAt()));
        item.put("requestedBy", Attrs.s(c.requestedBy()));
        item.put("status", Attrs.s(c.status().name()));
        if (c.closedAt() != null) {
            item.put("closedAt", Attrs.time(c.closedAt()));
            item.put("closedBy", Attrs.s(c.closedBy()));
        }
        if (c.followUp() != null) {
            item.put("followUp", Attrs.s(c.followUp()));
        }
        return item;
    }

    static PendingChange change(String workspaceId, Map<String, AttributeValue> item) {
        return new PendingChange(workspaceId, Attrs.str(item, "changeId"), Attrs.str(item, "groupId"),
                Attrs.str(item, "groupName"), Attrs.strList(item, "remove"), Attrs.strList(item, "add"),
                Attrs.str(item, "request"), Attrs.instant(item, "requestedAt"), Attrs.str(item, "requestedBy"),
                PendingChange.Status.valueOf(Attrs.str(item, "status")), Attrs.instant(item, "closedAt"),
                Attrs.str(item, "closedBy"), Attrs.str(item, "followUp"));
    }
}
