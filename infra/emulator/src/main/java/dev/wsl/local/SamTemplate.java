package dev.wsl.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-only view of the SAM template, the single source of truth for routes, functions, the
 * table and their configuration. The local runtime derives everything it emulates from here so
 * that a change to {@code template.yaml} cannot silently diverge from what runs locally.
 *
 * <p>CloudFormation short-form tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, ...) are
 * turned into their long form ({@code {"Ref": x}}, {@code {"Fn::GetAtt": [r, a]}}, ...), so
 * callers only ever see plain maps, lists and scalars.
 *
 * <p>This class is the vocabulary (the records) and the one entry point; each concern is read by its own class:
 * the YAML and its navigation ({@link TemplateDocument}), intrinsics, conditions and rules ({@link TemplateIntrinsics}),
 * functions and their environment ({@link TemplateFunctions}), the HTTP API ({@link TemplateRoutes}), the table
 * ({@link TemplateTable}), and streams, schedules and event rules ({@link TemplateEvents}).
 */
public final class SamTemplate {

    /** System property naming the template file; wins over discovery. */
    public static final String TEMPLATE_PROPERTY = "wsl.template";

    private static final Pattern RATE = Pattern.compile(
            "rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    private final TemplateDocument doc;
    private final TemplateIntrinsics intrinsics;
    private final TemplateFunctions functions;
    private final TemplateRoutes routes;
    private final TemplateTable table;
    private final TemplateEvents events;

    private SamTemplate(TemplateDocument doc) {
        this.doc = doc;
        this.intrinsics = new TemplateIntrinsics(doc);
        this.functions = new TemplateFunctions(doc, intrinsics);
        this.routes = new TemplateRoutes(doc, intrinsics);
        this.table = new TemplateTable(doc);
        this.events = new TemplateEvents(doc, intrinsics, routes);
    }

    /** Parses a template file. */
    public static SamTemplate load(Path path) {
        return new SamTemplate(TemplateDocument.load(path));
    }

    /** Parses template text (YAML, short-form tags allowed). */
    public static SamTemplate parse(String yaml) {
        return new SamTemplate(TemplateDocument.parse(yaml));
    }

    /**
     * Finds the project's template: the {@value #TEMPLATE_PROPERTY} system property, else the
     * nearest {@code template.yaml} in the working directory or its ancestors, else the copy the
     * build packs into the runnable jar (so the jar works from any directory).
     */
    public static SamTemplate discover() {
        return new SamTemplate(TemplateDocument.discover());
    }

    /** The nearest {@code template.yaml} in {@code start} or one of its ancestors. */
    public static Optional<Path> findUpwards(Path start) {
        return TemplateDocument.findUpwards(start);
    }

    /** Parameters that declare a {@code Default}, by name, as the string CloudFormation would pass. */
    public Map<String, String> parameterDefaults() {
        return doc.parameterDefaults();
    }

    /** Logical ids of all {@code AWS::Serverless::Function} resources, in template order. */
    public List<String> functionIds() {
        return doc.functionIds();
    }

    /** The class part of the function's {@code Handler} ({@code pkg.Class::method} → {@code pkg.Class}). */
    public String handlerClass(String functionId) {
        return doc.handlerClass(functionId);
    }

    /** The function's {@code CodeUri} (own, else Globals), e.g. {@code functions/members}. */
    public String codeUri(String functionId) {
        return functions.codeUri(functionId);
    }

    /** The function's {@code Timeout} (own, else Globals, else Lambda's default of 3 s). */
    public Duration timeout(String functionId) {
        return functions.timeout(functionId);
    }

    /** The function's {@code MemorySize} (own, else Globals, else Lambda's default of 128 MB). */
    public int memorySize(String functionId) {
        return functions.memorySize(functionId);
    }

    /**
     * The function's environment: {@code Globals.Function.Environment.Variables} overlaid with its
     * own. Intrinsics are resolved against {@code refValues} (parameter values, resource names,
     * {@code Logical.Attribute} for {@code GetAtt}, pseudo parameters), then parameter defaults.
     *
     * @throws IllegalArgumentException naming the variable whose value cannot be resolved
     */
    public Map<String, String> environment(String functionId, Map<String, String> refValues) {
        return functions.environment(functionId, refValues);
    }

    /** Addresses of the template's {@code AWS::SES::EmailIdentity} resources that are email addresses. */
    public List<String> emailIdentities(Map<String, String> refValues) {
        return functions.emailIdentities(refValues);
    }

    /** Logical ids of the template's {@code AWS::KMS::Key} resources. */
    public List<String> kmsKeys() {
        return functions.kmsKeys();
    }

    /**
     * Checks the template's {@code Rules} with these values, as CloudFormation does before it creates or
     * updates a stack: every assertion of a rule whose {@code RuleCondition} holds (or that has none).
     *
     * @throws IllegalArgumentException naming the rule and its {@code AssertDescription} when one fails
     */
    void checkRules(Map<String, String> refValues) {
        intrinsics.checkRules(refValues);
    }

    Map<String, Object> section(String name) {
        return doc.section(name);
    }

    /**
     * A resource as declared (type, properties, metadata, ...), as an unmodifiable deep copy in the
     * long form of the intrinsics; for checks on resources this class has no accessor for.
     */
    public Map<String, Object> resource(String logicalId) {
        return doc.resource(logicalId);
    }

    /** A top-level section ({@code Parameters}, {@code Globals}, {@code Conditions}, ...) as an unmodifiable deep copy. */
    public Map<String, Object> copyOfSection(String name) {
        return doc.copyOfSection(name);
    }

    /** Logical ids of the resources of a type (e.g. {@code AWS::CloudWatch::Alarm}), in template order. */
    public List<String> resourceIdsOfType(String type) {
        return doc.resourceIdsOfType(type);
    }

    /**
     * One route of the HTTP API, as {@code METHOD path} → function.
     *
     * @param authorizer the name of the authorizer in front of it (in the API's {@code Auth.Authorizers}),
     *                   or null when the route has none
     */
    public record Route(String method, String pathTemplate, String functionLogicalId, String handlerClass,
                        String authorizer) {
        public Route {
            Objects.requireNonNull(method);
            Objects.requireNonNull(pathTemplate);
            Objects.requireNonNull(functionLogicalId);
            Objects.requireNonNull(handlerClass);
        }

        /** API Gateway's route key, e.g. {@code GET /workspaces/{workspaceId}}. */
        public String routeKey() {
            return "$default".equals(pathTemplate) ? "$default" : method + " " + pathTemplate;
        }

        /** Whether an authorizer (of any kind) decides before the function runs. */
        public boolean authorized() {
            return authorizer != null;
        }
    }
    /**
     * Routes from every {@code HttpApi} event. A route's authorizer is the one its event names in
     * {@code Auth.Authorizer} ({@code NONE}: none), else its API's {@code DefaultAuthorizer}, if any.
     */
    public List<Route> routes() {
        return routes.routes();
    }

    /** The JWT authorizer configuration, with {@code issuer}/{@code audience} resolved. */
    public record JwtConfiguration(String authorizerName, String identityHeader, String issuer, List<String> audiences) {
        public JwtConfiguration {
            audiences = List.copyOf(audiences);
        }
    }

    /**
     * The JWT authorizer that routes default to (the single {@code AWS::Serverless::HttpApi}'s
     * {@code DefaultAuthorizer}), if any. Only header identity sources are supported, which is
     * what API Gateway's JWT authorizers accept.
     */
    public Optional<JwtConfiguration> jwtConfiguration(Map<String, String> refValues) {
        return routes.jwtConfiguration(refValues);
    }

    /**
     * A Lambda authorizer of the HTTP API, as far as the local gateway emulates one: payload format
     * 2.0 with simple responses, its function in this template.
     *
     * @param identitySources {@code $request.header.X} and {@code $request.querystring.X} expressions
     *                        (header names lower-cased); all must be present and non-empty, else 401
     * @param ttl             how long an answer is cached per identity (zero: not cached)
     */
    public record LambdaAuthorizer(String name, String functionLogicalId, List<String> identitySources, Duration ttl) {
        public LambdaAuthorizer {
            identitySources = List.copyOf(identitySources);
        }
    }

    /**
     * The Lambda authorizers of the single {@code AWS::Serverless::HttpApi}, by name. What the local
     * gateway would not run as API Gateway does is refused here, naming the authorizer: a function
     * outside this template, payload format 1.0, IAM-policy responses, identity sources other than
     * headers and query strings.
     */
    public Map<String, LambdaAuthorizer> lambdaAuthorizers() {
        return routes.lambdaAuthorizers();
    }

    /** Everything needed to create the table, as declared by the template. */
    public record TableDefinition(String logicalId, String billingMode, List<Attribute> attributes,
                                  List<KeyElement> keySchema, List<SecondaryIndex> globalSecondaryIndexes,
                                  List<SecondaryIndex> localSecondaryIndexes, Optional<Throughput> throughput,
                                  Optional<String> streamViewType, Optional<String> ttlAttribute) {
        public TableDefinition {
            attributes = List.copyOf(attributes);
            keySchema = List.copyOf(keySchema);
            globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
            localSecondaryIndexes = List.copyOf(localSecondaryIndexes);
        }

        public record Attribute(String name, String type) {}

        public record KeyElement(String attributeName, String keyType) {}

        public record Throughput(long readCapacityUnits, long writeCapacityUnits) {}

        public record SecondaryIndex(String name, List<KeyElement> keySchema, String projectionType,
                                     List<String> nonKeyAttributes, Optional<Throughput> throughput) {
            public SecondaryIndex {
                keySchema = List.copyOf(keySchema);
                nonKeyAttributes = List.copyOf(nonKeyAttributes);
            }
        }
    }

    /** The template's single {@code AWS::DynamoDB::Table}. */
    public TableDefinition tableDefinition() {
        return table.tableDefinition();
    }

    /**
     * A function subscribed to the table's stream (an event of {@code Type: DynamoDB}).
     *
     * @param maximumRetryAttempts       as in the template; -1 (AWS's default) means "until the record expires"
     * @param filterPatterns             EventBridge-style patterns of {@code FilterCriteria}; empty means all records
     * @param bisectBatchOnFunctionError whether a batch is split in two when the function fails on it
     * @param maximumRecordAgeInSeconds  records older than this are not retried; -1 (AWS's default): no limit
     * @param onFailureQueue             logical id of the template's queue that {@code DestinationConfig.OnFailure}
     *                                   names, which gets what still fails after the retries
     */
    public record StreamConsumer(String functionLogicalId, String handlerClass, String eventName, int batchSize,
                                 int maximumRetryAttempts, String startingPosition, boolean reportBatchItemFailures,
                                 List<String> filterPatterns, boolean enabled, boolean bisectBatchOnFunctionError,
                                 int maximumRecordAgeInSeconds, Optional<String> onFailureQueue) {
        public StreamConsumer {
            filterPatterns = List.copyOf(filterPatterns);
            Objects.requireNonNull(onFailureQueue);
        }

        /** A consumer without failure handling: no bisection, no record age limit, no destination. */
        public StreamConsumer(String functionLogicalId, String handlerClass, String eventName, int batchSize,
                              int maximumRetryAttempts, String startingPosition, boolean reportBatchItemFailures,
                              List<String> filterPatterns, boolean enabled) {
            this(functionLogicalId, handlerClass, eventName, batchSize, maximumRetryAttempts, startingPosition,
                    reportBatchItemFailures, filterPatterns, enabled, false, -1, Optional.empty());
        }
    }

    /** Every {@code DynamoDB} stream event of every function. */
    public List<StreamConsumer> streamConsumers() {
        return events.streamConsumers();
    }

    /** A function run on a schedule (an event of {@code Type: Schedule} or {@code ScheduleV2}). */
    public record ScheduledFunction(String functionLogicalId, String handlerClass, String eventName,
                                    String scheduleExpression, boolean enabled) {

        /** The period of a {@code rate(...)} expression; empty for {@code cron(...)} and {@code at(...)}. */
        public Optional<Duration> rate() {
            Matcher m = RATE.matcher(scheduleExpression.trim());
            if (!m.matches()) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "minute", "minutes" -> Duration.ofMinutes(n);
                case "hour", "hours" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
    }

    /**
     * Functions an operator invokes by hand ({@code aws lambda invoke}; locally {@code POST /local/invoke/{id}}): no
     * event, and no authorizer of the API.
     */
    public List<String> operatorFunctions() {
        return events.operatorFunctions();
    }

    /** Every {@code Schedule}/{@code ScheduleV2} event of every function. */
    public List<ScheduledFunction> scheduledFunctions() {
        return events.scheduledFunctions();
    }

    /**
     * How Lambda handles the function's asynchronous invocations (EventBridge rules, schedules): its
     * {@code EventInvokeConfig}, else Lambda's defaults (2 retries, 6 hours, no destination).
     *
     * @param onFailureQueue logical id of the template's queue that {@code DestinationConfig.OnFailure} names
     */
    public record AsyncInvokeConfig(int maximumRetryAttempts, int maximumEventAgeInSeconds, Optional<String> onFailureQueue) {
        public AsyncInvokeConfig {
            Objects.requireNonNull(onFailureQueue);
        }
    }

    /** The function's {@link AsyncInvokeConfig} (own, else Globals, else Lambda's defaults). */
    public AsyncInvokeConfig asyncInvokeConfig(String functionId) {
        return events.asyncInvokeConfig(functionId);
    }

    /** Logical ids of the template's {@code AWS::SQS::Queue} resources. */
    public List<String> queues() {
        return events.queues();
    }

    /**
     * A function subscribed to events on an EventBridge bus: an event of {@code Type: EventBridgeRule}
     * or its older spelling {@code CloudWatchEvent}, which SAM turns into an {@code AWS::Events::Rule}
     * with the function as its target.
     *
     * @param type       {@code EventBridgeRule} or {@code CloudWatchEvent}
     * @param pattern    the rule's event pattern as JSON-like values (string keys, lists, scalars)
     * @param eventBus   the bus the rule listens on: null for the account's default bus ({@code EventBusName}
     *                   absent or {@code default}), the logical id of an {@code AWS::Events::EventBus} of the
     *                   template ({@code !Ref} or {@code !GetAtt …Name} of it), else the literal name of a bus
     *                   the template does not declare (listed, but no local bus feeds it)
     * @param enabled    false for {@code State: DISABLED} (or {@code Enabled: false})
     */
    public record EventRule(String functionLogicalId, String handlerClass, String eventName, String type,
                            Map<String, Object> pattern, String eventBus, boolean enabled) {
        public EventRule {
            Objects.requireNonNull(functionLogicalId);
            Objects.requireNonNull(handlerClass);
            Objects.requireNonNull(pattern);
        }

        /** Whether the rule is on the account's default bus. */
        public boolean defaultBus() {
            return eventBus == null;
        }
    }

    /**
     * The template's event buses ({@code AWS::Events::EventBus}): logical id to the bus's name, resolved
     * against {@code refValues} (a bus without {@code Name} is named by its logical id).
     */
    public Map<String, String> eventBuses(Map<String, String> refValues) {
        return events.eventBuses(refValues);
    }

    /**
     * Every {@code EventBridgeRule}/{@code CloudWatchEvent} event of every function, in template
     * order. A rule that reshapes what its target receives ({@code Input}, {@code InputPath},
     * {@code InputTransformer}) is rejected: the local bus delivers the event as is and would
     * otherwise hand the function something other than AWS does.
     */
    public List<EventRule> eventRules() {
        return events.eventRules();
    }
}
