package dev.wsl.core.domain;

import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Unauthenticated;
import java.util.Map;

/**
 * The person making a request, as the JWT authorizer verified them.
 *
 * @param userId   the token's {@code sub}
 * @param email    the verified email, normalised
 * @param username what members see instead of the placeholder name
 */
public record Caller(String userId, EmailAddress email, String username) {

    /**
     * Reads the claims API Gateway's JWT authorizer puts in
     * {@code requestContext.authorizer.jwt.claims} (all values are strings there).
     *
     * @throws Unauthenticated without a subject
     * @throws Forbidden without a verified email
     */
    public static Caller fromClaims(Map<String, String> claims) {
        String sub = claims.get("sub");
        if (sub == null || sub.isBlank() || sub.length() > 255) {
            throw new Unauthenticated("no-subject", "The token has no usable subject (sub).");
        }
        String email = claims.get("email");
        if (email == null || !"true".equalsIgnoreCase(claims.getOrDefault("email_verified", "false"))) {
            throw new Forbidden("email-not-verified", "The token carries no verified email address.");
        }
        EmailAddress address = EmailAddress.parse(email);
        String username = firstUsable(claims.get("preferred_username"), claims.get("name"));
        if (username == null) {
            username = address.value().substring(0, address.value().indexOf('@'));
        }
        return new Caller(sub, address, username);
    }

    private static String firstUsable(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && DisplayName.isValid(candidate.strip())) {
                return candidate.strip();
            }
        }
        return null;
    }
}
