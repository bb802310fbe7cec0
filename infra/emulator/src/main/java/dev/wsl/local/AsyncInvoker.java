package dev.wsl.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.local.SamTemplate.AsyncInvokeConfig;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Lambda's asynchronous invocation, which is how EventBridge rules and schedules invoke functions:
 * a function error is retried up to the function's {@code EventInvokeConfig.MaximumRetryAttempts}
 * (Lambda's default: 2), and an event that still fails goes to its {@code OnFailure} queue as
 * Lambda's invocation record (the event, the error, the attempts) or, without a destination, is
 * dropped with a log line, as Lambda would drop it. Retries follow at once (Lambda waits a minute,
 * then two); {@code MaximumEventAgeInSeconds} therefore never runs out locally.
 *
 * <p>EventBridge's and the scheduler's own dead-letter queues take what they could not hand to
 * Lambda at all; in process every hand-over succeeds, so locally only this path fills queues.
 * Thread-safe.
 */
final class AsyncInvoker {

    /**
     * How an asynchronous invocation ended.
     *
     * @param result          what the last attempt returned (null if it failed or returned null)
     * @param error           the last attempt's error, if it failed
     * @param attempts        invocations made (1 + retries)
     * @param deadLetterQueue the queue the failed event was sent to
     */
    record Outcome(Object result, Optional<Throwable> error, int attempts, Optional<String> deadLetterQueue) {
        boolean failed() {
            return error.isPresent();
        }
    }

    private final SamTemplate template;
    private final FunctionInvoker functions;
    private final DeadLetterQueues deadLetters;
    private final Clock clock;

    AsyncInvoker(SamTemplate template, FunctionInvoker functions, DeadLetterQueues deadLetters, Clock clock) {
        this.template = Objects.requireNonNull(template);
        this.functions = Objects.requireNonNull(functions);
        this.deadLetters = Objects.requireNonNull(deadLetters);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Invokes the function with the event, retrying and dead-lettering as configured. Nothing the
     * function throws escapes: the caller of an asynchronous invocation never sees it.
     *
     * @param event gives each attempt its own copy of the event, so that an attempt that changes
     *              its input does not change the next one's (or the dead letter)
     * @param what  names the event in log lines
     */
    Outcome invoke(String functionId, Supplier<?> event, String what) {
        AsyncInvokeConfig config = template.asyncInvokeConfig(functionId);
        int attempts = 0;
        Throwable error;
        do {
            attempts++;
            try {
                return new Outcome(functions.invoke(functionId, event.get()), Optional.empty(), attempts, Optional.empty());
            } catch (Exception | LinkageError e) {
                error = e;
                System.err.println("[async] " + what + " -> " + functionId + " failed (attempt " + attempts + " of "
                        + (1 + config.maximumRetryAttempts()) + "):");
                e.printStackTrace(System.err);
            }
        } while (attempts <= config.maximumRetryAttempts());

        if (config.onFailureQueue().isEmpty()) {
            System.err.printf("[async] %s -> %s: dropped after %d attempts (no on-failure destination; Lambda drops it too)%n",
                    what, functionId, attempts);
            return new Outcome(null, Optional.of(error), attempts, Optional.empty());
        }
        String queue = config.onFailureQueue().get();
        deadLetters.send(queue, Json.write(invocationRecord(functionId, event.get(), error, attempts)), Map.of());
        System.err.printf("[async] %s -> %s: failed after %d attempt(s), sent to %s%n", what, functionId, attempts, queue);
        return new Outcome(null, Optional.of(error), attempts, Optional.of(queue));
    }

    /** What Lambda sends to an asynchronous invocation's on-failure destination. */
    private ObjectNode invocationRecord(String functionId, Object event, Throwable error, int attempts) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", "arn:aws:lambda:" + LocalContext.REGION + ":" + LocalContext.ACCOUNT_ID
                + ":function:" + functionId);
        request.put("condition", "RetriesExhausted");
        request.put("approximateInvokeCount", attempts);
        record.set("requestPayload", Json.MAPPER.valueToTree(event));
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        ObjectNode payload = record.putObject("responsePayload");
        payload.put("errorMessage", String.valueOf(error.getMessage()));
        payload.put("errorType", error.getClass().getName());
        return record;
    }
}
