package dev.wsl.core.domain;

import java.util.Objects;

/**
 * A credential just issued or rotated, with the only copy of its plaintext: the answer shows it once and it is
 * kept nowhere else (the store holds {@link Secret#hash()}). {@link #toString()} never shows the plaintext.
 *
 * @param <C> the stored credential (a CI key, a SCIM token, …)
 */
public record Issued<C>(C credential, String plaintext) {
    public Issued {
        Objects.requireNonNull(credential);
        Objects.requireNonNull(plaintext);
    }

    @Override
    public String toString() {
        return "Issued[" + credential.getClass().getSimpleName() + "]";
    }
}
