package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalHelpers.LocalResponse;
import dev.wsl.local.testfns.RecordingEventHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The parts of the run command that need no server: {@code POST /local/events} and the purchase event. */
class LocalMainTest {

    private final SamTemplate template = TestTemplates.test();
    private final EventBus bus = new EventBus(template.eventRules(), new FunctionInvoker(template, Clock.systemUTC()),
            Clock.systemUTC());

    @BeforeEach
    void clear() {
        RecordingEventHandler.RECEIVED.clear();
    }

    @Test
    void thePrintedInviteWalk_isTheWalksDocs_whichWaitsForTheInviteesOwnEmail() throws java.io.IOException {
        String walks = java.nio.file.Files.readString(SamTemplate.findUpwards(java.nio.file.Path.of("")).orElseThrow()
                .getParent().resolve("docs").resolve("walks.md"));
        int walk = walks.indexOf("## A walk through invite");
        assertThat(walk).as("the invite walk's section in docs/walks.md").isNotNegative();
        int start = walks.indexOf("```bash\n", walk) + "```bash\n".length();

        assertThat(LocalMain.INVITE_WALK).isEqualTo(walks.substring(start, walks.indexOf("```", start)));
        assertThat(LocalMain.INVITE_WALK).contains("JANE_EMAIL=jane-$RANDOM@example.com",
                "until curl -s $API/local/emails | grep -q \"\\\"to\\\":\\\"$JANE_EMAIL\\\"\"; do sleep 0.5; done");
    }

    @Test
    void postedEventsAreCompletedAndDeliveredAndTheDeliveriesAnswered() {
        LocalResponse response = LocalHelpers.publish(bus, """
                {"source": "test.billing", "detail-type": "Subscription Purchased", "detail": {"seats": 5}}""");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = Json.read(response.body());
        assertThat(body.path("event").path("version").asText()).isEqualTo("0");
        assertThat(body.path("event").path("detail").path("seats").asInt()).isEqualTo(5);
        assertThat(body.path("deliveries")).hasSize(1);
        JsonNode delivery = body.path("deliveries").get(0);
        assertThat(delivery.path("function").asText()).isEqualTo("PurchasesFunction");
        assertThat(delivery.path("result").path("accepted").asBoolean()).isTrue();
        assertThat(delivery.path("result").path("id").asText()).isEqualTo(body.path("event").path("id").asText());
        assertThat(delivery.has("failed")).isFalse();
    }

