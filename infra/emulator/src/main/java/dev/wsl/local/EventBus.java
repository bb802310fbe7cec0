package dev.wsl.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.SamTemplate.EventRule;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Local stand-in for the account's default EventBridge bus and the template's own buses
 * ({@code AWS::Events::EventBus}, e.g. the billing bus): {@link #put} completes an event the
 * way EventBridge does on {@code PutEvents}, matches it against the pattern of every enabled
 * {@code EventBridgeRule}/{@code CloudWatchEvent} of the template on the bus it was put on (with
 * {@link FilterPattern}, the same matcher the stream filters use), and invokes each matching function
 * with it. An event put on one bus never reaches a rule of another, as in EventBridge. The buses'
 * resource policies are not evaluated (nothing local has an IAM identity); the template tests check
 * them, and locally only loopback callers can publish at all ({@link LocalServer}).
 *
 * <p>Unlike EventBridge, delivery is synchronous: the caller sees every function's result (which
 * AWS discards, the invocation being asynchronous). A function that throws is retried and, if it
 * keeps failing, dead-lettered as Lambda's asynchronous invocation does ({@link AsyncInvoker}), then
 * reported as a failed {@link Delivery}, not rethrown, because on AWS the publisher never learns
 * about it either. Functions
 * go through the runtime's one {@link FunctionInvoker}, so they share the handler instances the
 * gateway and the stream use, as they would share a warm Lambda environment.
 */
public final class EventBus {

    /** The account events carry locally (LocalStack's placeholder account). */
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = LocalContext.REGION;

    /** The fields EventBridge delivers; anything else in a put event is a typo, refused. */
    private static final Set<String> ENVELOPE = Set.of(
            "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /**
     * One invocation of a function by the bus.
     *
     * @param result what the function returned (null if it returned null); for a failed
     *               invocation, Lambda's error payload {@code {"errorType", "errorMessage"}}
     * @param failed whether the function threw (or could not be instantiated)
     */
    public record Delivery(String functionLogicalId, Map<String, Object> result, boolean failed) {
        public Delivery {
            Objects.requireNonNull(functionLogicalId);
        }

        /** A successful delivery. */
        public Delivery(String functionLogicalId, Map<String, Object> result) {
            this(functionLogicalId, result, false);
        }

        /** Lambda's error payload, with how often it was tried and where the event went. */
        static Delivery failure(String functionLogicalId, AsyncInvoker.Outcome outcome) {
            Throwable error = outcome.error().orElseThrow();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("errorType", error.getClass().getName());
            payload.put("errorMessage", String.valueOf(error.getMessage()));
            payload.put("attempts", outcome.attempts());
            outcome.deadLetterQueue().ifPresent(queue -> payload.put("deadLetterQueue", queue));
            return new Delivery(functionLogicalId, Collections.unmodifiableMap(payload), true);
        }
    }

    private record Subscription(EventRule rule, FilterPattern pattern) {}

    private final List<Subscription> subscriptions;
    /** The template's buses: logical id to name. */
    private final Map<String, String> buses;
    private final AsyncInvoker functions;
    private final Clock clock;

    /**
     * Rules on other buses and disabled rules are ignored. Patterns are parsed here, so a pattern
     * the matcher cannot honour fails when the runtime starts, not when an event arrives.
     */
    EventBus(List<EventRule> rules, FunctionInvoker functions, Clock clock) {
        this(rules, Map.of(), new AsyncInvoker(functions.template(), functions, DeadLetterQueues.NONE, clock), clock);
    }

    /** @param functions invokes the rules' functions asynchronously, with the template's failure handling */
    EventBus(List<EventRule> rules, AsyncInvoker functions, Clock clock) {
        this(rules, Map.of(), functions, clock);
    }

    /**
     * @param buses     the template's event buses, logical id to name ({@link SamTemplate#eventBuses}); a rule on
     *                  one of them is fed by events put on it (by name, ARN or logical id)
     * @param functions invokes the rules' functions asynchronously, with the template's failure handling
     */
    EventBus(List<EventRule> rules, Map<String, String> buses, AsyncInvoker functions, Clock clock) {
        this.functions = functions;
        this.clock = clock;
        this.buses = Map.copyOf(buses);
        this.subscriptions = rules.stream()
                .filter(r -> r.enabled() && (r.defaultBus() || buses.containsKey(r.eventBus())))
                .map(r -> new Subscription(r, FilterPattern.parse(Json.write(r.pattern()))))
                .toList();
    }

    /** The rules this bus delivers to (enabled, on the default bus or one of the template's), in template order. */
    public List<EventRule> rules() {
        return subscriptions.stream().map(Subscription::rule).toList();
    }

    /**
     * The logical id of the template's bus that {@code EventBusName} names (its name, its ARN, or its logical
     * id), or null for the default bus ({@code null} or {@code default}).
     *
     * @throws IllegalArgumentException for a bus the template does not declare (EventBridge: ResourceNotFound)
     */
    String busOf(String eventBusName) {
        if (eventBusName == null || eventBusName.equals("default") || eventBusName.endsWith(":event-bus/default")) {
            return null;
        }
        String name = eventBusName.startsWith("arn:") && eventBusName.contains(":event-bus/")
                ? eventBusName.substring(eventBusName.indexOf(":event-bus/") + ":event-bus/".length()) : eventBusName;
        for (Map.Entry<String, String> bus : buses.entrySet()) {
            if (bus.getValue().equals(name) || bus.getKey().equals(name)) {
                return bus.getKey();
            }
        }
        throw new IllegalArgumentException("no event bus " + eventBusName + " (the template declares "
                + (buses.isEmpty() ? "none" : buses.keySet() + " named " + buses.values()) + "; or use default)");
    }

    /** Publishes an event on the account's default bus; see {@link #put(String, Map)}. */
    public List<Delivery> put(Map<String, Object> event) {
        return put(null, event);
    }

    /**
     * Publishes an event: completes it ({@link #complete}), then invokes every function whose rule
     * matches, one after the other in template order, each with its own copy of the event as the
     * Lambda runtime would deserialize it (a {@code Map} of maps, lists, strings, numbers, booleans).
     *
     * @param eventBusName the bus to put it on, as {@code PutEvents} names it ({@link #busOf}); null: the default bus
     * @return one delivery per matching rule of that bus; empty if no rule matches
     * @throws IllegalArgumentException if the event is not one EventBridge would accept, or the bus does not exist
     *                                  (nothing is invoked)
     */
    public List<Delivery> put(String eventBusName, Map<String, Object> event) {
        String bus = busOf(eventBusName);
        Map<String, Object> full = complete(event);
        JsonNode json = Json.MAPPER.valueToTree(full);
        String what = full.get("detail-type") + " from " + full.get("source") + " (" + full.get("id") + ") on "
                + (bus == null ? "the default bus" : buses.get(bus));
        List<Delivery> deliveries = new ArrayList<>();
        for (Subscription s : subscriptions) {
            if (!Objects.equals(s.rule().eventBus(), bus) || !s.pattern().matches(json)) {
                continue;
            }
            String functionId = s.rule().functionLogicalId();
            AsyncInvoker.Outcome outcome = functions.invoke(functionId, () -> Json.MAPPER.convertValue(json, MAP), what);
            if (outcome.failed()) {
                deliveries.add(Delivery.failure(functionId, outcome));
            } else {
                deliveries.add(new Delivery(functionId, asResult(outcome.result())));
                System.err.printf("[events] %s -> %s: %s%n", what, functionId, outcome.result());
            }
        }
        if (deliveries.isEmpty()) {
            System.err.printf("[events] %s matched no rule%n", what);
        }
        return List.copyOf(deliveries);
    }

    /**
     * The event as EventBridge delivers it, from what a publisher gives: {@code source} and
     * {@code detail-type} (required, non-blank strings), {@code detail} (an object, or a JSON
     * object in a string as {@code PutEvents} takes it; {@code {}} if absent), optional
     * {@code resources} (strings) and {@code time} (an ISO-8601 instant). The rest is filled in:
     * {@code version} "0", a random UUID {@code id}, {@code account} {@value #ACCOUNT},
     * {@code time} now to the second in UTC, {@code region} us-east-1, {@code resources} [].
     * Envelope fields that are given are kept (a replayed {@code id} is how to test idempotency);
     * unknown top-level fields are refused.
     *
     * @throws IllegalArgumentException naming what is wrong with the event
     */
    Map<String, Object> complete(Map<String, Object> event) {
        Objects.requireNonNull(event, "event");
        for (String key : event.keySet()) {
            if (!ENVELOPE.contains(key)) {
                throw new IllegalArgumentException("unknown event field '" + key + "' (an event has " + ENVELOPE + ")");
            }
        }
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("version", text(event, "version", "0"));
        full.put("id", text(event, "id", UUID.randomUUID().toString()));
        full.put("detail-type", required(event, "detail-type"));
        full.put("source", required(event, "source"));
        full.put("account", text(event, "account", ACCOUNT));
        full.put("time", time(event.get("time")));
        full.put("region", text(event, "region", REGION));
        full.put("resources", resources(event.get("resources")));
        full.put("detail", detail(event.get("detail")));
        return full;
    }

    private static String text(Map<String, Object> event, String key, String otherwise) {
        Object value = event.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(key + " must be a non-blank string, found " + Json.write(value));
        }
        return s;
    }

