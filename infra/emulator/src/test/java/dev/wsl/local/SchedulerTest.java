package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.local.testfns.ThrowingHandler;
import dev.wsl.local.testfns.TickHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private final SamTemplate template = TestTemplates.test();
    private final Scheduler scheduler = new Scheduler(template.scheduledFunctions(), new FunctionInvoker(template, Clock.systemUTC()));

    @Test
    void invokesAScheduledFunctionWithAnEmptyInput() {
        Map<String, Object> result = scheduler.invoke("TickFunction");
        assertThat(result).containsEntry("inputWasEmpty", true).containsKey("ticks");
        assertThat((Integer) result.get("remainingMs")).isBetween(59_000, 60_000);
    }

    @Test
    void onlyScheduledFunctionsCanBeInvoked() {
        assertThatThrownBy(() -> scheduler.invoke("EchoFunction")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startPlansEachScheduleAtItsNextTime_andOnlyOnDemandWhatItCannotEvaluate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-30T05:30:00Z"), java.time.ZoneOffset.UTC);
        Scheduler planned = new Scheduler(List.of(
                new SamTemplate.ScheduledFunction("DailyFunction", "c", "e", "cron(0 6 * * ? *)", true),
                new SamTemplate.ScheduledFunction("SweepFunction", "c", "e", "rate(5 minutes)", true),
                new SamTemplate.ScheduledFunction("LastDayFunction", "c", "e", "cron(0 6 L * ? *)", true),
                new SamTemplate.ScheduledFunction("OffFunction", "c", "e", "rate(1 minute)", false)),
                new FunctionInvoker(template, clock), clock);
        try {
            planned.start();

            assertThat(planned.planned()).containsOnly(
                    Map.entry("DailyFunction", Instant.parse("2026-11-30T06:00:00Z")),
                    Map.entry("SweepFunction", Instant.parse("2026-11-30T05:35:00Z")));
        } finally {
            planned.close();
        }
    }

    @Test
    void aScheduleWhoseTimeHasComeRuns_andIsPlannedNoFurtherWhenItWasOnce() throws Exception {
        int before = TickHandler.TICKS.get();
        // The scheduler's clock stands still a second before the run: it plans a timer of one second however
        // long this machine takes to get there (with the system clock, a slow start passed the instant first).
        Clock clock = Clock.fixed(Instant.parse("2026-11-30T05:59:59Z"), ZoneOffset.UTC);
        Scheduler once = new Scheduler(List.of(new SamTemplate.ScheduledFunction("TickFunction",
                TickHandler.class.getName(), "e", "at(2026-11-30T06:00:00)", true)), new FunctionInvoker(template, clock),
                clock);
        try {
            once.start();
            for (int i = 0; i < 100 && TickHandler.TICKS.get() == before; i++) {
                Thread.sleep(100);
            }

            assertThat(TickHandler.TICKS.get()).isGreaterThan(before);
            assertThat(once.planned()).isEmpty();
        } finally {
            once.close();
        }
    }

    @Test
    void aTimedRunThatFailsIsRetriedAsConfigured_thenRecordedInTheFunctionsQueue_andTheScheduleGoesOn() {
        RecordingDeadLetterQueues queues = new RecordingDeadLetterQueues();
        FunctionInvoker functions = new FunctionInvoker(template, Clock.systemUTC());
        Scheduler timed = new Scheduler(template.scheduledFunctions(), functions,
                new AsyncInvoker(template, functions, queues, Clock.systemUTC()));
        int attemptsBefore = ThrowingHandler.ATTEMPTS.get();

        assertThat(timed.runOnSchedule("FailingTickFunction")).isFalse();
        assertThat(timed.runOnSchedule("TickFunction")).isTrue();

        assertThat(ThrowingHandler.ATTEMPTS.get() - attemptsBefore).as("MaximumRetryAttempts: 0").isEqualTo(1);
        assertThat(queues.sent).singleElement().satisfies(sent -> {
            assertThat(sent.queue()).isEqualTo("FailedInvocationsQueue");
            assertThat(sent.body().path("requestPayload").isObject()).isTrue();
            assertThat(sent.body().path("requestPayload").isEmpty()).as("a schedule's input").isTrue();
            assertThat(sent.body().path("responsePayload").path("errorMessage").asText())
                    .isEqualTo("tick failed (expected by the test)");
        });
        assertThatThrownBy(() -> timed.runOnSchedule("EchoFunction")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratesAreParsed() {
        assertThat(scheduler.scheduled()).filteredOn(s -> s.functionLogicalId().equals("TickFunction")).singleElement()
                .satisfies(s -> assertThat(s.rate()).contains(Duration.ofMinutes(1)));
        assertThat(new SamTemplate.ScheduledFunction("F", "c", "e", "rate(2 hours)", true).rate()).contains(Duration.ofHours(2));
        assertThat(new SamTemplate.ScheduledFunction("F", "c", "e", "cron(0 12 * * ? *)", true).rate()).isEmpty();
    }
}
