package dev.wsl.local;

import static dev.wsl.local.TemplateDocument.list;
import static dev.wsl.local.TemplateDocument.mapList;
import static dev.wsl.local.TemplateDocument.optionalMap;
import static dev.wsl.local.TemplateDocument.scalarText;

import dev.wsl.local.SamTemplate.AsyncInvokeConfig;
import dev.wsl.local.SamTemplate.EventRule;
import dev.wsl.local.SamTemplate.ScheduledFunction;
import dev.wsl.local.SamTemplate.StreamConsumer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What invokes the functions besides the HTTP API: the table's stream, schedules, EventBridge rules, and how Lambda
 * handles their asynchronous invocations (retries, the on-failure queue); the functions an operator invokes by hand.
 */
record TemplateEvents(TemplateDocument doc, TemplateIntrinsics intrinsics, TemplateRoutes routes) {

    private static final String SQS_QUEUE = "AWS::SQS::Queue";
    private static final String EVENT_BUS = "AWS::Events::EventBus";

    /** Every {@code DynamoDB} stream event of every function. */
    List<StreamConsumer> streamConsumers() {
        List<StreamConsumer> consumers = new ArrayList<>();
        for (String functionId : doc.functionIds()) {
            doc.events(functionId).forEach((eventName, event) -> {
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
                consumers.add(new StreamConsumer(functionId, doc.handlerClass(functionId), eventName,
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

    /**
     * Functions an operator invokes by hand ({@code aws lambda invoke}; locally {@code POST /local/invoke/{id}}): no
     * event, and no authorizer of the API.
     */
    List<String> operatorFunctions() {
        java.util.Set<String> authorizers = new java.util.HashSet<>();
        routes.lambdaAuthorizers().values().forEach(a -> authorizers.add(a.functionLogicalId()));
        return doc.functionIds().stream().filter(f -> doc.events(f).isEmpty() && !authorizers.contains(f)).toList();
    }

    /** Every {@code Schedule}/{@code ScheduleV2} event of every function. */
    List<ScheduledFunction> scheduledFunctions() {
        List<ScheduledFunction> scheduled = new ArrayList<>();
        for (String functionId : doc.functionIds()) {
            doc.events(functionId).forEach((eventName, event) -> {
                Object type = event.get("Type");
                if (!"Schedule".equals(type) && !"ScheduleV2".equals(type)) {
                    return;
                }
                Map<String, Object> p = optionalMap(event.get("Properties"), eventName);
                boolean enabled = "ScheduleV2".equals(type)
                        ? !"DISABLED".equals(scalarText(p.getOrDefault("State", "ENABLED")))
                        : Boolean.parseBoolean(scalarText(p.getOrDefault("Enabled", true)));
                scheduled.add(new ScheduledFunction(functionId, doc.handlerClass(functionId), eventName,
                        scalarText(p.get("ScheduleExpression")), enabled));
            });
        }
        return List.copyOf(scheduled);
    }

    /** The function's {@link AsyncInvokeConfig} (own, else Globals, else Lambda's defaults). */
    AsyncInvokeConfig asyncInvokeConfig(String functionId) {
        Map<String, Object> config = optionalMap(doc.functionProperty(functionId, "EventInvokeConfig"),
                functionId + ".EventInvokeConfig");
        return new AsyncInvokeConfig(
                Integer.parseInt(scalarText(config.getOrDefault("MaximumRetryAttempts", 2))),
                Integer.parseInt(scalarText(config.getOrDefault("MaximumEventAgeInSeconds", 21600))),
                onFailureQueue(config.get("DestinationConfig"), functionId + ".EventInvokeConfig"));
    }

    /** Logical ids of the template's {@code AWS::SQS::Queue} resources. */
    List<String> queues() {
        return List.copyOf(doc.resourceIdsOfType(SQS_QUEUE));
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
                && "Arn".equals(parts.get(1)) && doc.resourceIdsOfType(SQS_QUEUE).contains(String.valueOf(parts.get(0)))) {
            return Optional.of(String.valueOf(parts.get(0)));
        }
        throw new IllegalArgumentException(where + ": the on-failure destination must be !GetAtt <Queue>.Arn of an "
                + SQS_QUEUE + " in the template, found " + onFailure.get("Destination"));
    }

    /**
     * The template's event buses ({@code AWS::Events::EventBus}): logical id to the bus's name, resolved
     * against {@code refValues} (a bus without {@code Name} is named by its logical id).
     */
    Map<String, String> eventBuses(Map<String, String> refValues) {
        Map<String, String> buses = new LinkedHashMap<>();
        for (String id : doc.resourceIdsOfType(EVENT_BUS)) {
            Object name = doc.resourceProperties(id).get("Name");
            buses.put(id, name == null ? id : intrinsics.resolve(name, refValues, id + " Name"));
        }
        return buses;
    }

    /**
     * Every {@code EventBridgeRule}/{@code CloudWatchEvent} event of every function, in template
     * order. A rule that reshapes what its target receives ({@code Input}, {@code InputPath},
     * {@code InputTransformer}) is rejected: the local bus delivers the event as is and would
     * otherwise hand the function something other than AWS does.
     */
    List<EventRule> eventRules() {
        List<EventRule> rules = new ArrayList<>();
        for (String functionId : doc.functionIds()) {
            doc.events(functionId).forEach((eventName, event) -> {
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
                if (!(TemplateDocument.jsonLike(pattern, where + " Pattern") instanceof Map<?, ?> copy)) {
                    throw new IllegalArgumentException(where + ": a Pattern is a mapping, found " + pattern);
                }
                @SuppressWarnings("unchecked") // jsonLike gives maps string keys
                Map<String, Object> patternMap = (Map<String, Object>) copy;
                rules.add(new EventRule(functionId, doc.handlerClass(functionId), eventName, (String) type,
                        patternMap, bus, enabled));
            });
        }
        return List.copyOf(rules);
    }

    /** What a rule's {@code EventBusName} names (see {@link EventRule#eventBus()}). */
    private String eventBusOf(Object value, String where) {
        List<String> buses = doc.resourceIdsOfType(EVENT_BUS);
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
}
