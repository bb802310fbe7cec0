package dev.wsl.core.store;

import dev.wsl.core.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One DynamoDB transaction in which every write states its condition and what it
 * means when that condition fails. Condition failures become the {@link ApiException}
 * given with the write (a 409 with the reason, usually); transaction conflicts with
 * concurrent transactions are retried a bounded number of times with jittered backoff.
 * Not thread-safe; build, execute, discard.
 */
public final class Transaction {
    static final int MAX_ATTEMPTS = 5;

    private final String table;
    private final List<TransactWriteItem> writes = new ArrayList<>();
    private final List<Supplier<ApiException>> onConditionFailure = new ArrayList<>();

    public Transaction(String table) {
        this.table = table;
    }

    public Transaction put(Map<String, AttributeValue> item, Condition condition, Supplier<ApiException> whenFails) {
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            put.conditionExpression(condition.expression()).expressionAttributeNames(condition.namesOrNull())
                    .expressionAttributeValues(condition.valuesOrNull());
        }
        return add(TransactWriteItem.builder().put(put.build()).build(), whenFails);
    }

    public Transaction update(Keys.Key key, String updateExpression, Condition condition,
                              Supplier<ApiException> whenFails) {
        Update.Builder update = Update.builder().tableName(table).key(key.toMap()).updateExpression(updateExpression)
                .expressionAttributeNames(condition.namesOrNull())
                .expressionAttributeValues(condition.valuesOrNull());
        if (condition.expression() != null) {
            update.conditionExpression(condition.expression());
        }
        return add(TransactWriteItem.builder().update(update.build()).build(), whenFails);
    }

    public Transaction delete(Keys.Key key, Condition condition, Supplier<ApiException> whenFails) {
        Delete.Builder delete = Delete.builder().tableName(table).key(key.toMap());
        if (condition != null) {
            delete.conditionExpression(condition.expression()).expressionAttributeNames(condition.namesOrNull())
                    .expressionAttributeValues(condition.valuesOrNull());
        }
        return add(TransactWriteItem.builder().delete(delete.build()).build(), whenFails);
    }

    public Transaction check(Keys.Key key, Condition condition, Supplier<ApiException> whenFails) {
        return add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                .key(key.toMap()).conditionExpression(condition.expression())
                .expressionAttributeNames(condition.namesOrNull())
                .expressionAttributeValues(condition.valuesOrNull()).build()).build(), whenFails);
    }

    private Transaction add(TransactWriteItem write, Supplier<ApiException> whenFails) {
        writes.add(write);
        onConditionFailure.add(whenFails);
        return this;
    }

    /** @throws ApiException the failing write's refusal, or 409 {@code busy} when conflicts persist */
    public void execute(DynamoDbClient dynamo) {
        TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(writes).build();
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(request);
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                for (int i = 0; i < reasons.size() && i < onConditionFailure.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        throw onConditionFailure.get(i).get();
                    }
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict && !reasons.isEmpty()) {
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw ApiException.conflict("busy",
                            "The workspace is being changed concurrently; retry the request.");
                }
                backoff(attempt);
            }
        }
    }

    private static void backoff(int attempt) {
        long ceiling = Math.min(400, 20L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.conflict("busy", "Interrupted while retrying; retry the request.");
        }
    }
}
