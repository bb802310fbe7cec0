package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.local.testfns.ThrowingHandler;
import java.time.Clock;
import java.time.Duration;
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
