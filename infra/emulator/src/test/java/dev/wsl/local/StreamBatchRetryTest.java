package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.StreamBatchRetry.Discarded;
import dev.wsl.local.StreamBatchRetry.Result;
import dev.wsl.local.StreamBatchRetry.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Lambda's stream failure handling, record by record: which batches the function sees and what is
 * given up on. Records are plain sequence numbers here; a fake function decides what fails.
 */
class StreamBatchRetryTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the function moves forward on each invocation. */
    private static final class SteppingClock extends Clock {
        Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records every batch; throws on a batch that holds a poison record, or reports the poison as failed. */
    private static final class FakeFunction implements Function<List<String>, Result> {
        final List<List<String>> batches = new ArrayList<>();
        final Set<String> poison;
        final boolean throwsOnPoison;
        final Map<String, Integer> failOnce = new HashMap<>();

        FakeFunction(boolean throwsOnPoison, String... poison) {
            this.throwsOnPoison = throwsOnPoison;
            this.poison = Set.of(poison);
        }

        @Override
        public Result apply(List<String> batch) {
            batches.add(List.copyOf(batch));
            List<String> failed = new ArrayList<>();
            for (String record : batch) {
                boolean transientFailure = failOnce.merge(record, -1, Integer::sum) >= 0;
                if (poison.contains(record) || transientFailure) {
                    if (throwsOnPoison) {
                        return new Result.FunctionError(new IllegalStateException("poison " + record));
                    }
                    failed.add(record);
                }
            }
            return failed.isEmpty() ? new Result.Success() : new Result.ItemFailures(failed);
        }
    }

    private static List<Discarded<String>> deliver(Settings settings, FakeFunction function, String... records) {
        return deliver(settings, function, Clock.fixed(START, ZoneOffset.UTC), r -> START, records);
    }

    private static List<Discarded<String>> deliver(Settings settings, Function<List<String>, Result> function, Clock clock,
                                                   Function<String, Instant> arrival, String... records) {
        return new StreamBatchRetry<String>(settings, r -> r, arrival, clock, function).deliver(Arrays.asList(records));
    }

    @Test
    void aBatchThatSucceedsIsDeliveredOnce() {
        FakeFunction function = new FakeFunction(false);

        assertThat(deliver(new Settings(3, true, true, -1), function, "1", "2", "3")).isEmpty();
        assertThat(function.batches).containsExactly(List.of("1", "2", "3"));
    }

    @Test
    void itemFailuresAreRetriedFromTheLowestFailedRecord_thenGivenUpWithWhatRemains() {
        FakeFunction function = new FakeFunction(false, "3");

        List<Discarded<String>> discarded = deliver(new Settings(2, true, true, -1), function, "1", "2", "3", "4");

        // 1 and 2 are done at the first invocation; 3 and 4 are retried twice, then given up.
        assertThat(function.batches).containsExactly(List.of("1", "2", "3", "4"), List.of("3", "4"), List.of("3", "4"));
        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.records()).containsExactly("3", "4");
            assertThat(d.condition()).isEqualTo(StreamBatchRetry.RETRIES_EXHAUSTED);
            assertThat(d.approximateInvokeCount()).isEqualTo(3);
            assertThat(d.lastResult()).containsInstanceOf(Result.ItemFailures.class);
        });
    }

    @Test
    void aRecordThatFailsOnceIsDeliveredOnTheRetry() {
        FakeFunction function = new FakeFunction(false);
        function.failOnce.put("2", 1);

        assertThat(deliver(new Settings(1, false, true, -1), function, "1", "2", "3")).isEmpty();
        assertThat(function.batches).containsExactly(List.of("1", "2", "3"), List.of("2", "3"));
    }

    @Test
    void itemFailuresAreIgnoredUnlessTheMappingReportsThem() {
        FakeFunction function = new FakeFunction(false, "2");

        assertThat(deliver(new Settings(3, true, false, -1), function, "1", "2")).isEmpty();
        assertThat(function.batches).hasSize(1);
    }

    @Test
    void anEmptyFailureListIsASuccess_andAnUnknownIdentifierFailsTheWholeBatch() {
        List<List<String>> batches = new ArrayList<>();
        Function<List<String>, Result> emptyList = batch -> {
            batches.add(batch);
            return new Result.ItemFailures(List.of());
        };
        assertThat(deliver(new Settings(3, false, true, -1), emptyList, Clock.systemUTC(), r -> START, "1", "2")).isEmpty();
        assertThat(batches).hasSize(1);

        batches.clear();
        Function<List<String>, Result> unknown = batch -> {
            batches.add(batch);
            return new Result.ItemFailures(Arrays.asList("no-such-record", null));
        };
        List<Discarded<String>> discarded = deliver(new Settings(1, true, true, -1), unknown, Clock.systemUTC(), r -> START,
                "1", "2");
        assertThat(batches).containsExactly(List.of("1", "2"), List.of("1", "2"));
        assertThat(discarded).singleElement().extracting(Discarded::records).isEqualTo(List.of("1", "2"));
    }

    @Test
    void aFunctionErrorBisectsTheBatchUntilThePoisonIsAlone_withoutUsingUpRetries() {
        FakeFunction function = new FakeFunction(true, "3");

        List<Discarded<String>> discarded = deliver(new Settings(2, true, true, -1), function, "1", "2", "3", "4", "5");

        assertThat(function.batches).containsExactly(
                List.of("1", "2", "3", "4", "5"),
                List.of("1", "2"),            // first half: fine
                List.of("3", "4", "5"),       // second half fails: split again
                List.of("3"),                 // alone: invoked, then retried twice
                List.of("3"),
                List.of("3"),
                List.of("4", "5"));           // the rest of the batch is delivered
        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.records()).containsExactly("3");
            assertThat(d.condition()).isEqualTo(StreamBatchRetry.RETRIES_EXHAUSTED);
            assertThat(d.approximateInvokeCount()).isEqualTo(5); // twice in larger batches, three times alone
            assertThat(d.lastResult()).containsInstanceOf(Result.FunctionError.class);
        });
    }

    @Test
    void withoutBisectionAFunctionErrorRetriesAndGivesUpTheWholeBatch() {
        FakeFunction function = new FakeFunction(true, "2");

        List<Discarded<String>> discarded = deliver(new Settings(1, false, true, -1), function, "1", "2", "3");

        assertThat(function.batches).containsExactly(List.of("1", "2", "3"), List.of("1", "2", "3"));
        assertThat(discarded).singleElement().extracting(Discarded::records).isEqualTo(List.of("1", "2", "3"));
    }

    @Test
    void unboundedRetriesAreCappedLocally() {
        FakeFunction function = new FakeFunction(true, "1");

        List<Discarded<String>> discarded = deliver(new Settings(-1, true, true, -1), function, "1");

        assertThat(function.batches).hasSize(1 + StreamBatchRetry.UNBOUNDED_RETRY_CAP);
        assertThat(discarded).singleElement().extracting(Discarded::condition).isEqualTo(StreamBatchRetry.RETRIES_EXHAUSTED);
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreNotRetried() {
        SteppingClock clock = new SteppingClock();
        Map<String, Instant> arrivals = Map.of("1", START, "2", START.plusSeconds(50), "3", START.plusSeconds(100));
        List<List<String>> batches = new ArrayList<>();
        Function<List<String>, Result> failsEverythingSlowly = batch -> {
            batches.add(batch);
            clock.now = clock.now.plus(Duration.ofSeconds(60)); // each attempt takes a minute
            return new Result.ItemFailures(List.of(batch.getFirst()));
        };

        List<Discarded<String>> discarded = deliver(new Settings(10, false, true, 90), failsEverythingSlowly, clock,
                arrivals::get, "1", "2", "3");

        // Attempts at 0:00 and 1:00 see all three; at 2:00 "1" (arrived 0:00) is over 90 s old, at
        // 3:00 "2" (0:50), at 4:00 "3" (1:40): each is given up before the attempt it would be too old for.
        assertThat(batches).containsExactly(List.of("1", "2", "3"), List.of("1", "2", "3"), List.of("2", "3"), List.of("3"));
        assertThat(discarded).extracting(Discarded::records, Discarded::condition, Discarded::approximateInvokeCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(List.of("1"), StreamBatchRetry.RECORD_AGE_EXCEEDED, 2),
                        org.assertj.core.groups.Tuple.tuple(List.of("2"), StreamBatchRetry.RECORD_AGE_EXCEEDED, 3),
                        org.assertj.core.groups.Tuple.tuple(List.of("3"), StreamBatchRetry.RECORD_AGE_EXCEEDED, 4));
    }
}
