package dev.wsl.core.failure;

/**
 * A lost race: a write's condition on something read failed because another request changed it
 * (a version, a lookup item, a checkpoint). Retryable: the use case reads again and plans again
 * ({@link RetryPolicy}); when every attempt loses, the caller gets 409 {@code concurrent-change}.
 */
public final class ChangedMeanwhile extends Conflict implements Retryable {
    private static final long serialVersionUID = 1L;

    public ChangedMeanwhile(String detail) {
        super("concurrent-change", detail);
    }
}
