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

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<String> calls = CALLS.get();
        if (calls != null) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }
}
