package dev.wsl.local;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Everything the template describes (table, sender identities, keys, queues, functions and their
 * event sources), running in this JVM against an AWS emulator: moto, started
 * here (the default), or whatever answers at {@code AWS_ENDPOINT_URL} (e.g. a LocalStack). Used
 * by the run command and by the tests, so both exercise the same wiring.
 *
 * <p>The handlers build their AWS clients with default configuration and read their settings with
 * {@code Env}; since environment variables cannot be set for an in-process handler, this sets JVM
 * system properties instead: {@code aws.region}, {@code aws.accessKeyId},
 * {@code aws.secretAccessKey}, {@code aws.endpointUrl}, and every function's environment from the
 * template, resolved with local values. All functions share them, so the template must not give
 * two functions different values for one variable.
 */
public final class LocalStackRuntime implements AutoCloseable {

    public static final String TABLE_NAME = "wsl-local";
    public static final String AUDIENCE = "wsl-local";
    public static final String SENDER_EMAIL = "no-reply@wsl.local";
    public static final int DEFAULT_PORT = 3000;
    static final String ACCESS_KEY = "test";

    /**
     * @param template the template to run
     * @param endpoint an emulator that is already running, or null to start moto
     * @param port     the port the local HTTP server is (or would be) on; it appears in the issuer
     *                 and app URLs that the functions see
     * @param functionsFront given the emulator's endpoint, the endpoint the functions' own SDK clients are to
     *                 use (e.g. a proxy in front of it that injects faults); null: the emulator itself. The
     *                 runtime's own clients (tables, queues, streams, sent mail) always use the emulator directly.
     */
    public record Options(SamTemplate template, URI endpoint, int port, java.util.function.UnaryOperator<URI> functionsFront) {
        public Options {
            Objects.requireNonNull(template);
        }

        public Options(SamTemplate template, URI endpoint, int port) {
            this(template, endpoint, port, null);
        }

        /** The discovered template, {@code $AWS_ENDPOINT_URL} if set, {@code $PORT} or 3000. */
        public static Options fromEnvironment() {
            String endpoint = System.getenv("AWS_ENDPOINT_URL");
            String port = System.getenv("PORT");
            return new Options(SamTemplate.discover(),
                    endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                    port == null || port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port));
        }

        public Options withEndpoint(URI value) {
            return new Options(template, value, port, functionsFront);
        }

        public Options withPort(int value) {
            return new Options(template, endpoint, value, functionsFront);
        }

        public Options withTemplate(SamTemplate value) {
            return new Options(value, endpoint, port, functionsFront);
        }

