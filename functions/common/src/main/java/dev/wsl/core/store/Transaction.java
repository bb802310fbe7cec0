package dev.wsl.core.store;

import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One DynamoDB transaction in which every write states its condition and what it
 * means when that condition fails. One attempt, no retry: a failed condition becomes the
 * {@link Failure} given with the write (a typed conflict, usually), and a cancellation by a
 * concurrent transaction ({@code TransactionConflict}) or by a throttled item
 * ({@code ThrottlingError}) becomes {@link Busy}; the use case that
 * read the state decides whether to read again and retry ({@code RetryPolicy}).
 *
 * <p>Each transaction carries a random {@code ClientRequestToken}, so that the SDK's own retry of the
 * identical request (after a timeout or a 5xx whose first attempt did commit) is answered as the
 * commit it repeats, within DynamoDB's 10 minutes, instead of failing its own conditions (an invite
 * answered {@code member-exists} for the invitation it just made). A use case's next attempt builds a
 * new transaction, so a re-planned write is never mistaken for a repeat.
 * Not thread-safe; build, execute, discard.
 */
final class Transaction {
    private final String table;
    private final String clientRequestToken = UUID.randomUUID().toString();
    private final List<TransactWriteItem> writes = new ArrayList<>();
    private final List<Supplier<? extends Failure>> onConditionFailure = new ArrayList<>();

    Transaction(String table) {
        this.table = table;
    }

    public Transaction put(Map<String, AttributeValue> item, Condition condition, Supplier<? extends Failure> whenFails) {
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            put.conditionExpression(condition.expression()).expressionAttributeNames(condition.namesOrNull())
                    .expressionAttributeValues(condition.valuesOrNull());
        }
        return add(TransactWriteItem.builder().put(put.build()).build(), whenFails);
    }

    public Transaction update(Keys.Key key, String updateExpression, Condition condition,
                              Supplier<? extends Failure> whenFails) {
        Update.Builder update = Update.builder().tableName(table).key(key.toMap()).updateExpression(updateExpression)
                .expressionAttributeNames(condition.namesOrNull())
                .expressionAttributeValues(condition.valuesOrNull());
        if (condition.expression() != null) {
            update.conditionExpression(condition.expression());
        }
        return add(TransactWriteItem.builder().update(update.build()).build(), whenFails);
    }

    public Transaction delete(Keys.Key key, Condition condition, Supplier<? extends Failure> whenFails) {
        Delete.Builder delete = Delete.builder().tableName(table).key(key.toMap());
        if (condition != null) {
            delete.conditionExpression(condition.expression()).expressionAttributeNames(condition.namesOrNull())
                    .expressionAttributeValues(condition.valuesOrNull());
        }
        return add(TransactWriteItem.builder().delete(delete.build()).build(), whenFails);
    }

    public Transaction check(Keys.Key key, Condition condition, Supplier<? extends Failure> whenFails) {
        return add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                .key(key.toMap()).conditionExpression(condition.expression())
                .expressionAttributeNames(condition.namesOrNull())
                .expressionAttributeValues(condition.valuesOrNull()).build()).build(), whenFails);
    }

    /** @param whenFails what a failed condition means; null only for a write without a condition */
    private Transaction add(TransactWriteItem write, Supplier<? extends Failure> whenFails) {
        writes.add(write);
        onConditionFailure.add(whenFails);
        return this;
    }

    /**
     * @throws Failure the first failing write's failure
     * @throws Busy when a concurrent transaction cancelled this one (nothing was written)
     */
    public void execute(DynamoDbClient dynamo) {
        if (writes.isEmpty()) {
            return;
        }
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(writes)
                    .clientRequestToken(clientRequestToken).build());
        } catch (TransactionInProgressException e) {
            // The SDK repeated the request while its first attempt was still being applied: read again and plan.
            throw new Busy("The workspace is being changed concurrently; retry the request.", e);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            for (int i = 0; i < reasons.size() && i < onConditionFailure.size(); i++) {
                Supplier<? extends Failure> failure = onConditionFailure.get(i);
                if ("ConditionalCheckFailed".equals(reasons.get(i).code()) && failure != null) {
                    throw failure.get();
                }
            }
            if (reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
                throw new Busy("The workspace is being changed concurrently; retry the request.", e);
            }
            if (reasons.stream().anyMatch(r -> "ThrottlingError".equals(r.code()))) {
                // An item's partition was over its throughput: the SDK does not repeat a cancellation, the use case may.
                throw new Busy("The table is busy; retry the request.", e);
            }
            throw e;
        }
    }
}
