package dev.wsl.core.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A workspace's SCIM bearer token (PRODUCT.md section 9): what its identity provider authenticates with.
 * One per workspace; the plaintext ({@code scim-} and 256 random bits, URL-safe) is shown once, when it is
 * created or regenerated, and only its SHA-256 is stored (the lookup key) with a hint.
 *
 * @param lastUsedAt the start of the hour of the last request made with it (recorded at most once an hour), or null
 */
public record ScimToken(String workspaceId, String hash, String hint, Instant createdAt, String createdBy,
                        Instant lastUsedAt) {
    public static final String PREFIX = "scim-";
    private static final Pattern SHAPE = Pattern.compile("^scim-[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ScimToken {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(hash);
        Objects.requireNonNull(hint);
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether the text could be a SCIM token: anything else is refused without a read. */
    public static boolean isWellFormed(String token) {
        return token != null && SHAPE.matcher(token).matches();
    }

    @Override
    public String toString() {
        return "ScimToken[workspaceId=" + workspaceId + ", hint=" + hint + "]";
    }
}
