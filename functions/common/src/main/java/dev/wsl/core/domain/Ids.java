package dev.wsl.core.domain;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Identifiers: a prefix, 10 characters of time and 16 random characters, all
 * lower-case base 32, so that items sort by creation (members list in invitation order)
 * and ids cannot be guessed.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("^[a-z]{1,4}_[0-9a-hjkmnp-tv-z]{26}$");

    private Ids() {}

    public static String newId(String prefix, long epochMillis) {
        char[] out = new char[26];
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(32)];
        }
        return prefix + "_" + new String(out);
    }

    /** Whether the text could be an id with that prefix; a path id failing this is answered 404 before any read. */
    public static boolean isWellFormed(String prefix, String id) {
        return id != null && id.startsWith(prefix + "_") && SHAPE.matcher(id).matches();
    }
}
