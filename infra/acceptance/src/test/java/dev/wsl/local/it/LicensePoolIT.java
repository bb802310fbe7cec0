package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One test per counting rule of PRODUCT.md section 4, through the real handlers and the emulator. */
@ExtendWith(LocalRuntimeExtension.class)
class LicensePoolIT {
    private final Api api;
    private final Licenses licenses;
    private Api.User admin;
    private String ws;
    private String suffix;

    LicensePoolIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @BeforeEach
    void workspace() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        admin = api.user("lic-admin-" + suffix + "@example.com");
        ws = api.createWorkspace(admin, "Licenses " + suffix);
    }

    private String invited(String name) {
        return api.invite(admin, ws, name, name + "-" + suffix + "@example.com").expect(202).text("id");
    }

    private long inUse() {
        return licenses.assertCountersMatchRecount(ws).tally().inUse();
    }

    @Test
    void purchase_shouldGiveSeats_andTheMemberPurchaserALicense() {
        Map<String, Object> result = licenses.purchase(ws, "sub_" + suffix, 3, admin.email());

        assertThat(result).containsEntry("accepted", true).containsEntry("applied", true);
        assertThat(String.valueOf(result.get("purchaserLicense"))).startsWith("assigned to m_");
        JsonNode summary = licenses.summary(admin, ws);
        assertThat(summary.get("seats").asLong()).isEqualTo(3);
        assertThat(summary.get("inUse").asLong()).isEqualTo(1);
        assertThat(summary.get("free").asLong()).isEqualTo(2);
        assertThat(summary.get("canAssign").asBoolean()).isTrue();
        assertThat(summary.get("plans").get(0).get("plan").asText()).isEqualTo("Team");
        // Written in the subscription's own transaction, the license counts against it (its SCIM license group).
        assertThat(licenses.assertCountersMatchRecount(ws).licensedFrom("sub_" + suffix)).isEqualTo(1);
        // Redelivered event: nothing changes.
        assertThat(licenses.purchase(ws, "sub_" + suffix, 3, admin.email())).containsEntry("applied", false);
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void assigningALicense_takesASeat_andUnassigningFreesIt() {
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        String jane = invited("jane");

        JsonNode held = licenses.assign(admin, ws, jane).expect(200).json();
        assertThat(held.get("licensed").asBoolean()).isTrue();
        assertThat(inUse()).isEqualTo(1);
        licenses.assign(admin, ws, jane).expect(200);
        assertThat(inUse()).as("assigning twice is idempotent").isEqualTo(1);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members/" + jane, null).json().get("licensed")
                .asBoolean()).isTrue();

        licenses.unassign(admin, ws, jane).expect(200);
        assertThat(inUse()).isZero();
        assertThat(licenses.unassign(admin, ws, jane).expect(409).text("type")).isEqualTo("urn:problem:wsl:no-license");
    }

    @Test
    void aMemberHoldingALegacyKey_getsALicenseWithoutASeat_andCountsOnce() {
        licenses.purchase(ws, "sub_" + suffix, 1, null);
        String bob = invited("bob");
        licenses.importKey(admin, ws, Licenses.randomKey(), bob).expect(201);
        assertThat(inUse()).isEqualTo(1);

        licenses.assign(admin, ws, bob).expect(200);

        JsonNode summary = licenses.summary(admin, ws);
        assertThat(summary.get("inUse").asLong()).isEqualTo(1);
        assertThat(summary.get("membersWithLicenseAndKey").asLong()).isEqualTo(1);
        assertThat(summary.get("legacyKeys").get("assigned").asLong()).isEqualTo(1);
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void unassignedLegacyKeys_holdSeats_andTheRefusalNamesThem() {
        licenses.purchase(ws, "sub_" + suffix, 2, null);
        String k1 = licenses.importKey(admin, ws, Licenses.randomKey(), null).expect(201).json().get("items").get(0)
                .get("id").asText();
        licenses.importKey(admin, ws, Licenses.randomKey(), null).expect(201);
        String carol = invited("carol");

        JsonNode summary = licenses.summary(admin, ws);
        assertThat(summary.get("inUse").asLong()).isEqualTo(2);
        assertThat(summary.get("canAssign").asBoolean()).isFalse();
        assertThat(summary.get("reason").asText()).contains("2 unassigned legacy keys hold seats").contains(k1);
        Api.Response refused = licenses.assign(admin, ws, carol).expect(409);
        assertThat(refused.text("type")).isEqualTo("urn:problem:wsl:no-free-seat");
        assertThat(refused.text("detail")).contains(k1);
        assertThat(refused.json().get("unassignedLegacyKeys").size()).isEqualTo(2);

        // Giving the key to carol frees nothing but lets her hold it; then her license needs no seat.
        licenses.assignKey(admin, ws, k1, carol).expect(200);
        assertThat(inUse()).isEqualTo(2);
        licenses.assign(admin, ws, carol).expect(200);
        assertThat(inUse()).isEqualTo(2);
    }

    @Test
    void unassigningTheLicense_ofAKeyHolder_keepsTheSeatHeldByTheKey() {
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        String dan = invited("dan");
        licenses.importKey(admin, ws, Licenses.randomKey(), dan).expect(201);
        licenses.assign(admin, ws, dan).expect(200);

        licenses.unassign(admin, ws, dan).expect(200);

        assertThat(inUse()).isEqualTo(1);
        assertThat(licenses.summary(admin, ws).get("membersWithLicenseAndKey").asLong()).isZero();
    }

    @Test
    void migratedMember_canLoseTheKey_withoutLosingTheSeat() {
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        String erin = invited("erin");
        String keyId = licenses.importKey(admin, ws, Licenses.randomKey(), erin).expect(201).json().get("items").get(0)
                .get("id").asText();
        licenses.assign(admin, ws, erin).expect(200);

        licenses.deleteKey(admin, ws, keyId).expect(204);

        assertThat(inUse()).isEqualTo(1);
        JsonNode member = api.call(admin, "GET", "/workspaces/" + ws + "/members/" + erin, null).json();
        assertThat(member.get("licensed").asBoolean()).isTrue();
        assertThat(member.has("legacyKeyId")).isFalse();
        // A key assigned to nobody frees its seat when deleted.
        String loose = licenses.importKey(admin, ws, Licenses.randomKey(), null).expect(201).json().get("items").get(0)
                .get("id").asText();
        assertThat(inUse()).isEqualTo(2);
        licenses.deleteKey(admin, ws, loose).expect(204);
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void givingAMemberAnotherKey_swapsThemInOneCall_thatTakesNoSeat_evenWhenThePoolIsFull() {
        licenses.purchase(ws, "sub_" + suffix, 2, null);
        String mo = invited("mo");
        licenses.assign(admin, ws, mo).expect(200);
        String k1 = licenses.importKey(admin, ws, Licenses.randomKey(), mo).expect(201).json().get("items").get(0)
                .get("id").asText();
        String k2 = licenses.importKey(admin, ws, Licenses.randomKey(), null).expect(201).json().get("items").get(0)
                .get("id").asText();
        assertThat(licenses.summary(admin, ws).get("free").asLong()).as("the pool is full").isZero();

        JsonNode given = licenses.assignKey(admin, ws, k2, mo).expect(200).json();

        assertThat(given.get("assignee").asText()).isEqualTo(mo);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members/" + mo, null).json().get("legacyKeyId").asText())
                .isEqualTo(k2);
        JsonNode keys = api.call(admin, "GET", "/workspaces/" + ws + "/legacy-keys", null).expect(200).json().get("items");
        for (JsonNode key : keys) {
            assertThat(key.has("assignee")).as("%s", key).isEqualTo(key.get("id").asText().equals(k2));
        }
        assertThat(inUse()).isEqualTo(2);
        assertThat(licenses.summary(admin, ws).get("legacyKeys").get("unassigned").asLong()).as("k1 now").isEqualTo(1);
        assertThat(k1).isNotEqualTo(k2);
    }

    @Test
    void removingAMember_freesTheirSeat_andDeletesTheirKey_inTheSameChange() {
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        String fay = invited("fay");
        licenses.importKey(admin, ws, Licenses.randomKey(), fay).expect(201);
        licenses.assign(admin, ws, fay).expect(200);
        assertThat(inUse()).isEqualTo(1);

        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + fay, null).expect(200);

        assertThat(inUse()).isZero();
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/legacy-keys", null).expect(200).json().get("items")
                .size()).isZero();
        assertThat(licenses.assign(admin, ws, fay).expect(409).text("type")).isEqualTo("urn:problem:wsl:member-removed");
    }

    @Test
    void downgradeBelowSeatsInUse_keepsAssignments_andBlocksNewOnes() {
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        String a = invited("a");
        String b = invited("b");
        String c = invited("c");
        licenses.assign(admin, ws, a).expect(200);
        licenses.assign(admin, ws, b).expect(200);

        assertThat(licenses.changeSeats(ws, "sub_" + suffix, 1, 2)).containsEntry("applied", true);

        JsonNode summary = licenses.summary(admin, ws);
        assertThat(summary.get("seats").asLong()).isEqualTo(1);
        assertThat(summary.get("inUse").asLong()).isEqualTo(2);
        assertThat(summary.get("canAssign").asBoolean()).isFalse();
        assertThat(licenses.assign(admin, ws, c).expect(409).text("type")).isEqualTo("urn:problem:wsl:no-free-seat");
        licenses.unassign(admin, ws, a).expect(200);
        assertThat(licenses.assign(admin, ws, c).expect(409).text("type")).isEqualTo("urn:problem:wsl:no-free-seat");
        licenses.unassign(admin, ws, b).expect(200);
        licenses.assign(admin, ws, c).expect(200);
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void badLicenseInput_shouldBeRefused_andChangeNothing() {
        licenses.purchase(ws, "sub_" + suffix, 2, null);
        String gil = invited("gil");
        String key = Licenses.randomKey();
        licenses.importKey(admin, ws, key, null).expect(201);
        Api.User otherAdmin = api.user("lic-other-" + suffix + "@example.com");
        String otherWs = api.createWorkspace(otherAdmin, "Other");
        licenses.purchase(otherWs, "sub_o" + suffix, 2, null);
        String stranger = api.invite(otherAdmin, otherWs, "S", "lic-s-" + suffix + "@example.com").expect(202).text("id");
        long before = inUse();

        assertThat(licenses.assign(admin, ws, stranger).expect(404).text("type")).isEqualTo("urn:problem:wsl:member-not-found");
        assertThat(licenses.assign(admin, ws, "m_00000000000000000000000000").status()).isEqualTo(404);
        assertThat(licenses.importKey(admin, ws, key, null).expect(409).text("type")).isEqualTo("urn:problem:wsl:key-exists");
        assertThat(licenses.importKey(admin, ws, "short", null).expect(400).text("type")).isEqualTo("urn:problem:wsl:invalid-key");
        assertThat(licenses.importKey(admin, ws, "has spaces in it", null).expect(400).text("type"))
                .isEqualTo("urn:problem:wsl:invalid-key");
        assertThat(api.call(admin, "POST", "/workspaces/" + ws + "/legacy-keys",
                "{\"keys\":[{\"key\":\"aaaaaaaaaa\"},{\"key\":\"aaaaaaaaaa\"}]}").expect(400).text("type"))
                .isEqualTo("urn:problem:wsl:duplicate-key");
        assertThat(api.call(admin, "POST", "/workspaces/" + ws + "/legacy-keys", "{\"keys\":\"x\"}").status()).isEqualTo(400);
        assertThat(api.call(admin, "POST", "/workspaces/" + ws + "/legacy-keys",
                "{\"keys\":[{\"key\":\"bbbbbbbbbb\",\"owner\":\"x\"}]}").expect(400).text("type"))
                .isEqualTo("urn:problem:wsl:unknown-field");
        // Importing an unassigned key with no free seat is refused whole.
        licenses.assign(admin, ws, gil).expect(200);
        assertThat(licenses.importKey(admin, ws, Licenses.randomKey(), null).expect(409).text("type"))
                .isEqualTo("urn:problem:wsl:no-free-seat");
        assertThat(licenses.billing("Subscription Changed", Map.of("workspaceId", ws, "subscriptionId", "sub_" + suffix,
                "sequence", 5, "plan", "Team", "seats", -3))).containsEntry("accepted", false);
        assertThat(licenses.billing("Subscription Purchased", Map.of("workspaceId", ws))).containsEntry("accepted", false);
        assertThat(licenses.pool(ws).seats()).isEqualTo(2);
        assertThat(inUse()).isEqualTo(before + 1);
    }

    @Test
    void permissions_shouldGateLicenseAndKeyRoutes() {
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        Api.User assigner = api.user("lic-assigner-" + suffix + "@example.com");
        String assignerId = api.addActiveMember(admin, ws, assigner);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + assignerId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"licenses:assign\"]}").expect(200);
        String target = invited("target");

        licenses.summary(assigner, ws);
        licenses.assign(assigner, ws, target).expect(200);
        licenses.importKey(assigner, ws, Licenses.randomKey(), null).expect(403);
        api.call(assigner, "GET", "/workspaces/" + ws + "/legacy-keys", null).expect(403);
        Api.User outsider = api.user("lic-outsider-" + suffix + "@example.com");
        api.call(outsider, "GET", "/workspaces/" + ws + "/licenses", null).expect(404);
        assertThat(inUse()).isEqualTo(1);
    }
}