    @Test
    void aFailedDeliveryIsStillA200AndSaysSo() {
        LocalResponse response = LocalHelpers.publish(bus, "{\"source\":\"test.billing\",\"detail-type\":\"Poison\",\"detail\":{}}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode delivery = Json.read(response.body()).path("deliveries").get(0);
        assertThat(delivery.path("function").asText()).isEqualTo("BrokenConsumerFunction");
        assertThat(delivery.path("failed").asBoolean()).isTrue();
        assertThat(delivery.path("result").path("errorMessage").asText()).contains("poisoned");
    }

    @Test
    void anEventPutOnATemplatesBus_reachesThatBussRulesOnly_andAnUnknownBusIs400() {
        EventBus buses = new EventBus(template.eventRules(), template.eventBuses(Map.of("AWS::StackName", "t")),
                new AsyncInvoker(template, new FunctionInvoker(template, Clock.systemUTC()), DeadLetterQueues.NONE,
                        Clock.systemUTC()), Clock.systemUTC());
        String purchase = "\"source\":\"test.billing\",\"detail-type\":\"Subscription Purchased\",\"detail\":{\"seats\":5}";

        LocalResponse onVendor = LocalHelpers.publish(buses, "{\"EventBusName\":\"t-vendor\"," + purchase + "}");
        LocalResponse onDefault = LocalHelpers.publish(buses, "{" + purchase + "}");
        LocalResponse unknown = LocalHelpers.publish(buses, "{\"EventBusName\":\"someone-elses\"," + purchase + "}");
        LocalResponse notAString = LocalHelpers.publish(buses, "{\"EventBusName\":7," + purchase + "}");

        assertThat(Json.read(onVendor.body()).path("deliveries")).singleElement()
                .satisfies(d -> assertThat(d.path("function").asText()).isEqualTo("BigPurchasesFunction"));
        assertThat(Json.read(onVendor.body()).path("event").has("EventBusName")).as("not part of the event").isFalse();
        assertThat(Json.read(onDefault.body()).path("deliveries")).singleElement()
                .satisfies(d -> assertThat(d.path("function").asText()).isEqualTo("PurchasesFunction"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(Json.read(unknown.body()).path("message").asText()).contains("no event bus someone-elses");
        assertThat(notAString.status()).isEqualTo(400);
        assertThat(RecordingEventHandler.RECEIVED).hasSize(2);
    }

    @Test
    void anEventNoRuleMatchesHasNoDeliveries() {
        LocalResponse response = LocalHelpers.publish(bus, "{\"source\":\"nobody\",\"detail-type\":\"Nothing\",\"detail\":{}}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(Json.read(response.body()).path("deliveries")).isEmpty();
        assertThat(RecordingEventHandler.RECEIVED).isEmpty();
    }

    @Test
    void malformedOrIncompleteEventsAre400WithAMessage() {
        assertThat(LocalHelpers.publish(bus, "{\"source\":")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(Json.read(r.body()).path("message").asText()).startsWith("body must be JSON");
        });
        assertThat(LocalHelpers.publish(bus, "")).satisfies(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(LocalHelpers.publish(bus, "[{\"source\":\"test.billing\"}]")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(Json.read(r.body()).path("message").asText()).contains("JSON object");
        });
        assertThat(LocalHelpers.publish(bus, "{\"detail-type\":\"Subscription Purchased\",\"detail\":{}}")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(Json.read(r.body()).path("message").asText()).isEqualTo("source is required");
        });
        assertThat(LocalHelpers.publish(bus, "{\"source\":\"test.billing\",\"detail\":{}}")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(Json.read(r.body()).path("message").asText()).isEqualTo("detail-type is required");
        });
        assertThat(RecordingEventHandler.RECEIVED).isEmpty();
    }

    @Test
    void aPurchaseIsAOneYearSubscriptionOfANewId() {
        Instant now = Instant.parse("2025-06-02T09:15:42.123Z");

        Map<String, Object> event = LocalMain.subscriptionPurchased("ws_1", "Team", 5, "admin@example.com", now);

        assertThat(event).containsEntry("source", "wsl.billing").containsEntry("detail-type", "Subscription Purchased");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        assertThat(detail).containsOnlyKeys("workspaceId", "subscriptionId", "plan", "seats", "periodStart", "periodEnd",
                        "purchaserEmail", "sequence")
                .containsEntry("workspaceId", "ws_1")
                .containsEntry("plan", "Team")
                .containsEntry("seats", 5)
                .containsEntry("periodStart", "2025-06-02T09:15:42Z")
                .containsEntry("periodEnd", "2026-06-02T09:15:42Z")
                .containsEntry("purchaserEmail", "admin@example.com")
                .containsEntry("sequence", 1);
        assertThat((String) detail.get("subscriptionId")).matches("sub_[a-z0-9]{12}");
        Map<String, Object> other = LocalMain.subscriptionPurchased("ws_1", "Enterprise", 10, null, now);
        assertThat(((Map<?, ?>) other.get("detail")).containsKey("purchaserEmail")).isFalse();
        assertThat(((Map<?, ?>) other.get("detail")).get("subscriptionId")).isNotEqualTo(detail.get("subscriptionId"));
    }

    @Test
    void aBodyOverTheLimit_isRefusedAsProblemJson413_andOneAtTheLimitIsRead() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        // The run command's first step for every request: read the body, or refuse it.
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = LocalServer.readBody(exchange);
                if (body == null) {
                    LocalServer.refuseTooLarge(exchange);
                    return;
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/workspaces");
            var tooLarge = http.send(java.net.http.HttpRequest.newBuilder(uri).POST(java.net.http.HttpRequest.BodyPublishers
                    .ofByteArray(new byte[LocalServer.MAX_BODY_BYTES + 1])).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            var atLimit = http.send(java.net.http.HttpRequest.newBuilder(uri).POST(java.net.http.HttpRequest.BodyPublishers
                    .ofByteArray(new byte[LocalServer.MAX_BODY_BYTES])).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.headers().firstValue("content-type")).contains("application/problem+json");
            JsonNode problem = Json.read(tooLarge.body());
            assertThat(problem.path("type").asText()).isEqualTo("urn:problem:wsl:body-too-large");
            assertThat(problem.path("status").asInt()).isEqualTo(413);
            assertThat(problem.path("detail").asText()).contains(Integer.toString(LocalServer.MAX_BODY_BYTES));
            assertThat(atLimit.statusCode()).isEqualTo(200);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void thePurchaseEventMatchesTheProjectsBillingRule() {
        Map<String, Object> event = LocalMain.subscriptionPurchased("ws_1", "Team", 5, null, Instant.now());
        FilterPattern billing = FilterPattern.parse(Json.write(TestTemplates.real().eventRules().getFirst().pattern()));

        assertThat(billing.matches(Json.MAPPER.valueToTree(bus.complete(event)))).isTrue();
    }
}
