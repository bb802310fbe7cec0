package dev.wsl.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A credential that a rotation replaced and kept valid for a while (the owner's or admin's choice: at most
 * {@link #MAX}, none by default), so that machines and pipelines can move to the new one without a gap. Until
 * {@code until} it activates exactly what the new one activates; from then on it is refused like a credential
 * that never existed. Only its hash and hint are kept: it is never shown again.
 *
 * @param hash  the SHA-256 of the old credential (its lookup item's key)
 * @param hint  what lists show of it ({@link Masks#hint})
 * @param until when it stops activating
 */
public record Overlap(String hash, String hint, Instant until) {
    /** The longest overlap a rotation may keep (the "up to 7 days"). */
    public static final Duration MAX = Duration.ofDays(7);
    /** The longest overlap in the API's unit ({@code overlapHours}). */
    public static final int MAX_HOURS = (int) MAX.toHours();

    public Overlap {
        Objects.requireNonNull(hash);
        Objects.requireNonNull(until);
    }

    /** Whether the old credential still activates at {@code now}. */
    public boolean lastsAt(Instant now) {
        return now.isBefore(until);
    }

    @Override
    public String toString() {
        return "Overlap[hint=" + hint + ", until=" + until + "]";
    }
}
