package dev.wsl.core.store;

import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchGetItem and BatchWriteItem in chunks of DynamoDB's limits (100 reads, 25 writes), one attempt
 * each: what the table leaves unprocessed (throttling) is reported as {@link Busy}, which the use
 * case retries with its {@code RetryPolicy} like any lost race, instead of a loop of its own here.
 * The one exception is the activation path, which has no use case around it to retry: its reads ask
 * again for what was left unprocessed under a policy of its own ({@link #get(DynamoDbClient, String,
 * List, boolean, RetryPolicy)}), still the one {@link RetryPolicy}.
 */
final class Batches {
    static final int MAX_READS = 100;
    static final int MAX_WRITES = 25;
    /** One request per chunk: what is left unprocessed is {@link Busy} at once, for the use case to retry. */
    private static final RetryPolicy ONE_REQUEST = RetryPolicy.withoutPauses(1);

    private Batches() {}

    /** Consistent reads of the items with these keys; missing items are absent from the answer. */
    static List<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        return get(dynamo, table, keys, true);
    }

    /** @param consistent false where a read decides nothing (names to show) and may be eventually consistent */
    static List<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                 boolean consistent) {
        return get(dynamo, table, keys, consistent, ONE_REQUEST);
    }

    /**
     * @param rerequest how often, and after what pauses, a chunk's request is sent again for the keys the
     *                  table left unprocessed (only those: what was answered is kept); a batch answered
     *                  whole, the normal case, is one request and no pause
     * @throws Busy when keys are still unprocessed after the policy's last attempt
     */
    static List<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                 boolean consistent, RetryPolicy rerequest) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_READS) {
            List<List<Map<String, AttributeValue>>> ask = new ArrayList<>(List.of(keys.subList(from,
                    Math.min(keys.size(), from + MAX_READS))));
            rerequest.run(() -> {
                List<Map<String, AttributeValue>> chunk = ask.getFirst();
                BatchGetItemResponse page = dynamo.batchGetItem(r -> r.requestItems(Map.of(table,
                        KeysAndAttributes.builder().keys(chunk).consistentRead(consistent).build())));
                out.addAll(page.responses().getOrDefault(table, List.of()));
                KeysAndAttributes left = page.hasUnprocessedKeys() ? page.unprocessedKeys().get(table) : null;
                if (left != null && left.hasKeys() && !left.keys().isEmpty()) {
                    ask.set(0, left.keys());
                    throw new Busy("The table is busy (a batch read was left unprocessed); retry the request.", null);
                }
            });
        }
        return out;
    }

    /** Whole-item puts and deletes: repeating them after {@link Busy} writes the same items again. */
    static void write(DynamoDbClient dynamo, String table, List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += MAX_WRITES) {
            List<WriteRequest> chunk = requests.subList(from, Math.min(requests.size(), from + MAX_WRITES));
            BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, chunk)));
            if (response.hasUnprocessedItems() && !response.unprocessedItems().isEmpty()) {
                throw new Busy("The table is busy (a batch write was left unprocessed); retry.", null);
            }
        }
    }
}
