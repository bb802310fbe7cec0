package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.ActivationService;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Usage over time (issue 21) through the real handlers and the emulator: activations (the real LocalStack client
 * and parallel requests) write exactly what they wrote before; the table's stream (drained as Lambda would deliver
 * it) counts each seat once a day and each member once a day across their credentials; the route reads the window
 * with one Query; days on a test clock land on their days; bad input changes nothing.
 */
class UsageOverTimeIT extends LicensedWorkspaceFixture {
    UsageOverTimeIT(LocalStackRuntime runtime) {
        super(runtime);
    }

    @Override
    String label() {
        return "Usage";
    }

    /** Two more licensed members, a CI key, and a legacy key assigned to one of the members: plaintexts. */
    private record Seats(String janeToken, String joeToken, String ciKey, String legacyKey) {}

    private Seats seats() {
        Api.User jane = api.user("usage-jane-" + suffix + "@example.com");
        Api.User joe = api.user("usage-joe-" + suffix + "@example.com");
        String janeMember = api.addActiveMember(admin, ws, jane);
        licenses.assign(admin, ws, janeMember).expect(200);
        licenses.assign(admin, ws, api.addActiveMember(admin, ws, joe)).expect(200);
        String ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Nightly\"}").expect(201)
                .text("key");
        String legacy = Licenses.randomKey();
        licenses.importKey(admin, ws, legacy, janeMember).expect(201);
        return new Seats(Activations.authToken(api, jane), Activations.authToken(api, joe), ci, legacy);
    }

    private JsonNode today(JsonNode usage) {
        JsonNode days = usage.get("days");
        return days.get(days.size() - 1);
    }

    @Test
    void parallelActivations_shouldCountEachSeatOnceADay_whileActivationWritesWhatItWroteBefore() throws Exception {
        Seats s = seats();
        String adminToken = Activations.authToken(api, admin);
        api.deliverMail(); // the setup's own records (invitations, the pool's changes) first

        List<Callable<Integer>> activations = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            activations.add(() -> Activations.request(api, adminToken, false).status());
            activations.add(() -> Activations.request(api, s.janeToken(), false).status());
            activations.add(() -> Activations.request(api, s.joeToken(), false).status());
            activations.add(() -> Activations.request(api, s.ciKey(), true).status());
            activations.add(() -> Activations.requestWithApiKey(api, s.legacyKey(), false).status());
        }
        List<RequestCounter.Call> calls = RequestCounter.allThreads(() -> assertThat(inParallel(activations))
                .as("every activation granted").containsOnly(200));

        // Activation's requests are what they were: two reads each, and only the usage UpdateItems it always sent
        // (a CI key's count on every activation; one hour's usage and its mark per credential, more only when
        // activations of one credential race within their first second).
        Map<String, Long> byOperation = calls.stream().collect(Collectors.groupingBy(RequestCounter.Call::operation,
                Collectors.counting()));
        assertThat(byOperation).containsOnlyKeys("GetItem", "BatchGetItem", "UpdateItem");
        assertThat(byOperation.get("GetItem")).isEqualTo(20);
        assertThat(byOperation.get("BatchGetItem")).isEqualTo(20);
        assertThat(byOperation.get("UpdateItem")).isBetween(4L + 4 * 2, 4L + 4 * 4 * 2);

        // The stream, as Lambda delivers it: one transaction per seat (five seats), plus one for the member who
        // activated with both their token and their legacy key (the second credential's count without them).
        List<RequestCounter.Call> counting = RequestCounter.allThreads(api::deliverMail);
        assertThat(counting.stream().filter(c -> c.operation().equals("TransactWriteItems"))).hasSize(6);
        JsonNode day = today(api.call(admin, "GET", "/workspaces/" + ws + "/usage?days=1", null).expect(200).json());
        assertThat(day.get("members").asLong()).as("admin, Jane (token and key), Joe").isEqualTo(3);
        assertThat(day.get("activations")).isEqualTo(json("{\"authToken\":3,\"ciKey\":1,\"legacyKey\":1}"));
        assertThat(day.get("seatsInUse").asLong()).as("3 licenses; Jane's key takes no seat of its own")
                .isEqualTo(3);
        assertThat(day.get("seats").asLong()).isEqualTo(5);

        // More of the same day, with the real client too: nothing more to count, not one write.
        assertThat(client.activateWithAuthToken(adminToken, false).ok()).isTrue();
        assertThat(client.activateWithAuthToken(s.ciKey(), true).ok()).isTrue();
        assertThat(inParallel(activations)).containsOnly(200);
        List<RequestCounter.Call> again = RequestCounter.allThreads(api::deliverMail);
        assertThat(again.stream().filter(c -> c.operation().equals("TransactWriteItems"))).isEmpty();
        JsonNode same = today(api.call(admin, "GET", "/workspaces/" + ws + "/usage?days=1", null).expect(200).json());
        assertThat(same).isEqualTo(day);
    }

    @Test
    void theRoute_shouldReadNinetyDaysWithOneQuery_everyDayPresent_oldestFirst() {
        Activations.request(api, Activations.authToken(api, admin), false).expect(200);
        api.deliverMail();

        RequestCounter.Recorded<Api.Response> read = RequestCounter.record(() ->
                api.call(admin, "GET", "/workspaces/" + ws + "/usage", null));
        System.out.println("[requests] usage over 90 days: " + read.calls());

        // The caller's grant, the window's day items, the pool (today's seats, from which the past is worked out).
        assertThat(read.calls()).containsExactly("DynamoDb.GetItem", "DynamoDb.Query", "DynamoDb.GetItem");
        JsonNode usage = read.result().expect(200).json();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(usage.get("to").asText()).isEqualTo(today.toString());
        assertThat(usage.get("from").asText()).isEqualTo(today.minusDays(89).toString());
        assertThat(usage.get("days")).hasSize(90);
        assertThat(usage.get("days").get(0).get("date").asText()).isEqualTo(today.minusDays(89).toString());
        assertThat(today(usage).get("members").asLong()).isEqualTo(1);
        assertThat(usage.get("days").get(0).get("seatsInUse").asLong()).as("before the workspace existed").isZero();
        assertThat(today(usage).get("seatsInUse").asLong()).isEqualTo(1);
    }

    @Test
    void activationsOnATestClock_shouldLandOnTheirDays_andSeatsBeWorkedOutBackwards() {
        Seats s = seats();
        String adminToken = Activations.authToken(api, admin);
        MutableClock clock = new MutableClock(Instant.now());
        ActivationHandler handler = new ActivationHandler(new ActivationService(
                new ActivationStore(runtime.dynamoDb(), runtime.tableName()), clock, Duration.ofHours(24), null));
        try (GatewayHttp onClock = new GatewayHttp((method, path, query, headers, body) -> handler.handleRequest(
                APIGatewayV2HTTPEvent.builder().withRawPath(path).withBody(body).withIsBase64Encoded(false).build(), null))) {
            // The licensing protocol's requests (the real client would refuse a license whose reactivate_after
            // lies in its own past; the server's answer is what counts here).
            clock.set(Instant.now().minus(Duration.ofDays(10)));
            assertThat(activate(onClock, "licensing-auth-token", adminToken, false)).isEqualTo(200);
            assertThat(activate(onClock, "licensing-auth-token", s.ciKey(), true)).isEqualTo(200);
            clock.set(Instant.now().minus(Duration.ofDays(3)));
            assertThat(activate(onClock, "licensing-auth-token", s.janeToken(), false)).isEqualTo(200);
            assertThat(activate(onClock, "licensing-api-key", s.legacyKey(), false)).isEqualTo(200);
        }
        api.deliverMail();

        JsonNode days = api.call(admin, "GET", "/workspaces/" + ws + "/usage?days=30", null).expect(200).json().get("days");
        assertThat(days).hasSize(30);
        JsonNode tenDaysAgo = days.get(29 - 10);
        JsonNode threeDaysAgo = days.get(29 - 3);
        assertThat(tenDaysAgo.get("date").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(10).toString());
        assertThat(tenDaysAgo.get("members").asLong()).isEqualTo(1);
        assertThat(tenDaysAgo.get("activations")).isEqualTo(json("{\"authToken\":1,\"ciKey\":1,\"legacyKey\":0}"));
        assertThat(threeDaysAgo.get("members").asLong()).as("Jane, with her token and her key").isEqualTo(1);
        assertThat(threeDaysAgo.get("activations")).isEqualTo(json("{\"authToken\":1,\"ciKey\":0,\"legacyKey\":1}"));
        long quiet = 0;
        for (JsonNode d : days) {
            quiet += d.get("members").asLong() == 0 && d.get("activations").get("ciKey").asLong() == 0 ? 1 : 0;
        }
        assertThat(quiet).as("the other days had no activation").isEqualTo(28);
        // The pool changed only today (the workspace is new): every earlier day shows what it held before.
        assertThat(days.get(0).get("seatsInUse").asLong()).isZero();
        assertThat(days.get(29).get("seatsInUse").asLong()).isEqualTo(3);

        // A seat freed today changes today's end only.
        String joe = api.allMembers(admin, ws, false).stream().filter(m -> m.get("email").asText().startsWith("usage-joe"))
                .findFirst().orElseThrow().get("id").asText();
        licenses.unassign(admin, ws, joe).expect(200);
        api.deliverMail();
        JsonNode after = api.call(admin, "GET", "/workspaces/" + ws + "/usage?days=30", null).expect(200).json().get("days");
        assertThat(after.get(29).get("seatsInUse").asLong()).isEqualTo(2);
        assertThat(after.get(28).get("seatsInUse").asLong()).isZero();
    }

    @Test
    void badDays_shouldGetA400_andNoRead() {
        for (String days : List.of("0", "91", "-1", "abc", "9999", "1.5", "")) {
            RequestCounter.Recorded<Api.Response> answer = RequestCounter.record(() ->
                    api.call(admin, "GET", "/workspaces/" + ws + "/usage?days=" + days, null));
            assertThat(answer.result().status()).as("days=%s", days).isEqualTo(400);
            assertThat(answer.result().text("type")).endsWith(":invalid-days");
            assertThat(answer.calls()).as("days=%s", days).doesNotContain("DynamoDb.Query");
        }
    }

    private static int activate(GatewayHttp http, String type, String credential, boolean ci) {
        return http.dispatcher().dispatch("POST", "/v1/license/request", "", new java.util.HashMap<>(),
                Activations.body(type, credential, ci, null)).getStatusCode();
    }

    private static List<Integer> inParallel(List<Callable<Integer>> calls) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Integer> out = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                out.add(f.get());
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
