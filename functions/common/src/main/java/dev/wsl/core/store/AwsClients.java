package dev.wsl.core.store;

import dev.wsl.core.Env;
import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * How long the functions' AWS clients wait and how often they try, and what a call that still failed
 * means. Every client of every function gets these (DynamoDB through {@link DynamoClients}, KMS through
 * {@link KmsTokenSealer}, SES in the mailer), because the SDK's defaults fit none of them: a read that
 * hangs would wait 30 s per attempt (the URL-connection client's socket timeout), up to 9 attempts for
 * DynamoDB, far past a function's 15 s, API Gateway's 30 s and the LocalStack client's 10 s (which then
 * asks again, twice); and the caller would get a bare 500 from API Gateway instead of an answer.
 *
 * <ul>
 *   <li><b>Attempts</b>: 3 (the SDK's standard strategy, with its jittered back-off and its retry quota,
 *       which stops retrying when most calls fail: a sustained outage fails fast instead of tripling the load).
 *       Only the transport's failures are retried here: throttling, 5xx, network errors, timeouts. Lost
 *       races and busy tables are the use case's (core.failure.RetryPolicy), one level, not both.</li>
 *   <li><b>Time</b>: each attempt and the whole call are bounded ({@link #attemptTimeout}, {@link #callTimeout}),
 *       well under the function's timeout, so that the function itself answers: 503 with {@code Retry-After}
 *       on the management API and SCIM, {@code 503 licensing.server.busy} on activation, a denial from the
 *       token authorizer, a failed invocation for the asynchronous functions (whose retries and dead-letter
 *       queues then take over).</li>
 * </ul>
 *
 * <p>Locally the emulator answers one request at a time (moto behind its lock), so under the parallel tests
 * its answers take seconds where DynamoDB's take milliseconds; the local runtime therefore multiplies these
 * times by {@code SDK_TIMEOUT_SCALE} (never set in AWS). The fault tests run at scale 1.
 */
public final class AwsClients {
    /** Attempts per call, the first included. */
    public static final int MAX_ATTEMPTS = 3;
    static final String TIMEOUT_SCALE = "SDK_TIMEOUT_SCALE";

    /** The services' own timings, before the scale: DynamoDB answers in milliseconds, KMS and SES in tens to hundreds. */
    public enum Service {
        DYNAMODB(Duration.ofMillis(1000), Duration.ofMillis(4000)),
        KMS(Duration.ofMillis(2000), Duration.ofMillis(5000)),
        SES(Duration.ofMillis(3000), Duration.ofMillis(8000));

        private final Duration attempt;
        private final Duration call;

        Service(Duration attempt, Duration call) {
            this.attempt = attempt;
            this.call = call;
        }
    }

    private AwsClients() {}

    /** The configuration every client of {@code service} is built with. */
    public static ClientOverrideConfiguration configuration(Service service) {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
                .apiCallAttemptTimeout(attemptTimeout(service))
                .apiCallTimeout(callTimeout(service))
                .build();
    }

    /** How long one attempt may take before the SDK gives up on it (and tries again, within the call's time). */
    public static Duration attemptTimeout(Service service) {
        return service.attempt.multipliedBy(scale());
    }

    /** How long a call may take, its attempts and pauses together. */
    public static Duration callTimeout(Service service) {
        return service.call.multipliedBy(scale());
    }

    private static long scale() {
        return Env.optional(TIMEOUT_SCALE).map(Long::parseLong).filter(n -> n >= 1).orElse(1L);
    }

    /**
     * Whether a call failed for a reason another call a little later may not meet: throttling, a 5xx, no
     * answer in time, a network error (the SDK has already tried {@value #MAX_ATTEMPTS} times). Such a
     * failure is answered as "unavailable, retry" (503 with {@code Retry-After}); anything else is a bug or a
     * refusal and stays what it is.
     */
    public static boolean unavailable(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof AwsServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500;
            }
            if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
            if (e instanceof SdkClientException client) {
                // A network failure (reset, refused, closed); not a client that cannot be configured.
                return causedBy(client, IOException.class);
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (type.isInstance(e)) {
                return true;
            }
        }
        return false;
    }
}
