package dev.wsl.telemetry;

/**
 * JSON strings written by hand (RFC 8259), for the places that build their JSON without data
 * binding because they run on every request: the activation answers and the log lines. Escapes the
 * quote, the backslash, every control character and the two line separators JavaScript treats as
 * line ends; everything else is copied as is.
 */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** Appends {@code value} as a quoted JSON string. */
    public static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        int n = value.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
                continue;
            }
            out.append(value, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return out.append(value, from, n).append('"');
    }
}
