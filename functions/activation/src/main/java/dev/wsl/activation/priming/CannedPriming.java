package dev.wsl.activation.priming;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.Env;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.store.ActivationStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SnapStart priming with real invocations: granted activations (or authorizations) of a generated
 * auth token through the real handler, service, decision and SDK client, against
 * {@link CannedDynamoDb}'s reads instead of the table. The function's composition root hands in how its
 * handler is made over a store ({@code handlers}): priming knows no handler, so nothing here points back up
 * at the code it primes. Nothing is read from or written to DynamoDB,
 * no log line is written and no metric counted (priming mutes them), so priming changes no state;
 * but the code of the whole request path runs {@code n} times before the snapshot, so that the JIT
 * has compiled it by then and a restored function starts with compiled code (docs/benchmarks.md,
 * "The JIT decision"). How many: {@code PRIMING_INVOCATIONS} in the function's environment (0, the
 * default, primes nothing this way), but never longer than {@link #BUDGET}: Lambda gives the init
 * before a SnapStart snapshot, {@code beforeCheckpoint} hooks included, 130 seconds (or the function's
 * timeout if that is longer), and a slower CPU than expected must cost compiled code, not the snapshot.
 */
public final class CannedPriming implements AutoCloseable {
    /** A handler of the activation function's, made over a store. */
    public interface ActivationHandlers
            extends Function<ActivationStore, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> {}

    /** A handler of the token authorizer's, made over a store. */
    public interface AuthorizerHandlers extends Function<ActivationStore, RequestStreamHandler> {}

    static final String PRIMING_INVOCATIONS = "PRIMING_INVOCATIONS";
    private static final String TABLE = "priming";
    /** The longest that priming invocations run, before the wait for the JIT ({@link #SETTLE_LIMIT}). */
    public static final Duration BUDGET = Duration.ofSeconds(45);
    /** How many invocations run between two looks at the clock. */
    public static final int BATCH = 100;
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);
    static final Duration SETTLE_POLL = Duration.ofMillis(200);
    private static final String WORKSPACE_ID = "ws_01m8fctfdzt12dh4hx4gk4scx6";
    private static final String MEMBER_ID = "m_01m8fcv3q5a2x0k7n1y6d4e8bz";
    private static final String USER_ID = "5b7c1e9a-3f0d-3c6e-9a41-2d8f6b0e7c13";

    private final String token = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
    private final DynamoDbClient dynamo = DynamoDbClient.builder()
            .httpClient(new CannedDynamoDb(TABLE, Secrets.sha256Hex(token), USER_ID, WORKSPACE_ID, MEMBER_ID))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMING", "priming")))
            .endpointOverride(URI.create("http://localhost"))
            .build();
    private final ActivationStore store = new ActivationStore(dynamo, TABLE);

    private CannedPriming() {}

    /** The number of priming invocations the function's environment asks for. */
    public static int fromEnvironment() {
        return Integer.parseInt(Env.optional(PRIMING_INVOCATIONS).orElse("0"));
    }

    /**
     * Runs {@code n} granted activations through a handler made by {@code handlers} over the canned reads (fewer
     * if {@link #BUDGET} runs out first).
     *
     * @return how many ran
     * @throws IllegalStateException if one is not granted (priming then fails and says so; it never blocks the snapshot)
     */
    public static int activations(int n, ActivationHandlers handlers) {
        return activations(n, BUDGET, handlers);
    }

    public static int activations(int n, Duration budget, ActivationHandlers handlers) {
        return run(n, budget, p -> {
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = handlers.apply(p.store);
            APIGatewayV2HTTPEvent event = p.activationEvent();
            return () -> {
                APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
                if (response.getStatusCode() != 200) {
                    throw new IllegalStateException("priming activation answered " + response.getStatusCode());
                }
            };
        });
    }

    /**
     * Runs {@code n} granted authorizations of a platform call through a handler made by {@code handlers} over
     * the canned reads (fewer if {@link #BUDGET} runs out first).
     *
     * @return how many ran
     */
    public static int authorizations(int n, AuthorizerHandlers handlers) {
        return authorizations(n, BUDGET, handlers);
    }

    public static int authorizations(int n, Duration budget, AuthorizerHandlers handlers) {
        return run(n, budget, p -> {
            RequestStreamHandler handler = handlers.apply(p.store);
            byte[] event = p.authorizerEvent();
            return () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(512);
                try {
                    handler.handleRequest(new ByteArrayInputStream(event), out, null);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!out.toString(StandardCharsets.UTF_8).startsWith("{\"isAuthorized\":true")) {
                    throw new IllegalStateException("priming authorization was refused");
                }
            };
        });
    }

    /**
     * Runs the invocation that {@code invocation} makes against fresh canned reads {@code n} times (within
     * {@code budget}), closes them, and waits for the JIT ({@link #settle}). Nothing at all when {@code n} is 0.
     */
    private static int run(int n, Duration budget, Function<CannedPriming, Runnable> invocation) {
        if (n <= 0) {
            return 0;
        }
        int ran;
        try (CannedPriming p = new CannedPriming()) {
            ran = repeat(n, budget, invocation.apply(p));
        }
        settle();
        return ran;
    }

    /** Runs {@code invocation} {@code n} times, or in whole batches of {@link #BATCH} until {@code budget} is spent. */
    private static int repeat(int n, Duration budget, Runnable invocation) {
        long deadline = System.nanoTime() + budget.toNanos();
        int i = 0;
        while (i < n) {
            invocation.run();
            i++;
            if (i % BATCH == 0 && System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        return i;
    }

    /**
     * Waits (at most {@link #SETTLE_LIMIT}) until the JIT has compiled what priming queued: compiler
     * threads caught mid-work by the snapshot would go on compiling after every restore, on the CPU
     * the first requests need.
     */
    static void settle() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long compiled = jit.getTotalCompilationTime();
            if (compiled == last) {
                return;
            }
            last = compiled;
            try {
                Thread.sleep(SETTLE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A handler and an event it grants against the canned reads. */
    public record CannedActivation(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                                   APIGatewayV2HTTPEvent event) {}

    /**
     * Exactly what {@link #activations} runs, for measuring it (infra/bench's cold-start probe); its
     * client is never closed, which is fine for a process that only measures.
     */
    public static CannedActivation cannedActivation(ActivationHandlers handlers) {
        CannedPriming p = new CannedPriming();
        return new CannedActivation(handlers.apply(p.store), p.activationEvent());
    }

    private APIGatewayV2HTTPEvent activationEvent() {
        return activationEvent(token);
    }

    /**
     * What API Gateway hands the activation function for the LocalStack client's {@code POST
     * /v1/license/request} with this auth token (payload format 2.0), for priming and for the benchmarks.
     */
    public static APIGatewayV2HTTPEvent activationEvent(String token) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("POST /v1/license/request")
                .withRawPath("/v1/license/request")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"" + token + "\"},"
                        + "\"product\":{\"name\":\"localstack-pro\",\"version\":\"2026.8.2\"},"
                        + "\"machine\":{\"id\":\"m1\",\"cli\":true,\"ci\":false,\"system\":\"Linux,6.1,x86_64\"}}")
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("Mc7UVioPPHcEKPA=")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withPath("/v1/license/request").build())
                        .build())
                .build();
    }

    private byte[] authorizerEvent() {
        String basic = Base64.getEncoder().encodeToString((":" + token).getBytes(StandardCharsets.UTF_8));
        return ("{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":\"priming\",\"routeKey\":\"GET /v1/license/info\","
                + "\"headers\":{\"authorization\":\"Basic " + basic + "\",\"user-agent\":\"priming\"},"
                + "\"requestContext\":{\"requestId\":\"priming\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
