package dev.wsl.activation;

import dev.wsl.core.FunctionConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many activation requests one source address may make: a token bucket per address, in this instance's
 * memory, so that a client that floods {@code /v1/license/request} or {@code /license/activate} (a CI loop
 * restarting LocalStack, a script gone wrong) is answered {@code 429} within microseconds, before any read,
 * and the table and the function's concurrency stay with everyone else. A good client pays no round trip for
 * it: one map lookup and a few arithmetic operations.
 *
 * <p>What it is not: a global limit. Each Lambda instance counts for itself, so a source spread over N
 * concurrent instances gets up to N times the rate; and it acts after API Gateway's route throttle, which counts
 * every request. It bounds what one client's requests cost the backend; a deliberate flood from many addresses
 * is WAF's to stop in front of the API (docs/capacity.md, "One client must not starve the others").
 *
 * <p>The source is API Gateway's {@code requestContext.http.sourceIp}: the address of the TCP connection (a
 * NAT's or a proxy's for the clients behind it), never a header the client writes. A bucket that is full again
 * is the same as none, so when more than {@value #MAX_SOURCES} addresses are tracked those are dropped; if every
 * one is still draining, a new address is let through untracked rather than refused. Thread-safe.
 */
final class SourceLimit {
    static final int MAX_SOURCES = 50_000;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond tokens added per second (the sustained rate a source may keep up)
     * @param burst     the bucket's size (what a source may send at once after a quiet while)
     */
    SourceLimit(double perSecond, int burst, LongSupplier nanos) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a source limit needs a positive rate and a burst of at least 1");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanos = nanos;
    }

    /**
     * The limit the function's configuration sets ({@code LICENSE_SOURCE_RATE} per second, {@code LICENSE_SOURCE_BURST}),
     * or null (no limit) when the rate is 0.
     */
    static SourceLimit of(FunctionConfig.SourceLimit config) {
        return config.perSecond() <= 0 ? null : new SourceLimit(config.perSecond(), config.burst(), System::nanoTime);
    }

    /**
     * Takes one request's token for the source; 0 when it may go on, else the whole seconds after which it will
     * have one again (for {@code Retry-After}). A request without a known source is never limited.
     */
    long take(String source) {
        if (source == null || source.isEmpty()) {
            return 0;
        }
        long now = nanos.getAsLong();
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= MAX_SOURCES && !dropFullBuckets(now)) {
                return 0;
            }
            bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, now));
        }
        return bucket.take(now);
    }

    /** Forgets the sources whose bucket has refilled (they are as if never seen); whether any was. */
    private boolean dropFullBuckets(long now) {
        return buckets.values().removeIf(b -> b.fullAt(now));
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized long take(long now) {
            tokens = Math.min(burst, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }

        synchronized boolean fullAt(long now) {
            return tokens + (now - at) * perNano >= burst;
        }
    }
}
