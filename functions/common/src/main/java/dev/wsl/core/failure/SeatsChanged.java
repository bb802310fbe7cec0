package dev.wsl.core.failure;

/**
 * A seat-taking change lost its race for the pool: the seats, or the seats in use, are no longer
 * what the change was planned on, so it may not fit any more. Retryable: the license service reads
 * the pool again, and either the change fits or it answers {@link NoFreeSeat} with the reason.
 */
public final class SeatsChanged extends Conflict implements Retryable {
    private static final long serialVersionUID = 1L;

    public SeatsChanged() {
        super("no-free-seat", "The seats were taken by concurrent requests; retry.");
    }
}
