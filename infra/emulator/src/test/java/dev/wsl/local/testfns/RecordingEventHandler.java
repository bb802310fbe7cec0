package dev.wsl.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An EventBridge target: records each event with the function it was delivered to and answers
 * {@code {"accepted": true, "function", "id"}}. An event whose {@code detail-type} starts with "Poison" throws.
 * It mutates the event it got, to show that every delivery gets its own copy.
 */
public final class RecordingEventHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public record Received(String functionName, Map<String, Object> event) {}

    public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        RECEIVED.add(new Received(context.getFunctionName(), Map.copyOf(event)));
        if (event.get("detail-type") instanceof String type && type.startsWith("Poison")) {
            throw new IllegalStateException("poisoned (expected by the test)");
        }
        event.put("source", "tampered");
        return Map.of("accepted", true, "function", context.getFunctionName(), "id", event.get("id"));
    }
}
