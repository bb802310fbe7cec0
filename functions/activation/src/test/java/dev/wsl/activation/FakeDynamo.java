package dev.wsl.activation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An in-memory stand-in for the three operations activation uses, for unit tests of the decision
 * logic only (the integration tests run the real store against the emulator). Updates are
 * recorded, not applied.
 */
final class FakeDynamo implements DynamoDbClient {
    final Map<String, Map<String, AttributeValue>> items = new HashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<UpdateItemRequest> updates = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The keys each BatchGetItem asked for, in order. */
    final List<List<Map<String, AttributeValue>>> batchKeys = java.util.Collections.synchronizedList(new ArrayList<>());
    /**
     * How many of the next BatchGetItem answers leave keys unprocessed, as a throttled table does: the
     * last key of the request when it asked for several, else its only key.
     */
    int throttledBatches;
    /** When set, what the next reads throw instead of answering (what the SDK throws once its attempts are spent). */
    RuntimeException failingReads;

    void put(Map<String, AttributeValue> item) {
        items.put(item.get("PK").s() + "|" + item.get("SK").s(), item);
    }

    private Map<String, AttributeValue> find(Map<String, AttributeValue> key) {
        return items.get(key.get("PK").s() + "|" + key.get("SK").s());
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        calls.add("GetItem");
        if (failingReads != null) {
            throw failingReads;
        }
        Map<String, AttributeValue> item = find(request.key());
        return GetItemResponse.builder().item(item).build();
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        calls.add("BatchGetItem");
        if (failingReads != null) {
            throw failingReads;
        }
        boolean throttled = throttledBatches > 0;
        throttledBatches = Math.max(0, throttledBatches - 1);
        Map<String, List<Map<String, AttributeValue>>> responses = new HashMap<>();
        Map<String, KeysAndAttributes> unprocessed = new HashMap<>();
        request.requestItems().forEach((table, keys) -> {
            batchKeys.add(List.copyOf(keys.keys()));
            List<Map<String, AttributeValue>> answered = throttled ? keys.keys().subList(0, keys.keys().size() - 1)
                    : keys.keys();
            if (throttled) {
                unprocessed.put(table, keys.toBuilder().keys(List.of(keys.keys().getLast())).build());
            }
            List<Map<String, AttributeValue>> found = new ArrayList<>();
            answered.forEach(k -> {
                Map<String, AttributeValue> item = find(k);
                if (item != null) {
                    found.add(item);
                }
            });
            responses.put(table, found);
        });
        return BatchGetItemResponse.builder().responses(responses).unprocessedKeys(unprocessed).build();
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        calls.add("UpdateItem");
        updates.add(request);
        return UpdateItemResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {}
}
