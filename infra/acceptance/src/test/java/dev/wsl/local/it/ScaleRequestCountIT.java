package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.store.BulkItems;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reads that must not grow with a workspace: every DynamoDB request, and the items each one read (GetItem 1,
 * BatchGetItem its keys, Query its ScannedCount), pinned equal for a workspace of 100 members and one of 2,000
 * (loaded straight into the table with the stores' own mappers): the members page (first and deep in), one member,
 * a member found by email, the license summary, SCIM's {@code userName eq}, the audit page. And a page of a
 * workspace whose oldest 1,000 members were removed reads a bounded number of items, while its cursors still list
 * every member once. The figures at 50,000 are {@code infra/bench/scale.sh}'s.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScaleRequestCountIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScaleRequestCountIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    /** A workspace of {@code members} (plus its admin), bulk-loaded, with one audit entry per member. */
    record Sized(Api.User admin, String ws, String scimToken, List<String> ids, String tag) {}

    Sized workspace(int members, int removedFirst) {
        String tag = "scale-" + members + "-" + UUID.randomUUID().toString().substring(0, 6);
        Api.User admin = api.user(tag + "-admin@example.com");
        String ws = api.createWorkspace(admin, "Scale " + members);
        licenses.purchase(ws, "sub_" + tag, 10, admin.email());
        String token = scim.newToken(admin, ws);
        List<String> ids = BulkItems.loadMembers(runtime.dynamoDb(), runtime.tableName(), ws, tag,
                Instant.now().plusSeconds(1), new BulkItems.Shape(members, removedFirst, true));
        BulkItems.loadAudit(runtime.dynamoDb(), runtime.tableName(), ws, Instant.now().minusSeconds(members + 10L), members);
        // The token's hourly use mark, written by its first use: not part of what is measured.
        scim.call(token, "GET", "/scim/v2/Users?filter=" + filter(tag + "-0@example.com"), null).expect(200);
        return new Sized(admin, ws, token, ids, tag);
    }

    /** Each measured read, by name: what its requests read. */
    Map<String, List<RequestCounter.Cost>> measure(Sized w) {
        Map<String, List<RequestCounter.Cost>> out = new LinkedHashMap<>();
        int middle = w.ids().size() / 2;
        String probe = w.tag() + "-" + middle + "@example.com";
        out.put("members page", cost(() -> api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members?limit=25", null)
                .expect(200)));
        out.put("members page, deep", cost(() -> api.call(w.admin(), "GET", "/workspaces/" + w.ws()
                + "/members?limit=25&cursor=" + BulkItems.membersCursorAfter(w.ws(), w.ids().get(middle)), null).expect(200)));
        out.put("one member", cost(() -> api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members/"
                + w.ids().get(middle), null).expect(200)));
        out.put("member by email (invite: member-exists)", cost(() -> api.invite(w.admin(), w.ws(), "Again", probe)
                .expect(409)));
        out.put("license summary", cost(() -> api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/licenses", null)
                .expect(200)));
        out.put("SCIM userName eq", cost(() -> scim.call(w.scimToken(), "GET", "/scim/v2/Users?filter=" + filter(probe),
                null).expect(200)));
        out.put("audit page", cost(() -> api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=25", null)
                .expect(200)));
        return out;
    }

    @Test
    void theReadsOfAPage_aLookupAndTheSummary_shouldNotGrowWithTheWorkspace() {
        Map<String, List<RequestCounter.Cost>> small = measure(workspace(100, 0));
        Map<String, List<RequestCounter.Cost>> large = measure(workspace(2_000, 0));

        small.forEach((name, costs) -> System.out.printf("[scale] %-42s 100: %s | 2,000: %s%n", name, costs,
                large.get(name)));
        for (String name : small.keySet()) {
            assertThat(shape(large.get(name))).as(name + " at 2,000 vs 100").isEqualTo(shape(small.get(name)));
        }
        assertThat(shape(small.get("members page"))).containsExactly("GetItem(1)", "Query(25)", "BatchGetItem(1)");
        assertThat(shape(small.get("members page, deep"))).containsExactly("GetItem(1)", "Query(25)");
        // The grant, then the pool and the seat policy (with the idle count) in one batch (issue 21).
        assertThat(shape(small.get("license summary"))).containsExactly("GetItem(1)", "BatchGetItem(2)");
        assertThat(shape(small.get("SCIM userName eq"))).containsExactly("GetItem(1)", "GetItem(1)", "GetItem(1)");
        assertThat(shape(small.get("audit page"))).containsExactly("GetItem(1)", "Query(25)");
    }

    @Test
    void aPageAfterThousandsOfRemovedMembers_shouldReadABoundedNumberOfItems_andTheCursorsStillListEveryoneOnce() {
        Sized w = workspace(1_100, 1_000);

        List<RequestCounter.Cost> first = cost(() -> api.call(w.admin(), "GET", "/workspaces/" + w.ws()
                + "/members?limit=25", null).expect(200));

        System.out.println("[scale] first members page after 1,000 removed: " + first);
        List<RequestCounter.Cost> queries = first.stream().filter(c -> c.operation().equals("Query")).toList();
        assertThat(queries).as("at most three queries a page").hasSizeLessThanOrEqualTo(3);
        assertThat(queries.stream().mapToInt(RequestCounter.Cost::itemsRead).sum())
                .as("25 + 100 + 400 items read at most, not the 1,000 removed").isLessThanOrEqualTo(525);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members?limit=25"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).expect(200).json();
            page.get("items").forEach(m -> {
                assertThat(seen.add(m.get("id").asText())).as("listed once: %s", m).isTrue();
                order.add(m.get("id").asText());
            });
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(seen).as("the admin and the 100 members not removed").hasSize(101)
                .containsAll(w.ids().subList(1_000, 1_100));
        assertThat(order).as("in invitation order").isSorted();
    }

    private static List<RequestCounter.Cost> cost(Runnable action) {
        return RequestCounter.costs(action);
    }

    private static List<String> shape(List<RequestCounter.Cost> costs) {
        return costs.stream().map(RequestCounter.Cost::toString).toList();
    }

    private static String filter(String userName) {
        return URLEncoder.encode("userName eq \"" + userName + "\"", StandardCharsets.UTF_8);
    }

    @AfterAll
    static void forgetTheBulk() {
        // Thousands of members make every later query of this JVM's table slower in the emulator.
        LocalRuntimeExtension.shared().reset();
    }
}
