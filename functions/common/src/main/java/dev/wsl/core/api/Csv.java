package dev.wsl.core.api;

import java.util.List;

/**
 * CSV as RFC 4180 writes it, made safe to open in a spreadsheet. Every field is quoted (a double quote inside is
 * doubled), records end with CRLF, and a field a spreadsheet would read as a formula gets a leading apostrophe
 * first, as OWASP's "CSV Injection" advises: one that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab,
 * a carriage return, a line feed or NUL ({@code =HYPERLINK(...)} in a member's name becomes the text
 * {@code '=HYPERLINK(...)}). Spreadsheets show the apostrophe's field as text and hide the apostrophe; a reader
 * that wants the raw value strips one leading apostrophe. Stateless, thread-safe.
 */
public final class Csv {
    /** The content type of an export, with RFC 4180's {@code header} parameter. */
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8; header=present";
    public static final String CRLF = "\r\n";

    private Csv() {}

    /** One record: its fields, each escaped, joined by commas, ended by CRLF. Null fields are empty. */
    public static String record(List<String> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        return out.append(CRLF).toString();
    }

    /** A field: neutralized if it could start a formula, then quoted. */
    public static String field(String value) {
        String text = value == null ? "" : value;
        if (startsFormula(text)) {
            text = "'" + text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** Whether a spreadsheet could take the text for a formula (or strip what makes it one). */
    static boolean startsFormula(String text) {
        if (text.isEmpty()) {
            return false;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r', '\n', '\0' -> true;
            default -> false;
        };
    }

    /** Whether the request asked for CSV ({@code Accept: text/csv}, alone or among other types). */
    public static boolean accepted(ApiRequest request) {
        return request.header("accept").map(a -> a.toLowerCase(java.util.Locale.ROOT).contains("text/csv"))
                .orElse(false);
    }
}
