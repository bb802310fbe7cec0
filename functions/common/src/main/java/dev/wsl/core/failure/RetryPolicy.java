package dev.wsl.core.failure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The one retry policy of the code base: a step that fails with a {@link Retryable} failure runs
 * again from its start, at most {@code maxAttempts} times in all, after a pause drawn at random from
 * {@code [0, min(cap, base · 2^attempt)]} ("full jitter": requests that collided spread out instead
 * of colliding again). Any other exception, and the last retryable one, propagates unchanged.
 *
 * <p><b>Where retries live.</b> In the use case, around the whole read → plan → write step; never in
 * a store. A store makes exactly one attempt and reports a lost race as a typed failure
 * ({@link ChangedMeanwhile}, {@link SeatsChanged}, {@link Busy}). Only the level that reads can retry
 * correctly: after a lost race the state the plan was made on has changed, and re-sending the same
 * conditioned writes would fail the same way. One level also keeps the bound honest: attempts do not
 * multiply (a transaction retried inside a retried service was up to 30 transactions), and the worst
 * pause is one known sum. The SDK's own retries stay below, at the transport: they repeat one
 * identical request after throttling, a 5xx or a network error, and never see these failures.
 *
 * <p>Thread-safe; the random source is per thread unless one is given.
 */
public final class RetryPolicy {
    /** Every use case's policy: 6 attempts; pauses of at most 20, 40, 80, 160, 320 ms (avg. total about 0.3 s). */
    public static final RetryPolicy STANDARD = new RetryPolicy(6, Duration.ofMillis(10), Duration.ofMillis(400),
            RetryPolicy::sleep, null);

    /** The sleeper that waits for real (the thread sleeps the pause). */
    public static final Sleeper SLEEP = RetryPolicy::sleep;

    /** How the policy waits; tests record the pauses instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private final int maxAttempts;
    private final long baseMillis;
    private final long capMillis;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /** @param random null for a per-thread random source */
    public RetryPolicy(int maxAttempts, Duration base, Duration cap, Sleeper sleeper, RandomGenerator random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
        this.maxAttempts = maxAttempts;
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.sleeper = Objects.requireNonNull(sleeper);
        this.random = random;
    }

    /** The same bounds without waiting: for unit tests, where a pause proves nothing and costs time. */
    public static RetryPolicy withoutPauses(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ZERO, Duration.ZERO, pause -> { }, null);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Runs the step under the policy and answers what it answers. */
    public <T> T run(Supplier<T> step) {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                if (!(e instanceof Retryable) || attempt >= maxAttempts) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    public void run(Runnable step) {
        run(() -> {
            step.run();
            return null;
        });
    }

    /** The longest pause after the given failed attempt (1-based); the pause is drawn from zero to it. */
    long ceilingMillis(int attempt) {
        return Math.min(capMillis, baseMillis << Math.min(attempt, 20));
    }

    private void pause(int attempt) {
        long ceiling = ceilingMillis(attempt);
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        Duration pause = Duration.ofMillis(ceiling <= 0 ? 0 : r.nextLong(ceiling + 1));
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("Interrupted while waiting to retry; retry the request.", e);
        }
    }

    private static void sleep(Duration pause) throws InterruptedException {
        if (!pause.isZero()) {
            Thread.sleep(pause);
        }
    }
}
