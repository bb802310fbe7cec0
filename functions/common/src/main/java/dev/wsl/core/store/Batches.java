package dev.wsl.core.store;

import dev.wsl.core.failure.Busy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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
 * again for what was left unprocessed, a bounded number of times ({@link #get(DynamoDbClient, String,
 * List, boolean, int)}).
 */
final class Batches {
    static final int MAX_READS = 100;
    static final int MAX_WRITES = 25;

    private Batches() {}

    /** Consistent reads of the items with these keys; missing items are absent from the answer. */
    static List<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys) {
        return get(dynamo, table, keys, true);
    }

    /** @param consistent false where a read decides nothing (names to show) and may be eventually consistent */
    static List<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                 boolean consistent) {
        return get(dynamo, table, keys, consistent, 0);
    }

    /**
     * @param rerequests how many more requests may ask for the keys the table left unprocessed, each
     *                   after a random pause of at most {@code PAUSE_MILLIS << n} ms (so that throttled
     *                   callers spread out); a batch answered whole, the normal case, is one request and
     *                   no pause
     * @throws Busy when keys are still unprocessed after that
     */
    static List<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys,
                                                 boolean consistent, int rerequests) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_READS) {
            List<Map<String, AttributeValue>> ask = keys.subList(from, Math.min(keys.size(), from + MAX_READS));
            for (int n = 0; !ask.isEmpty(); n++) {
                if (n > rerequests) {
                    throw new Busy("The table is busy (a batch read was left unprocessed); retry the request.", null);
                }
                if (n > 0) {
                    pause(n);
                }
                List<Map<String, AttributeValue>> chunk = ask;
                BatchGetItemResponse page = dynamo.batchGetItem(r -> r.requestItems(Map.of(table,
                        KeysAndAttributes.builder().keys(chunk).consistentRead(consistent).build())));
                out.addAll(page.responses().getOrDefault(table, List.of()));
                KeysAndAttributes left = page.hasUnprocessedKeys() ? page.unprocessedKeys().get(table) : null;
                ask = left == null || !left.hasKeys() ? List.of() : left.keys();
            }
        }
        return out;
    }

    /** The longest pause before the first re-request, doubled for each further one. */
    static final long PAUSE_MILLIS = 5;

    private static void pause(int rerequest) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, (PAUSE_MILLIS << (rerequest - 1)) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("Interrupted while the table was busy; retry the request.", e);
        }
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
