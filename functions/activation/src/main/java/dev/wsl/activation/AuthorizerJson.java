package dev.wsl.activation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The token authorizer's JSON: the headers of API Gateway's authorizer event (payload format 2.0),
 * read with Jackson's streaming parser, everything else skipped; and the simple response
 * ({@code {"isAuthorized": …, "context": {…}}}), written by hand. No data binding, as on the
 * activation path.
 */
final class AuthorizerJson {
    static final String DENIED = "{\"isAuthorized\":false}";
    /** Far above any event API Gateway sends for a request whose headers fit its limits. */
    static final int MAX_HEADERS = 200;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private AuthorizerJson() {}

    /**
     * What the authorizer reads of API Gateway's event: the headers (empty if none), and for its log
     * line the route key being authorized and API Gateway's request id (null when absent).
     */
    record Event(Map<String, String> headers, String routeKey, String requestId) {}

    /**
     * The {@code headers} of the event (empty if it has none).
     *
     * @throws IllegalArgumentException if the input is not an authorizer event: a configuration
     *                                  error, which Lambda reports and API Gateway answers with 500
     */
    static Map<String, String> headers(InputStream event) throws IOException {
        return event(event).headers();
    }

    /**
     * The event's headers, route key and request id; everything else is skipped.
     *
     * @throws IllegalArgumentException if the input is not an authorizer event
     */
    static Event event(InputStream event) throws IOException {
        Map<String, String> headers = new HashMap<>();
        String routeKey = null;
        String requestId = null;
        try (JsonParser p = JSON.createParser(event)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "the event is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("routeKey") && value == JsonToken.VALUE_STRING) {
                    routeKey = p.getText();
                } else if (field.equals("requestContext") && value == JsonToken.START_OBJECT) {
                    requestId = requestIdOf(p);
                } else if (!field.equals("headers") || value == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                } else {
                    expect(value == JsonToken.START_OBJECT, "headers is not an object");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        expect(p.nextToken() == JsonToken.VALUE_STRING, "a header value is not a string");
                        expect(headers.size() < MAX_HEADERS, "too many headers");
                        headers.put(name, p.getText());
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the event is not JSON");
        }
        return new Event(headers, routeKey, requestId);
    }

    /** {@code requestContext.requestId}, the parser being at the context's start; leaves it at the context's end. */
    private static String requestIdOf(JsonParser p) throws IOException {
        String requestId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("requestId") && value == JsonToken.VALUE_STRING) {
                requestId = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return requestId;
    }

    static String allowed(Map<String, String> context) {
        StringBuilder out = new StringBuilder(320).append("{\"isAuthorized\":true,\"context\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : context.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            ResponseJson.string(ResponseJson.string(out, e.getKey()).append(':'), e.getValue());
        }
        return out.append("}}").toString();
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException("not an API Gateway authorizer event: " + problem);
        }
    }
}
