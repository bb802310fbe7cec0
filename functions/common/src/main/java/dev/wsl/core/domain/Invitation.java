package dev.wsl.core.domain;

import java.time.Instant;

/**
 * The current invitation of a member. {@code sequence} grows with every send
 * (invite, resend, re-invite); the outbox message and the link's token are
 * bound to it, so an older link or a stale outbox message can never win.
 *
 * @param tokenHash SHA-256 of the link's token once the mailer issued it; null before
 */
public record Invitation(long sequence, Instant expiresAt, Delivery delivery, int attempts, String tokenHash) {

    /** Delivery state of the invitation email, visible to admins. */
    public enum Delivery { PENDING, SENT, FAILED }

    /** The invitation after it was used or withdrawn: its link no longer leads anywhere. */
    public Invitation withoutToken() {
        return new Invitation(sequence, expiresAt, delivery, attempts, null);
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
