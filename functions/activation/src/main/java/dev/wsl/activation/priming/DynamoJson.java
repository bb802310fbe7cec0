package dev.wsl.activation.priming;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item as DynamoDB's JSON protocol writes it ({@code {"name":{"S":"value"}, ...}}), for the canned answers
 * of {@link CannedDynamoDb}: the kinds of attribute the stored items use (S, N, BOOL, M, L, SS).
 */
final class DynamoJson {
    private DynamoJson() {}

    static String item(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder();
        map(item, out);
        return out.toString();
    }

    private static void map(Map<String, AttributeValue> values, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : values.entrySet()) {
            out.append(first ? "" : ",");
            first = false;
            string(e.getKey(), out);
            out.append(':');
            value(e.getValue(), out);
        }
        out.append('}');
    }

    private static void value(AttributeValue v, StringBuilder out) {
        switch (v.type()) {
            case S -> string(v.s(), out.append("{\"S\":"));
            case N -> string(v.n(), out.append("{\"N\":"));
            case BOOL -> out.append("{\"BOOL\":").append(v.bool());
            case M -> map(v.m(), out.append("{\"M\":"));
            case L -> {
                out.append("{\"L\":[");
                for (int i = 0; i < v.l().size(); i++) {
                    value(v.l().get(i), out.append(i == 0 ? "" : ","));
                }
                out.append(']');
            }
            case SS -> {
                out.append("{\"SS\":[");
                for (int i = 0; i < v.ss().size(); i++) {
                    string(v.ss().get(i), out.append(i == 0 ? "" : ","));
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("no canned form for an attribute of type " + v.type());
        }
        out.append('}');
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
