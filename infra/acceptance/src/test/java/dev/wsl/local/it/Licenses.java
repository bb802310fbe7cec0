package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.licenses.BillingEventHandler;
import dev.wsl.local.LocalStackRuntime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** License routes and billing events for the integration tests, plus the recount check. */
final class Licenses {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final DynamoLicenseStore store;

    Licenses(LocalStackRuntime runtime, Api api) {
        this.runtime = runtime;
        this.api = api;
        this.store = new DynamoLicenseStore(runtime.dynamoDb(), runtime.tableName());
    }

    /** A workspace whose admin holds a license; {@code suffix} makes the test's names unique. */
    record Licensed(String suffix, Api.User admin, String ws, String adminMember) {}

    /** A workspace with a 5-seat Team subscription bought by its admin, who therefore holds a license. */
    Licensed licensedWorkspace(String label) {
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user(label.toLowerCase(java.util.Locale.ROOT) + "-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, label + " " + suffix);
        assertThat(purchase(ws, "sub_" + suffix, 5, admin.email())).containsEntry("applied", true);
        return new Licensed(suffix, admin, ws, api.allMembers(admin, ws, false).getFirst().get("id").asText());
    }

    /** Billing reports a purchase; answers the handler's result. */
    Map<String, Object> purchase(String ws, String subscriptionId, long seats, String purchaserEmail) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", ws);
        detail.put("subscriptionId", subscriptionId);
        detail.put("sequence", 1);
        detail.put("plan", "Team");
        detail.put("seats", seats);
        detail.put("periodStart", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        detail.put("periodEnd", Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        if (purchaserEmail != null) {
            detail.put("purchaserEmail", purchaserEmail);
        }
        return billing("Subscription Purchased", detail);
    }

    Map<String, Object> changeSeats(String ws, String subscriptionId, long seats, long sequence) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", ws);
        detail.put("subscriptionId", subscriptionId);
        detail.put("sequence", sequence);
        detail.put("plan", "Team");
        detail.put("seats", seats);
        detail.put("periodStart", Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        detail.put("periodEnd", Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        return billing("Subscription Changed", detail);
    }

    Map<String, Object> billing(String detailType, Map<String, Object> detail) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", detailType);
        event.put("source", "wsl.billing");
        event.put("detail", detail);
        return new BillingEventHandler().handleRequest(event, null);
    }

    JsonNode summary(Api.User caller, String ws) {
        return api.call(caller, "GET", "/workspaces/" + ws + "/licenses", null).expect(200).json();
    }

    Api.Response assign(Api.User caller, String ws, String memberId) {
        return api.call(caller, "POST", "/workspaces/" + ws + "/members/" + memberId + "/license", null);
    }

    Api.Response unassign(Api.User caller, String ws, String memberId) {
        return api.call(caller, "DELETE", "/workspaces/" + ws + "/members/" + memberId + "/license", null);
    }

    Api.Response importKey(Api.User caller, String ws, String key, String memberId) {
        return api.call(caller, "POST", "/workspaces/" + ws + "/legacy-keys", "{\"keys\":[{\"key\":\"" + key + "\""
                + (memberId == null ? "" : ",\"memberId\":\"" + memberId + "\"") + "}]}");
    }

    Api.Response assignKey(Api.User caller, String ws, String keyId, String memberId) {
        return api.call(caller, "PUT", "/workspaces/" + ws + "/legacy-keys/" + keyId + "/assignee",
                "{\"memberId\":" + (memberId == null ? "null" : "\"" + memberId + "\"") + "}");
    }

    Api.Response deleteKey(Api.User caller, String ws, String keyId) {
        return api.call(caller, "DELETE", "/workspaces/" + ws + "/legacy-keys/" + keyId, null);
    }

    LicensePool pool(String ws) {
        return store.pool(ws);
    }

    /** The stored counters equal a recount from the member and key items. */
    LicensePool assertCountersMatchRecount(String ws) {
        LicensePool pool = store.pool(ws);
        DynamoLicenseStore.Recount recount = store.recount(ws);
        assertThat(pool.tally()).as("stored counters vs recount").isEqualTo(recount.tally());
        assertThat(pool.unassignedKeys()).as("unassigned keys vs recount").isEqualTo(recount.unassignedKeys());
        java.util.Map<String, Long> stored = new java.util.TreeMap<>(pool.licensedFrom());
        stored.values().removeIf(v -> v == 0);
        assertThat(stored).as("licenses per subscription vs recount").isEqualTo(recount.licensedFrom());
        return pool;
    }

    static String randomKey() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    LocalStackRuntime runtime() {
        return runtime;
    }
}
