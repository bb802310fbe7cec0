package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A legacy key that two workspaces import (docs/licenses.md, "Legacy keys"): the second import is answered
 * exactly like a fresh one, so that importing never tells a stranger that a key exists; the key
 * activates the first workspace's license until that import is deleted, then the second's.
 */
@ExtendWith(LocalRuntimeExtension.class)
class LegacyKeyClaimIT {
    private final Api api;
    private final Licenses licenses;
    private String suffix;
    private Api.User firstAdmin;
    private Api.User secondAdmin;
    private String first;
    private String second;

    LegacyKeyClaimIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @BeforeEach
    void twoWorkspaces() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        firstAdmin = api.user("claim-a-" + suffix + "@example.com");
        secondAdmin = api.user("claim-b-" + suffix + "@example.com");
        first = api.createWorkspace(firstAdmin, "First");
        second = api.createWorkspace(secondAdmin, "Second");
        purchase(first, "Team");
        purchase(second, "Enterprise");
    }

    private void purchase(String ws, String plan) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", ws);
        detail.put("subscriptionId", "sub_" + ws.substring(3, 11));
        detail.put("sequence", 1);
        detail.put("plan", plan);
        detail.put("seats", 5);
        detail.put("periodStart", Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        detail.put("periodEnd", Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(licenses.billing("Subscription Purchased", detail)).containsEntry("applied", true);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void importingAKeyAnotherWorkspaceHolds_shouldBeAnsweredLikeAFreshImport() {
        String shared = "shared" + suffix;
        licenses.importKey(firstAdmin, first, shared, null).expect(201);
        long before = licenses.summary(secondAdmin, second).get("inUse").asLong();

        Api.Response elsewhere = licenses.importKey(secondAdmin, second, shared, null);
        Api.Response fresh = licenses.importKey(secondAdmin, second, "fresh" + suffix, null);

        assertThat(elsewhere.status()).isEqualTo(fresh.status()).isEqualTo(201);
        JsonNode a = elsewhere.json().get("items").get(0);
        JsonNode b = fresh.json().get("items").get(0);
        assertThat(fieldNames(a)).isEqualTo(fieldNames(b));
        assertThat(a.get("masked").asText()).isEqualTo(dev.wsl.core.domain.LegacyKey.mask(shared));
        assertThat(licenses.summary(secondAdmin, second).get("inUse").asLong()).isEqualTo(before + 2);
        assertThat(licenses.importKey(secondAdmin, second, shared, null).expect(409).text("type"))
                .as("twice into the same workspace").isEqualTo("urn:problem:wsl:key-exists");
    }

    @Test
    void theKey_shouldActivateTheFirstImportsLicense_untilItIsDeleted_thenTheSecondOnes() {
        String shared = "claimkey" + suffix;
        String firstKey = licenses.importKey(firstAdmin, first, shared, null).expect(201).json().get("items").get(0)
                .get("id").asText();
        String secondKey = licenses.importKey(secondAdmin, second, shared, null).expect(201).json().get("items").get(0)
                .get("id").asText();

        assertThat(Activations.requestWithApiKey(api, shared, false).expect(200).text("license_type")).isEqualTo("Team");
        licenses.deleteKey(firstAdmin, first, firstKey).expect(204);
        assertThat(Activations.requestWithApiKey(api, shared, false).expect(200).text("license_type"))
                .isEqualTo("Enterprise");
        licenses.deleteKey(secondAdmin, second, secondKey).expect(204);
        assertThat(Activations.requestWithApiKey(api, shared, false).expect(401).text("message"))
                .isEqualTo("licensing.credentials.invalid");
    }
}
