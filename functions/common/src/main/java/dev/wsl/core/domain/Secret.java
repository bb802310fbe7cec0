package dev.wsl.core.domain;

import java.util.Objects;

/**
 * A secret credential just made, the one way every kind is made: a fresh secret from a CSPRNG in its kind's
 * format, the SHA-256 that is stored in its place (the lookup key; the plaintext is never stored, nor logged),
 * and the hint that lists show ({@link Masks#hint}). The plaintext lives only in this value, to be shown once
 * to whoever asked for it; {@link #toString()} never shows it.
 */
public record Secret(String plaintext, String hash, String hint) {

    /** The kinds of secret credential, each in the format its client expects. */
    public enum Kind {
        /** A developer's personal auth token ({@code ls-…}, {@link AuthTokens}). */
        AUTH_TOKEN,
        /** A workspace's CI key ({@code lsci-…}, {@link AuthTokens}). */
        CI_KEY,
        /** A workspace's SCIM token ({@code scim-…}, {@link ScimToken}). */
        SCIM_TOKEN;

        String generate() {
            return switch (this) {
                case AUTH_TOKEN -> AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
                case CI_KEY -> AuthTokens.generate(AuthTokens.CI_PREFIX);
                case SCIM_TOKEN -> ScimToken.generate();
            };
        }
    }

    public Secret {
        Objects.requireNonNull(plaintext);
        Objects.requireNonNull(hash);
        Objects.requireNonNull(hint);
    }

    /** A new secret of the kind, with its hash and hint. */
    public static Secret issue(Kind kind) {
        return of(kind.generate());
    }

    /** The hash and hint of a given plaintext (one made by {@link #issue}, or one the caller was given). */
    static Secret of(String plaintext) {
        return new Secret(plaintext, Secrets.sha256Hex(plaintext), Masks.hint(plaintext));
    }

    @Override
    public String toString() {
        return "Secret[hint=" + hint + "]";
    }
}
