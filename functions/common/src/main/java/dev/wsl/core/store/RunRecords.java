package dev.wsl.core.store;

import dev.wsl.core.failure.AlreadyExists;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The run records the scheduled jobs keep (the sunset's, the reclaim job's): counters added by each checkpoint,
 * and the record read back as the jobs report it.
 */
final class RunRecords {
    private RunRecords() {}

    /**
     * The {@code ADD} clause that adds the counters (zeros left out) and, for an invocation's first checkpoint, one
     * invocation; its names and values go to {@code names} and {@code values}. Empty when it adds nothing.
     */
    static String add(Map<String, Long> counts, boolean newInvocation, Map<String, String> names,
                      Map<String, AttributeValue> values) {
        StringBuilder add = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, Long> c : counts.entrySet()) {
            if (c.getValue() == 0) {
                continue;
            }
            add.append(add.isEmpty() ? "ADD " : ", ").append("#c").append(i).append(" :c").append(i);
            names.put("#c" + i, c.getKey());
            values.put(":c" + i, Attrs.n(c.getValue()));
            i++;
        }
        if (newInvocation) {
            add.append(add.isEmpty() ? "ADD " : ", ").append("invocations :one");
            values.put(":one", Attrs.n(1));
        }
        return add.toString();
    }

    /** A run record's attributes by name (numbers as longs, strings, string maps), without its keys and type. */
    static Map<String, Object> read(DynamoDbClient dynamo, String table, Keys.Key key) {
        Map<String, Object> out = new LinkedHashMap<>();
        Reads.get(dynamo, table, key).ifPresent(item -> item.forEach((name, value) -> {
            if (name.equals(Keys.PK) || name.equals(Keys.SK) || name.equals("type")) {
                return;
            }
            if (value.n() != null) {
                out.put(name, Long.parseLong(value.n()));
            } else if (value.s() != null) {
                out.put(name, value.s());
            } else if (value.hasM()) {
                out.put(name, Attrs.strMap(item, name));
            }
        }));
        return out;
    }

    /** A run record as a run starts: RUNNING since {@code at}. */
    static Map<String, AttributeValue> started(Keys.Key key, String type, String runId, Instant at) {
        Map<String, AttributeValue> run = new LinkedHashMap<>(key.toMap());
        run.put("type", Attrs.s(type));
        run.put("runId", Attrs.s(runId));
        run.put("startedAt", Attrs.time(at));
        run.put("status", Attrs.s("RUNNING"));
        return run;
    }

    /**
     * Writes a new run's checkpoint and record in one transaction, each only if absent; false when a run holds the
     * checkpoint already ({@code running} says whose).
     */
    static boolean start(DynamoDbClient dynamo, String table, Map<String, AttributeValue> checkpoint,
                         Map<String, AttributeValue> run, Supplier<AlreadyExists> running) {
        try {
            new Transaction(table)
                    .put(checkpoint, Condition.notExists(), running)
                    .put(run, Condition.notExists(), running)
                    .execute(dynamo);
            return true;
        } catch (AlreadyExists e) {
            return false;
        }
    }
}
