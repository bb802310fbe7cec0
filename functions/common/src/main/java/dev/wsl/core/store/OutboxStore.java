package dev.wsl.core.store;

import dev.wsl.core.api.ApiException;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The outbox's state machine in the table. A message is claimed (PENDING/FAILED,
 * or SENDING whose lease ran out → SENDING) before anything is sent, so that the
 * stream consumer and the sweep never send the same message at the same time.
 * Thread-safe.
 */
public final class OutboxStore {
    /** PENDING → SENDING → SENT; SENDING → FAILED → SENDING …; → DEAD after the last attempt; SUPERSEDED when a newer invitation or a removal overtook it. */
    public enum State { PENDING, SENDING, SENT, FAILED, SUPERSEDED, DEAD }

    /** A message this caller may now send, and which attempt this is (1-based). */
    public record Claimed(Keys.Key key, OutboxMessage message, int attempt) {}

    /** Outcome of binding a fresh token to the member's current invitation. */
    public enum TokenIssue { ISSUED, SUPERSEDED }

    private static final long SENT_RETENTION_SECONDS = 30L * 24 * 3600;

    private final DynamoDbClient dynamo;
    private final String table;
    private final WorkspaceStore workspaces;

    public OutboxStore(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
        this.workspaces = new WorkspaceStore(dynamo, table);
    }

    /** Whether an item key (from a stream record or the sweep) is an outbox message. */
    public static boolean isOutboxKey(String sk) {
        return sk != null && sk.startsWith(Keys.OUTBOX_PREFIX);
    }

