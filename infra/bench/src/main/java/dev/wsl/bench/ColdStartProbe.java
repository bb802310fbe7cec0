package dev.wsl.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.ActivationService;
import dev.wsl.activation.TokenAuthorizerHandler;
import dev.wsl.activation.priming.CannedDynamoDb;
import dev.wsl.activation.priming.CannedPriming;
import dev.wsl.core.FunctionConfig;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.members.InviteMemberHandler;
import dev.wsl.telemetry.Invocation;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One cold invocation in a fresh JVM, timed from the process start. {@code invite} builds the
 * real invite handler (as Lambda would) and calls it once with a payload 2.0 event;
 * {@code activate} builds the real activation handler and activates a license once with a
 * personal auth token, as the LocalStack client posts it to {@code /v1/license/request} (a
 * refusal prints the answer and exits 1); {@code authorize} builds the real token authorizer and
 * authorizes one platform call with a personal auth token in the client's {@code Authorization:
 * Basic} header (a refusal exits 1); {@code getitem} is the floor: a bare SDK client doing one GetItem. Run by {@code infra/bench/cold-start.sh},
 * which supplies the emulator and a seeded workspace. No JSON library here beyond what the handlers load themselves.
 *
 * <p>Usage: {@code invite <workspaceId> <sub> <email>}, {@code activate <authToken>},
 * {@code authorize <authToken>} or {@code getitem} (the console and SCIM: {@link Pages}); and {@code primed <priming activations> <measured
 * activations> [canned|foreign]}, no emulator needed ({@link #primed}; run by {@code infra/bench/jit-priming.sh})
 */
public final class ColdStartProbe {
    private ColdStartProbe() {}

    public static void main(String[] args) {
        if (args[0].equals("primed")) {
            primed(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args.length > 3 && args[3].equals("foreign"));
            return;
        }
        String outcome;
        if (args[0].equals("invite")) {
            var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(Map.of("sub", args[2], "email", args[3], "email_verified", "true")).build();
            var event = APIGatewayV2HTTPEvent.builder()
                    .withRouteKey("POST /workspaces/{workspaceId}/members")
                    .withPathParameters(Map.of("workspaceId", args[1]))
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody("{\"name\":\"Probe\",\"email\":\"probe-" + System.nanoTime() + "@example.com\"}")
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("probe")
                            .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build())
                            .build())
                    .build();
            outcome = "status " + new InviteMemberHandler().handleRequest(event, null).getStatusCode();
        } else if (args[0].equals("activate")) {
            var event = CannedPriming.activationEvent(args[1]);
            APIGatewayV2HTTPResponse response = new ActivationHandler().handleRequest(event, null);
            if (response.getStatusCode() != 200 || response.getBody() == null
                    || !response.getBody().contains("\"signature\":\"")) {
                System.err.println("activation refused: status " + response.getStatusCode() + " " + response.getBody());
                System.exit(1);
            }
            outcome = "status " + response.getStatusCode();
        } else if (args[0].equals("authorize")) {
            String basic = Base64.getEncoder().encodeToString((":" + args[1]).getBytes(StandardCharsets.UTF_8));
            String event = "{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":\"arn:aws:execute-api:us-east-1:"
                    + "123456789012:probe/$default/GET/v1/license/info\",\"routeKey\":\"GET /v1/license/info\","
                    + "\"rawPath\":\"/v1/license/info\",\"headers\":{\"authorization\":\"Basic " + basic + "\","
                    + "\"user-agent\":\"python-requests/2.32.3\"},\"requestContext\":{\"requestId\":\"probe\"}}";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                new TokenAuthorizerHandler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                        out, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String answer = out.toString(StandardCharsets.UTF_8);
            if (!answer.startsWith("{\"isAuthorized\":true")) {
                System.err.println("authorization refused: " + answer);
                System.exit(1);
            }
            outcome = "authorized";
        } else {
            try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
                outcome = "found " + !dynamo.getItem(b -> b.tableName(System.getProperty("TABLE_NAME"))
                        .key(Map.of("PK", AttributeValue.fromS("WS#none"), "SK", AttributeValue.fromS("WORKSPACE"))))
                        .item().isEmpty();
            }
        }
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        System.out.println(args[0] + " " + outcome + " first response after "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    /**
     * What a function restored from a SnapStart snapshot taken after {@code primed} priming
     * activations would spend on its next {@code measured} activations, in CPU (the reads are canned,
     * as in the JMH benchmark): a fresh JVM makes one activation with the handler it will measure (in
     * the function, the priming request on the real table) and {@code primed - 1} more with the
     * production priming ({@link CannedPriming}, log lines muted as in Lambda, then waiting for the JIT
     * to finish), then times each further activation of that handler, its summary line written to a
     * pipe that another process drains (as Lambda's stdout). Prints one
     * line: the priming's wall time, the JIT's compile time by then, and the activations' latencies in
     * microseconds (first, and medians of 2–10, 11–100, 101–1,000 and the rest).
     *
     * <p>With {@code foreign}, the first activation and the measured ones go through a handler whose
     * client has another HTTP client class and another response stream class than the one priming ran
     * on, as the function's own URL-connection client has after priming on the canned one: code that
     * the JIT compiled for the canned client's types meets a type it never saw, deoptimises and is
     * compiled again. That is the cost of priming against canned reads that the plain run leaves out.
     */
    private static void primed(int primed, int measured, boolean foreign) {
        PrintStream terminal = System.out;
        Process drain;
        try {
            drain = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setOut(new PrintStream(drain.getOutputStream(), false, StandardCharsets.UTF_8));
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        // The function's own client has served one request before the snapshot (the priming call on the
        // real table); the rest of the priming runs on the canned client, as in production.
        CannedPriming.CannedActivation canned = foreign ? foreignActivation()
                : CannedPriming.cannedActivation(ColdStartProbe::handlerOver);
        Invocation.priming(() -> {
            canned.handler().handleRequest(canned.event(), null);
            CannedPriming.activations(primed - 1, ColdStartProbe::handlerOver);
        });
        long primingMillis = (System.nanoTime() - start) / 1_000_000;
        long compiledMillis = jit.getTotalCompilationTime();
        long[] micros = new long[measured];
        for (int i = 0; i < measured; i++) {
            long t = System.nanoTime();
            APIGatewayV2HTTPResponse response = canned.handler().handleRequest(canned.event(), null);
            micros[i] = (System.nanoTime() - t) / 1_000;
            if (response.getStatusCode() != 200) {
                throw new IllegalStateException("activation " + (i + 1) + " answered " + response.getStatusCode());
            }
        }
        System.out.flush();
        System.setOut(terminal);
        drain.destroy();
        terminal.printf("primed %d%s: priming %d ms, JIT %d ms; activations (µs): first %d, 2-10 %d, 11-100 %d, "
                        + "101-1000 %d, 1001-%d %d%n", primed, foreign ? " foreign" : "", primingMillis, compiledMillis, micros[0],
                median(micros, 1, 10), median(micros, 10, 100), median(micros, 100, 1000), measured,
                median(micros, 1000, measured));
    }

    /**
     * An activation handler like the function's, against the same canned answers, but through HTTP
     * client and response stream classes of its own (a delegating client; the body re-wrapped in a
     * {@link BufferedInputStream}), which priming never runs.
     */
    private static CannedPriming.CannedActivation foreignActivation() {
        String token = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        CannedDynamoDb answers = new CannedDynamoDb("probe", Secrets.sha256Hex(token),
                "5b7c1e9a-3f0d-3c6e-9a41-2d8f6b0e7c13", "ws_01m8fctfdzt12dh4hx4gk4scx6", "m_01m8fcv3q5a2x0k7n1y6d4e8bz");
        SdkHttpClient foreign = new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                ExecutableHttpRequest inner = answers.prepareRequest(request);
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        HttpExecuteResponse response = inner.call();
                        return HttpExecuteResponse.builder().response(response.httpResponse())
                                .responseBody(AbortableInputStream.create(
                                        new BufferedInputStream(response.responseBody().orElseThrow())))
                                .build();
                    }

                    @Override
                    public void abort() {
                        inner.abort();
                    }
                };
            }

            @Override
            public String clientName() {
                return "ProbeForeign";
            }

            @Override
            public void close() {}
        };
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(foreign).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPROBE", "probe")))
                .endpointOverride(URI.create("http://localhost")).build();
        return new CannedPriming.CannedActivation(handlerOver(new ActivationStore(dynamo, "probe")),
                CannedPriming.activationEvent(token));
    }

    /** An activation handler like the function's (as its composition root makes priming's) over {@code store}. */
    private static ActivationHandler handlerOver(ActivationStore store) {
        return new ActivationHandler(new ActivationService(store, Clock.systemUTC(), FunctionConfig.DEFAULT_REACTIVATE_AFTER,
                null));
    }

    private static long median(long[] values, int from, int to) {
        if (from >= Math.min(to, values.length)) {
            return -1;
        }
        long[] part = java.util.Arrays.copyOfRange(values, from, Math.min(to, values.length));
        java.util.Arrays.sort(part);
        return part[part.length / 2];
    }
}
