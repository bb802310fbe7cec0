package dev.wsl.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A scheduled function that always throws, counting its attempts. */
public final class ThrowingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        ATTEMPTS.incrementAndGet();
        throw new IllegalStateException("tick failed (expected by the test)");
    }
}
