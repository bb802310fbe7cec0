package dev.wsl.local;

import dev.wsl.local.SamTemplate.ScheduledFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the template's scheduled functions: on demand ({@link #invoke}, what {@code POST
 * /local/scheduled/{fn}} calls; synchronously: the caller sees the result or the error), and for
 * the run command on their schedule ({@link #start}), asynchronously as EventBridge Scheduler
 * invokes ({@link AsyncInvoker}: retries, then the function's on-failure queue):
 * {@code cron(...)} at the times it names (UTC, as AWS evaluates it without a time zone),
 * {@code rate(...)} every period from the start, {@code at(...)} once. A cron that uses what
 * {@link ScheduleExpression} does not support runs only on demand, and the log says so. The system
 * property {@value #INTERVAL_PROPERTY} (ISO-8601 like {@code PT30S}, or seconds) replaces every
 * schedule by that fixed rate, for demos that should not wait for 06:00. One timer thread: a long
 * run delays the others, as a single local worker would.
 */
public final class Scheduler implements AutoCloseable {

    public static final String INTERVAL_PROPERTY = "wsl.local.scheduleInterval";

    private final List<ScheduledFunction> scheduled;
    private final FunctionInvoker functions;
    private final AsyncInvoker async;
    private final Clock clock;
    private final Map<String, Instant> planned = new TreeMap<>();
    private ScheduledExecutorService timer;

    Scheduler(List<ScheduledFunction> scheduled, FunctionInvoker functions) {
        this(scheduled, functions, Clock.systemUTC());
    }

    Scheduler(List<ScheduledFunction> scheduled, FunctionInvoker functions, Clock clock) {
        this(scheduled, functions, new AsyncInvoker(functions.template(), functions, DeadLetterQueues.NONE, clock), clock);
    }

    /** @param async how the timer invokes: asynchronously, with the template's retries and failure destination */
    Scheduler(List<ScheduledFunction> scheduled, FunctionInvoker functions, AsyncInvoker async) {
        this(scheduled, functions, async, Clock.systemUTC());
    }

    Scheduler(List<ScheduledFunction> scheduled, FunctionInvoker functions, AsyncInvoker async, Clock clock) {
        this.scheduled = List.copyOf(scheduled);
        this.functions = functions;
        this.async = async;
        this.clock = clock;
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

    /** Starts a daemon timer that runs every enabled schedule at its next time, then plans the one after. */
    public synchronized void start() {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("scheduler").unstarted(r));
        // Planned runs are dropped on stop (a run in progress still finishes): stopping must not wait for 06:00.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer = executor;
        Instant started = clock.instant();
        Optional<Duration> override = override();
        for (ScheduledFunction s : scheduled) {
            if (!s.enabled()) {
                continue;
            }
            ScheduleExpression expression;
            try {
                expression = override.<ScheduleExpression>map(ScheduleExpression.Rate::new)
                        .orElseGet(() -> ScheduleExpression.parse(s.scheduleExpression()));
            } catch (IllegalArgumentException e) {
                System.err.printf("[scheduler] %s (%s) runs only on demand: %s%n", s.functionLogicalId(),
                        s.scheduleExpression(), e.getMessage());
                continue;
            }
            if (expression instanceof ScheduleExpression.Rate rate) {
                expression = rate.from(started);
            }
            plan(s, expression, started);
            System.err.printf("[scheduler] %s (%s%s) next at %s%n", s.functionLogicalId(), s.scheduleExpression(),
                    override.map(d -> ", every " + d + " by " + INTERVAL_PROPERTY).orElse(""),
                    planned.getOrDefault(s.functionLogicalId(), null));
        }
    }

    /** When each scheduled function runs next (absent: only on demand, or never again). */
    public synchronized Map<String, Instant> planned() {
        return Map.copyOf(planned);
    }

    private synchronized void plan(ScheduledFunction s, ScheduleExpression expression, Instant after) {
        if (timer == null) {
            return;
        }
        Optional<Instant> next = expression.next(after);
        if (next.isEmpty()) {
            planned.remove(s.functionLogicalId());
            return;
        }
        planned.put(s.functionLogicalId(), next.get());
        long delay = Math.max(0, Duration.between(clock.instant(), next.get()).toMillis());
        try {
            timer.schedule(() -> {
                run(s);
                plan(s, expression, next.get());
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            planned.remove(s.functionLogicalId());
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
            planned.clear();
        }
        if (t != null) {
            LocalThreads.stopGracefully(t);
        }
    }
}