    public Optional<Claimed> claim(Keys.Key key, Instant now, Duration lease) {
        Instant leaseUntil = now.plus(lease);
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":pending", Attrs.s(State.PENDING.name()));
        values.put(":failed", Attrs.s(State.FAILED.name()));
        values.put(":sending", Attrs.s(State.SENDING.name()));
        values.put(":now", Attrs.time(now));
        values.put(":lease", Attrs.time(leaseUntil));
        values.put(":one", Attrs.n(1));
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(key.toMap())
                    .updateExpression("SET #state = :sending, leaseUntil = :lease, attempts = attempts + :one")
                    .conditionExpression("attribute_exists(PK) AND (#state IN (:pending, :failed)"
                            + " OR (#state = :sending AND leaseUntil < :now))")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes();
            OutboxMessage message = OutboxItems.message(item);
            // If this worker dies, the sweep finds the message again once the lease is over.
            setDue(key, message, leaseUntil);
            return Optional.of(new Claimed(key, message, (int) Attrs.num(item, "attempts", 1)));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Records the hash of a freshly generated token on the member's invitation, if the message is still
     * for the member's current invitation; any token issued by an earlier attempt stops working.
     */
    public TokenIssue issueToken(OutboxMessage message, String tokenHash) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Member> current = workspaces.findMember(message.workspaceId(), message.memberId());
            if (current.isEmpty() || current.get().status() != MemberStatus.INVITED
                    || current.get().invitation() == null
                    || current.get().invitation().sequence() != message.sequence()) {
                return TokenIssue.SUPERSEDED;
            }
            Member before = current.get();
            Map<String, AttributeValue> tokenItem = new LinkedHashMap<>(Keys.invitationToken(tokenHash).toMap());
            tokenItem.put("type", Attrs.s("invitation-token"));
            tokenItem.put("workspaceId", Attrs.s(message.workspaceId()));
            tokenItem.put("memberId", Attrs.s(message.memberId()));
            tokenItem.put("sequence", Attrs.n(message.sequence()));
            tokenItem.put("expiresAt", Attrs.time(before.invitation().expiresAt()));
            tokenItem.put(Keys.TTL, Attrs.n(WorkspaceStore.tokenItemTtl(before.invitation().expiresAt())));
            Transaction tx = new Transaction(table)
                    .put(MemberItems.member(before.withIssuedToken(tokenHash)), Condition.version(before.version()),
                            () -> ApiException.conflict("concurrent-change", "member changed"))
                    .put(tokenItem, Condition.notExists(), () -> ApiException.conflict("token-collision", "retry"));
            if (before.invitation().tokenHash() != null) {
                tx.delete(Keys.invitationToken(before.invitation().tokenHash()), null, null);
            }
            try {
                tx.execute(dynamo);
                return TokenIssue.ISSUED;
            } catch (ApiException e) {
                // The member changed between read and write (an admin edit, a resend): read again.
            }
        }
        throw new IllegalStateException("member kept changing while issuing an invitation token");
    }

    public void markSent(Claimed claimed, Instant now) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":sent", Attrs.s(State.SENT.name()));
        values.put(":sending", Attrs.s(State.SENDING.name()));
        values.put(":now", Attrs.time(now));
        values.put(":ttl", Attrs.n(now.getEpochSecond() + SENT_RETENTION_SECONDS));
        values.put(":attempt", Attrs.n(claimed.attempt()));
        conditionalUpdate(claimed.key(), "SET #state = :sent, sentAt = :now, #ttl = :ttl REMOVE GSI1PK, GSI1SK",
                "#state = :sending AND attempts = :attempt", Map.of("#state", "state", "#ttl", Keys.TTL), values);
        recordDelivery(claimed, "SENT");
    }

    /** @param retryAt when the sweep should try again, or null to give up (DEAD) */
    public void markFailed(Claimed claimed, String reason, Instant retryAt) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":state", Attrs.s(retryAt == null ? State.DEAD.name() : State.FAILED.name()));
        values.put(":sending", Attrs.s(State.SENDING.name()));
        values.put(":reason", Attrs.s(reason.length() > 200 ? reason.substring(0, 200) : reason));
        values.put(":attempt", Attrs.n(claimed.attempt()));
        String update = "SET #state = :state, lastError = :reason";
        if (retryAt == null) {
            update += " REMOVE GSI1PK, GSI1SK";
        } else {
            update += ", GSI1SK = :due";
            values.put(":due", Attrs.s(dueSk(claimed.message(), retryAt)));
        }
        conditionalUpdate(claimed.key(), update, "#state = :sending AND attempts = :attempt",
                Map.of("#state", "state"), values);
        recordDelivery(claimed, "FAILED");
    }

    public void markSuperseded(Claimed claimed) {
        conditionalUpdate(claimed.key(), "SET #state = :superseded REMOVE GSI1PK, GSI1SK", "#state = :sending",
                Map.of("#state", "state"), Map.of(":superseded", Attrs.s(State.SUPERSEDED.name()),
                        ":sending", Attrs.s(State.SENDING.name())));
    }

    /** Keys of messages whose next attempt is due: never sent, failed, or abandoned mid-send. */
    public List<Keys.Key> due(Instant now, int limit) {
        return dynamo.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                        .keyConditionExpression("GSI1PK = :due AND GSI1SK <= :now")
                        .expressionAttributeValues(Map.of(":due", Attrs.s(Keys.OUTBOX_DUE),
                                ":now", Attrs.s(now.toString() + "~")))
                        .limit(limit).build())
                .items().stream().map(Keys.Key::of).toList();
    }

    /** The message's state, for tests and operators. */
    public Optional<State> state(Keys.Key key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(key.toMap()).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(State.valueOf(Attrs.str(item, "state")));
    }

    public static Keys.Key keyOf(OutboxMessage message) {
        return Keys.outbox(message.workspaceId(), message.memberId(), message.sequence());
    }

    private void setDue(Keys.Key key, OutboxMessage message, Instant due) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key.toMap())
                .updateExpression("SET GSI1PK = :pk, GSI1SK = :due")
                .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.OUTBOX_DUE), ":due", Attrs.s(dueSk(message, due))))
                .build());
    }

    private static String dueSk(OutboxMessage m, Instant due) {
        return Keys.outboxDueSk(due.toString(), m.workspaceId(), m.memberId(), m.sequence());
    }

    /** The member shows how delivery of their current invitation went; a newer invitation is left alone. */
    private void recordDelivery(Claimed claimed, String delivery) {
        conditionalUpdate(Keys.member(claimed.message().workspaceId(), claimed.message().memberId()),
                "SET inviteDelivery = :delivery, inviteAttempts = :attempt, #version = #version + :one",
                "inviteSeq = :seq AND #status = :invited",
                Map.of("#version", "version", "#status", "status"),
                Map.of(":delivery", Attrs.s(delivery), ":attempt", Attrs.n(claimed.attempt()), ":one", Attrs.n(1),
                        ":seq", Attrs.n(claimed.message().sequence()), ":invited", Attrs.s(MemberStatus.INVITED.name())));
    }

    private boolean conditionalUpdate(Keys.Key key, String update, String condition, Map<String, String> names,
                                      Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key.toMap())
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
