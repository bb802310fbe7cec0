package dev.wsl.activation;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.activation.priming.CannedDynamoDb;
import dev.wsl.activation.priming.CannedPriming;
import dev.wsl.core.FunctionConfig;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One successful license activation with a personal auth token, through
 * {@link ActivationHandler#handleRequest}, and beside it one granted authorization of a platform
 * call with the same token, through {@link TokenAuthorizerHandler#handleRequest} (the payload 2.0
 * authorizer event as API Gateway sends it, the token in the client's {@code Authorization: Basic}
 * header; the same two reads, no signature, a context instead of a license document). The activation: parse the body, check the token's format, hash it, GetItem
 * of its lookup item, BatchGetItem of the pool and the member, decide, sign the license (HMAC-SHA256)
 * and write the JSON answer. DynamoDB is a real {@code DynamoDbClient} whose HTTP client answers
 * from memory ({@link CannedDynamoDb}), so the figure is the function's own CPU cost per
 * activation without network time. Steady state: the token's use is already recorded for this
 * hour, so no usage write happens (the setup checks it). Each call writes its log line (with its
 * embedded metric) to stdout, a pipe drained by a {@code cat} process, as Lambda's stdout is a pipe.
 *
 * <p>{@code activateLambdaJit} and {@code authorizeLambdaJit} are the figures: its forks run with the JIT flags that
 * {@code template.yaml} gives the functions (JAVA_TOOL_OPTIONS {@code -XX:TieredStopAtLevel=1}, C1
 * only). {@code activateDefaultJit} is the same call with the JVM's default tiered C1+C2; C2 needs
 * about half a minute of a two-core machine to compile the SDK's request path, hence its longer
 * warm-up. In the handler's package so that it can use the handler's constructor that takes a
 * service even where that constructor is package-private. Run by
 * {@code infra/bench/activation-bench.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ActivationBenchmark {
    static final String TABLE = "wsl-bench";
    static final String WORKSPACE_ID = "ws_01m8fctfdzt12dh4hx4gk4scx6";
    static final String MEMBER_ID = "m_01m8fcv3q5a2x0k7n1y6d4e8bz";
    static final String USER_ID = "5b7c1e9a-3f0d-3c6e-9a41-2d8f6b0e7c13";

    /**
     * Where the invocations' log lines go: {@code pipe}, a pipe drained by another process (as in
     * Lambda); {@code devnull}, {@code /dev/null} (the write without a reader to wake).
     */
    @Param({"pipe"})
    public String stdout;

    private CannedDynamoDb http;
    private PrintStream terminal;
    private Process drain;
    private DynamoDbClient dynamo;
    private ActivationHandler handler;
    private APIGatewayV2HTTPEvent event;
    private TokenAuthorizerHandler authorizer;
    private byte[] authorizerEvent;

    @Setup
    public void setUp() throws IOException {
        // Each invocation writes its summary line to stdout, which in Lambda is a pipe the runtime reads:
        // here a pipe that another process drains, so that the figure includes writing the line.
        terminal = System.out;
        if (stdout.equals("devnull")) {
            System.setOut(new PrintStream(new java.io.FileOutputStream("/dev/null"), false, StandardCharsets.UTF_8));
        } else {
            drain = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            System.setOut(new PrintStream(drain.getOutputStream(), false, StandardCharsets.UTF_8));
        }
        String token = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        http = new CannedDynamoDb(TABLE, Secrets.sha256Hex(token), USER_ID, WORKSPACE_ID, MEMBER_ID);
        dynamo = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret")))
                .endpointOverride(URI.create("http://localhost"))
                .build();
        // No sunset plan: the template's default (it only ever concerns legacy keys).
        handler = new ActivationHandler(new ActivationService(new ActivationStore(dynamo, TABLE), Clock.systemUTC(),
                FunctionConfig.DEFAULT_REACTIVATE_AFTER, null));
        event = CannedPriming.activationEvent(token);
        verify(token);
        authorizer = new TokenAuthorizerHandler(new TokenAuthorizer(new LicenseDecision(new ActivationStore(dynamo, TABLE),
                Clock.systemUTC(), null)));
        authorizerEvent = authorizerEvent(token);
        verifyAuthorization(token);
    }

    /** An authorizer event as API Gateway sends it for a platform call of the LocalStack client. */
    private static byte[] authorizerEvent(String token) {
        String basic = java.util.Base64.getEncoder().encodeToString((":" + token).getBytes(StandardCharsets.UTF_8));
        return ("{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":\"arn:aws:execute-api:us-east-1:123456789012:"
                + "abcdef1234/$default/GET/v1/license/info\",\"identitySource\":null,\"routeKey\":\"GET /v1/license/info\","
                + "\"rawPath\":\"/v1/license/info\",\"rawQueryString\":\"\",\"headers\":{\"accept\":\"*/*\","
                + "\"accept-encoding\":\"gzip, deflate\",\"authorization\":\"Basic " + basic + "\",\"content-length\":\"0\","
                + "\"host\":\"abcdef1234.execute-api.us-east-1.amazonaws.com\",\"user-agent\":\"python-requests/2.32.3\","
                + "\"x-amzn-trace-id\":\"Root=1-6762c3a1-0c1b4b8e5f2a7d9e3c4b5a69\",\"x-forwarded-for\":\"203.0.113.7\","
                + "\"x-forwarded-port\":\"443\",\"x-forwarded-proto\":\"https\"},\"requestContext\":{\"accountId\":"
                + "\"123456789012\",\"apiId\":\"abcdef1234\",\"domainName\":\"abcdef1234.execute-api.us-east-1.amazonaws.com\","
                + "\"domainPrefix\":\"abcdef1234\",\"http\":{\"method\":\"GET\",\"path\":\"/v1/license/info\",\"protocol\":"
                + "\"HTTP/1.1\",\"sourceIp\":\"203.0.113.7\",\"userAgent\":\"python-requests/2.32.3\"},\"requestId\":"
                + "\"Mc7UVioPPHcEKPA=\",\"routeKey\":\"GET /v1/license/info\",\"stage\":\"$default\",\"time\":"
                + "\"30/Nov/2026:04:00:00 +0000\",\"timeEpoch\":1796011200000}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Fails the run unless one authorization is granted with exactly the two reads and no write. */
    private void verifyAuthorization(String token) {
        long gets = http.calls(CannedDynamoDb.GET_ITEM);
        long batches = http.calls(CannedDynamoDb.BATCH_GET_ITEM);
        String answer = authorizeOnce();
        if (!answer.startsWith("{\"isAuthorized\":true") || answer.contains(token)) {
            throw new IllegalStateException("authorization was not granted: " + answer);
        }
        if (http.calls(CannedDynamoDb.GET_ITEM) - gets != 1
                || http.calls(CannedDynamoDb.BATCH_GET_ITEM) - batches != 1
                || http.calls(CannedDynamoDb.UPDATE_ITEM) != 0) {
            throw new IllegalStateException("an authorization is 1 GetItem and 1 BatchGetItem, and writes nothing");
        }
    }

    private String authorizeOnce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            authorizer.handleRequest(new ByteArrayInputStream(authorizerEvent), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Fails the run unless one activation is granted, signed, and costs exactly the two reads. */
    private void verify(String token) {
        http.recording(true);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        http.recording(false);
        String body = response.getBody();
        if (response.getStatusCode() != 200 || body == null || !body.matches(".*\"signature\":\"[0-9a-f]{64}\".*")) {
            throw new IllegalStateException("activation was not granted: status " + response.getStatusCode() + " " + body);
        }
        String get = String.valueOf(http.lastRequest(CannedDynamoDb.GET_ITEM));
        String batch = String.valueOf(http.lastRequest(CannedDynamoDb.BATCH_GET_ITEM));
        if (!get.contains("CRED#" + Secrets.sha256Hex(token)) || !get.contains("\"ConsistentRead\":true")
                || !batch.contains("MEMBER#" + MEMBER_ID) || !batch.contains("\"ConsistentRead\":true")) {
            throw new IllegalStateException("unexpected requests: GetItem " + get + " BatchGetItem " + batch);
        }
        long gets = http.calls(CannedDynamoDb.GET_ITEM);
        long batches = http.calls(CannedDynamoDb.BATCH_GET_ITEM);
        long updates = http.calls(CannedDynamoDb.UPDATE_ITEM);
        if (gets != 1 || batches != 1 || updates != 0) {
            throw new IllegalStateException("expected 1 GetItem, 1 BatchGetItem, 0 UpdateItem; got "
                    + gets + ", " + batches + ", " + updates);
        }
    }

    @TearDown
    public void tearDown() {
        System.out.flush();
        System.setOut(terminal);
        if (drain != null) {
            drain.destroy();
        }
        long updates = http.calls(CannedDynamoDb.UPDATE_ITEM);
        if (updates > 0) {
            // Only when a UTC hour turned between the stub's answer and the service's clock.
            System.out.println("note: " + updates + " usage write(s) at an hour boundary");
        }
        dynamo.close();
    }

    @Benchmark
    @Fork(value = 3, jvmArgsAppend = {"-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"})
    public APIGatewayV2HTTPResponse activateLambdaJit() {
        return handler.handleRequest(event, null);
    }

    @Benchmark
    @Fork(2)
    @Warmup(iterations = 20, time = 2)
    public APIGatewayV2HTTPResponse activateDefaultJit() {
        return handler.handleRequest(event, null);
    }

    @Benchmark
    @Fork(value = 3, jvmArgsAppend = {"-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"})
    public String authorizeLambdaJit() {
        return authorizeOnce();
    }

    @Benchmark
    @Fork(2)
    @Warmup(iterations = 20, time = 2)
    public String authorizeDefaultJit() {
        return authorizeOnce();
    }

    /**
     * The part of {@code activateLambdaJit} that logging and metrics add: the summary line of a granted
     * activation, with its embedded metric, built and written to the pipe.
     */
    @Benchmark
    @Fork(value = 3, jvmArgsAppend = {"-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"})
    public void summaryLineLambdaJit() {
        summaryLine();
    }

    @Benchmark
    @Fork(2)
    @Warmup(iterations = 20, time = 2)
    public void summaryLineDefaultJit() {
        summaryLine();
    }

    private static void summaryLine() {
        Invocation.start(null, "POST /v1/license/request").field("apiRequestId", "Mc7UVioPPHcEKPA=")
                .field("credentialKind", "auth-token").outcome("granted").workspace(WORKSPACE_ID).field("userId", USER_ID)
                .field("memberId", MEMBER_ID).status(200).count(Metric.ACTIVATIONS, 1).finish();
    }
}
