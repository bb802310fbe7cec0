package dev.wsl.core.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Personal auth tokens and CI keys in the format the LocalStack client accepts
 * ({@code docs/localstack-licensing-client.md}): a prefix ({@code ls-} for developers,
 * {@code lsci-} for CI keys), then 36 characters shaped {@code LLLLAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA}
 * whose first 32 characters (dashes included) are the payload and whose last 4 are the first
 * four hex characters of the payload's MD5. The random characters carry about 165 bits from a
 * CSPRNG. Checking the format and checksum needs no storage, so malformed credentials are
 * refused before any DynamoDB call. Thread-safe.
 */
public final class AuthTokens {
    public static final String DEVELOPER_PREFIX = "ls-";
    public static final String CI_PREFIX = "lsci-";

    private static final Pattern SHAPE = Pattern.compile(
            "^ls[a-zA-Z]*-[a-zA-Z]{4}[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{4}-[a-zA-Z0-9]{12}$");
    private static final char[] LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthTokens() {}

    /** A new token with the given prefix ({@link #DEVELOPER_PREFIX} or {@link #CI_PREFIX}). */
    public static String generate(String prefix) {
        if (!prefix.matches("^ls[a-zA-Z]*-$")) {
            throw new IllegalArgumentException("prefix must look like ls-, lsci-");
        }
        StringBuilder payload = new StringBuilder(32);
        append(payload, LETTERS, 4);
        append(payload, ALNUM, 4);
        for (int group = 0; group < 3; group++) {
            payload.append('-');
            append(payload, ALNUM, 4);
        }
        payload.append('-');
        append(payload, ALNUM, 8);
        return prefix + payload + checksum(payload.toString());
    }

    /** Whether the token has the client's shape and a correct checksum. */
    public static boolean isWellFormed(String token) {
        if (token == null || token.length() < 39 || token.length() > 64 || !SHAPE.matcher(token).matches()) {
            return false;
        }
        String rest = token.substring(token.indexOf('-') + 1);
        return rest.substring(32).equals(checksum(rest.substring(0, 32)));
    }

    public static boolean isCiKey(String token) {
        return token.startsWith(CI_PREFIX);
    }

    static String checksum(String payload) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(payload.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5).substring(0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    private static void append(StringBuilder out, char[] alphabet, int count) {
        for (int i = 0; i < count; i++) {
            out.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
    }
}
