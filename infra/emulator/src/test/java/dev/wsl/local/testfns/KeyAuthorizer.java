package dev.wsl.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Lambda authorizer (payload 2.0, simple responses) bound to a map, as Lambda's runtime binds JSON
 * events: allows {@code x-api-key: open-sesame} with a context of a string, a number and a boolean;
 * {@code x-api-key: sloppy} gets an answer that is no simple response; anything else is refused.
 * Records every event it got.
 */
public final class KeyAuthorizer implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public static final List<Map<String, Object>> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        EVENTS.add(event);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) event.get("headers");
        String key = headers == null ? null : headers.get("x-api-key");
        Map<String, Object> answer = new LinkedHashMap<>();
        if ("sloppy".equals(key)) {
            answer.put("isAuthorized", "yes");
            return answer;
        }
        answer.put("isAuthorized", "open-sesame".equals(key));
        if ("open-sesame".equals(key)) {
            answer.put("context", Map.of("who", "tester", "n", 42, "admin", false));
        }
        return answer;
    }
}
