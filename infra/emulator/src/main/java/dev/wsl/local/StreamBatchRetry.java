package dev.wsl.local;

import dev.wsl.local.SamTemplate.StreamConsumer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a Lambda event source mapping on a stream does with a batch its function fails on, as its
 * {@code MaximumRetryAttempts}, {@code BisectBatchOnFunctionError}, {@code ReportBatchItemFailures}
 * and {@code MaximumRecordAgeInSeconds} say (free of AWS types, so that it is tested on its own):
 * <ul>
 *   <li>a success, or item failures while {@code ReportBatchItemFailures} is off: done;</li>
 *   <li>item failures: the records before the lowest reported one are done and the rest is retried
 *       (with bisection on, Lambda "bisects at the returned sequence number", which is the same); an
 *       identifier that is null, empty or not in the batch fails the whole batch, which is retried;</li>
 *   <li>a function error (the handler threw): with bisection on and more than one record, the batch is
 *       split in two halves delivered one after the other, each on its own; splitting uses up no retry.
 *       Otherwise the batch is retried;</li>
 *   <li>each retry counts against {@code MaximumRetryAttempts} ({@code -1}, "until the records
 *       expire", is capped at {@value #UNBOUNDED_RETRY_CAP} locally, where records never expire);
 *       records older than {@code MaximumRecordAgeInSeconds} are not invoked again.</li>
 * </ul>
 * Records given up on are returned as {@link Discarded} batches, in stream order, for the on-failure
 * destination. Unlike Lambda, retries follow at once rather than with back-off. Not thread-safe;
 * one instance per batch.
 *
 * @param <R> a stream record
 */
final class StreamBatchRetry<R> {

    /** AWS retries "forever" (until the record expires) for -1; locally that would hang a drain. */
    static final int UNBOUNDED_RETRY_CAP = 10;
    static final String RETRIES_EXHAUSTED = "RetryAttemptsExhausted";
    static final String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";

    /** The mapping's failure handling. {@code maximumRecordAgeInSeconds} -1 means no limit. */
    record Settings(int maximumRetryAttempts, boolean bisectBatchOnFunctionError, boolean reportBatchItemFailures,
                    int maximumRecordAgeInSeconds) {
        static Settings of(StreamConsumer consumer) {
            return new Settings(consumer.maximumRetryAttempts(), consumer.bisectBatchOnFunctionError(),
                    consumer.reportBatchItemFailures(), consumer.maximumRecordAgeInSeconds());
        }
    }

    /** What one invocation of the function on a batch gave. */
    sealed interface Result {
        /** The function returned without reporting failures. */
        record Success() implements Result {}

        /** The function returned {@code batchItemFailures} (identifiers as given, nulls included). */
        record ItemFailures(List<String> itemIdentifiers) implements Result {
            public ItemFailures {
                // may hold nulls (which fail the whole batch), so not List.copyOf
                itemIdentifiers = Collections.unmodifiableList(new ArrayList<>(itemIdentifiers));
            }
        }

        /** The function threw. */
        record FunctionError(Throwable error) implements Result {
            public FunctionError {
                Objects.requireNonNull(error);
            }
        }
    }

    /**
     * Records given up on, consecutive in the stream.
     *
     * @param condition              Lambda's reason: {@value #RETRIES_EXHAUSTED} or {@value #RECORD_AGE_EXCEEDED}
     * @param approximateInvokeCount invocations that included these records
     * @param lastResult             what the last of those invocations gave; empty if there was none
     */
    record Discarded<R>(List<R> records, String condition, int approximateInvokeCount, Optional<Result> lastResult) {
        Discarded {
            records = List.copyOf(records);
        }
    }

    private final Settings settings;
    private final Function<R, String> sequenceNumber;
    private final Function<R, Instant> arrival;
    private final Clock clock;
    private final Function<List<R>, Result> function;

    /**
     * @param sequenceNumber what an item failure's identifier names
     * @param arrival        when a record arrived in the stream (for the record age)
     * @param function       invokes the function on a batch
     */
    StreamBatchRetry(Settings settings, Function<R, String> sequenceNumber, Function<R, Instant> arrival, Clock clock,
                     Function<List<R>, Result> function) {
        this.settings = Objects.requireNonNull(settings);
        this.sequenceNumber = Objects.requireNonNull(sequenceNumber);
        this.arrival = Objects.requireNonNull(arrival);
        this.clock = Objects.requireNonNull(clock);
        this.function = Objects.requireNonNull(function);
    }

    /** Delivers the batch, with retries and bisection, and returns what was given up on. */
    List<Discarded<R>> deliver(List<R> batch) {
        List<Discarded<R>> discarded = new ArrayList<>();
        deliver(List.copyOf(batch), 0, 0, discarded);
        return discarded;
    }

    private void deliver(List<R> batch, int retriesSoFar, int invocationsSoFar, List<Discarded<R>> discarded) {
        int maxRetries = settings.maximumRetryAttempts() < 0 ? UNBOUNDED_RETRY_CAP : settings.maximumRetryAttempts();
        List<R> remaining = batch;
        int retries = retriesSoFar;
        int invocations = invocationsSoFar;
        Optional<Result> last = Optional.empty();
        while (true) {
            remaining = withoutExpired(remaining, invocations, last, discarded);
            if (remaining.isEmpty()) {
                return;
            }
            Result result = function.apply(remaining);
            invocations++;
            last = Optional.of(result);
            switch (result) {
                case Result.Success success -> {
                    return;
                }
                case Result.ItemFailures failures -> {
                    if (!settings.reportBatchItemFailures()) {
                        return; // Lambda ignores the response unless the mapping asks for it
                    }
                    int firstFailed = firstFailed(remaining, failures);
                    if (firstFailed == remaining.size()) {
                        return; // an empty list is a success
                    }
                    remaining = remaining.subList(firstFailed, remaining.size());
                }
                case Result.FunctionError error -> {
                    if (settings.bisectBatchOnFunctionError() && remaining.size() > 1) {
                        int half = remaining.size() / 2;
                        deliver(remaining.subList(0, half), retries, invocations, discarded);
                        deliver(remaining.subList(half, remaining.size()), retries, invocations, discarded);
                        return;
                    }
                }
            }
            if (retries >= maxRetries) {
                discarded.add(new Discarded<>(remaining, RETRIES_EXHAUSTED, invocations, last));
                return;
            }
            retries++;
        }
    }

    /** Index of the lowest failed record; 0 for an identifier that names none; the size for no failures. */
    private int firstFailed(List<R> batch, Result.ItemFailures failures) {
        int first = batch.size();
        for (String id : failures.itemIdentifiers()) {
            int index = -1;
            for (int i = 0; i < batch.size() && id != null && !id.isEmpty(); i++) {
                if (id.equals(sequenceNumber.apply(batch.get(i)))) {
                    index = i;
                    break;
                }
            }
            first = Math.min(first, index < 0 ? 0 : index);
        }
        return first;
    }

    /** The batch without its leading records that are older than the maximum age (those are discarded). */
    private List<R> withoutExpired(List<R> batch, int invocations, Optional<Result> last, List<Discarded<R>> discarded) {
        if (settings.maximumRecordAgeInSeconds() < 0) {
            return batch;
        }
        Instant oldestAllowed = clock.instant().minus(Duration.ofSeconds(settings.maximumRecordAgeInSeconds()));
        int expired = 0;
        while (expired < batch.size() && arrival.apply(batch.get(expired)).isBefore(oldestAllowed)) {
            expired++;
        }
        if (expired > 0) {
            discarded.add(new Discarded<>(batch.subList(0, expired), RECORD_AGE_EXCEEDED, invocations, last));
        }
        return batch.subList(expired, batch.size());
    }
}
