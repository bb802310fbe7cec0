package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.local.EventBus.Delivery;
import dev.wsl.local.SamTemplate.EventRule;
import dev.wsl.local.testfns.RecordingEventHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private static final Instant NOW = Instant.parse("2025-06-02T09:15:42.987654Z");

    private final SamTemplate template = TestTemplates.test();
    private final EventBus bus = new EventBus(template.eventRules(),
            new FunctionInvoker(template, Clock.systemUTC()), Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void clear() {
        RecordingEventHandler.RECEIVED.clear();
    }

    private static Map<String, Object> event(String source, String detailType, Map<String, Object> detail) {
        Map<String, Object> event = new HashMap<>();
        event.put("source", source);
        event.put("detail-type", detailType);
        event.put("detail", detail);
        return event;
    }

    private static Map<String, Object> with(Map<String, Object> event, String key, Object value) {
        event.put(key, value);
        return event;
    }

    @Test
    void theTemplatesRulesAreReadWithTheirPatterns() {
        List<EventRule> rules = template.eventRules();

        assertThat(rules).extracting(EventRule::functionLogicalId, EventRule::eventName, EventRule::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PurchasesFunction", "Purchases", "EventBridgeRule"),
                        org.assertj.core.groups.Tuple.tuple("BigPurchasesFunction", "Big", "CloudWatchEvent"),
                        org.assertj.core.groups.Tuple.tuple("BigPurchasesFunction", "Paused", "EventBridgeRule"),
                        org.assertj.core.groups.Tuple.tuple("BigPurchasesFunction", "Elsewhere", "EventBridgeRule"),
                        org.assertj.core.groups.Tuple.tuple("BigPurchasesFunction", "OnVendorBus", "EventBridgeRule"),
                        org.assertj.core.groups.Tuple.tuple("BrokenConsumerFunction", "Poison", "EventBridgeRule"),
                        org.assertj.core.groups.Tuple.tuple("DeadLetteredConsumerFunction", "Toxic", "EventBridgeRule"));
        assertThat(rules.getFirst().pattern()).isEqualTo(Map.of(
                "source", List.of("test.billing"),
                "detail-type", List.of("Subscription Purchased", "Subscription Changed")));
        assertThat(rules.getFirst().handlerClass()).isEqualTo(RecordingEventHandler.class.getName());
        // a pattern given as a JSON string is parsed like one given as YAML
        assertThat(rules.get(1).pattern()).isEqualTo(Map.of(
                "source", List.of("test.billing"), "detail", Map.of("seats", List.of(Map.of("numeric", List.of(">=", 100))))));
        assertThat(rules).extracting(EventRule::enabled).containsExactly(true, true, false, true, true, true, true);
        assertThat(rules).extracting(EventRule::defaultBus).containsExactly(true, true, true, false, false, true, true);
        assertThat(rules).extracting(EventRule::eventBus)
                .containsExactly(null, null, null, "partner-bus", "VendorBus", null, null);
    }

    /** The template's own bus, by name, ARN or logical id; an event put on one bus never reaches another's rules. */
    @Test
    void anEventReachesOnlyTheRulesOfTheBusItWasPutOn() {
        EventBus buses = new EventBus(template.eventRules(), template.eventBuses(Map.of("AWS::StackName", "t")),
                new AsyncInvoker(template, new FunctionInvoker(template, Clock.systemUTC()), DeadLetterQueues.NONE,
                        Clock.systemUTC()), Clock.fixed(NOW, ZoneOffset.UTC));
        Map<String, Object> purchase = event("test.billing", "Subscription Purchased", Map.of("seats", 5));

        assertThat(buses.rules()).extracting(EventRule::eventName).containsExactly("Purchases", "Big", "OnVendorBus",
                "Poison", "Toxic");
        assertThat(buses.put(purchase)).extracting(Delivery::functionLogicalId).containsExactly("PurchasesFunction");
        assertThat(buses.put("default", purchase)).extracting(Delivery::functionLogicalId).containsExactly("PurchasesFunction");
        for (String name : List.of("t-vendor", "VendorBus", "arn:aws:events:us-east-1:123456789012:event-bus/t-vendor")) {
            assertThat(buses.put(name, purchase)).as(name).extracting(Delivery::functionLogicalId)
                    .containsExactly("BigPurchasesFunction");
        }
        assertThat(RecordingEventHandler.RECEIVED).extracting(RecordingEventHandler.Received::functionName)
                .containsExactly("PurchasesFunction", "PurchasesFunction", "BigPurchasesFunction", "BigPurchasesFunction",
                        "BigPurchasesFunction");
        assertThatThrownBy(() -> buses.put("partner-bus", purchase)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no event bus partner-bus");
        assertThat(RecordingEventHandler.RECEIVED).hasSize(5);
    }

    @Test
    void theBusDeliversToEnabledRulesOfTheDefaultBusOnly() {
        assertThat(bus.rules()).extracting(EventRule::eventName).containsExactly("Purchases", "Big", "Poison", "Toxic");
        assertThat(bus.put(event("test.paused", "Anything", Map.of()))).isEmpty();
        assertThat(bus.put(event("test.partner", "Anything", Map.of()))).isEmpty();
        assertThat(RecordingEventHandler.RECEIVED).isEmpty();
    }

    @Test
    void aPartialEventIsCompletedAsEventBridgeDeliversIt() {
        Map<String, Object> full = bus.complete(event("test.billing", "Subscription Purchased", Map.of("seats", 5)));

        assertThat(full).containsExactly(
                Map.entry("version", "0"),
                Map.entry("id", full.get("id")),
                Map.entry("detail-type", "Subscription Purchased"),
                Map.entry("source", "test.billing"),
                Map.entry("account", "000000000000"),
                Map.entry("time", "2025-06-02T09:15:42Z"),
                Map.entry("region", "us-east-1"),
                Map.entry("resources", List.of()),
                Map.entry("detail", Map.of("seats", 5)));
        assertThat(UUID.fromString((String) full.get("id"))).isNotNull();
        assertThat(bus.complete(event("s", "t", Map.of())).get("id")).isNotEqualTo(full.get("id"));
    }

    @Test
    void givenEnvelopeFieldsAreKeptAndDetailMayBeAJsonString() {
        Map<String, Object> given = event("test.billing", "Subscription Purchased", null);
        given.put("id", "replayed-id");
        given.put("time", "2024-01-01T00:00:00Z");
        given.put("resources", List.of("arn:aws:billing::sub/1"));
        given.put("detail", "{\"seats\": 3, \"plan\": \"Team\"}");

        Map<String, Object> full = bus.complete(given);

        assertThat(full).containsEntry("id", "replayed-id")
                .containsEntry("time", "2024-01-01T00:00:00Z")
                .containsEntry("resources", List.of("arn:aws:billing::sub/1"))
                .containsEntry("detail", Map.of("seats", 3, "plan", "Team"));
        assertThat(bus.complete(event("s", "t", null))).containsEntry("detail", Map.of());
    }

    @Test
    void eventsEventBridgeWouldRefuseAreRefusedBeforeAnythingRuns() {
        Map<String, Object> noSource = event(null, "Subscription Purchased", Map.of());
        noSource.remove("source");
        assertThatThrownBy(() -> bus.put(noSource)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> bus.complete(event("test.billing", " ", Map.of())))
                .hasMessageContaining("detail-type");
        assertThatThrownBy(() -> bus.complete(with(event("test.billing", "T", Map.of("x", 1)), "detailType", "T")))
                .hasMessageContaining("detailType");
        assertThatThrownBy(() -> bus.complete(with(event("test.billing", "T", null), "detail", List.of(1))))
                .hasMessageContaining("detail must be a JSON object");
        assertThatThrownBy(() -> bus.complete(with(event("test.billing", "T", null), "detail", "{oops")))
                .hasMessageContaining("detail is a string but not JSON");
        assertThatThrownBy(() -> bus.complete(with(event("test.billing", "T", null), "time", "yesterday")))
                .hasMessageContaining("time");
        assertThatThrownBy(() -> bus.complete(with(event("test.billing", "T", null), "resources", List.of(1))))
                .hasMessageContaining("resources");
        assertThatThrownBy(() -> bus.complete(with(event("test.billing", "T", null), "source", 7)))
                .hasMessageContaining("source must be a non-blank string");
        assertThat(RecordingEventHandler.RECEIVED).isEmpty();
    }

    @Test
    void anEventReachesEveryMatchingFunctionAndNoOther() {
        List<Delivery> small = bus.put(event("test.billing", "Subscription Purchased", Map.of("seats", 5)));
        assertThat(small).extracting(Delivery::functionLogicalId).containsExactly("PurchasesFunction");
        assertThat(small.getFirst().failed()).isFalse();
        assertThat(small.getFirst().result()).containsEntry("accepted", true).containsEntry("function", "PurchasesFunction");

        List<Delivery> big = bus.put(event("test.billing", "Subscription Changed", Map.of("seats", 150)));
        assertThat(big).extracting(Delivery::functionLogicalId).containsExactly("PurchasesFunction", "BigPurchasesFunction");

        assertThat(bus.put(event("test.billing", "Subscription Renewed", Map.of("seats", 5)))).isEmpty();
        assertThat(bus.put(event("other.billing", "Subscription Purchased", Map.of("seats", 5)))).isEmpty();
        assertThat(bus.put(event("test.billing", "subscription purchased", Map.of("seats", 5)))).isEmpty();
        assertThat(RecordingEventHandler.RECEIVED).extracting(RecordingEventHandler.Received::functionName)
                .containsExactly("PurchasesFunction", "PurchasesFunction", "BigPurchasesFunction");
    }

    @Test
    void eachFunctionGetsItsOwnCopyOfTheEventAsLambdaDeserializesIt() {
        bus.put(event("test.billing", "Subscription Purchased", Map.of("seats", 150, "plan", "Team",
                "periods", List.of(Map.of("from", "2025-06-02")))));

        assertThat(RecordingEventHandler.RECEIVED).hasSize(2).allSatisfy(received -> {
            // the first handler's tampering with its copy does not reach the second
            assertThat(received.event()).containsEntry("source", "test.billing")
                    .containsEntry("time", "2025-06-02T09:15:42Z");
            assertThat(received.event().get("detail")).isInstanceOf(Map.class)
                    .isEqualTo(Map.of("seats", 150, "plan", "Team", "periods", List.of(Map.of("from", "2025-06-02"))));
        });
        assertThat(RecordingEventHandler.RECEIVED.get(0).event().get("id"))
                .isEqualTo(RecordingEventHandler.RECEIVED.get(1).event().get("id"));
    }

    @Test
    void aThrowingFunctionIsRetriedAsLambdaRetriesAsyncInvocations_thenAFailedDeliveryNotAnException() {
        List<Delivery> deliveries = bus.put(event("test.billing", "Poison", Map.of()));

        assertThat(deliveries).singleElement().satisfies(d -> {
            assertThat(d.functionLogicalId()).isEqualTo("BrokenConsumerFunction");
            assertThat(d.failed()).isTrue();
            assertThat(d.result()).containsEntry("errorType", IllegalStateException.class.getName())
                    .containsEntry("errorMessage", "poisoned (expected by the test)")
                    .containsEntry("attempts", 3) // no EventInvokeConfig: Lambda's default of 2 retries
                    .doesNotContainKey("deadLetterQueue");
        });
        assertThat(RecordingEventHandler.RECEIVED).hasSize(3)
                .allSatisfy(r -> assertThat(r.functionName()).isEqualTo("BrokenConsumerFunction"));
    }

    @Test
    void anEventItsFunctionKeepsFailingOnGoesToTheFunctionsQueueAsLambdasInvocationRecord() {
        RecordingDeadLetterQueues queues = new RecordingDeadLetterQueues();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        EventBus deadLettering = new EventBus(template.eventRules(),
                new AsyncInvoker(template, new FunctionInvoker(template, clock), queues, clock), clock);

        List<Delivery> deliveries = deadLettering.put(event("test.billing", "Poison, dead-lettered", Map.of("seats", 3)));

        assertThat(deliveries).singleElement().satisfies(d -> {
            assertThat(d.functionLogicalId()).isEqualTo("DeadLetteredConsumerFunction");
            assertThat(d.failed()).isTrue();
            assertThat(d.result()).containsEntry("attempts", 2).containsEntry("deadLetterQueue", "FailedInvocationsQueue");
        });
        assertThat(RecordingEventHandler.RECEIVED).hasSize(2); // MaximumRetryAttempts: 1
        assertThat(queues.sent).singleElement().satisfies(sent -> {
            assertThat(sent.queue()).isEqualTo("FailedInvocationsQueue");
            var record = sent.body();
            assertThat(record.path("version").asText()).isEqualTo("1.0");
            assertThat(record.path("timestamp").asText()).isEqualTo("2025-06-02T09:15:42.987Z");
            assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
            assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2);
            assertThat(record.path("requestContext").path("functionArn").asText())
                    .endsWith(":function:DeadLetteredConsumerFunction");
            assertThat(record.path("requestPayload").path("detail-type").asText()).isEqualTo("Poison, dead-lettered");
            assertThat(record.path("requestPayload").path("detail").path("seats").asInt()).isEqualTo(3);
            assertThat(record.path("requestPayload").path("id").asText())
                    .isEqualTo(RecordingEventHandler.RECEIVED.getFirst().event().get("id"));
            assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
            assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("poisoned (expected by the test)");
        });
    }

    @Test
    void rulesThatReshapeTheEventOrLackAPatternAreRefused() {
        String function = """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Events:
                        Rule:
                          Type: EventBridgeRule
                          Properties:
                %s
                """;
        assertThatThrownBy(() -> SamTemplate.parse(function.formatted(
                "            Pattern: {source: [x]}\n            InputPath: $.detail")).eventRules())
                .hasMessageContaining("InputPath");
        assertThatThrownBy(() -> SamTemplate.parse(function.formatted("            State: ENABLED")).eventRules())
                .hasMessageContaining("no Pattern");
        assertThatThrownBy(() -> SamTemplate.parse(function.formatted("            Pattern: [x]")).eventRules())
                .hasMessageContaining("a Pattern is a mapping");
    }
}
