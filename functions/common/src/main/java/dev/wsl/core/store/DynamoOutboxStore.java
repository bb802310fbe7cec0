package dev.wsl.core.store;

import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.OutboxStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link OutboxStore} in the single table: the message's state on its item, the due list in GSI1
 * ({@code OUTBOX#DUE}, sparse: removed once sent). Thread-safe.
 */
public final class DynamoOutboxStore extends TableStore implements OutboxStore {
    private static final long SENT_RETENTION_SECONDS = 30L * 24 * 3600;

    public DynamoOutboxStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    /** The message an item key (from a stream record) names, or empty when the item is no outbox message. */
    public static Optional<OutboxMessage.Id> idOf(String pk, String sk) {
        return OutboxItems.idOf(new Keys.Key(pk, sk));
    }

    @Override
    public Optional<Claimed> claim(OutboxMessage.Id id, Instant now, Duration lease) {
        Keys.Key key = key(id);
        Instant leaseUntil = now.plus(lease);
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":pending", Attrs.s(State.PENDING.name()));
        values.put(":failed", Attrs.s(State.FAILED.name()));
        values.put(":sending", Attrs.s(State.SENDING.name()));
        values.put(":now", Attrs.time(now));
        values.put(":lease", Attrs.time(leaseUntil));
        values.put(":one", Attrs.n(1));
        Map<String, AttributeValue> item;
        try {
            item = dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(key.toMap())
                    .updateExpression("SET #state = :sending, leaseUntil = :lease, attempts = attempts + :one")
                    .conditionExpression("attribute_exists(PK) AND (#state IN (:pending, :failed)"
                            + " OR (#state = :sending AND leaseUntil < :now))")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes();
        } catch (ConditionalCheckFailedException e) {
            // Gone, sent, dead, or another worker's lease still runs: not ours to send now.
            return Optional.empty();
        }
        OutboxMessage message = OutboxItems.message(item);
        // If this worker dies, the sweep finds the message again once the lease is over.
        setDue(key, message, leaseUntil);
        return Optional.of(new Claimed(message, (int) Attrs.num(item, "attempts", 1)));
    }

    @Override
    public Optional<Member> invitee(OutboxMessage message) {
        return Reads.get(dynamo, table, Keys.member(message.workspaceId(), message.memberId())).map(MemberItems::member);
    }

    @Override
    public void issueToken(Member invitee, OutboxMessage message, String tokenHash) {
        Map<String, AttributeValue> tokenItem = new LinkedHashMap<>(Keys.invitationToken(tokenHash).toMap());
        tokenItem.put("type", Attrs.s("invitation-token"));
        tokenItem.put("workspaceId", Attrs.s(message.workspaceId()));
        tokenItem.put("memberId", Attrs.s(message.memberId()));
        tokenItem.put("sequence", Attrs.n(message.sequence()));
        tokenItem.put("expiresAt", Attrs.time(invitee.invitation().expiresAt()));
        tokenItem.put(Keys.TTL, Attrs.n(DynamoWorkspaceStore.tokenItemTtl(invitee.invitation().expiresAt())));
        Transaction tx = new Transaction(table)
                .put(MemberItems.member(invitee.withIssuedToken(tokenHash)), Condition.version(invitee.version()),
                        () -> new ChangedMeanwhile("The invited member changed meanwhile."))
                // 256 random bits: a collision means a broken random source, not bad luck.
                .put(tokenItem, Condition.notExists(), () -> new ChangedMeanwhile("The token collided; issue another."));
        if (invitee.invitation().tokenHash() != null) {
            tx.delete(Keys.invitationToken(invitee.invitation().tokenHash()), null, null);
        }
        tx.execute(dynamo);
    }

    @Override
    public void markSent(Claimed claimed, Instant now) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":sent", Attrs.s(State.SENT.name()));
        values.put(":sending", Attrs.s(State.SENDING.name()));
        values.put(":now", Attrs.time(now));
        values.put(":ttl", Attrs.n(now.getEpochSecond() + SENT_RETENTION_SECONDS));
        values.put(":attempt", Attrs.n(claimed.attempt()));
        conditionalUpdate(key(claimed.message().id()),
                "SET #state = :sent, sentAt = :now, #ttl = :ttl REMOVE GSI1PK, GSI1SK",
                "#state = :sending AND attempts = :attempt", Map.of("#state", "state", "#ttl", Keys.TTL), values);
        recordDelivery(claimed, "SENT");
    }

    @Override
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
        conditionalUpdate(key(claimed.message().id()), update, "#state = :sending AND attempts = :attempt",
                Map.of("#state", "state"), values);
        recordDelivery(claimed, "FAILED");
    }

    @Override
    public void markSuperseded(Claimed claimed) {
        conditionalUpdate(key(claimed.message().id()), "SET #state = :superseded REMOVE GSI1PK, GSI1SK",
                "#state = :sending", Map.of("#state", "state"), Map.of(":superseded",
                        Attrs.s(State.SUPERSEDED.name()), ":sending", Attrs.s(State.SENDING.name())));
    }

    @Override
    public List<OutboxMessage.Id> due(Instant now, int limit) {
        return dynamo.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                        .keyConditionExpression("GSI1PK = :due AND GSI1SK <= :now")
                        .expressionAttributeValues(Map.of(":due", Attrs.s(Keys.OUTBOX_DUE),
                                ":now", Attrs.s(now.toString() + "~")))
                        .limit(limit).build())
                .items().stream().map(item -> OutboxItems.idOf(Keys.Key.of(item)).orElseThrow()).toList();
    }

    @Override
    public Optional<State> state(OutboxMessage.Id id) {
        return Reads.get(dynamo, table, key(id)).map(item -> State.valueOf(Attrs.str(item, "state")));
    }

    private static Keys.Key key(OutboxMessage.Id id) {
        return Keys.outbox(id);
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

    /**
     * The member shows how delivery of their current invitation went; a newer invitation is left alone. A notice
     * is no invitation: the member's invitation state is not its to change.
     */
    private void recordDelivery(Claimed claimed, String delivery) {
        if (claimed.message().isNotice()) {
            return;
        }
        conditionalUpdate(Keys.member(claimed.message().workspaceId(), claimed.message().memberId()),
                "SET inviteDelivery = :delivery, inviteAttempts = :attempt, #version = #version + :one",
                "inviteSeq = :seq AND #status = :invited",
                Map.of("#version", "version", "#status", "status"),
                Map.of(":delivery", Attrs.s(delivery), ":attempt", Attrs.n(claimed.attempt()), ":one", Attrs.n(1),
                        ":seq", Attrs.n(claimed.message().sequence()), ":invited", Attrs.s(MemberStatus.INVITED.name())));
    }

    /**
     * An update that applies only in the state its condition names. A failed condition is expected and
     * changes nothing on purpose: another worker took the message over after this one's lease ran out
     * (its outcome wins), or a newer invitation replaced the one this delivery was for.
     */
    private void conditionalUpdate(Keys.Key key, String update, String condition, Map<String, String> names,
                                   Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key.toMap())
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
        } catch (ConditionalCheckFailedException e) {
            // See above: the newer state stands.
        }
    }
}
