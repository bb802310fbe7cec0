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
        return of(Secret.issue(Secret.Kind.AUTH_TOKEN), userId, sealer, now);
    }

    /** The token of a secret issued for the user: its hash and hint, and its plaintext sealed for the owner only. */
    public static PersonalToken of(Secret secret, String userId, TokenSealer sealer, Instant now) {
        return new PersonalToken(secret.plaintext(), secret.hash(), sealer.seal(userId, secret.plaintext()),
                secret.hint(), now);
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
