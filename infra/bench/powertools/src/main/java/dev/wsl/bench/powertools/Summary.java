package dev.wsl.bench.powertools;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * What the activation function writes per invocation besides its answer, two ways: its summary
 * line (request id, function, route, workspace, user, credential kind, outcome, status, duration, cold
 * start) with the {@code Activations} metric (dimensions Service, CredentialKind, Outcome), through
 * {@code functions/telemetry} ({@link #telemetry}: one line, the metric embedded) and through
 * Powertools Logging (SLF4J on log4j2 with its Lambda JSON layout) and Metrics ({@link #powertools}:
 * a log line and an EMF line). The handler's own work is left out: it is the same either way.
 */
public final class Summary {
    private static final APIGatewayV2HTTPResponse OK = APIGatewayV2HTTPResponse.builder().withStatusCode(200).build();
    private static final String ROUTE = "POST /v1/license/request";
    private static final String WORKSPACE = "ws_01m8fctfdzt12dh4hx4gk4scx6";
    private static final String USER = "5b7c1e9a-3f0d-3c6e-9a41-2d8f6b0e7c13";

    private Summary() {}

    /** The activation's event, as far as the summary reads it. */
    public static APIGatewayV2HTTPEvent event() {
        return APIGatewayV2HTTPEvent.builder().withRouteKey(ROUTE)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("AhOA83bAsme8Vw==").build())
                .build();
    }

    /** As ActivationHandler does it: Invocation.http around the work, which counts and sets the fields. */
    public static APIGatewayV2HTTPResponse telemetry(APIGatewayV2HTTPEvent event, Context context) {
        return Invocation.http(event, context, invocation -> {
            invocation.count(Metric.ACTIVATIONS, 1);
            invocation.field("credentialKind", "auth-token");
            invocation.outcome("granted").workspace(WORKSPACE).field("userId", USER);
            return OK;
        });
    }

    /** Powertools' documented functional use (no AspectJ): withLogging around the work, Metrics flushed at its end. */
    static final class Powertools {
        private static final Logger LOG = LoggerFactory.getLogger(Summary.class);
        // No default dimension: Service goes into the same set as the others, as telemetry's metric has it (a
        // default dimension would make a dimension set, and so a metric, of its own).
        private static final Metrics METRICS = metrics();

        private static Metrics metrics() {
            Metrics metrics = MetricsBuilder.builder().withNamespace(Metric.NAMESPACE).build();
            metrics.clearDefaultDimensions();
            return metrics;
        }

        static APIGatewayV2HTTPResponse run(APIGatewayV2HTTPEvent event, Context context) {
            return PowertoolsLogging.withLogging(context, () -> {
                long started = System.nanoTime();
                APIGatewayV2HTTPResponse response = OK;
                METRICS.addDimension(DimensionSet.of(Metric.SERVICE, "activation", "CredentialKind", "auth-token",
                        "Outcome", "granted"));
                METRICS.addMetric("Activations", 1, MetricUnit.COUNT);
                LOG.info("invocation", entry("route", event.getRouteKey()),
                        entry("apiRequestId", event.getRequestContext().getRequestId()),
                        entry("workspaceId", WORKSPACE), entry("userId", USER), entry("credentialKind", "auth-token"),
                        entry("outcome", "granted"), entry("status", response.getStatusCode()),
                        entry("durationMs", (System.nanoTime() - started) / 1e6));
                METRICS.flush();
                return response;
            });
        }
    }

    public static APIGatewayV2HTTPResponse powertools(APIGatewayV2HTTPEvent event, Context context) {
        return Powertools.run(event, context);
    }
}
