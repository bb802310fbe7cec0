package dev.wsl.core.failure;

import java.util.Map;

/**
 * A limit on how often something may be done was reached (429), e.g. the invitation emails one address
 * or one workspace may get a day. Nothing was written. {@link #retryAfterSeconds()} says when the limit's
 * window frees (the answer's {@code Retry-After} header and the problem's {@code retryAfter}); retrying
 * before then is refused the same way, so it is not {@link Retryable}.
 */
public final class TooManyRequests extends Failure {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;
    private final transient Map<String, Object> extensions;

    /** @param retryAfterSeconds at least 1 */
    public TooManyRequests(String slug, String detail, long retryAfterSeconds, Map<String, Object> extensions) {
        super(slug, detail, null);
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("Retry-After is at least one second");
        }
        this.retryAfterSeconds = retryAfterSeconds;
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(extensions);
        all.put("retryAfter", retryAfterSeconds);
        this.extensions = Map.copyOf(all);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public Map<String, Object> extensions() {
        return extensions;
    }
}
