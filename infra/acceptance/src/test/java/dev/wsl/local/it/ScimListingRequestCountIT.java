package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.store.ScaleItems;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SCIM listing is flat in the workspace's size: the first and a later page of {@code GET /Users}, of an IdP
 * group's members and of the Members group cost the same DynamoDB requests at 100 and at 50,000 members,
 * counted on the handler's own SDK client. The large workspace's members are written straight into the table
 * ({@link ScaleItems}); every page is read through the real handler. The requests are pinned, so a change that
 * makes a page read more has to say so here.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimListingRequestCountIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Scim scim;

    ScimListingRequestCountIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void pagesOfUsersAndOfGroupMembers_costTheSameRequests_at100And50000Members() {
        Map<String, List<String>> small = pages(100);
        Map<String, List<String>> large = pages(50_000);
        small.forEach((page, calls) -> System.out.println("[requests] " + page + " (100 and 50,000 members): " + calls));

        assertThat(large).as("the same requests whatever the size").isEqualTo(small);
        // The token, the SCIM index's page, the bookmark it leaves, the counter.
        assertThat(small.get("GET /Users first page")).containsExactly("DynamoDb.GetItem", "DynamoDb.Query",
                "DynamoDb.PutItem", "DynamoDb.GetItem");
        // The token, the bookmark the first page left, the page, the next bookmark, the counter.
        assertThat(small.get("GET /Users later page")).containsExactly("DynamoDb.GetItem", "DynamoDb.Query",
                "DynamoDb.Query", "DynamoDb.PutItem", "DynamoDb.GetItem");
        // The token, the group, the group's own items, the bookmark, the page's members (are they SCIM users).
        assertThat(small.get("GET /Groups/{idp group} first page")).containsExactly("DynamoDb.GetItem", "DynamoDb.GetItem",
                "DynamoDb.Query", "DynamoDb.PutItem", "DynamoDb.BatchGetItem");
        assertThat(small.get("GET /Groups/{idp group} later page")).containsExactly("DynamoDb.GetItem", "DynamoDb.GetItem",
                "DynamoDb.Query", "DynamoDb.Query", "DynamoDb.PutItem", "DynamoDb.BatchGetItem");
        // The token, the license pool (the fixed groups), the SCIM index's Members prefix, the bookmark.
        assertThat(small.get("GET /Groups/members later page")).containsExactly("DynamoDb.GetItem", "DynamoDb.GetItem",
                "DynamoDb.Query", "DynamoDb.Query", "DynamoDb.PutItem");
    }

    /**
     * A workspace with {@code size} provisioned members, all in one IdP group; each page's requests, by page:
     * pages of 50, so that the small workspace has a full later page too.
     */
    private Map<String, List<String>> pages(int size) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("scim-count-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "SCIM listing " + size);
        String token = scim.newToken(admin, ws);
        String group = scim.call(token, "POST", "/scim/v2/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:"
                + "Group\"],\"displayName\":\"Everyone\"}").expect(201).text("id");
        ScaleItems.provisioned(runtime.dynamoDb(), runtime.tableName(), ws, size, group);

        Map<String, List<String>> calls = new LinkedHashMap<>();
        calls.put("GET /Users first page", page(token, "/scim/v2/Users?startIndex=1&count=50", size + 1, "Resources"));
        calls.put("GET /Users later page", page(token, "/scim/v2/Users?startIndex=51&count=50", size + 1, "Resources"));
        calls.put("GET /Groups/{idp group} first page", page(token, "/scim/v2/Groups/" + group + "?startIndex=1&count=50",
                -1, "members"));
        calls.put("GET /Groups/{idp group} later page", page(token, "/scim/v2/Groups/" + group + "?startIndex=51&count=50",
                -1, "members"));
        page(token, "/scim/v2/Groups/members?startIndex=1&count=50", -1, "members");
        calls.put("GET /Groups/members later page", page(token, "/scim/v2/Groups/members?startIndex=51&count=50", -1,
                "members"));
        return calls;
    }

    /** The requests of one page, which must be full (50 items; and the total, when one is given). */
    private List<String> page(String token, String path, long total, String items) {
        JsonNode[] answer = new JsonNode[1];
        List<String> calls = RequestCounter.calls(() -> answer[0] = scim.call(token, "GET", path, null).expect(200).json());
        assertThat(answer[0].get(items)).as("a full page of %s", path).hasSize(50);
        if (total >= 0) {
            assertThat(answer[0].get("totalResults").asLong()).as("totalResults, from the counter").isEqualTo(total);
        }
        return calls;
    }
}
