package dev.wsl.local.it;

import dev.wsl.local.LocalStackRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Every item of the table as text (a Scan of all pages): where a secret must never be found. */
final class TableDump {
    private TableDump() {}

    static String of(LocalStackRuntime runtime) {
        StringBuilder dump = new StringBuilder();
        items(runtime).forEach(item -> dump.append(item).append('\n'));
        return dump.toString();
    }

    /**
     * Every item with its attributes in name order, one a line, the lines sorted: equal before and after exactly when
     * nothing in the table changed (a job's dry run, a re-run that has nothing to do).
     */
    static String sorted(LocalStackRuntime runtime) {
        List<String> lines = new ArrayList<>();
        items(runtime).forEach(item -> lines.add(new TreeMap<>(item).toString()));
        java.util.Collections.sort(lines);
        return String.join("\n", lines);
    }

    /** Every item of the table, read by the runtime's own client (never through the functions' fault proxy). */
    static List<Map<String, AttributeValue>> items(LocalStackRuntime runtime) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = runtime.dynamoDb().scan(ScanRequest.builder().tableName(runtime.tableName())
                    .exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /**
     * The items that mention any of {@code markers} (a workspace id, a user id: whatever one test's data carries),
     * by {@code PK|SK}, each with its attributes in name order: what one test may compare before and after, while
     * other tests write their own items beside it.
     */
    static Map<String, String> mentioning(LocalStackRuntime runtime, List<String> markers) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, AttributeValue> item : items(runtime)) {
            String text = new TreeMap<>(item).toString();
            if (markers.stream().anyMatch(text::contains)) {
                out.put(item.get("PK").s() + "|" + item.get("SK").s(), text);
            }
        }
        return out;
    }
}
