package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;

/**
 * The one rule for text a client sends that the service keeps or shows again: names of people,
 * workspaces, CI keys and plans, and what an identity provider says of a user (SCIM {@code userName},
 * {@code externalId}, {@code name.*}, {@code displayName}). Leading and trailing white space is stripped;
 * what remains is at most a given number of code points (not UTF-16 units: an emoji counts once) and
 * holds no character of the Unicode categories control (Cc: NUL, tab, line feeds, C1 controls), format
 * (Cf: bidirectional overrides such as U+202E, zero-width characters, tag characters), surrogate (Cs: a
 * half of a pair, which JSON's {@code \ud800} escapes can produce) or line and paragraph separator
 * (Zl, Zp). Such characters reorder, hide or forge what a reader sees next to them (an audit log line, an
 * email's subject, the console), and none belongs in a name. Every door calls this class, with its own
 * bound and its own problem slug; nothing else decides what such text may hold. Thread-safe, stateless.
 */
public final class BoundedText {
    private BoundedText() {}

    /** Whether the text (already stripped) is 1 to {@code maxCodePoints} code points without a forbidden character. */
    public static boolean isValid(String text, int maxCodePoints) {
        return text != null && !text.isEmpty() && text.codePointCount(0, text.length()) <= maxCodePoints
                && text.codePoints().noneMatch(BoundedText::forbidden);
    }

    /** Whether the code point may not appear in such text (see the class comment). */
    public static boolean forbidden(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * The stripped text.
     *
     * @param field how the problem names the field ({@code name}, {@code 'name.givenName'})
     * @param slug  the problem type the door answers with ({@code invalid-name}, {@code invalid-value})
     * @throws InvalidInput when the text is missing, blank, longer than the bound or holds a forbidden character
     */
    public static String required(String field, String raw, int maxCodePoints, String slug) {
        String text = raw == null ? null : raw.strip();
        if (!isValid(text, maxCodePoints)) {
            throw refusal(field, maxCodePoints, slug);
        }
        return text;
    }

    /** Like {@link #required}, but a missing or blank text is null (the attribute is absent). */
    public static String optional(String field, String raw, int maxCodePoints, String slug) {
        if (raw == null || raw.isBlank()) {
            if (raw != null && raw.codePoints().anyMatch(BoundedText::forbidden)) {
                throw refusal(field, maxCodePoints, slug); // blank, but of line feeds or zero-width characters
            }
            return null;
        }
        return required(field, raw, maxCodePoints, slug);
    }

    private static InvalidInput refusal(String field, int maxCodePoints, String slug) {
        return new InvalidInput(slug, field + " must be 1 to " + maxCodePoints
                + " characters without control or formatting characters.");
    }
}
