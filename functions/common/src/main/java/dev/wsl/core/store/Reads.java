package dev.wsl.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The strongly consistent reads the stores share: they decide writes, so they never read stale data. */
final class Reads {
    private Reads() {}

    static Optional<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, Keys.Key key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(key.toMap()).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Every item of a workspace's partition whose sort key starts with the prefix, all pages. */
    static List<Map<String, AttributeValue>> allWithPrefix(DynamoDbClient dynamo, String table, String workspaceId,
                                                          String skPrefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.workspacePk(workspaceId)),
                            ":prefix", Attrs.s(skPrefix)))
                    .exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /**
     * The items of these keys that exist, in no particular order: BatchGetItem in chunks of 100 keys,
     * asking again for what DynamoDB left unprocessed.
     */
    static List<Map<String, AttributeValue>> batchGet(DynamoDbClient dynamo, String table, List<Keys.Key> keys,
                                                      boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + 100)).stream()
                    .map(Keys.Key::toMap).toList();
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(chunk).consistentRead(consistent).build());
            while (request != null && !request.isEmpty()) {
                BatchGetItemResponse page = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                items.addAll(page.responses().getOrDefault(table, List.of()));
                request = page.hasUnprocessedKeys() ? page.unprocessedKeys() : null;
            }
        }
        return items;
    }
}
