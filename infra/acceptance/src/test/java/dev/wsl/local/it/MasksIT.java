package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Masks reveal little (PRODUCT.md section 11), through the real handlers: a masked credential shows at most
 * its last 4 characters and never more than a quarter of it, wherever a mask is made (legacy keys; the hints
 * of auth tokens, CI keys and SCIM tokens); members without {@code legacy-keys:manage} see how many keys hold
 * seats, never their masks, in every view (the license summary and its reason, a full pool's refusal, the
 * member list, the audit log); keys stored under the earlier, longer mask are shown in the present form.
 */
@ExtendWith(LocalRuntimeExtension.class)
class MasksIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;

    MasksIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    /** What follows the ellipsis of a mask or hint, and the secret it masks (after its public prefix). */
    private static void assertRevealsLittle(String mask, String secret) {
        String shown = mask.substring(mask.indexOf('…') + 1);
        assertThat(secret).endsWith(shown);
        assertThat(shown.length()).as("%s of %s", mask, secret).isLessThanOrEqualTo(4)
                .isLessThanOrEqualTo(secret.length() / 4);
        assertThat(mask.substring(0, mask.indexOf('…'))).as("only a public prefix before the ellipsis")
                .isIn("", "ls-", "lsci-", "scim-");
    }

    private Api.User memberWith(Api.User admin, String ws, String name, String suffix, String permissions) {
        Api.User who = api.user(name + "-" + suffix + "@example.com");
        String id = api.addActiveMember(admin, ws, who);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + id + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[" + permissions + "]}").expect(200);
        return who;
    }

    @Test
    void everyMask_shouldShowAtMostFourCharacters_andNeverMoreThanAQuarter() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("mask-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Masks");
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        String shortKey = "s" + suffix.substring(0, 7);           // 8 characters, the shortest legacy key
        String longKey = "long-key-" + suffix + "-0123456789";    // 28 characters

        JsonNode imported = api.call(admin, "POST", "/workspaces/" + ws + "/legacy-keys",
                "{\"keys\":[{\"key\":\"" + shortKey + "\"},{\"key\":\"" + longKey + "\"}]}").expect(201).json();
        JsonNode listed = api.call(admin, "GET", "/workspaces/" + ws + "/legacy-keys", null).expect(200).json();

        assertThat(imported.get("items").get(0).get("masked").asText()).isEqualTo("…" + shortKey.substring(6));
        for (JsonNode k : listed.get("items")) {
            String key = k.get("masked").asText().endsWith(shortKey.substring(6)) ? shortKey : longKey;
            assertRevealsLittle(k.get("masked").asText(), key);
        }
        JsonNode token = api.call(admin, "GET", "/me/auth-token", null).expect(200).json();
        assertRevealsLittle(token.get("hint").asText(), token.get("token").asText().substring(3));
        JsonNode ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"CI\"}").expect(201).json();
        assertRevealsLittle(ci.get("hint").asText(), ci.get("key").asText().substring(5));
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).json().get("items").get(0)
                .get("hint").asText()).isEqualTo(ci.get("hint").asText());
        JsonNode scim = api.call(admin, "POST", "/workspaces/" + ws + "/scim/token", null).expect(201).json();
        assertRevealsLittle(scim.get("hint").asText(), scim.get("token").asText().substring(5));
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/scim/token", null).json().get("hint").asText())
                .isEqualTo(scim.get("hint").asText());
        assertThat(TableDump.of(runtime)).as("no stored mask shows more").doesNotContain(shortKey.substring(0, 3) + "…");
    }

    @Test
    void membersWithoutLegacyKeysManage_shouldSeeCounts_neverMasks_inEveryView() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("maskv-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Mask views");
        Api.User plain = memberWith(admin, ws, "maskv-plain", suffix, "");
        Api.User assigner = memberWith(admin, ws, "maskv-assigner", suffix, "\"licenses:assign\"");
        Api.User auditor = memberWith(admin, ws, "maskv-auditor", suffix, "\"audit:read\"");
        Api.User keeper = memberWith(admin, ws, "maskv-keeper", suffix, "\"legacy-keys:manage\"");
        String carol = api.invite(admin, ws, "Carol", "maskv-carol-" + suffix + "@example.com").expect(202).text("id");
        String holder = api.invite(admin, ws, "Holder", "maskv-holder-" + suffix + "@example.com").expect(202).text("id");
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        String k1 = "mk1" + suffix + "QZ", k2 = "mk2" + suffix + "XJ", k3 = "mk3" + suffix + "VW";
        licenses.importKey(admin, ws, k1, null).expect(201);
        licenses.importKey(admin, ws, k2, null).expect(201);
        licenses.importKey(admin, ws, k3, holder).expect(201);

        List<String> viewsOfOthers = new ArrayList<>();
        for (Api.User u : List.of(plain, assigner, auditor)) {
            Api.Response summary = api.call(u, "GET", "/workspaces/" + ws + "/licenses", null).expect(200);
            assertThat(summary.json().get("legacyKeys").get("unassigned").asInt()).isEqualTo(2);
            assertThat(summary.json().get("legacyKeys").get("assigned").asInt()).isEqualTo(1);
            assertThat(summary.json().get("legacyKeys").has("unassignedKeys")).isFalse();
            assertThat(summary.text("reason")).contains("2 unassigned legacy keys hold seats");
            viewsOfOthers.add(summary.raw());
            viewsOfOthers.add(api.call(u, "GET", "/workspaces/" + ws + "/members?limit=100", null).expect(200).raw());
            viewsOfOthers.add(api.call(u, "GET", "/workspaces/" + ws + "/members/" + holder, null).expect(200).raw());
            assertThat(api.call(u, "GET", "/workspaces/" + ws + "/legacy-keys", null).status()).isEqualTo(403);
        }
        Api.Response refused = licenses.assign(assigner, ws, carol);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("unassignedLegacyKeyCount").asInt()).isEqualTo(2);
        assertThat(refused.json().has("unassignedLegacyKeys")).isFalse();
        viewsOfOthers.add(refused.raw());
        Api.Response audit = api.call(auditor, "GET", "/workspaces/" + ws + "/audit?limit=100", null).expect(200);
        assertThat(audit.json().get("items")).filteredOn(e -> e.get("action").asText().equals("legacy-key.imported"))
                .hasSize(3).allSatisfy(e -> assertThat(e.get("details").has("masked")).isFalse());
        viewsOfOthers.add(audit.raw());
        assertThat(viewsOfOthers).allSatisfy(view -> assertThat(view).doesNotContain("…")
                .doesNotContain("QZ").doesNotContain("XJ").doesNotContain("VW"));

        // Whoever manages legacy keys sees which keys hold the seats, masked.
        for (Api.User u : List.of(admin, keeper)) {
            JsonNode summary = api.call(u, "GET", "/workspaces/" + ws + "/licenses", null).expect(200).json();
            assertThat(summary.get("legacyKeys").get("unassignedKeys")).hasSize(2)
                    .allSatisfy(k -> assertThat(k.asText()).startsWith("…").contains("(lk_"));
            assertThat(summary.get("reason").asText()).contains("…");
        }
        Api.Response adminRefused = licenses.assign(admin, ws, carol);
        assertThat(adminRefused.json().get("unassignedLegacyKeys")).hasSize(2);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=100", null).json().get("items"))
                .filteredOn(e -> e.get("action").asText().equals("legacy-key.imported"))
                .allSatisfy(e -> assertThat(e.get("details").get("masked").asText()).startsWith("…"));
    }

    /**
     * A key imported before the present rule is stored as its first three and last two characters, in its own
     * item and in the pool's list of unassigned keys. It is shown as its last two, and the stored form still
     * identifies it: deleting it frees its seat and leaves the list empty.
     */
    @Test
    void aKeyStoredUnderTheEarlierMask_shouldBeShownInThePresentForm_andStillBeDeletedWhole() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("maskold-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Old masks");
        licenses.purchase(ws, "sub_" + suffix, 2, null);
        String key = "old" + suffix;
        String keyId = licenses.importKey(admin, ws, key, null).expect(201).json().get("items").get(0).get("id").asText();
        String present = "…" + key.substring(key.length() - 2);
        String earlier = key.substring(0, 3) + "…" + key.substring(key.length() - 2);
        var db = runtime.dynamoDb();
        db.updateItem(u -> u.tableName(runtime.tableName())
                .key(Map.of("PK", AttributeValue.fromS("WS#" + ws), "SK", AttributeValue.fromS("LEGACYKEY#" + keyId)))
                .updateExpression("SET masked = :earlier").expressionAttributeValues(Map.of(":earlier", AttributeValue.fromS(earlier))));
        db.updateItem(u -> u.tableName(runtime.tableName())
                .key(Map.of("PK", AttributeValue.fromS("WS#" + ws), "SK", AttributeValue.fromS("LICENSES")))
                .updateExpression("SET unassignedKeys = :earlier")
                .expressionAttributeValues(Map.of(":earlier", AttributeValue.fromSs(List.of(earlier + " (" + keyId + ")")))));

        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/legacy-keys", null).json().get("items").get(0)
                .get("masked").asText()).isEqualTo(present);
        assertThat(licenses.summary(admin, ws).get("legacyKeys").get("unassignedKeys").get(0).asText())
                .isEqualTo(present + " (" + keyId + ")");

        api.call(admin, "DELETE", "/workspaces/" + ws + "/legacy-keys/" + keyId, null).expect(204);

        JsonNode after = licenses.summary(admin, ws);
        assertThat(after.get("inUse").asInt()).isZero();
        assertThat(after.get("legacyKeys").get("unassignedKeys")).isEmpty();
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=5", null).json().get("items").get(0)
                .get("details").get("masked").asText()).isEqualTo(present);
    }
}
