package dev.wsl.local;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The values that stand in locally for a deployment's parameters, resource names and attributes ({@code refValues}),
 * and the functions' environment resolved with them, set as JVM system properties: one JVM, so one value per name.
 * Not thread-safe: {@link LocalStackRuntime} calls it under its own lock.
 */
final class LocalValues {

    /**
     * Variables that configure the JVM Lambda starts, not the function's code: this JVM is started
     * already, so they are not set (and may differ between functions, e.g. the JIT flags).
     */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    /** Parameters whose local values the runtime itself decides: its issuer, sender, app URL and DNS server. */
    private static final Set<String> FIXED_PARAMETERS = Set.of("JwtIssuer", "JwtAudience",
            "SenderEmail", "AppBaseUrl", "DnsResolver");

    private final SamTemplate template;
    private final Map<String, String> refValues;
    private Map<String, String> environment = Map.of();

    LocalValues(SamTemplate template, int port, EmulatorHttp.Kind kind) {
        this.template = template;
        this.refValues = new LinkedHashMap<>(initial(template, port, kind));
    }

    /** The values that stand in for deployment parameters and resource names locally. */
    private static Map<String, String> initial(SamTemplate template, int port, EmulatorHttp.Kind kind) {
        Map<String, String> values = new LinkedHashMap<>(template.parameterDefaults());
        // PARAM_<Name> stands in for a deployment's --parameter-overrides (e.g. PARAM_SunsetCutoff=2027-06-30).
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("PARAM_") && values.containsKey(name.substring("PARAM_".length()))) {
                values.put(name.substring("PARAM_".length()), value);
            }
        });
        values.put("AWS::Region", LocalContext.REGION);
        values.put("AWS::AccountId", kind == EmulatorHttp.Kind.LOCALSTACK ? "000000000000" : LocalContext.ACCOUNT_ID);
        values.put("AWS::Partition", "aws");
        values.put("AWS::URLSuffix", "amazonaws.com");
        values.put("AWS::StackName", "wsl-local");
        // Locally billing is whoever runs `infra/run-local.sh purchase`: this account (the bus policy is not evaluated).
        values.putIfAbsent("BillingPrincipal", System.getenv().getOrDefault("PARAM_BillingPrincipal", values.get("AWS::AccountId")));
        values.put(template.tableDefinition().logicalId(), LocalStackRuntime.TABLE_NAME);
        String base = "http://127.0.0.1:" + port;
        values.put("JwtIssuer", base + "/local/issuer");
        values.put("JwtAudience", LocalStackRuntime.AUDIENCE);
        values.put("SenderEmail", LocalStackRuntime.SENDER_EMAIL);
        // The console this runtime serves: invitation links open its accept page.
        values.put("AppBaseUrl", base);
        return values;
    }

    /**
     * Creates what the template declares in the emulator (table, sender identities, queues, keys), records their
     * names and attributes as values, and sets the functions' environment resolved with them.
     */
    void provision(Provisioner provisioner, SqsDeadLetterQueues queues) {
        TableDescription table = provisioner.provisionTable(template.tableDefinition(), LocalStackRuntime.TABLE_NAME);
        String tableId = template.tableDefinition().logicalId();
        refValues.put(tableId + ".Arn", table.tableArn());
        if (table.latestStreamArn() != null) {
            refValues.put(tableId + ".StreamArn", table.latestStreamArn());
        }
        provisioner.provisionSenders(template.emailIdentities(refValues));
        for (String queueId : template.queues()) {
            SqsDeadLetterQueues.ProvisionedQueue queue = queues.provision(queueId);
            refValues.put(queueId, queue.url());
            refValues.put(queueId + ".Arn", queue.arn());
            refValues.put(queueId + ".QueueName", queue.name());
            refValues.put(queueId + ".QueueUrl", queue.url());
        }
        for (String keyId : template.kmsKeys()) {
            Provisioner.ProvisionedKey key = provisioner.provisionKey(keyId);
            refValues.put(keyId, key.reference());
            refValues.put(keyId + ".Arn", key.arn());
        }

        applyEnvironment();
    }

    /** The live values, for the runtime's wiring (the authorizer's issuer, the buses' names) and provisioning. */
    Map<String, String> refValues() {
        return refValues;
    }

    /** A copy of the values now. */
    Map<String, String> snapshot() {
        return Map.copyOf(refValues);
    }

    /** The functions' environment, as set in the system properties. */
    Map<String, String> environment() {
        return environment;
    }

    /** Resolves every function's environment with the values now and sets it as system properties. */
    void applyEnvironment() {
        Map<String, String> merged = mergedEnvironment();
        merged.forEach(System::setProperty);
        environment = Collections.unmodifiableMap(merged);
    }

    /**
     * Every function's environment, resolved with the local values; one JVM, so one value per name. The
     * values must pass the template's {@code Rules} first, as a deployment's must.
     */
    private Map<String, String> mergedEnvironment() {
        template.checkRules(refValues);
        Map<String, String> merged = new LinkedHashMap<>();
        for (String functionId : template.functionIds()) {
            template.environment(functionId, refValues).forEach((name, value) -> {
                if (JVM_VARIABLES.contains(name)) {
                    return;
                }
                String earlier = merged.putIfAbsent(name, value);
                if (earlier != null && !earlier.equals(value)) {
                    throw new IllegalStateException("functions share one JVM locally, but " + name
                            + " is '" + earlier + "' for one and '" + value + "' for " + functionId);
                }
            });
        }
        return merged;
    }

    /** The template's parameters and their values in this runtime (defaults, {@code PARAM_} overrides, changes). */
    Map<String, String> parameters() {
        Map<String, String> out = new TreeMap<>();
        template.parameterDefaults().keySet().forEach(name -> out.put(name, refValues.get(name)));
        return out;
    }

    /** See {@link LocalStackRuntime#setParameters}; {@code functions} gets fresh instances of the functions affected. */
    LocalStackRuntime.ParameterChange setParameters(Map<String, String> changes, FunctionInvoker functions) {
        for (String name : changes.keySet()) {
            if (!template.parameterDefaults().containsKey(name) || FIXED_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException(name + " is not a parameter that can be set locally; these are: "
                        + String.join(", ", template.parameterDefaults().keySet().stream()
                        .filter(n -> !FIXED_PARAMETERS.contains(n)).sorted().toList()));
            }
        }
        Map<String, String> valuesBefore = new LinkedHashMap<>(refValues);
        Map<String, String> environmentBefore = environment;
        Map<String, Map<String, String>> perFunctionBefore = perFunctionEnvironment();
        try {
            refValues.putAll(changes);
            Map<String, String> merged = mergedEnvironment();
            List<String> affected = perFunctionEnvironment().entrySet().stream()
                    .filter(e -> !e.getValue().equals(perFunctionBefore.get(e.getKey()))).map(Map.Entry::getKey).toList();
            merged.forEach(System::setProperty);
            environment = Collections.unmodifiableMap(merged);
            functions.recreate(affected);
            return new LocalStackRuntime.ParameterChange(parameters(), affected);
        } catch (RuntimeException | LinkageError e) {
            refValues.clear();
            refValues.putAll(valuesBefore);
            environmentBefore.forEach(System::setProperty);
            environment = environmentBefore;
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("not changed: " + (root.getMessage() == null ? root.toString()
                    : root.getMessage()), e);
        }
    }

    private Map<String, Map<String, String>> perFunctionEnvironment() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String functionId : template.functionIds()) {
            out.put(functionId, template.environment(functionId, refValues));
        }
        return out;
    }
}
