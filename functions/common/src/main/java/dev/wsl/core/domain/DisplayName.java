package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;

/** Names people type: workspace names, invitees' placeholder names, names from sign-in claims ({@link BoundedText}'s rule). */
public final class DisplayName {
    public static final int MAX_LENGTH = 100;

    private DisplayName() {}

    public static boolean isValid(String name) {
        return BoundedText.isValid(name, MAX_LENGTH);
    }

    /** @throws InvalidInput {@code invalid-name} naming the field when the name is empty, too long or holds control characters */
    public static String parse(String field, String raw) {
        return BoundedText.required(field, raw, MAX_LENGTH, "invalid-name");
    }
}
