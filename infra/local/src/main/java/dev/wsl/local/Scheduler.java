package dev.wsl.local;

import dev.wsl.local.SamTemplate.ScheduledFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the template's scheduled functions: on demand ({@link #invoke}, synchronously: the caller
 * sees the result or the error), or on a fixed-delay timer ({@link #start}) for the run command,
 * asynchronously as EventBridge Scheduler invokes ({@link AsyncInvoker}: retries, then the
 * function's on-failure queue). {@code rate(...)} schedules keep their period; cron and
 * one-off expressions are not evaluated and run every {@link #DEFAULT_PERIOD}. The system property
 * {@value #INTERVAL_PROPERTY} (ISO-8601 like {@code PT30S}, or seconds) overrides every period,
 * so a demo need not wait five minutes for a sweep.
 */
public final class Scheduler implements AutoCloseable {

    public static final String INTERVAL_PROPERTY = "wsl.local.scheduleInterval";
    static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

    private final List<ScheduledFunction> scheduled;
    private final FunctionInvoker functions;
    private final AsyncInvoker async;
    private ScheduledExecutorService timer;

    Scheduler(List<ScheduledFunction> scheduled, FunctionInvoker functions) {
        this(scheduled, functions, new AsyncInvoker(functions.template(), functions, DeadLetterQueues.NONE, Clock.systemUTC()));
    }

    /** @param async how the timer invokes: asynchronously, with the template's retries and failure destination */
    Scheduler(List<ScheduledFunction> scheduled, FunctionInvoker functions, AsyncInvoker async) {
        this.scheduled = List.copyOf(scheduled);
        this.functions = functions;
        this.async = async;
    }

    /** The scheduled functions of the template. */
    public List<ScheduledFunction> scheduled() {
        return scheduled;
    }

    /**
     * Invokes a scheduled function now, with the empty input the scheduler sends, and returns its
     * result. What the handler throws propagates.
     *
     * @throws IllegalArgumentException if the function has no schedule in the template
     */
    public Map<String, Object> invoke(String functionLogicalId) {
        return invoke(functionLogicalId, Map.of());
    }

    /** As {@link #invoke(String)}, with an input (e.g. {@code {"dryRun": true}}) instead of the empty one. */
    public Map<String, Object> invoke(String functionLogicalId, Map<String, Object> given) {
        if (scheduled.stream().noneMatch(s -> s.functionLogicalId().equals(functionLogicalId))) {
            throw new IllegalArgumentException(functionLogicalId + " is not a scheduled function of the template");
        }
        Map<String, Object> input = new HashMap<>(given);
        return functions.invoke(functionLogicalId, input);
    }

    /** Starts a daemon timer for every enabled schedule. */
    public synchronized void start() {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("scheduler").unstarted(r));
        Optional<Duration> override = override();
        for (ScheduledFunction s : scheduled) {
            if (!s.enabled()) {
                continue;
            }
            Duration period = override.or(s::rate).orElse(DEFAULT_PERIOD);
            System.err.printf("[scheduler] %s (%s) every %s%n", s.functionLogicalId(), s.scheduleExpression(), period);
            timer.scheduleWithFixedDelay(() -> run(s), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs a scheduled function as its schedule does: asynchronously, with the template's retries
     * and on-failure queue ({@link AsyncInvoker}); nothing it throws escapes, as a failed run never
     * stops a schedule.
     *
     * @return whether the run (or one of its retries) succeeded
     * @throws IllegalArgumentException if the function has no schedule in the template
     */
    public boolean runOnSchedule(String functionLogicalId) {
        ScheduledFunction s = scheduled.stream().filter(f -> f.functionLogicalId().equals(functionLogicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(functionLogicalId + " is not a scheduled function of the template"));
        AsyncInvoker.Outcome outcome = async.invoke(s.functionLogicalId(), HashMap::new, "schedule " + s.eventName());
        if (!outcome.failed()) {
            System.err.printf("[scheduler] %s -> %s%n", s.functionLogicalId(), outcome.result());
        }
        return !outcome.failed();
    }

    private void run(ScheduledFunction s) {
        runOnSchedule(s.functionLogicalId());
    }

    private static Optional<Duration> override() {
        String value = System.getProperty(INTERVAL_PROPERTY);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(value.trim().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value.trim()))
                    : Duration.parse(value.trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(INTERVAL_PROPERTY + " must be seconds or an ISO-8601 duration: " + value, e);
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
