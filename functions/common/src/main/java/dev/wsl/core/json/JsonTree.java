package dev.wsl.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.wsl.core.failure.InvalidInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value into a {@link JsonValue} with jackson-core's streaming parser, by the rules the management
 * API always had: a field name repeated in an object is refused, nesting deeper than 20 is refused, and nothing
 * may follow the value. The refusals read as they did when the ObjectMapper built the tree.
 */
public final class JsonTree {
    /** The streaming factory of the management API (reading and writing); thread-safe once built. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonTree() {}

    /**
     * @return the value, or null for a text without any (only whitespace)
     * @throws InvalidInput when the text is not one well-formed JSON value
     */
    public static JsonValue parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonValue value = value(p, first);
            if (p.nextToken() != null) {
                throw malformed(p.currentTokenLocation());
            }
            return value;
        } catch (JsonProcessingException e) {
            throw malformed(e.getLocation());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InvalidInput malformed(com.fasterxml.jackson.core.JsonLocation where) {
        return new InvalidInput(InvalidInput.Kind.SYNTAX, "malformed-json", "The body is not well-formed JSON"
                + (where == null ? " or is nested too deeply." : " (line " + where.getLineNr() + ", column "
                + where.getColumnNr() + ")."));
    }

    /** The parser limits the depth to 20, so the recursion is bounded. */
    private static JsonValue value(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> array(p);
            case VALUE_STRING -> new JsonValue.Str(p.getText());
            case VALUE_NUMBER_INT -> new JsonValue.Num(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> new JsonValue.Num(null);
            case VALUE_TRUE -> new JsonValue.Bool(true);
            case VALUE_FALSE -> new JsonValue.Bool(false);
            case VALUE_NULL -> JsonValue.Null.NULL;
            default -> throw new IllegalStateException("unexpected " + token);
        };
    }

    private static JsonValue object(JsonParser p) throws IOException {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        // nextFieldName, as the ObjectMapper's tree reader reads objects: a duplicate is refused at the same place
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            fields.put(name, value(p, p.nextToken()));
        }
        return new JsonValue.Obj(fields);
    }

    private static JsonValue array(JsonParser p) throws IOException {
        List<JsonValue> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            items.add(value(p, t));
        }
        return new JsonValue.Arr(items);
    }
}
