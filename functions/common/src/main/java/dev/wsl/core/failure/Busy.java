package dev.wsl.core.failure;

/**
 * The table could not take the request just now: a transaction collided with a concurrent one
 * ({@code TransactionConflict}), or a batch left items unprocessed. Nothing was written (a cancelled
 * transaction writes nothing; a batch's processed items are whole-item writes that a repeat writes
 * again). Retryable; when every attempt is busy the caller gets 409 {@code busy}. The cause is kept
 * for the log.
 */
public final class Busy extends Failure implements Retryable {
    private static final long serialVersionUID = 1L;

    public Busy(String detail, Throwable cause) {
        super("busy", detail, cause);
    }
}