    private static String required(Map<String, Object> event, String key) {
        if (event.get(key) == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        return text(event, key, null);
    }

    private String time(Object value) {
        if (value == null) {
            return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        }
        if (value instanceof String s) {
            try {
                Instant.parse(s);
                return s;
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("time must be an ISO-8601 instant like 2025-06-02T09:15:00Z, found "
                + Json.write(value));
    }

    private static List<Object> resources(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> items && items.stream().allMatch(i -> i instanceof String)) {
            return List.copyOf(items);
        }
        throw new IllegalArgumentException("resources must be a list of strings, found " + Json.write(value));
    }

    private static Map<String, Object> detail(Object value) {
        Object detail = value;
        if (value instanceof String s) {
            try {
                detail = Json.MAPPER.convertValue(Json.read(s), Object.class);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("detail is a string but not JSON: " + e.getMessage(), e);
            }
        }
        if (detail == null) {
            return Map.of();
        }
        if (!(detail instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("detail must be a JSON object, found " + Json.write(value));
        }
        return Json.MAPPER.convertValue(map, MAP);
    }

    /** A handler's result as the caller sees it (Lambda serializes it to JSON; so does this). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> asResult(Object result) {
        return switch (result) {
            case null -> null;
            case Map<?, ?> map -> (Map<String, Object>) map;
            default -> {
                JsonNode json = Json.MAPPER.valueToTree(result);
                if (!json.isObject()) {
                    throw new IllegalStateException("the handler returned " + json + ", not a JSON object");
                }
                yield Json.MAPPER.convertValue(json, MAP);
            }
        };
    }
}
