package dev.wsl.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The summary of one invocation, written as ONE JSON line when it finishes: who ({@code service},
 * {@code function_name}, {@code function_request_id}, {@code xray_trace_id} when Lambda traces it), what
 * ({@code route}: the route key, or the event source), about what ({@code workspaceId} and other ids, where
 * there are some), how it ended ({@code status}, {@code outcome}: e.g. {@code granted} or a refusal's code),
 * how long it took ({@code durationMs}), whether it was the instance's first ({@code cold_start}), and for a
 * failure the error with its causes and stack ({@code level} ERROR). The same line carries the invocation's
 * metrics in embedded metric format ({@link Metric}), so an invocation costs one write, whatever it counts.
 * The standard keys are Powertools for AWS Lambda's ({@code level}, {@code message}, {@code timestamp},
 * {@code service}, {@code cold_start}, {@code function_name}, {@code function_request_id},
 * {@code xray_trace_id}, {@code error.name/message/stack}, EMF's {@code _aws}), so that Logs Insights
 * queries written for Powertools read these lines too (docs/measurements.md says why not Powertools itself).
 *
 * <pre>{@code
 * return Invocation.run(context, "schedule", inv -> {
 *     ... inv.field("processed", n).count(Metric.INVITATION_EMAILS_SENT, sent);
 *     return result;
 * });
 * }</pre>
 * HTTP handlers get all of it by extending {@code HttpApiHandler}, or with one call,
 * {@link #http(APIGatewayV2HTTPEvent, Context, Function)}; other handlers with
 * {@link #run(Context, String, Function)}, or {@link #start} and {@link #finish} around their work.
 *
 * <p>Never put a secret, a request body or a header into a field: only ids, codes, counts. While an
 * invocation runs, {@link #current()} gives it to code deeper down (e.g. to count something), and
 * {@link Log}'s extra lines carry its request id and route. Confined to the invocation's thread.
 */
public final class Invocation {
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();
    /** Functions of this JVM that have finished an invocation (one in Lambda; all of them locally). */
    private static final Set<String> WARM = ConcurrentHashMap.newKeySet();
    private static final String FUNCTION_NAME = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    /** Powertools' {@code service}: its variable's value, else the product's name. */
    private static final String SERVICE = orElse(System.getenv("POWERTOOLS_SERVICE_NAME"), "workspace-licenses");
    /** Where Lambda's Java runtime puts the invocation's X-Ray trace header (before the variable, set once). */
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private final long startedNanos = System.nanoTime();
    private final String requestId;
    private final String function;
    private final String traceId = traceId(System.getProperty(TRACE_PROPERTY, System.getenv("_X_AMZN_TRACE_ID")));
    private String route;
    private String[] names = new String[12];
    private String[] values = new String[12];
    private boolean[] quoted = new boolean[12];
    private int fields;
    private int status = -1;
    private String level = "INFO";
    private Throwable error;
    private EmfMetrics metrics;
    private Map<String, String> dimensions;
    private boolean finished;

    private Invocation(String requestId, String function, String route) {
        this.requestId = requestId;
        this.function = function;
        this.route = route;
    }

    /**
     * Starts the summary of the invocation that {@code context} describes (null outside Lambda: the
     * function's name then comes from the environment, the request id is "unknown").
     *
     * @param route the route key ({@code POST /v1/license/request}) or the event source
     *              ({@code dynamodb-stream}, {@code schedule}, {@code eventbridge})
     */
    public static Invocation start(Context context, String route) {
        String requestId = context == null ? null : context.getAwsRequestId();
        String function = context == null ? null : context.getFunctionName();
        return start(requestId, function, route);
    }

    static Invocation start(String requestId, String function, String route) {
        Invocation invocation = new Invocation(requestId == null ? "unknown" : requestId,
                function != null ? function : FUNCTION_NAME != null ? FUNCTION_NAME : "unknown", route);
        CURRENT.set(invocation);
        return invocation;
    }

    /**
     * The summary of an API Gateway (payload 2.0) invocation around {@code handler}: the route key,
     * API Gateway's request id ({@code apiRequestId}, the access log's {@code requestId}), every path
     * parameter (they are ids), and the answer's status; a thrown error is logged and thrown on.
     * The handler may add fields, the outcome and metrics to the invocation it is given.
     */
    public static APIGatewayV2HTTPResponse http(APIGatewayV2HTTPEvent event, Context context,
                                                Function<Invocation, APIGatewayV2HTTPResponse> handler) {
        return run(context, routeOf(event), inv -> {
            var requestContext = event == null ? null : event.getRequestContext();
            if (requestContext != null) {
                inv.field("apiRequestId", requestContext.getRequestId());
            }
            if (event != null && event.getPathParameters() != null) {
                event.getPathParameters().forEach(inv::field);
            }
            APIGatewayV2HTTPResponse response = handler.apply(inv);
            if (response != null) {
                inv.status(response.getStatusCode());
            }
            return response;
        });
    }

    /**
     * The summary of an invocation around {@code work}, for any event source: {@code work} adds its
     * fields, outcome and metrics; a thrown error is logged (level ERROR, with its trace) and thrown on;
     * the line is written in the end either way.
     */
    public static <T> T run(Context context, String route, Function<Invocation, T> work) {
        Invocation inv = start(context, route);
        try {
            return work.apply(inv);
        } catch (RuntimeException | Error e) {
            inv.failed(e);
            throw e;
        } finally {
            inv.finish();
        }
    }

    private static String routeOf(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return "unknown";
        }
        if (event.getRouteKey() != null) {
            return event.getRouteKey();
        }
        var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        return http == null ? "unknown" : http.getMethod() + " " + http.getPath();
    }

    /**
     * Runs {@code work} as SnapStart priming: invocations in it build their lines (so that priming
     * compiles that code too) but write nothing, no metric counts a primed activation, and the
     * instance's first real invocation still says {@code cold_start}.
     */
    public static void priming(Runnable work) {
        try {
            LogLine.muted(work);
        } finally {
            WARM.clear();
        }
    }

    /** Appends who and what to a line of this invocation: service, function, request, trace and route. */
    LogLine context(LogLine line) {
        return line.field("service", SERVICE).field("function_name", function).field("function_request_id", requestId)
                .field("xray_trace_id", traceId).field("route", route);
    }

    /**
     * The trace id ({@code Root=1-5759e988-bd862e3fe1be46a994272793}) of an X-Ray trace header
     * ({@code Root=…;Parent=…;Sampled=1}), or null without one.
     */
    static String traceId(String header) {
        if (header == null) {
            return null;
        }
        int root = header.indexOf("Root=");
        if (root < 0) {
            return null;
        }
        int end = header.indexOf(';', root);
        return header.substring(root + 5, end < 0 ? header.length() : end);
    }

    private static String orElse(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** The invocation running on this thread, or null (outside an invocation, or on another thread). */
    public static Invocation current() {
        return CURRENT.get();
    }

    public String requestId() {
        return requestId;
    }

    public String function() {
        return function;
    }

    public String route() {
        return route;
    }

    /** The value of a string field set so far, or null. */
    public String get(String name) {
        for (int i = 0; i < fields; i++) {
            if (names[i].equals(name)) {
                return quoted[i] ? values[i] : null;
            }
        }
        return null;
    }

    /** Names the route once the event says it (e.g. the route an authorizer decides for). */
    public Invocation route(String route) {
        this.route = Objects.requireNonNull(route);
        return this;
    }

    /** The workspace the invocation concerns ({@code workspaceId}). */
    public Invocation workspace(String workspaceId) {
        return field("workspaceId", workspaceId);
    }

    /** How it ended: {@code ok}, {@code granted}, a refusal's code; also the {@code Outcome} dimension. */
    public Invocation outcome(String outcome) {
        return field("outcome", outcome);
    }

    /** The HTTP status of the answer. */
    public Invocation status(int status) {
        this.status = status;
        return this;
    }

    /** A string field; null values are left out; setting a name again replaces its value. */
    public Invocation field(String name, String value) {
        if (value != null) {
            put(name, value, true);
        }
        return this;
    }

    public Invocation field(String name, long value) {
        put(name, Long.toString(value), false);
        return this;
    }

    public Invocation field(String name, boolean value) {
        put(name, value ? "true" : "false", false);
        return this;
    }

    /** Marks the line as a warning (something an operator should look at, e.g. a partly failed batch). */
    public Invocation warn() {
        if (error == null) {
            level = "WARN";
        }
        return this;
    }

    /** The invocation failed: the line's level is ERROR and it carries the error, its causes and trace. */
    public Invocation failed(Throwable error) {
        this.error = Objects.requireNonNull(error);
        this.level = "ERROR";
        return this;
    }

    /** Sets a dimension's value for this line's metrics, instead of the field of the same name. */
    public Invocation dimension(String name, String value) {
        if (dimensions == null) {
            dimensions = new java.util.HashMap<>(4);
        }
        dimensions.put(name, Objects.requireNonNull(value));
        return this;
    }

    /**
     * Adds {@code n} to a metric of this line (zero is a value too: the metric then shows the
     * invocation happened and nothing was counted).
     *
     * @throws IllegalArgumentException for a metric of another service than the line's other metrics
     *                                  (one line has one {@code Service} dimension value)
     */
    public Invocation count(Metric metric, long n) {
        if (metrics == null) {
            metrics = new EmfMetrics();
        }
        metrics.count(metric, n);
        return this;
    }

    /** Writes the line (once; later calls do nothing) and ends the invocation on this thread. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
        long nanos = System.nanoTime() - startedNanos;
        long now = System.currentTimeMillis();
        if (get("outcome") == null) {
            // Every line has an outcome: the handler's, else what the status or a failure says.
            put("outcome", error != null ? "error" : status < 0 || status < 400 ? "ok" : "http-" + status, true);
        }
        LogLine line = context(new LogLine(error == null ? 1024 : 8192, now, level).field("message", "invocation"));
        StringBuilder out = line.builder();
        for (int i = 0; i < fields; i++) {
            out.append(",\"").append(names[i]).append("\":");
            if (quoted[i]) {
                JsonText.string(out, values[i]);
            } else {
                out.append(values[i]);
            }
        }
        if (status >= 0) {
            line.field("status", status);
        }
        line.millis("durationMs", nanos);
        line.field("cold_start", WARM.add(function));
        line.error(error);
        if (metrics != null && !metrics.isEmpty()) {
            metrics.appendTo(out, now, this::dimensionValue);
        }
        line.write();
    }

    private String dimensionValue(String dimension, String field) {
        String explicit = dimensions == null ? null : dimensions.get(dimension);
        if (explicit != null) {
            return explicit;
        }
        String value = get(field);
        return value == null ? "unknown" : value;
    }

    private void put(String name, String value, boolean isString) {
        for (int i = 0; i < fields; i++) {
            if (names[i].equals(name)) {
                values[i] = value;
                quoted[i] = isString;
                return;
            }
        }
        if (fields == names.length) {
            names = java.util.Arrays.copyOf(names, fields * 2);
            values = java.util.Arrays.copyOf(values, fields * 2);
            quoted = java.util.Arrays.copyOf(quoted, fields * 2);
        }
        names[fields] = name;
        values[fields] = value;
        quoted[fields++] = isString;
    }
}
