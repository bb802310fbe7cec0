package dev.wsl.core.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final List<Duration> pauses = new ArrayList<>();
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50), pauses::add,
            new SplittableRandom(7));

    @Test
    void aRetryableFailure_shouldRunTheStepAgain_untilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();

        String answer = policy.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new ChangedMeanwhile("lost a race");
            }
            return "done";
        });

        assertThat(answer).isEqualTo("done");
        assertThat(calls).hasValue(3);
        assertThat(pauses).hasSize(2);
    }

    @Test
    void attempts_shouldBeBounded_andTheLastFailurePropagate() {
        AtomicInteger calls = new AtomicInteger();
        Busy last = new Busy("still busy", null);

        assertThatThrownBy(() -> policy.run(() -> {
            calls.incrementAndGet();
            throw calls.get() == 4 ? last : new Busy("busy", null);
        })).isSameAs(last);
        assertThat(calls).hasValue(4);
        assertThat(pauses).hasSize(3);
    }

    @Test
    void anAnswer_shouldPropagateAtOnce_withoutAPause() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> policy.run(() -> {
            calls.incrementAndGet();
            throw new NoFreeSeat("full", 1, 1, List.of());
        })).isInstanceOf(NoFreeSeat.class);
        assertThatThrownBy(() -> policy.run(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(2);
        assertThat(pauses).isEmpty();
    }

    @Test
    void pauses_shouldBeJittered_belowACeilingThatDoublesUpToTheCap() {
        RetryPolicy wide = new RetryPolicy(7, Duration.ofMillis(10), Duration.ofMillis(100), pauses::add,
                RandomGenerator.getDefault());

        assertThat(List.of(wide.ceilingMillis(1), wide.ceilingMillis(2), wide.ceilingMillis(3), wide.ceilingMillis(4)))
                .containsExactly(20L, 40L, 80L, 100L);
        for (int i = 0; i < 200; i++) {
            AtomicInteger calls = new AtomicInteger();
            wide.run(() -> {
                if (calls.incrementAndGet() < 3) {
                    throw new SeatsChanged();
                }
                return null;
            });
        }
        // 200 runs, each paused after attempt 1 (ceiling 20 ms) and 2 (ceiling 40 ms).
        List<Long> afterFirst = new ArrayList<>();
        List<Long> afterSecond = new ArrayList<>();
        for (int i = 0; i < pauses.size(); i++) {
            (i % 2 == 0 ? afterFirst : afterSecond).add(pauses.get(i).toMillis());
        }
        assertThat(afterFirst).allMatch(ms -> ms >= 0 && ms <= 20);
        assertThat(afterSecond).allMatch(ms -> ms >= 0 && ms <= 40);
        assertThat(afterSecond.stream().distinct().count()).as("jittered, not fixed").isGreaterThan(10);
        assertThat(afterSecond.stream().anyMatch(ms -> ms > 20)).as("the ceiling grows").isTrue();
    }

    @Test
    void anInterruptedPause_shouldEndTheRetries_asBusy_andKeepTheInterrupt() {
        RetryPolicy interrupted = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10), pause -> {
            throw new InterruptedException();
        }, null);

        assertThatThrownBy(() -> interrupted.run(() -> {
            throw new ChangedMeanwhile("raced");
        })).isInstanceOf(Busy.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();
    }
}
