package dev.wsl.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Read-only view of the SAM template, the single source of truth for routes, functions, the
 * table and their configuration. The local runtime derives everything it emulates from here so
 * that a change to {@code template.yaml} cannot silently diverge from what runs locally.
 *
 * <p>CloudFormation short-form tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, ...) are
 * turned into their long form ({@code {"Ref": x}}, {@code {"Fn::GetAtt": [r, a]}}, ...), so
 * callers only ever see plain maps, lists and scalars.
 */
public final class SamTemplate {

    /** System property naming the template file; wins over discovery. */
    public static final String TEMPLATE_PROPERTY = "wsl.template";

    private static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    private static final String DYNAMODB_TABLE = "AWS::DynamoDB::Table";
    private static final String SQS_QUEUE = "AWS::SQS::Queue";
    private static final String EVENT_BUS = "AWS::Events::EventBus";
    private static final String CLASSPATH_COPY = "/wsl/template.yaml";
    private static final List<String> INTRINSICS = List.of(
            "Ref", "Condition", "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue",
            "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or",
            "Length", "ToJsonString", "Contains");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern RATE = Pattern.compile(
            "rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /** Parses a template file. */
    public static SamTemplate load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + path, e);
        }
    }

    /** Parses template text (YAML, short-form tags allowed). */
    public static SamTemplate parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new CloudFormationConstructor(options)).load(yaml);
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a template is a YAML mapping at the top level");
        }
        return new SamTemplate(asStringMap(map, "template"));
    }

    /**
     * Finds the project's template: the {@value #TEMPLATE_PROPERTY} system property, else the
     * nearest {@code template.yaml} in the working directory or its ancestors, else the copy the
     * build packs into the runnable jar (so the jar works from any directory).
     */
    public static SamTemplate discover() {
        String configured = System.getProperty(TEMPLATE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return load(Path.of(configured));
        }
        Optional<Path> nearest = findUpwards(Path.of("").toAbsolutePath());
        if (nearest.isPresent()) {
            return load(nearest.get());
        }
        try (InputStream in = SamTemplate.class.getResourceAsStream(CLASSPATH_COPY)) {
            if (in == null) {
                throw new IllegalStateException("no template.yaml found: set -D" + TEMPLATE_PROPERTY
                        + "=path/to/template.yaml or run from the repository");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nearest {@code template.yaml} in {@code start} or one of its ancestors. */
    public static Optional<Path> findUpwards(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ parameters and resources

    /** Parameters that declare a {@code Default}, by name, as the string CloudFormation would pass. */
    public Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        section("Parameters").forEach((name, declaration) -> {
            Object value = asStringMap(declaration, "parameter " + name).get("Default");
            if (value != null) {
                defaults.put(name, scalarText(value));
            }
        });
        return defaults;
    }

    /** Logical ids of all {@code AWS::Serverless::Function} resources, in template order. */
    public List<String> functionIds() {
        return resourceIdsOfType(SERVERLESS_FUNCTION);
    }

    /** The class part of the function's {@code Handler} ({@code pkg.Class::method} → {@code pkg.Class}). */
    public String handlerClass(String functionId) {
        String handler = scalarText(requireFunctionProperty(functionId, "Handler"));
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** The function's {@code CodeUri} (own, else Globals), e.g. {@code functions/members}. */
    public String codeUri(String functionId) {
        return scalarText(requireFunctionProperty(functionId, "CodeUri"));
    }

    /** The function's {@code Timeout} (own, else Globals, else Lambda's default of 3 s). */
    public Duration timeout(String functionId) {
        Object value = functionProperty(functionId, "Timeout");
        return Duration.ofSeconds(value == null ? 3 : Long.parseLong(scalarText(value)));
    }

    /** The function's {@code MemorySize} (own, else Globals, else Lambda's default of 128 MB). */
    public int memorySize(String functionId) {
        Object value = functionProperty(functionId, "MemorySize");
        return value == null ? 128 : Integer.parseInt(scalarText(value));
    }

    // ------------------------------------------------------------------ HTTP API

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
        List<Route> routes = new ArrayList<>();
        for (String functionId : functionIds()) {
            events(functionId).forEach((eventName, event) -> {
                if (!"HttpApi".equals(event.get("Type"))) {
                    return;
                }
                Map<String, Object> properties = optionalMap(event.get("Properties"), eventName);
                String method = properties.containsKey("Method")
                        ? scalarText(properties.get("Method")).toUpperCase(Locale.ROOT) : "ANY";
                String path = properties.containsKey("Path") ? scalarText(properties.get("Path")) : "$default";
                routes.add(new Route(method, path, functionId, handlerClass(functionId), authorizerOf(properties)));
            });
        }
        return List.copyOf(routes);
    }

    private String authorizerOf(Map<String, Object> eventProperties) {
        Map<String, Object> auth = optionalMap(eventProperties.get("Auth"), "Auth");
        if (auth.containsKey("Authorizer")) {
            String name = scalarText(auth.get("Authorizer"));
            return "NONE".equals(name) ? null : name;
        }
        Object defaultName = apiAuth(eventProperties).get("DefaultAuthorizer");
        return defaultName == null ? null : scalarText(defaultName);
    }

    /** The {@code Auth} block of the API an event belongs to (the implicit API reads Globals). */
    private Map<String, Object> apiAuth(Map<String, Object> eventProperties) {
        Object apiId = eventProperties.get("ApiId");
        if (apiId instanceof Map<?, ?> ref && ref.get("Ref") instanceof String apiLogicalId) {
            Map<String, Object> api = resourceProperties(apiLogicalId);
            return optionalMap(api.get("Auth"), "Auth");
        }
        Map<String, Object> globals = optionalMap(section("Globals").get("HttpApi"), "Globals.HttpApi");
        return optionalMap(globals.get("Auth"), "Globals.HttpApi.Auth");
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
        List<String> apis = resourceIdsOfType("AWS::Serverless::HttpApi");
        Map<String, Object> auth;
        if (apis.size() == 1) {
            auth = optionalMap(resourceProperties(apis.getFirst()).get("Auth"), "Auth");
        } else if (apis.isEmpty()) {
            auth = apiAuth(Map.of());
        } else {
            throw new IllegalStateException("the local gateway supports one HttpApi, found " + apis);
        }
        Object defaultName = auth.get("DefaultAuthorizer");
        if (defaultName == null) {
            return Optional.empty();
        }
        String name = scalarText(defaultName);
        Map<String, Object> authorizer = asStringMap(
                optionalMap(auth.get("Authorizers"), "Authorizers").get(name), "authorizer " + name);
        Map<String, Object> jwt = asStringMap(authorizer.get("JwtConfiguration"), "JwtConfiguration of " + name);
        String source = authorizer.containsKey("IdentitySource")
                ? scalarText(authorizer.get("IdentitySource")) : "$request.header.Authorization";
        String prefix = "$request.header.";
        if (!source.startsWith(prefix)) {
            throw new IllegalStateException("unsupported IdentitySource " + source + " of " + name);
        }
        String issuer = resolve(jwt.get("issuer"), refValues, "issuer of " + name);
        List<String> audiences = splitList(resolve(jwt.get("audience"), refValues, "audience of " + name));
        return Optional.of(new JwtConfiguration(name, source.substring(prefix.length()).toLowerCase(Locale.ROOT),
                issuer, audiences));
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
        List<String> apis = resourceIdsOfType("AWS::Serverless::HttpApi");
        if (apis.isEmpty()) {
            return Map.of();
        }
        if (apis.size() > 1) {
            throw new IllegalStateException("the local gateway supports one HttpApi, found " + apis);
        }
        Map<String, Object> auth = optionalMap(resourceProperties(apis.getFirst()).get("Auth"), "Auth");
        Map<String, LambdaAuthorizer> authorizers = new LinkedHashMap<>();
        optionalMap(auth.get("Authorizers"), "Authorizers").forEach((name, declaration) -> {
            Map<String, Object> a = asStringMap(declaration, "authorizer " + name);
            if (a.containsKey("JwtConfiguration")) {
                return;
            }
            String where = "Lambda authorizer " + name;
            if (!"2.0".equals(a.containsKey("AuthorizerPayloadFormatVersion")
                    ? scalarText(a.get("AuthorizerPayloadFormatVersion")) : null)) {
                throw new IllegalArgumentException(where + ": only AuthorizerPayloadFormatVersion 2.0 is emulated locally");
            }
            if (!Boolean.parseBoolean(scalarText(a.getOrDefault("EnableSimpleResponses", false)))) {
                throw new IllegalArgumentException(where + ": only simple responses (EnableSimpleResponses: true)"
                        + " are emulated locally");
            }
            Map<String, Object> identity = optionalMap(a.get("Identity"), where + " Identity");
            List<String> sources = new ArrayList<>();
            identity.forEach((key, value) -> {
                switch (key) {
                    case "Headers" -> list(value, where + " Identity.Headers").forEach(h ->
                            sources.add("$request.header." + scalarText(h).toLowerCase(Locale.ROOT)));
                    case "QueryStrings" -> list(value, where + " Identity.QueryStrings").forEach(q ->
                            sources.add("$request.querystring." + scalarText(q)));
                    case "ReauthorizeEvery" -> { }
                    default -> throw new IllegalArgumentException(where + ": Identity." + key + " is not emulated locally");
                }
            });
            long ttl = identity.containsKey("ReauthorizeEvery") ? Long.parseLong(scalarText(identity.get("ReauthorizeEvery"))) : 0;
            if (ttl < 0 || ttl > 3600 || ttl > 0 && sources.isEmpty()) {
                throw new IllegalArgumentException(where + ": ReauthorizeEvery is 0 to 3600, and caching needs identity sources");
            }
            authorizers.put(name, new LambdaAuthorizer(name, authorizerFunction(a.get("FunctionArn"), where), sources,
                    Duration.ofSeconds(ttl)));
        });
        return Map.copyOf(authorizers);
    }

    /** The function of {@code FunctionArn}: {@code !GetAtt F.Arn} or {@code !Ref F.Alias} (the published alias). */
    private String authorizerFunction(Object functionArn, String where) {
        String id = null;
        if (functionArn instanceof Map<?, ?> m && m.size() == 1) {
            if (m.get("Fn::GetAtt") instanceof List<?> parts && parts.size() == 2 && "Arn".equals(parts.get(1))) {
                id = String.valueOf(parts.get(0));
            } else if (m.get("Ref") instanceof String ref && ref.endsWith(".Alias")) {
                id = ref.substring(0, ref.length() - ".Alias".length());
            }
        }
        if (id == null || !functionIds().contains(id)) {
            throw new IllegalArgumentException(where + ": FunctionArn must name a function of this template"
                    + " (!GetAtt Function.Arn or !Ref Function.Alias) to run locally, found " + functionArn);
        }
        return id;
    }

    // ------------------------------------------------------------------ table

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
        List<String> tables = resourceIdsOfType(DYNAMODB_TABLE);
        if (tables.size() != 1) {
            throw new IllegalStateException("the local runtime expects exactly one " + DYNAMODB_TABLE + ", found " + tables);
        }
        String id = tables.getFirst();
        Map<String, Object> p = resourceProperties(id);
        List<TableDefinition.Attribute> attributes = new ArrayList<>();
        for (Map<String, Object> a : mapList(p.get("AttributeDefinitions"), "AttributeDefinitions")) {
            attributes.add(new TableDefinition.Attribute(scalarText(a.get("AttributeName")), scalarText(a.get("AttributeType"))));
        }
        Optional<String> stream = Optional.ofNullable(p.get("StreamSpecification"))
                .map(s -> asStringMap(s, "StreamSpecification").get("StreamViewType"))
                .map(SamTemplate::scalarText);
        Optional<String> ttl = Optional.ofNullable(p.get("TimeToLiveSpecification"))
                .map(s -> asStringMap(s, "TimeToLiveSpecification"))
                .filter(s -> Boolean.parseBoolean(scalarText(s.getOrDefault("Enabled", "false"))))
                .map(s -> scalarText(s.get("AttributeName")));
        return new TableDefinition(id,
                p.containsKey("BillingMode") ? scalarText(p.get("BillingMode")) : "PROVISIONED",
                attributes,
                keySchema(p.get("KeySchema"), "KeySchema of " + id),
                indexes(p.get("GlobalSecondaryIndexes"), "GlobalSecondaryIndexes"),
                indexes(p.get("LocalSecondaryIndexes"), "LocalSecondaryIndexes"),
                throughput(p.get("ProvisionedThroughput")),
                stream, ttl);
    }

    private static List<TableDefinition.SecondaryIndex> indexes(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        List<TableDefinition.SecondaryIndex> indexes = new ArrayList<>();
        for (Map<String, Object> index : mapList(value, where)) {
            String name = scalarText(index.get("IndexName"));
            Map<String, Object> projection = asStringMap(index.get("Projection"), "Projection of " + name);
            List<String> nonKey = projection.containsKey("NonKeyAttributes")
                    ? list(projection.get("NonKeyAttributes"), "NonKeyAttributes").stream().map(SamTemplate::scalarText).toList()
                    : List.of();
            indexes.add(new TableDefinition.SecondaryIndex(name, keySchema(index.get("KeySchema"), "KeySchema of " + name),
                    scalarText(projection.getOrDefault("ProjectionType", "ALL")), nonKey,
                    throughput(index.get("ProvisionedThroughput"))));
        }
        return indexes;
    }

    private static List<TableDefinition.KeyElement> keySchema(Object value, String where) {
        return mapList(value, where).stream()
                .map(k -> new TableDefinition.KeyElement(scalarText(k.get("AttributeName")), scalarText(k.get("KeyType"))))
                .toList();
    }

    private static Optional<TableDefinition.Throughput> throughput(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        Map<String, Object> t = asStringMap(value, "ProvisionedThroughput");
        return Optional.of(new TableDefinition.Throughput(Long.parseLong(scalarText(t.get("ReadCapacityUnits"))),
                Long.parseLong(scalarText(t.get("WriteCapacityUnits")))));
    }

    // ------------------------------------------------------------------ stream consumers and schedules

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
        List<StreamConsumer> consumers = new ArrayList<>();
        for (String functionId : functionIds()) {
            events(functionId).forEach((eventName, event) -> {
                if (!"DynamoDB".equals(event.get("Type"))) {
                    return;
                }
                Map<String, Object> p = optionalMap(event.get("Properties"), eventName);
                List<String> patterns = new ArrayList<>();
                Map<String, Object> criteria = optionalMap(p.get("FilterCriteria"), "FilterCriteria");
                if (criteria.containsKey("Filters")) {
                    for (Map<String, Object> filter : mapList(criteria.get("Filters"), "Filters")) {
                        patterns.add(scalarText(filter.get("Pattern")));
                    }
                }
                List<Object> responseTypes = p.containsKey("FunctionResponseTypes")
                        ? list(p.get("FunctionResponseTypes"), "FunctionResponseTypes") : List.of();
                consumers.add(new StreamConsumer(functionId, handlerClass(functionId), eventName,
                        Integer.parseInt(scalarText(p.getOrDefault("BatchSize", 100))),
                        Integer.parseInt(scalarText(p.getOrDefault("MaximumRetryAttempts", -1))),
                        scalarText(p.getOrDefault("StartingPosition", "TRIM_HORIZON")),
                        responseTypes.contains("ReportBatchItemFailures"),
                        patterns,
                        Boolean.parseBoolean(scalarText(p.getOrDefault("Enabled", true))),
                        Boolean.parseBoolean(scalarText(p.getOrDefault("BisectBatchOnFunctionError", false))),
                        Integer.parseInt(scalarText(p.getOrDefault("MaximumRecordAgeInSeconds", -1))),
                        onFailureQueue(p.get("DestinationConfig"), functionId + " event " + eventName)));
            });
        }
        return List.copyOf(consumers);
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
        java.util.Set<String> authorizers = new java.util.HashSet<>();
        lambdaAuthorizers().values().forEach(a -> authorizers.add(a.functionLogicalId()));
        return functionIds().stream().filter(f -> events(f).isEmpty() && !authorizers.contains(f)).toList();
    }

    /** Every {@code Schedule}/{@code ScheduleV2} event of every function. */
    public List<ScheduledFunction> scheduledFunctions() {
        List<ScheduledFunction> scheduled = new ArrayList<>();
        for (String functionId : functionIds()) {
            events(functionId).forEach((eventName, event) -> {
                Object type = event.get("Type");
                if (!"Schedule".equals(type) && !"ScheduleV2".equals(type)) {
                    return;
                }
                Map<String, Object> p = optionalMap(event.get("Properties"), eventName);
                boolean enabled = "ScheduleV2".equals(type)
                        ? !"DISABLED".equals(scalarText(p.getOrDefault("State", "ENABLED")))
                        : Boolean.parseBoolean(scalarText(p.getOrDefault("Enabled", true)));
                scheduled.add(new ScheduledFunction(functionId, handlerClass(functionId), eventName,
                        scalarText(p.get("ScheduleExpression")), enabled));
            });
        }
        return List.copyOf(scheduled);
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
        Map<String, Object> config = optionalMap(functionProperty(functionId, "EventInvokeConfig"),
                functionId + ".EventInvokeConfig");
        return new AsyncInvokeConfig(
                Integer.parseInt(scalarText(config.getOrDefault("MaximumRetryAttempts", 2))),
                Integer.parseInt(scalarText(config.getOrDefault("MaximumEventAgeInSeconds", 21600))),
                onFailureQueue(config.get("DestinationConfig"), functionId + ".EventInvokeConfig"));
    }

    /** Logical ids of the template's {@code AWS::SQS::Queue} resources. */
    public List<String> queues() {
        return List.copyOf(resourceIdsOfType(SQS_QUEUE));
    }

    /**
     * The queue of a {@code DestinationConfig}'s {@code OnFailure}: it must be one of the template's
     * queues, named by {@code !GetAtt Queue.Arn}, since the local runtime provisions and fills only those.
     */
    private Optional<String> onFailureQueue(Object destinationConfig, String where) {
        Map<String, Object> onFailure = optionalMap(optionalMap(destinationConfig, where + " DestinationConfig")
                .get("OnFailure"), where + " OnFailure");
        if (onFailure.isEmpty()) {
            return Optional.empty();
        }
        Object type = onFailure.get("Type");
        if (type != null && !"SQS".equals(scalarText(type))) {
            throw new IllegalArgumentException(where + ": on-failure destinations of type " + type
                    + " are not emulated locally; use an SQS queue of the template");
        }
        if (onFailure.get("Destination") instanceof Map<?, ?> ref
                && ref.get("Fn::GetAtt") instanceof List<?> parts && parts.size() == 2
                && "Arn".equals(parts.get(1)) && resourceIdsOfType(SQS_QUEUE).contains(String.valueOf(parts.get(0)))) {
            return Optional.of(String.valueOf(parts.get(0)));
        }
        throw new IllegalArgumentException(where + ": the on-failure destination must be !GetAtt <Queue>.Arn of an "
                + SQS_QUEUE + " in the template, found " + onFailure.get("Destination"));
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
        Map<String, String> buses = new LinkedHashMap<>();
        for (String id : resourceIdsOfType(EVENT_BUS)) {
            Object name = resourceProperties(id).get("Name");
            buses.put(id, name == null ? id : resolve(name, refValues, id + " Name"));
        }
        return buses;
    }

    /**
     * Every {@code EventBridgeRule}/{@code CloudWatchEvent} event of every function, in template
     * order. A rule that reshapes what its target receives ({@code Input}, {@code InputPath},
     * {@code InputTransformer}) is rejected: the local bus delivers the event as is and would
     * otherwise hand the function something other than AWS does.
     */
    public List<EventRule> eventRules() {
        List<EventRule> rules = new ArrayList<>();
        for (String functionId : functionIds()) {
            events(functionId).forEach((eventName, event) -> {
                Object type = event.get("Type");
                if (!"EventBridgeRule".equals(type) && !"CloudWatchEvent".equals(type)) {
                    return;
                }
                String where = functionId + " event " + eventName;
                Map<String, Object> p = optionalMap(event.get("Properties"), where);
                for (String reshaping : List.of("Input", "InputPath", "InputTransformer")) {
                    if (p.containsKey(reshaping)) {
                        throw new IllegalArgumentException(where + ": " + reshaping + " is not emulated locally");
                    }
                }
                Object pattern = p.get("Pattern");
                if (pattern == null) {
                    throw new IllegalArgumentException(where + " has no Pattern");
                }
                if (pattern instanceof String json) {
                    // CloudFormation also takes the pattern as a JSON document in a string.
                    pattern = Json.MAPPER.convertValue(Json.read(json), Object.class);
                }
                String bus = eventBusOf(p.get("EventBusName"), where);
                boolean enabled = !"DISABLED".equals(scalarText(p.getOrDefault("State", "ENABLED")))
                        && Boolean.parseBoolean(scalarText(p.getOrDefault("Enabled", true)));
                if (!(jsonLike(pattern, where + " Pattern") instanceof Map<?, ?> copy)) {
                    throw new IllegalArgumentException(where + ": a Pattern is a mapping, found " + pattern);
                }
                @SuppressWarnings("unchecked") // jsonLike gives maps string keys
                Map<String, Object> patternMap = (Map<String, Object>) copy;
                rules.add(new EventRule(functionId, handlerClass(functionId), eventName, (String) type,
                        patternMap, bus, enabled));
            });
        }
        return List.copyOf(rules);
    }

    /** What a rule's {@code EventBusName} names (see {@link EventRule#eventBus()}). */
    private String eventBusOf(Object value, String where) {
        List<String> buses = resourceIdsOfType(EVENT_BUS);
        return switch (value) {
            case null -> null;
            case String name when name.equals("default") -> null;
            case String name -> name;
            case Map<?, ?> m when m.get("Ref") instanceof String id && buses.contains(id) -> id;
            case Map<?, ?> m when m.get("Fn::GetAtt") instanceof List<?> parts && parts.size() == 2
                    && buses.contains(String.valueOf(parts.get(0))) && "Name".equals(parts.get(1)) -> (String) parts.get(0);
            default -> throw new IllegalArgumentException(where + ": EventBusName must be default, a name, or !Ref of an "
                    + EVENT_BUS + " in the template, found " + value);
        };
    }

    /** A deep, unmodifiable copy with string keys (nulls kept: a pattern may match {@code null}). */
    private static Object jsonLike(Object value, String where) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            case Map<?, ?> m -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                m.forEach((k, v) -> copy.put(String.valueOf(k), jsonLike(v, where)));
                yield Collections.unmodifiableMap(copy);
            }
            case List<?> items -> {
                List<Object> copy = new ArrayList<>();
                items.forEach(i -> copy.add(jsonLike(i, where)));
                yield Collections.unmodifiableList(copy);
            }
            default -> throw new IllegalArgumentException(where + ": not a JSON value: " + value);
        };
    }

    // ------------------------------------------------------------------ environment and resolution

    /**
     * The function's environment: {@code Globals.Function.Environment.Variables} overlaid with its
     * own. Intrinsics are resolved against {@code refValues} (parameter values, resource names,
     * {@code Logical.Attribute} for {@code GetAtt}, pseudo parameters), then parameter defaults.
     *
     * @throws IllegalArgumentException naming the variable whose value cannot be resolved
     */
    public Map<String, String> environment(String functionId, Map<String, String> refValues) {
        requireFunction(functionId);
        Map<String, Object> raw = new LinkedHashMap<>(variables(optionalMap(section("Globals").get("Function"), "Globals.Function")));
        raw.putAll(variables(resourceProperties(functionId)));
        Map<String, String> resolved = new LinkedHashMap<>();
        raw.forEach((name, value) -> resolved.put(name, resolve(value, refValues, functionId + " variable " + name)));
        return resolved;
    }

    /** Addresses of the template's {@code AWS::SES::EmailIdentity} resources that are email addresses. */
    public List<String> emailIdentities(Map<String, String> refValues) {
        List<String> addresses = new ArrayList<>();
        for (String id : resourceIdsOfType("AWS::SES::EmailIdentity")) {
            String identity = resolve(resourceProperties(id).get("EmailIdentity"), refValues, id);
            if (identity.contains("@")) {
                addresses.add(identity);
            }
        }
        return List.copyOf(addresses);
    }

    /** Logical ids of the template's {@code AWS::KMS::Key} resources. */
    public List<String> kmsKeys() {
        return List.copyOf(resourceIdsOfType("AWS::KMS::Key"));
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        Map<String, Object> environment = optionalMap(properties.get("Environment"), "Environment");
        return optionalMap(environment.get("Variables"), "Environment.Variables");
    }

    /**
     * Resolves a value to the string CloudFormation would produce, for the intrinsics a function's
     * configuration can reasonably use locally: {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub},
     * {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split}, and {@code Fn::If} on a condition of the
     * template's {@code Conditions} (only the chosen branch is resolved). Anything else (imports, lookups) is
     * rejected rather than guessed.
     */
    String resolve(Object value, Map<String, String> refValues, String where) {
        return switch (value) {
            case null -> throw new IllegalArgumentException(where + ": no value");
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case List<?> items -> String.join(",", items.stream().map(i -> resolve(i, refValues, where)).toList());
            case Map<?, ?> m when m.size() == 1 -> resolveIntrinsic(asStringMap(m, where), refValues, where);
            default -> throw new IllegalArgumentException(where + ": cannot resolve " + value);
        };
    }

    private String resolveIntrinsic(Map<String, Object> intrinsic, Map<String, String> refValues, String where) {
        Map.Entry<String, Object> e = intrinsic.entrySet().iterator().next();
        Object argument = e.getValue();
        return switch (e.getKey()) {
            case "Ref" -> lookup(scalarText(argument), refValues, where);
            case "Fn::GetAtt" -> {
                List<Object> parts = list(argument, where);
                yield lookup(scalarText(parts.get(0)) + "." + scalarText(parts.get(1)), refValues, where);
            }
            case "Fn::Sub" -> {
                String text;
                Map<String, Object> locals = Map.of();
                if (argument instanceof List<?> form) {
                    text = scalarText(form.get(0));
                    locals = asStringMap(form.get(1), where);
                } else {
                    text = scalarText(argument);
                }
                yield substitute(text, locals, refValues, where);
            }
            case "Fn::Join" -> {
                List<Object> form = list(argument, where);
                List<String> parts = list(form.get(1), where).stream().map(p -> resolve(p, refValues, where)).toList();
                yield String.join(scalarText(form.get(0)), parts);
            }
            case "Fn::Select" -> {
                List<Object> form = list(argument, where);
                List<String> items = splitList(resolve(form.get(1), refValues, where));
                yield items.get(Integer.parseInt(resolve(form.get(0), refValues, where)));
            }
            case "Fn::Split" -> {
                // Lists travel as comma-joined strings here, as CloudFormation passes them to env vars.
                List<Object> form = list(argument, where);
                String source = resolve(form.get(1), refValues, where);
                yield String.join(",", source.split(Pattern.quote(scalarText(form.get(0))), -1));
            }
            case "Fn::If" -> {
                List<Object> form = list(argument, where);
                if (form.size() != 3) {
                    throw new IllegalArgumentException(where + ": Fn::If takes a condition and two values");
                }
                yield resolve(condition(scalarText(form.get(0)), refValues, where) ? form.get(1) : form.get(2),
                        refValues, where);
            }
            default -> throw new IllegalArgumentException(where + ": " + e.getKey() + " is not evaluated locally");
        };
    }

    /**
     * Checks the template's {@code Rules} with these values, as CloudFormation does before it creates or
     * updates a stack: every assertion of a rule whose {@code RuleCondition} holds (or that has none).
     *
     * @throws IllegalArgumentException naming the rule and its {@code AssertDescription} when one fails
     */
    void checkRules(Map<String, String> refValues) {
        for (Map.Entry<String, Object> rule : section("Rules").entrySet()) {
            String where = "rule " + rule.getKey();
            Map<String, Object> definition = asStringMap(rule.getValue(), where);
            if (definition.containsKey("RuleCondition") && !evaluate(definition.get("RuleCondition"), refValues, where)) {
                continue;
            }
            for (Object assertion : list(definition.get("Assertions"), where)) {
                Map<String, Object> a = asStringMap(assertion, where);
                if (!evaluate(a.get("Assert"), refValues, where)) {
                    throw new IllegalArgumentException(where + ": " + String.valueOf(a.get("AssertDescription")).strip());
                }
            }
        }
    }

    /**
     * Evaluates a condition of the template's {@code Conditions} section ({@code Fn::Equals}, {@code Fn::Not},
     * {@code Fn::And}, {@code Fn::Or}, {@code Condition}) with the local values.
     */
    boolean condition(String name, Map<String, String> refValues, String where) {
        Object definition = section("Conditions").get(name);
        if (definition == null) {
            throw new IllegalArgumentException(where + ": no condition " + name + " in the template");
        }
        return evaluate(definition, refValues, where + " (condition " + name + ")");
    }

    private boolean evaluate(Object value, Map<String, String> refValues, String where) {
        Map<String, Object> function = asStringMap(value, where);
        if (function.size() != 1) {
            throw new IllegalArgumentException(where + ": a condition is one function, found " + function.keySet());
        }
        Map.Entry<String, Object> e = function.entrySet().iterator().next();
        return switch (e.getKey()) {
            case "Fn::Equals" -> {
                List<Object> pair = list(e.getValue(), where);
                yield resolve(pair.get(0), refValues, where).equals(resolve(pair.get(1), refValues, where));
            }
            case "Fn::Not" -> !evaluate(list(e.getValue(), where).getFirst(), refValues, where);
            case "Fn::And" -> list(e.getValue(), where).stream().allMatch(c -> evaluate(c, refValues, where));
            case "Fn::Or" -> list(e.getValue(), where).stream().anyMatch(c -> evaluate(c, refValues, where));
            case "Fn::Contains" -> { // a rule function: the list holds the value
                List<Object> pair = list(e.getValue(), where);
                yield splitList(resolve(pair.get(0), refValues, where)).contains(resolve(pair.get(1), refValues, where));
            }
            case "Condition" -> condition(scalarText(e.getValue()), refValues, where);
            default -> throw new IllegalArgumentException(where + ": " + e.getKey() + " is not a condition function");
        };
    }

    private String substitute(String text, Map<String, Object> locals, Map<String, String> refValues, String where) {
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("!")) {
                replacement = "${" + name.substring(1) + "}";
            } else if (locals.containsKey(name)) {
                replacement = resolve(locals.get(name), refValues, where);
            } else {
                replacement = lookup(name, refValues, where);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String lookup(String name, Map<String, String> refValues, String where) {
        String value = refValues.get(name);
        if (value == null) {
            value = parameterDefaults().get(name);
        }
        if (value == null) {
            throw new IllegalArgumentException(where + ": no local value for " + name);
        }
        return value;
    }

    private static List<String> splitList(String commaDelimited) {
        return List.of(commaDelimited.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    // ------------------------------------------------------------------ navigation helpers

    Map<String, Object> section(String name) {
        return optionalMap(root.get(name), name);
    }

    /**
     * A resource as declared (type, properties, metadata, ...), as an unmodifiable deep copy in the
     * long form of the intrinsics; for checks on resources this class has no accessor for.
     */
    public Map<String, Object> resource(String logicalId) {
        Object resource = section("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        @SuppressWarnings("unchecked") // jsonLike gives maps string keys
        Map<String, Object> copy = (Map<String, Object>) jsonLike(resource, logicalId);
        return copy;
    }

    /** A top-level section ({@code Parameters}, {@code Globals}, {@code Conditions}, ...) as an unmodifiable deep copy. */
    public Map<String, Object> copyOfSection(String name) {
        @SuppressWarnings("unchecked") // jsonLike gives maps string keys
        Map<String, Object> copy = (Map<String, Object>) jsonLike(section(name), name);
        return copy;
    }

    /** Logical ids of the resources of a type (e.g. {@code AWS::CloudWatch::Alarm}), in template order. */
    public List<String> resourceIdsOfType(String type) {
        List<String> ids = new ArrayList<>();
        section("Resources").forEach((id, resource) -> {
            if (type.equals(asStringMap(resource, id).get("Type"))) {
                ids.add(id);
            }
        });
        return List.copyOf(ids);
    }

    private Map<String, Object> resourceProperties(String logicalId) {
        Object resource = section("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        return optionalMap(asStringMap(resource, logicalId).get("Properties"), logicalId + ".Properties");
    }

    private void requireFunction(String functionId) {
        if (!functionIds().contains(functionId)) {
            throw new IllegalArgumentException("no " + SERVERLESS_FUNCTION + " " + functionId + " in the template");
        }
    }

    private Object functionProperty(String functionId, String name) {
        requireFunction(functionId);
        Object own = resourceProperties(functionId).get(name);
        return own != null ? own : optionalMap(section("Globals").get("Function"), "Globals.Function").get(name);
    }

    private Object requireFunctionProperty(String functionId, String name) {
        Object value = functionProperty(functionId, name);
        if (value == null) {
            throw new IllegalStateException(functionId + " has no " + name);
        }
        return value;
    }

    private Map<String, Map<String, Object>> events(String functionId) {
        Map<String, Map<String, Object>> events = new LinkedHashMap<>();
        optionalMap(resourceProperties(functionId).get("Events"), functionId + ".Events")
                .forEach((name, event) -> events.put(name, asStringMap(event, functionId + " event " + name)));
        return events;
    }

    private static String scalarText(Object value) {
        return switch (value) {
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case null -> throw new IllegalArgumentException("missing value");
            default -> throw new IllegalArgumentException("expected a plain value, found " + value);
        };
    }

    private static Map<String, Object> optionalMap(Object value, String where) {
        return value == null ? Map.of() : asStringMap(value, where);
    }

    private static Map<String, Object> asStringMap(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": expected a mapping, found " + value);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    private static List<Object> list(Object value, String where) {
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(where + ": expected a list, found " + value);
        }
        return new ArrayList<>(items);
    }

    private static List<Map<String, Object>> mapList(Object value, String where) {
        return list(value, where).stream().map(item -> asStringMap(item, where)).toList();
    }

    /** Turns {@code !Tag value} into {@code {"Fn::Tag": value}} (or {@code Ref}/{@code Condition}). */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            for (String name : INTRINSICS) {
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                yamlConstructors.put(new Tag("!" + name), new ShortForm(key));
            }
        }

        private final class ShortForm extends AbstractConstruct {
            private final String key;

            ShortForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unsupported node for " + key + ": " + node);
                };
                // "!GetAtt Res.Attr" is the short spelling of ["Res", "Attr"].
                if (key.equals("Fn::GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    value = dot < 0 ? List.of(dotted) : List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(key, value);
                return longForm;
            }
        }
    }
}
