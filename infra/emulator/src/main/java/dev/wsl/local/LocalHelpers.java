package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The development helpers under {@code /local/} that change or read the runtime's state (DNS records, a past
 * activation, billing events, parameters), each a function of the request's body to a {@link LocalResponse}, apart
 * from the exchange so that tests call them directly. {@link LocalServer} routes to them, from loopback only.
 */
final class LocalHelpers {
    private LocalHelpers() {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** A response of a {@code /local/} route, built apart from the exchange so that it can be tested. */
    record LocalResponse(int status, String body) {}

    /**
     * The runtime's DNS server ({@link LocalDns}): {@code GET /local/dns} lists the TXT records published;
     * {@code POST /local/dns} with {@code {"name", "value"}} publishes one; {@code DELETE /local/dns} with
     * {@code {"name", "value"?}} removes that one, or every record of the name. Answers the records; 400
     * {@code {"message"}} for a body that names no DNS name or value.
     */
    static LocalResponse dns(LocalDns dns, String method, String body) {
        if (!method.equals("GET")) {
            JsonNode request;
            try {
                request = Json.read(body.isBlank() ? "{}" : body);
            } catch (IllegalArgumentException e) {
                return new LocalResponse(400, json(Map.of("message", "body must be JSON: " + e.getMessage())));
            }
            String name = request.path("name").asText("");
            String value = request.path("value").isTextual() ? request.path("value").asText() : null;
            if (name.isBlank() || (method.equals("POST") && (value == null || value.length() > 1024))) {
                return new LocalResponse(400, json(Map.of("message",
                        "give {\"name\": \"_wsl-verification.example.com\", \"value\": \"wsl-verify=...\"}")));
            }
            try {
                if (method.equals("POST")) {
                    dns.publishTxt(name, value);
                } else {
                    dns.removeTxt(name, value);
                }
            } catch (IllegalArgumentException e) {
                return new LocalResponse(400, json(Map.of("message", e.getMessage())));
            }
        }
        return new LocalResponse(200, json(Map.of("resolver", dns.resolver(), "txt", dns.records())));
    }

    /**
     * {@code POST /local/past-activation} with {@code {"token": "<auth token or CI key>", "daysAgo": 1..365}}: the
     * LocalStack client's {@code /v1/license/request} with that credential, answered by the real activation handler
     * on a clock set that many days back, as if LocalStack had started then (issue 21: on a fresh runtime nothing is
     * idle yet; this gives a seat a past to show). Answers the activation's status and body; 400 {@code {"message"}}
     * for a body without a token or with days out of range.
     */
    static LocalResponse pastActivation(LocalStackRuntime runtime, String body) {
        JsonNode request;
        try {
            request = Json.read(body.isBlank() ? "{}" : body);
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", "body must be JSON: " + e.getMessage())));
        }
        String token = request.path("token").asText("");
        int days = request.path("daysAgo").asInt(0);
        if (token.isBlank() || !request.path("daysAgo").isInt() || days < 1 || days > 365) {
            return new LocalResponse(400, json(Map.of("message", "give {\"token\": \"ls-...\", \"daysAgo\": 1 to 365}")));
        }
        var handler = new dev.wsl.activation.ActivationHandler(new dev.wsl.activation.ActivationService(
                new dev.wsl.core.store.ActivationStore(runtime.dynamoDb(), runtime.tableName()),
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(-days)),
                java.time.Duration.ofHours(24), null));
        String licenseRequest = json(Map.of("credentials", Map.of("type", "licensing-auth-token", "token", token),
                "product", Map.of("name", "localstack-pro", "version", "2026.8.2"),
                "machine", Map.of("id", "local-past", "cli", true, "ci", false, "system", "Linux")));
        APIGatewayV2HTTPResponse answer = handler.handleRequest(APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/license/request").withRouteKey("POST /v1/license/request").withBody(licenseRequest)
                .withIsBase64Encoded(false).build(), null);
        return new LocalResponse(answer.getStatusCode(), answer.getBody());
    }

    /**
     * {@code POST /local/events}: the body is an event as a publisher gives it to EventBridge (at
     * least {@code source}, {@code detail-type} and {@code detail}; see {@link EventBus#complete}), with
     * {@code EventBusName} as in {@code PutEvents} (the template's bus by name, ARN or logical id, e.g.
     * {@code BillingEventBus}; absent: the default bus).
     * 200 with the completed event and one entry per invoked function, {@code {"function",
     * "result"}} plus {@code "failed": true} if it threw (the bus does not fail for that); 400
     * {@code {"message"}} for a body that is not JSON or not an acceptable event, or an unknown bus.
     */
    static LocalResponse publish(EventBus bus, String body) {
        JsonNode json;
        try {
            json = Json.read(body);
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", "body must be JSON: " + e.getMessage())));
        }
        if (!json.isObject()) {
            return new LocalResponse(400, json(Map.of("message",
                    "body must be an event: a JSON object with source, detail-type and detail")));
        }
        Map<String, Object> event;
        String eventBusName;
        try {
            Map<String, Object> given = new LinkedHashMap<>(Json.MAPPER.convertValue(json, MAP));
            Object named = given.remove("EventBusName");
            if (named != null && !(named instanceof String)) {
                throw new IllegalArgumentException("EventBusName must be a string");
            }
            eventBusName = (String) named;
            bus.busOf(eventBusName);
            event = bus.complete(given);
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", e.getMessage())));
        }
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (EventBus.Delivery d : bus.put(eventBusName, event)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("function", d.functionLogicalId());
            entry.put("result", d.result());
            if (d.failed()) {
                entry.put("failed", true);
            }
            deliveries.add(entry);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("event", event);
        response.put("deliveries", deliveries);
        return new LocalResponse(200, json(response));
    }

    /**
     * {@code GET /local/parameters}: the template's parameters and their values here.
     * {@code POST /local/parameters} with {@code {"Name": "value", ...}}: changes them as a redeployment
     * with {@code --parameter-overrides} would, keeping every item of the emulator; the functions whose
     * environment changes start afresh ({@code recreated}). 400 {@code {"message"}} for an unknown
     * parameter, a value that is no string, or a value a function refuses (nothing changes then).
     */
    static LocalResponse parameters(LocalStackRuntime runtime, String method, String body) {
        if (method.equals("GET")) {
            return new LocalResponse(200, json(Map.of("parameters", runtime.parameters())));
        }
        JsonNode json;
        try {
            json = Json.read(body.isBlank() ? "{}" : body);
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", "body must be JSON: " + e.getMessage())));
        }
        Map<String, String> changes = new LinkedHashMap<>();
        if (!json.isObject()) {
            return new LocalResponse(400, json(Map.of("message", "body must be an object of parameter names to values")));
        }
        for (var field : json.properties()) {
            if (!field.getValue().isTextual()) {
                return new LocalResponse(400, json(Map.of("message", field.getKey() + " must be a string")));
            }
            changes.put(field.getKey(), field.getValue().asText());
        }
        try {
            LocalStackRuntime.ParameterChange change = runtime.setParameters(changes);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("parameters", change.parameters());
            answer.put("recreated", change.recreated());
            return new LocalResponse(200, json(answer));
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", e.getMessage())));
        }
    }

    private static String json(Object value) {
        return Json.write(value);
    }
}
