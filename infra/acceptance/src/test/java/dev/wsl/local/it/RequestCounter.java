package dev.wsl.local.it;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS requests a piece of code makes on the current thread. Registered for
 * every SDK client of the test JVM as a global interceptor (see
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}), so the handlers'
 * own clients, built exactly as in Lambda, are counted without any test hook in them.
 */
public final class RequestCounter implements ExecutionInterceptor {
    private static final ThreadLocal<List<String>> CALLS = new ThreadLocal<>();
    /** While not null: every DynamoDB call of any thread, with timing (for concurrent code paths). */
    private static volatile List<Call> everyThread;
    private static final software.amazon.awssdk.core.interceptor.ExecutionAttribute<Call> CURRENT =
            new software.amazon.awssdk.core.interceptor.ExecutionAttribute<>("wsl.call");

    /**
     * One request: operation, issuing thread, whether every read in it was strongly consistent
     * (null for writes), and when it started and ended.
     */
    public record Call(String operation, String thread, Boolean consistent, long startNanos, long[] endNanos) {
        long end() {
            return endNanos[0];
        }
    }

    /** Runs the action and returns every call made meanwhile on any thread, in start order. */
    public static synchronized List<Call> allThreads(Runnable action) {
        List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        everyThread = calls;
        try {
            action.run();
        } finally {
            everyThread = null;
        }
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Runs the action and returns the "Service.Operation" names it called, in order. */
    public static List<String> calls(Runnable action) {
        return record(() -> {
            action.run();
            return null;
        }).calls();
    }

    public record Recorded<T>(T result, List<String> calls) {}

    public static <T> Recorded<T> record(Supplier<T> action) {
        List<String> calls = new ArrayList<>();
        CALLS.set(calls);
        try {
            return new Recorded<>(action.get(), List.copyOf(calls));
        } finally {
            CALLS.remove();
        }
    }

    /**
     * What one DynamoDB request read: the items it evaluated (GetItem 1, BatchGetItem its keys, Query and Scan their
     * ScannedCount, writes 0) and the bytes of its answer, from which read units can be estimated (4 KB each).
     */
    public record Cost(String operation, int itemsRead, long answerBytes) {
        @Override
        public String toString() {
            return operation + (itemsRead > 0 ? "(" + itemsRead + ")" : "");
        }
    }

    private static final ThreadLocal<List<Cost>> COSTS = new ThreadLocal<>();

    /** Runs the action and returns what each DynamoDB request of the current thread read, in order. */
    public static List<Cost> costs(Runnable action) {
        List<Cost> costs = new ArrayList<>();
        COSTS.set(costs);
        try {
            action.run();
            return List.copyOf(costs);
        } finally {
            COSTS.remove();
        }
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        List<Cost> costs = COSTS.get();
        if (costs == null || !"DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            return;
        }
        int items = switch (context.response()) {
            case software.amazon.awssdk.services.dynamodb.model.GetItemResponse g -> 1;
            case software.amazon.awssdk.services.dynamodb.model.QueryResponse q -> q.scannedCount();
            case software.amazon.awssdk.services.dynamodb.model.ScanResponse sc -> sc.scannedCount();
            case software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse b
                    when context.request() instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest r ->
                    r.requestItems().values().stream().mapToInt(k -> k.keys().size()).sum();
            default -> 0;
        };
        long bytes = context.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(0L);
        costs.add(new Cost(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), items, bytes));
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<Call> all = everyThread;
        if (all != null) {
            Boolean consistent = switch (context.request()) {
                case software.amazon.awssdk.services.dynamodb.model.GetItemRequest g -> Boolean.TRUE.equals(g.consistentRead());
                case software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest b -> b.requestItems().values()
                        .stream().allMatch(k -> Boolean.TRUE.equals(k.consistentRead()));
                case software.amazon.awssdk.services.dynamodb.model.QueryRequest q -> Boolean.TRUE.equals(q.consistentRead());
                case software.amazon.awssdk.services.dynamodb.model.ScanRequest s -> Boolean.TRUE.equals(s.consistentRead());
                default -> null;
            };
            Call call = new Call(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    Thread.currentThread().toString(), consistent, System.nanoTime(), new long[] {Long.MAX_VALUE});
            attributes.putAttribute(CURRENT, call);
            all.add(call);
        }
        List<String> calls = CALLS.get();
        if (calls != null) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Call call = attributes.getAttribute(CURRENT);
        if (call != null) {
            call.endNanos()[0] = System.nanoTime();
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Call call = attributes.getAttribute(CURRENT);
        if (call != null) {
            call.endNanos()[0] = System.nanoTime();
        }
    }
}
