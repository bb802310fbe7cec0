package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;
import java.util.Locale;
import java.util.regex.Pattern;

/** A syntactically valid email address, lower-cased so that one person is one address. */
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
        String normalised = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (!isValid(normalised)) {
            throw new InvalidInput("invalid-email",
                    "email must be a valid address of at most " + MAX_LENGTH + " characters.");
        }
        return new EmailAddress(normalised);
    }

    @Override
    public String toString() {
        return value;
    }
}
