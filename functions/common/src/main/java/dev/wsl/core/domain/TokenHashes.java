package dev.wsl.core.domain;

import java.util.Objects;

/**
 * The user's personal auth token as their user record names it: the hash of the current one and, during a
 * rotation's overlap ({@link Overlap}), the hash of the one it replaced, which activates the same licenses
 * until the overlap ends. Writes that change where the token activates (its index of licensed workspaces, the
 * user's choice) change both lookup items, so that the two agree for as long as both work.
 *
 * @param previous null when no overlap lasts
 */
public record TokenHashes(String current, String previous) {
    public TokenHashes {
        Objects.requireNonNull(current);
    }

    public static TokenHashes of(String current) {
        return new TokenHashes(current, null);
    }

    @Override
    public String toString() {
        return "TokenHashes[overlap=" + (previous != null) + "]";
    }
}
