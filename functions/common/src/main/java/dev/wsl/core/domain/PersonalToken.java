package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A newly issued personal auth token. The plaintext lives only in memory, to be shown to its
 * owner once; the store keeps {@link #hash()} (activation's lookup key), {@link #sealed()} (the
 * encrypted copy the owner may view again) and {@link #hint()} (what lists show).
 */
public record PersonalToken(String token, String hash, String sealed, String hint, Instant issuedAt) {

    public PersonalToken {
        Objects.requireNonNull(token);
        Objects.requireNonNull(hash);
        Objects.requireNonNull(sealed);
    }

    public static PersonalToken issue(String userId, TokenSealer sealer, Instant now) {
        String token = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        return new PersonalToken(token, Secrets.sha256Hex(token), sealer.seal(userId, token), hint(token), now);
    }

    /** The prefix and the last four characters ({@link Masks#hint}): enough to recognise a credential, far too little to use it. */
    public static String hint(String credential) {
        return Masks.hint(credential);
    }

    @Override
    public String toString() {
        return "PersonalToken[hint=" + hint + ", issuedAt=" + issuedAt + "]";
    }
}
