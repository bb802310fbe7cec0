package dev.wsl.local.it;

import dev.wsl.local.LocalStackRuntime;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Every item of the table as text (a Scan of all pages): where a secret must never be found. */
final class TableDump {
    private TableDump() {}

    static String of(LocalStackRuntime runtime) {
        StringBuilder dump = new StringBuilder();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = runtime.dynamoDb().scan(ScanRequest.builder().tableName(runtime.tableName())
                    .exclusiveStartKey(start).build());
            page.items().forEach(item -> dump.append(item).append('\n'));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return dump.toString();
    }
}
