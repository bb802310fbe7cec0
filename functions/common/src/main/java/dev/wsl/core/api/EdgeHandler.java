package dev.wsl.core.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Failure;
import dev.wsl.core.store.AwsClients;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;

/**
 * Base of every handler behind API Gateway (payload 2.0), whatever its protocol: the one catch site. A subclass
 * answers the request ({@link #respond}); what it throws becomes the answer of the {@link FailureRenderer} it was
 * built with: a {@link Failure} that protocol's refusal (outcome: its slug; a {@link Busy} table is also a warning),
 * an AWS call that still failed for a transient reason ({@link AwsClients#unavailable}) its 503, anything else its
 * generic answer to a bug, logged with the trace under the request id. Every request writes one summary line
 * ({@link Invocation#http}) and counts the route's {@link #metric()} if it has one.
 *
 * <p>Subclasses are thread-safe: the local runtime calls one instance from many threads.
 */
public abstract class EdgeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final FailureRenderer renderer;

    /** @param renderer the protocol's answers; not null */
    protected EdgeHandler(FailureRenderer renderer) {
        this.renderer = renderer;
    }

    /**
     * The answer to {@code event}; refusals are thrown as {@link Failure}s.
     *
     * @param requestId API Gateway's request id (else Lambda's), the one a caller quotes
     */
    protected abstract APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, String requestId,
                                                        Invocation invocation);

    /**
     * The metric this route counts once per request, with its {@code Outcome} dimension: the success
     * outcome, or the refusal's slug (e.g. {@code SeatAssignments}: assigned, no-free-seat, ...). None by default.
     */
    protected Metric metric() {
        return null;
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Invocation.http(event, context, invocation -> answer(event, context, invocation));
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Context context, Invocation invocation) {
        String requestId = requestId(event, context);
        Metric metric = metric();
        try {
            return respond(event, requestId, invocation);
        } catch (Failure e) {
            APIGatewayV2HTTPResponse refused = renderer.failure(e, requestId);
            if (refused == null) {
                throw e;
            }
            invocation.outcome(e.slug());
            if (e instanceof Busy) {
                invocation.warn();
            }
            return refused;
        } catch (RuntimeException e) {
            if (AwsClients.unavailable(e)) {
                // Nothing was written that the caller would have to undo (a transaction is whole or nothing; a
                // repeated one is recognised by its token): retrying later is safe, and the cause is in the log.
                invocation.failed(e).outcome(renderer.unavailableOutcome());
                return renderer.unavailable(requestId);
            }
            APIGatewayV2HTTPResponse internal = renderer.internal(requestId);
            if (internal == null) {
                throw e;
            }
            // The stack trace goes to the log under the request id; the caller only learns the id.
            invocation.failed(e).outcome("internal");
            return internal;
        } finally {
            if (metric != null) {
                invocation.count(metric, 1);
            }
        }
    }

    private static String requestId(APIGatewayV2HTTPEvent event, Context context) {
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return context == null ? "unknown" : context.getAwsRequestId();
    }
}
