package dev.wsl.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A scheduled function that counts its runs. */
public final class TickHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public static final AtomicInteger TICKS = new AtomicInteger();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Map.of("ticks", TICKS.incrementAndGet(), "inputWasEmpty", input.isEmpty(),
                "remainingMs", context.getRemainingTimeInMillis());
    }
}
