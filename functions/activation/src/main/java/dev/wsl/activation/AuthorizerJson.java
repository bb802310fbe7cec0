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
    /** The only headers the decision reads ({@link PlatformCredential}); every other one is skipped unread. */
    private static final java.util.Set<String> CREDENTIAL_HEADERS = java.util.Set.of(PlatformCredential.AUTHORIZATION,
            PlatformCredential.API_KEY, PlatformCredential.VERSION);

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private AuthorizerJson() {}

    /**
     * What the authorizer reads of API Gateway's event: the credential headers, and for its log line the
     * route key being authorized and API Gateway's request id (null when absent).
     */
    record Event(Map<String, String> headers, String routeKey, String requestId) {}

    /**
     * The credential headers of the event ({@code authorization}, {@code ls-api-key}, {@code ls-version},
     * by lower-cased name; a repeat is joined with a comma, as API Gateway joins repeated headers, so
     * that {@link PlatformCredential} refuses it), empty if it has none. What the caller controls (how
     * many headers, their names, their values) never makes this fail: every other header is skipped
     * without being kept, however many there are.
     *
     * @throws IllegalArgumentException if the input is not an authorizer event (not JSON, or not its
     *                                  shape): a configuration error, which Lambda reports and API
     *                                  Gateway answers with 500
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
                        String name = p.currentName().toLowerCase(java.util.Locale.ROOT);
                        expect(p.nextToken() == JsonToken.VALUE_STRING, "a header value is not a string");
                        if (CREDENTIAL_HEADERS.contains(name)) {
                            headers.merge(name, p.getText(), (first, repeat) -> first + "," + repeat);
                        }
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
