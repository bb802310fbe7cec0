package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a secret credential (personal auth token, CI key, SCIM token) is issued, replaced and rotated, written
 * once for the three services that keep one. Each step runs under the retry policy as a whole, read → plan →
 * write, at the clock's time of that attempt.
 *
 * <p><b>One secret per attempt.</b> {@link #issue} makes a fresh {@link Secret} in every attempt and hands it
 * to that attempt's write, so the plaintext the caller is shown is always the one whose hash the write that
 * landed stored. Re-sending an earlier attempt's secret would be wrong: after a write that landed but whose
 * answer was lost, the same credential (same id, same hash) collides with itself, or is read back as the one
 * to replace. Thread-safe.
 */
public final class SecretCredentials {
    private final Clock clock;
    private final RetryPolicy retry;

    public SecretCredentials(Clock clock, RetryPolicy retry) {
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    /** One attempt's write of a new secret: it stores the secret's hash (never its plaintext) at {@code now}. */
    @FunctionalInterface
    public interface Write<R> {
        R write(Secret secret, Instant now);
    }

    /**
     * Issues a secret of the kind and writes it, under the retry policy, with a new secret per attempt.
     *
     * @return what the write that landed answered (for the caller to show its secret's plaintext once)
     */
    public <R> R issue(Secret.Kind kind, Write<R> write) {
        return retry.run(() -> write.write(Secret.issue(kind), clock.instant()));
    }

    /** A step on an existing credential (view, revoke, end an overlap), under the retry policy, at its attempt's time. */
    public <R> R change(Function<Instant, R> step) {
        return retry.run(() -> step.apply(clock.instant()));
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * The overlap a rotation may keep the old credential valid for: none, or at most {@link Overlap#MAX}.
     *
     * @param what how the answer names the credential ("token", "key")
     * @throws InvalidInput {@code invalid-overlap} for an overlap below zero or above {@link Overlap#MAX}
     */
    public static Duration requireOverlap(Duration overlap, String what) {
        if (overlap.isNegative() || overlap.compareTo(Overlap.MAX) > 0) {
            throw new InvalidInput("invalid-overlap", "The old " + what + " may stay valid for at most "
                    + Overlap.MAX_HOURS + " hours.");
        }
        return overlap;
    }

    /** Until when a rotation at {@code now} keeps the old credential valid: null (it stops now) without an overlap. */
    public static Instant keepOldUntil(Instant now, Duration overlap) {
        return overlap.isZero() ? null : now.plus(overlap);
    }
}
