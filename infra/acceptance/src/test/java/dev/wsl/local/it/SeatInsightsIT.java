package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Idle seats through the real handlers against the emulator (issue 21): the members list's idle filter, the idle
 * count in the license summary (the daily job's, read with the pool in one request), the seat policy, and the
 * DynamoDB requests each costs, pinned: none grows with the number of members or of idle seats. Seats get their
 * past from the real license service and activation handler on a clock set back ({@link PastSeats}).
 */
@ExtendWith(LocalRuntimeExtension.class)
class SeatInsightsIT {
    private static final Duration DAY = Duration.ofDays(1);

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final PastSeats past;
    private final Instant now = Instant.now();
    private String suffix;
    private Api.User admin;
    private String ws;

    SeatInsightsIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.past = new PastSeats(runtime);
    }

    @BeforeEach
    void workspace() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        admin = api.user("idle-admin-" + suffix + "@example.com");
        ws = api.createWorkspace(admin, "Idle " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 50, null);
    }

    /** Jane activated 45 days ago, Ivan got his license 40 days ago and never activated, Ada activated now. */
    private record Seats(String jane, String ivan, String ada, String rex) {}

    private Seats arrange() {
        Api.User janeUser = api.user("jane-" + suffix + "@example.com");
        String jane = api.addActiveMember(admin, ws, janeUser);
        past.licenseAt(admin, ws, jane, now.minus(DAY.multipliedBy(60)));
        past.activateAt(Activations.authToken(api, janeUser), now.minus(DAY.multipliedBy(45)));
        String ivan = api.invite(admin, ws, "Ivan", "ivan-" + suffix + "@example.com").expect(202).text("id");
        past.licenseAt(admin, ws, ivan, now.minus(DAY.multipliedBy(40)));
        Api.User adaUser = api.user("ada-" + suffix + "@example.com");
        String ada = api.addActiveMember(admin, ws, adaUser);
        past.licenseAt(admin, ws, ada, now.minus(DAY.multipliedBy(60)));
        Activations.request(api, Activations.authToken(api, adaUser), false).expect(200);
        String rex = api.invite(admin, ws, "Rex", "rex-" + suffix + "@example.com").expect(202).text("id");
        past.licenseAt(admin, ws, rex, now.minus(DAY.multipliedBy(50)));
        past.unassignAt(admin, ws, rex, now.minus(DAY.multipliedBy(49)));
        return new Seats(jane, ivan, ada, rex);
    }

    private JsonNode page(String query) {
        return api.call(admin, "GET", "/workspaces/" + ws + "/members" + query, null).expect(200).json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(m -> out.add(m.get("id").asText()));
        return out;
    }

    private static JsonNode item(JsonNode page, String id) {
        for (JsonNode m : page.get("items")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " not in " + page);
    }

    @Test
    void theIdleFilter_shouldListLicensesWithoutAnActivationForTheIdleDays_longestIdleFirst_andSayForHowLong() {
        Seats s = arrange();

        JsonNode idle = page("?idle=true");

        assertThat(ids(idle)).as("Jane idle since 45 days, Ivan since 40; not Ada (activated now) nor Rex (no license)")
                .containsExactly(s.jane(), s.ivan());
        assertThat(idle.get("idleDays").asInt()).isEqualTo(30);
        assertThat(item(idle, s.jane()).get("idleDays").asLong()).isEqualTo(45);
        assertThat(item(idle, s.jane()).get("lastActivation").get("credential").asText()).isEqualTo("auth-token");
        assertThat(item(idle, s.ivan()).get("idleDays").asLong()).isEqualTo(40);
        assertThat(item(idle, s.ivan()).has("lastActivation")).as("never activated").isFalse();

        JsonNode all = page("?limit=100");
        assertThat(item(all, s.ada()).get("idleDays").asLong()).isZero();
        assertThat(item(all, s.jane()).get("idleDays").asLong()).isEqualTo(45);
        assertThat(item(all, s.rex()).has("idleDays")).as("no license, no idle days").isFalse();

        api.call(admin, "PUT", "/workspaces/" + ws + "/seat-policy", "{\"idleDays\":60}").expect(200);
        JsonNode after60 = page("?idle=true");
        assertThat(after60.get("items")).as("nobody idle for 60 days").isEmpty();
        assertThat(after60.get("idleDays").asInt()).isEqualTo(60);

        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members?idle=yes", null).expect(400).text("type"))
                .isEqualTo("urn:problem:wsl:invalid-query");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members?idle=true&cursor=Zm9v", null).expect(400)
                .text("type")).isEqualTo("urn:problem:wsl:invalid-cursor");
    }

    @Test
    void theIdleCount_shouldBeTheDailyJobsCount_readWithThePoolInOneRequest_forAnyIdleDays() {
        arrange();
        JsonNode before = licenses.summary(admin, ws);
        assertThat(before.get("idle").get("days").asInt()).isEqualTo(30);
        assertThat(before.get("idle").has("count")).as("not counted yet").isFalse();
        assertThat(before.get("seatPolicy").toString()).isEqualTo(
                "{\"idleDays\":30,\"reclaim\":false,\"reclaimDays\":90,\"noticeDays\":7}");

        Map<String, Object> run = runtime.scheduler().invoke("ReclaimFunction", Map.of());

        assertThat(run).containsEntry("complete", true);
        JsonNode counted = licenses.summary(admin, ws);
        assertThat(counted.get("idle").get("count").asLong()).as("Jane and Ivan").isEqualTo(2);
        assertThat(Instant.parse(counted.get("idle").get("asOf").asText())).isAfterOrEqualTo(now);
        List<String> requests = RequestCounter.calls(() -> licenses.summary(admin, ws));
        assertThat(requests).as("the grant, then the pool and the policy with its count in one batch")
                .containsExactly("DynamoDb.GetItem", "DynamoDb.BatchGetItem");

        api.call(admin, "PUT", "/workspaces/" + ws + "/seat-policy", "{\"idleDays\":60}").expect(200);
        JsonNode at60 = licenses.summary(admin, ws);
        assertThat(at60.get("idle").get("days").asInt()).isEqualTo(60);
        assertThat(at60.get("idle").get("count").asLong()).as("the job counted every threshold").isZero();
    }

    @Test
    void anIdlePage_shouldCostTheSameRequests_atAnyNumberOfIdleSeats() {
        List<String> small = idlePageCost(2);
        List<String> large = idlePageCost(14);

        System.out.println("[requests] idle seats page (limit 2) of 2 idle seats: " + small);
        System.out.println("[requests] idle seats page (limit 2) of 14 idle seats: " + large);
        // The grant, the policy (its idle days), one range of the seat index, the page's holders in one batch.
        assertThat(small).containsExactly("DynamoDb.GetItem", "DynamoDb.GetItem", "DynamoDb.Query",
                "DynamoDb.BatchGetItem");
        assertThat(large).isEqualTo(small);
    }

    private List<String> idlePageCost(int idleSeats) {
        workspace();
        for (int i = 0; i < idleSeats; i++) {
            String id = api.invite(admin, ws, "P" + i, "p" + i + "-" + suffix + "@example.com").expect(202).text("id");
            past.licenseAt(admin, ws, id, now.minus(DAY.multipliedBy(31 + i)));
        }
        List<String> calls = RequestCounter.calls(() -> assertThat(page("?idle=true&limit=2").get("items")).hasSize(2));
        JsonNode first = page("?idle=true&limit=2");
        List<String> all = new ArrayList<>(ids(first));
        String cursor = first.has("nextCursor") ? first.get("nextCursor").asText() : null;
        assertThat(cursor != null || idleSeats <= 2).as("a next page when there are more").isTrue();
        while (cursor != null) {
            JsonNode next = page("?idle=true&limit=2&cursor=" + cursor);
            all.addAll(ids(next));
            cursor = next.has("nextCursor") ? next.get("nextCursor").asText() : null;
        }
        assertThat(all).as("every idle seat once").hasSize(idleSeats).doesNotHaveDuplicates();
        return calls;
    }

    @Test
    void thePolicy_shouldBeChangedByAdminsOnly_audited_andRefuseWhatItDoesNotOffer() {
        Api.User plain = api.user("plain-" + suffix + "@example.com");
        api.addActiveMember(admin, ws, plain);

        assertThat(api.call(plain, "PUT", "/workspaces/" + ws + "/seat-policy", "{\"reclaim\":true}").expect(403)
                .text("type")).isEqualTo("urn:problem:wsl:missing-permission");
        for (String bad : List.of("{\"idleDays\":45}", "{\"reclaimDays\":7}", "{\"reclaim\":\"yes\"}", "{\"other\":1}",
                "[1]", "{\"idleDays\":\"30\"}")) {
            api.call(admin, "PUT", "/workspaces/" + ws + "/seat-policy", bad).expect(400);
        }
        JsonNode set = api.call(admin, "PUT", "/workspaces/" + ws + "/seat-policy",
                "{\"idleDays\":60,\"reclaim\":true,\"reclaimDays\":90}").expect(200).json();

        assertThat(set.get("reclaim").asBoolean()).isTrue();
        assertThat(set.get("changedBy").asText()).isEqualTo(admin.email());
        JsonNode audit = api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=5", null).expect(200).json();
        assertThat(audit.get("items").get(0).get("action").asText()).isEqualTo("seat-policy.changed");
        assertThat(audit.get("items").get(0).get("details").get("before").asText())
                .isEqualTo("idleDays=30, reclaim=false, reclaimDays=90");
        assertThat(licenses.summary(plain, ws).get("seatPolicy").get("reclaim").asBoolean())
                .as("every member sees the policy").isTrue();
    }
}