        public Options withFunctionsFront(java.util.function.UnaryOperator<URI> value) {
            return new Options(template, endpoint, port, value);
        }
    }

    private final Options options;
    private final MotoServer moto;
    private final LocalDns dns;
    private final URI endpoint;
    private final URI functionsEndpoint;
    private final EmulatorHttp.Kind kind;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient streams;
    private final SesClient ses;
    private final SqsClient sqs;
    private final SqsDeadLetterQueues queues;
    private final Provisioner provisioner;
    private final LocalValues values;
    private final DevIssuer issuer;
    private final JwtAuthorizer authorizer;
    private final LocalGateway gateway;
    private final StreamPump streamPump;
    private final Scheduler scheduler;
    private final EventBus eventBus;
    private final FunctionInvoker functions;
    private final FunctionLogs logs;

    private LocalStackRuntime(Options options, MotoServer moto, LocalDns dns, URI endpoint) {
        this.options = options;
        this.moto = moto;
        this.dns = dns;
        this.endpoint = endpoint;
        this.kind = moto != null ? EmulatorHttp.Kind.MOTO : EmulatorHttp.probe(endpoint);
        this.logs = FunctionLogs.install();
        this.functionsEndpoint = options.functionsFront() == null ? endpoint : options.functionsFront().apply(endpoint);
        setAwsProperties(functionsEndpoint);
        this.dynamoDb = client(DynamoDbClient.builder(), endpoint);
        this.streams = client(DynamoDbStreamsClient.builder(), endpoint);
        this.ses = client(SesClient.builder(), endpoint);
        this.sqs = client(SqsClient.builder(), endpoint);
        this.queues = new SqsDeadLetterQueues(sqs);
        this.provisioner = new Provisioner(dynamoDb, ses, client(KmsClient.builder(), endpoint));

        SamTemplate template = options.template();
        this.values = new LocalValues(template, options.port(), kind);
        Map<String, String> refValues = values.refValues();
        // Domain verification asks this runtime's DNS server on loopback, as it asks the function's resolver in AWS.
        refValues.put("DnsResolver", dns.resolver());
        provision();

        SamTemplate.JwtConfiguration jwt = template.jwtConfiguration(refValues).orElse(null);
        this.issuer = jwt == null ? new DevIssuer(refValues.get("JwtIssuer"), AUDIENCE)
                : new DevIssuer(jwt.issuer(), jwt.audiences().isEmpty() ? AUDIENCE : jwt.audiences().getFirst());
        this.authorizer = jwt == null ? null
                : new JwtAuthorizer(jwt.issuer(), jwt.audiences(), jwt.identityHeader(), issuer.keysById(), Clock.systemUTC());
        this.functions = new FunctionInvoker(template, Clock.systemUTC());
        AsyncInvoker async = new AsyncInvoker(template, functions, queues, Clock.systemUTC());
        this.gateway = new LocalGateway(template, authorizer, functions, Clock.systemUTC());
        this.streamPump = new StreamPump(dynamoDb, streams, TABLE_NAME, template.streamConsumers(), functions,
                queues, Clock.systemUTC());
        this.scheduler = new Scheduler(template.scheduledFunctions(), functions, async);
        this.eventBus = new EventBus(template.eventRules(), template.eventBuses(refValues), async, Clock.systemUTC());
    }

    /** Starts against {@code $AWS_ENDPOINT_URL}, else a moto of its own; see {@link Options#fromEnvironment()}. */
    public static LocalStackRuntime start() {
        return start(Options.fromEnvironment());
    }

    public static LocalStackRuntime start(Options options) {
        MotoServer moto = options.endpoint() == null ? MotoServer.start() : null;
        LocalDns dns = null;
        try {
            dns = LocalDns.start();
            return new LocalStackRuntime(options, moto, dns, moto != null ? moto.endpoint() : options.endpoint());
        } catch (RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            if (moto != null) {
                moto.close();
            }
            throw e;
        }
    }

    /** Creates what the template declares (table, senders, queues, keys) and sets the functions' environment. */
    private synchronized void provision() {
        values.provision(provisioner, queues);
    }

    /** What {@link #setParameters} changed: every parameter's value now, and the functions created afresh. */
    public record ParameterChange(Map<String, String> parameters, List<String> recreated) {}

    /**
     * Changes parameters while running, as a redeployment with other {@code --parameter-overrides}
     * would, without losing any state: the functions whose environment changes get fresh instances
     * (a new cold start: their static wiring reads the new values), created at once so that a value a
     * function refuses (e.g. an inconsistent sunset plan) is refused here and changes nothing.
     *
     * @throws IllegalArgumentException for a name that is no template parameter (or one the runtime
     *                                  sets itself), or a value a function cannot start with
     */
    public synchronized ParameterChange setParameters(Map<String, String> changes) {
        return values.setParameters(changes, functions);
    }

    /** The template's parameters and their values in this runtime (defaults, {@code PARAM_} overrides, changes). */
    public synchronized Map<String, String> parameters() {
        return values.parameters();
    }

    /**
     * Multiplies the functions' AWS timeouts (dev.wsl.core.store.AwsClients); never set in AWS. The emulator answers
     * one request at a time, so under parallel tests a request waits for all those before it: seconds, where
     * DynamoDB takes milliseconds. A value set for the JVM (or the environment) wins: the fault tests run at 1.
     */
    static final String SDK_TIMEOUT_SCALE = "SDK_TIMEOUT_SCALE";
    static final String LOCAL_SDK_TIMEOUT_SCALE = "10";

    private static void setAwsProperties(URI endpoint) {
        System.setProperty("aws.region", LocalContext.REGION);
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", ACCESS_KEY);
        System.setProperty("aws.endpointUrl", endpoint.toString());
        if (System.getProperty(SDK_TIMEOUT_SCALE) == null && System.getenv(SDK_TIMEOUT_SCALE) == null) {
            System.setProperty(SDK_TIMEOUT_SCALE, LOCAL_SDK_TIMEOUT_SCALE);
        }
    }

    /** A client of the runtime's own (not the functions'), straight to the emulator. */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(Region.of(LocalContext.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    // ------------------------------------------------------------------ accessors

    public SamTemplate template() {
        return options.template();
    }

    /** The emulator's endpoint, as given to the SDK. */
    public URI endpoint() {
        return endpoint;
    }

    /** Where the functions' own SDK clients send their requests: the emulator, or what stands in front of it. */
    public URI functionsEndpoint() {
        return functionsEndpoint;
    }

    /** Whether the emulator is a moto started by this runtime (else an external one). */
    public boolean ownsEmulator() {
        return moto != null;
    }

    public int port() {
        return options.port();
    }

    public String tableName() {
        return TABLE_NAME;
    }

    /** The functions' environment, as set in the system properties. */
    public synchronized Map<String, String> environment() {
        return values.environment();
    }

    /** The local values of parameters, resources ({@code Table}, {@code Table.Arn}) and pseudo parameters. */
    public synchronized Map<String, String> localValues() {
        return values.snapshot();
    }

    public DevIssuer issuer() {
        return issuer;
    }

    /** Null when the template's API has no JWT authorizer. */
    public JwtAuthorizer authorizer() {
        return authorizer;
    }

    public LocalGateway gateway() {
        return gateway;
    }

    public StreamPump streamPump() {
        return streamPump;
    }

    /**
     * Invokes a function an operator runs by hand ({@link SamTemplate#operatorFunctions()}, e.g. the upgrade
     * backfill) with the given input, synchronously, as {@code aws lambda invoke} does; what it throws propagates.
     *
     * @throws IllegalArgumentException for any other function
     */
    public Map<String, Object> invoke(String functionLogicalId, Map<String, Object> input) {
        if (!template().operatorFunctions().contains(functionLogicalId)) {
            throw new IllegalArgumentException(functionLogicalId + " is not a function an operator invokes");
        }
        return functions.invoke(functionLogicalId, new java.util.HashMap<>(input));
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** The DNS server on loopback that domain verification asks (publish TXT records on it). */
    public LocalDns dns() {
        return dns;
    }

    /** What the functions print: their JSON log lines and the metrics those carry (one per JVM). */
    public FunctionLogs logs() {
        return logs;
    }

    /** The default EventBridge bus, delivering to the template's {@code EventBridgeRule} functions. */
    public EventBus eventBus() {
        return eventBus;
    }

    /** A client for the emulator's DynamoDB (for tests and tools; handlers build their own). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    DynamoDbStreamsClient streams() {
        return streams;
    }

    /**
     * Takes (receives and deletes) every message now in one of the template's queues, e.g. a
     * dead-letter queue the stream pump, event bus or scheduler filled; returns their bodies.
     */
    public List<String> takeDeadLetters(String queueLogicalId) {
        return queues.take(queueLogicalId).stream().map(SqsDeadLetterQueues.DeadLetter::body).toList();
    }

    /** A token for a user, signed by this run's development issuer, valid for {@code ttl}. */
    public String token(String sub, String email, String name, Duration ttl) {
        return issuer.mint(sub, email, name, ttl);
    }

    /**
     * Everything sent through SES since start or the last {@link #reset()}, oldest first: from
     * moto's {@code /moto-api/data.json}, or LocalStack's {@code /_aws/ses}.
     */
    public List<SentEmail> sentEmails() {
        return switch (kind) {
            case MOTO -> EmulatorHttp.motoSentEmails(endpoint);
            case LOCALSTACK -> EmulatorHttp.localStackSentEmails(endpoint);
            case UNKNOWN -> throw new UnsupportedOperationException(
                    "cannot read sent mail from " + endpoint + ": neither moto nor LocalStack answers there");
        };
    }

    /**
     * A clean slate: empties the emulator (moto: everything; others: the table and LocalStack's
     * sent mail), provisions again and forgets stream positions.
     */
    public synchronized void reset() {
        streamPump.forget();
        dns.clear();
        switch (kind) {
            case MOTO -> EmulatorHttp.call(endpoint, "POST", "/moto-api/reset");
            case LOCALSTACK -> {
                provisioner.deleteTable(TABLE_NAME);
                EmulatorHttp.call(endpoint, "DELETE", "/_aws/ses");
            }
            case UNKNOWN -> provisioner.deleteTable(TABLE_NAME);
        }
        provision();
    }

    /**
     * For a process that closes this runtime in its own shutdown hook (the run command): the emulator
     * then stops in {@link #close()}, after the stream pump and the scheduler, never before them.
     */
    public void closeInOrderOnShutdown() {
        if (moto != null) {
            moto.stopOnlyOnClose();
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> closing = new ArrayList<>(List.of(scheduler, streamPump, dynamoDb, streams, ses, sqs, dns));
        if (moto != null) {
            closing.add(moto);
        }
        RuntimeException failure = null;
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the local runtime failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
