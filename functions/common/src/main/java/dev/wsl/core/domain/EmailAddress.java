package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A syntactically valid email address, lower-cased so that one person is one address. Every door an
 * address comes in by (an invitation, the sign-in claims, SCIM, billing's purchaser) reads it with
 * {@link #parse} or {@link #tryParse}: ASCII is checked before any case folding, because folding turns
 * some non-ASCII letters into ASCII ones (U+212A KELVIN SIGN becomes {@code k}, U+0130 becomes
 * {@code i̇}), and an address that only looks like another must not become it.
 */
public record EmailAddress(String value) {
    public static final int MAX_LENGTH = 254;

    // Dot-atom local part and a host of DNS labels with a dot: what real mailboxes use, no quoted forms.
    private static final Pattern SHAPE = Pattern.compile(
            "^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");

    public EmailAddress {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a normalised email address");
        }
    }

    public static boolean isValid(String normalised) {
        return normalised != null && normalised.length() <= MAX_LENGTH && SHAPE.matcher(normalised).matches()
                && !normalised.startsWith(".") && !normalised.contains("..") && !normalised.contains(".@");
    }

    /** @throws InvalidInput naming the problem */
    public static EmailAddress parse(String raw) {
        return tryParse(raw).orElseThrow(() -> new InvalidInput("invalid-email",
                "email must be a valid address of at most " + MAX_LENGTH + " ASCII characters."));
    }

    /** The address, or empty when the text is none (a lookup by something that may or may not be an email). */
    public static Optional<EmailAddress> tryParse(String raw) {
        String stripped = raw == null ? "" : raw.strip();
        if (!stripped.chars().allMatch(c -> c < 0x80)) {
            return Optional.empty(); // before lower-casing: see the class comment
        }
        String normalised = stripped.toLowerCase(Locale.ROOT);
        return isValid(normalised) ? Optional.of(new EmailAddress(normalised)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
