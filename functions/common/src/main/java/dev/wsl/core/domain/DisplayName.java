package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;

/** Rules for names people type: workspace names, invitees' placeholder names. */
public final class DisplayName {
    public static final int MAX_LENGTH = 100;

    private DisplayName() {}

    public static boolean isValid(String name) {
        if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > MAX_LENGTH) {
            return false;
        }
        return name.codePoints().noneMatch(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR);
    }

    /** @throws InvalidInput naming the field when the name is empty, too long or holds control characters */
    public static String parse(String field, String raw) {
        String name = raw == null ? null : raw.strip();
        if (!isValid(name)) {
            throw new InvalidInput("invalid-name", field + " must be 1 to " + MAX_LENGTH
                    + " characters without control or formatting characters.");
        }
        return name;
    }
}
