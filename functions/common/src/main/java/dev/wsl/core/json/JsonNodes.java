package dev.wsl.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.telemetry.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The SCIM documents' trees ({@link JsonNode}, whose node classes are few) read with jackson-core's streaming parser
 * and written by hand, instead of through the ObjectMapper, whose construction is most of the classes databind
 * would add to a cold start. The rules are {@link JsonTree}'s (duplicate names, depth over 20 and trailing values
 * refused, with the same messages), the nodes and the bytes those of {@link Json#parse} and {@link Json#write}:
 * integers as int, long or BigInteger nodes by size, fractions as doubles, null properties written. Thread-safe.
 */
public final class JsonNodes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonNodes() {}

    /**
     * @return the tree, or null for a text without any value (only whitespace)
     * @throws InvalidInput when the text is not one well-formed JSON value
     */
    public static JsonNode parse(String text) {
        try (JsonParser p = JsonTree.FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode value = value(p, first);
            if (p.nextToken() != null) {
                throw JsonTree.malformed(p.currentTokenLocation());
            }
            return value;
        } catch (JsonProcessingException e) {
            throw JsonTree.malformed(e.getLocation());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tree as the ObjectMapper wrote it, by hand rather than through jackson-core's generator: a SCIM GET parses
     * nothing, so writing its answer is then all the JSON its first request needs, and jackson-core's factory and
     * generator classes are about 15 ms of a cold start. Strings are escaped as every answer written by hand is
     * ({@link JsonText}); the bytes are the ObjectMapper's except in how a control character other than a line feed,
     * carriage return or tab is escaped (in lower-case hexadecimal, backspace and form feed included) and in
     * U+2028/U+2029, which are escaped too: the same JSON values.
     *
     * @throws IllegalArgumentException for a node without a JSON text of its own (a POJO or binary node)
     */
    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(out, node);
        return out.toString();
    }

    /** The parser limits the depth to 20, so the recursion is bounded. */
    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    object.set(name, value(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected " + token);
        };
    }

    private static void write(StringBuilder out, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    JsonText.string(out, field.getKey()).append(':');
                    write(out, field.getValue());
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, node.get(i));
                }
                out.append(']');
            }
            case STRING -> JsonText.string(out, node.textValue());
            case NUMBER -> number(out, node);
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL, MISSING -> out.append("null");
            default -> throw new IllegalArgumentException("no JSON text for a " + node.getNodeType() + " node");
        }
    }

    /** As jackson-core writes numbers: {@code toString} of each type (a NaN or infinity as a string). */
    private static void number(StringBuilder out, JsonNode node) {
        switch (node.numberType()) {
            case INT -> out.append(node.intValue());
            case LONG -> out.append(node.longValue());
            case BIG_INTEGER -> out.append(node.bigIntegerValue());
            case FLOAT -> finite(out, node.floatValue(), Float.toString(node.floatValue()));
            case DOUBLE -> finite(out, node.doubleValue(), Double.toString(node.doubleValue()));
            default -> out.append(node.decimalValue().toString());
        }
    }

    private static void finite(StringBuilder out, double value, String text) {
        if (Double.isFinite(value)) {
            out.append(text);
        } else {
            out.append('"').append(text).append('"');
        }
    }
}
