package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The groups identity providers create (PRODUCT.md section 9, "IdP groups"), through the real SCIM and admin
 * handlers against the emulator: kept without effect until an admin maps them; mapped, acting as the target's
 * fixed group under the same guards; two groups mapped to one target; a member removed by a person; unmapping
 * held by the mass-revocation guard until confirmed; and every mapping audited with the admin as actor.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimIdpGroupsIT {
    private static final Pattern CHANGE = Pattern.compile("(chg_[0-9a-z]{26})");

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimIdpGroupsIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void anUnmappedGroup_keepsItsMembers_andHasNoEffect_untilMapped_andTheMappingIsAudited() {
        Licenses.Licensed w = licenses.licensedWorkspace("IdpGroup");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        List<String> users = users(token, w, 3);
        String group = createGroup(token, "Design " + w.suffix(), users);

        JsonNode listed = api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/groups", null).expect(200).json();
        assertThat(listed.get("items")).singleElement().satisfies(g -> {
            assertThat(g.get("id").asText()).isEqualTo(group);
            assertThat(g.get("members").asInt()).isEqualTo(3);
            assertThat(g.has("target")).as("not mapped").isFalse();
        });
        assertThat(listed.get("targets")).extracting(t -> t.get("name").asText())
                .contains("Admins", "Members", "Team (sub_" + w.suffix() + ")");
        long inUse = licenses.summary(w.admin(), w.ws()).get("inUse").asLong();
        users.forEach(u -> assertThat(member(w, u).get("licensed").asBoolean()).isFalse());

        JsonNode mapped = map(w, group, "{\"target\":\"license\",\"subscriptionId\":\"sub_" + w.suffix() + "\"}")
                .expect(200).json();
        assertThat(mapped.get("added").asInt()).isEqualTo(3);
        assertThat(mapped.get("group").get("targetName").asText()).isEqualTo("Team (sub_" + w.suffix() + ")");
        assertThat(licenses.summary(w.admin(), w.ws()).get("inUse").asLong()).isEqualTo(inUse + 3);
        JsonNode audit = api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit", null).expect(200).json();
        assertThat(audit.get("items")).anySatisfy(e -> {
            assertThat(e.get("action").asText()).isEqualTo("scim.group-mapped");
            assertThat(e.get("target").asText()).isEqualTo(group);
            assertThat(e.get("actor").get("email").asText()).isEqualTo(w.admin().email());
        });

        // Unmapped again (3 members: below the guard's minimum of 5): the licenses it gave go.
        assertThat(map(w, group, "{\"target\":\"none\"}").expect(200).json().get("removed").asInt()).isEqualTo(3);
        users.forEach(u -> assertThat(member(w, u).get("licensed").asBoolean()).isFalse());
        assertThat(scim.call(token, "GET", "/scim/v2/Groups/" + group, null).expect(200).json().get("members"))
                .as("the group keeps its members").hasSize(3);
        licenses.assertCountersMatchRecount(w.ws());
    }

    @Test
    void aMemberInTwoGroupsMappedToOneSubscription_keepsTheLicense_untilTheLastGroupLetsGo() {
        Licenses.Licensed w = licenses.licensedWorkspace("TwoGroups");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        String both = users(token, w, 1).getFirst();
        String a = createGroup(token, "A " + w.suffix(), List.of(both));
        String b = createGroup(token, "B " + w.suffix(), List.of(both));
        String license = "{\"target\":\"license\",\"subscriptionId\":\"sub_" + w.suffix() + "\"}";
        map(w, a, license).expect(200);
        map(w, b, license).expect(200);
        assertThat(member(w, both).get("licensed").asBoolean()).isTrue();

        removeMember(token, a, both).expect(204);
        assertThat(member(w, both).get("licensed").asBoolean()).as("B still holds them").isTrue();
        removeMember(token, b, both).expect(204);
        assertThat(member(w, both).get("licensed").asBoolean()).as("no group holds them").isFalse();

        addMember(token, a, both).expect(204);
        addMember(token, b, both).expect(204);
        assertThat(map(w, a, "{\"target\":\"none\"}").expect(200).json().get("removed").asInt())
                .as("unmapping A takes nothing B gives").isZero();
        assertThat(member(w, both).get("licensed").asBoolean()).isTrue();
        licenses.assertCountersMatchRecount(w.ws());
    }

    @Test
    void aGroupMappedToAdmins_promotesAndDemotes_andTheLastAdminStays() {
        Licenses.Licensed w = licenses.licensedWorkspace("AdminsGroup");
        String token = scim.newToken(w.admin(), w.ws());
        String lin = users(token, w, 1).getFirst();
        String admins = createGroup(token, "Operators " + w.suffix(), List.of(lin));
        map(w, admins, "{\"target\":\"admins\"}").expect(200);
        assertThat(member(w, lin).get("role").asText()).isEqualTo("ADMIN");
        assertThat(scim.call(token, "GET", "/scim/v2/Groups/admins", null).expect(200).json().get("members"))
                .extracting(m -> m.get("value").asText()).contains(lin, w.adminMember());

        removeMember(token, admins, lin).expect(204);
        assertThat(member(w, lin).get("role").asText()).as("taken out: demoted").isEqualTo("MEMBER");

        // The workspace's only active admin in the group, then out of it: the last admin stays.
        addMember(token, admins, w.adminMember()).expect(204);
        Api.Response out = removeMember(token, admins, w.adminMember());
        Scim.assertError(out, 409, null);
        assertThat(out.text("detail")).contains("at least one admin");
        assertThat(member(w, w.adminMember()).get("role").asText()).isEqualTo("ADMIN");
    }

    @Test
    void unmappingALicenseGroupOfFifty_isHeld_untilAnAdminConfirms_thenTakesTheLicenses() {
        Licenses.Licensed w = provisioning("Unmap", 60);
        String suffix = w.suffix();
        Api.User admin = w.admin();
        String ws = w.ws();
        String token = scim.newToken(admin, ws);
        List<String> users = users(token, w, 50);
        String group = createGroup(token, "Everyone " + suffix, users);
        assertThat(map(w, group, "{\"target\":\"license\",\"subscriptionId\":\"sub_" + suffix + "\"}").expect(200).json()
                .get("added").asInt()).isEqualTo(50);

        Api.Response held = map(w, group, "{\"target\":\"none\"}");
        assertThat(held.status()).isEqualTo(409);
        assertThat(held.text("detail")).contains("50 of its 50 members");
        Matcher m = CHANGE.matcher(held.text("detail"));
        assertThat(m.find()).isTrue();
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).as("nothing taken yet").isEqualTo(50);
        JsonNode change = api.call(admin, "GET", "/workspaces/" + ws + "/scim/changes", null).expect(200).json()
                .get("items").get(0);
        assertThat(change.get("id").asText()).isEqualTo(m.group(1));
        assertThat(change.get("mapTo").asText()).isEqualTo("none");
        assertThat(change.get("remove")).hasSize(50);
        assertThat(map(w, group, "{\"target\":\"none\"}").status()).as("held once").isEqualTo(409);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/scim/changes", null).expect(200).json().get("items"))
                .hasSize(1);

        JsonNode confirmed = api.call(admin, "POST", "/workspaces/" + ws + "/scim/changes/" + m.group(1) + "/confirm", null)
                .expect(200).json();
        assertThat(confirmed.get("removed").asInt()).isEqualTo(50);
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).isZero();
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/scim/groups", null).expect(200).json().get("items")
                .get(0).has("target")).as("unmapped now").isFalse();
        licenses.assertCountersMatchRecount(ws);
    }

    @Test
    void theIdentityProvidersMassRemovalFromAMappedGroup_isHeld_andNothingOfItIsWritten() {
        Licenses.Licensed w = provisioning("Held", 20);
        String suffix = w.suffix();
        Api.User admin = w.admin();
        String ws = w.ws();
        String token = scim.newToken(admin, ws);
        List<String> users = users(token, w, 10);
        String group = createGroup(token, "Ten " + suffix, users);
        map(w, group, "{\"target\":\"license\",\"subscriptionId\":\"sub_" + suffix + "\"}").expect(200);

        Api.Response held = scim.call(token, "PATCH", "/scim/v2/Groups/" + group,
                Scim.patch("{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}"));
        Scim.assertError(held, 409, null);
        assertThat(held.text("detail")).contains("Not applied");
        assertThat(scim.call(token, "GET", "/scim/v2/Groups/" + group, null).expect(200).json().get("members"))
                .as("the group keeps its members").hasSize(10);
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).isEqualTo(10);
    }

    /**
     * Removed by a person while in a mapped group: a provisioned member stays a SCIM user (inactive) and in the
     * group, but the group gives them nothing again; one invited by hand is no SCIM user once removed, so the
     * group's page leaves them out. A user the identity provider deletes leaves its groups.
     */
    @Test
    void aMemberRemovedByAPerson_getsNothingFromTheGroup_andTheIdentityProvidersDeleteTakesUsersOut() {
        Licenses.Licensed w = licenses.licensedWorkspace("Removed");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        List<String> users = new ArrayList<>(users(token, w, 2));
        String byHand = api.invite(w.admin(), w.ws(), "By Hand", "hand-" + w.suffix() + "@example.com").expect(202).text("id");
        users.add(byHand);
        String group = createGroup(token, "Pair " + w.suffix(), users);
        map(w, group, "{\"target\":\"license\",\"subscriptionId\":\"sub_" + w.suffix() + "\"}").expect(200);
        users.forEach(u -> assertThat(member(w, u).get("licensed").asBoolean()).as("mapped: licensed").isTrue());

        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/members/" + users.get(0), null).expect(200);
        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/members/" + byHand, null).expect(200);
        assertThat(member(w, users.get(0)).get("licensed").asBoolean()).isFalse();
        assertThat(scim.call(token, "GET", "/scim/v2/Groups/" + group, null).expect(200).json().get("members"))
                .extracting(m -> m.get("value").asText()).as("the member invited by hand is no SCIM user any more")
                .containsExactly(users.get(0), users.get(1));
        Api.Response again = scim.call(token, "PUT", "/scim/v2/Groups/" + group, groupBody("Pair " + w.suffix(),
                users.subList(0, 2)));
        Scim.assertError(again, 409, null);
        assertThat(again.text("detail")).contains(users.get(0));
        assertThat(member(w, users.get(0)).get("licensed").asBoolean()).as("removed: never licensed again").isFalse();
        assertThat(member(w, users.get(0)).get("status").asText()).isEqualTo("REMOVED");

        scim.call(token, "DELETE", "/scim/v2/Users/" + users.get(1), null).expect(204);
        assertThat(scim.call(token, "GET", "/scim/v2/Groups?filter=id%20eq%20%22" + group + "%22", null).expect(200).json()
                .get("Resources").get(0).get("members")).extracting(m -> m.get("value").asText())
                .as("the deleted user left the group").containsExactly(users.get(0));
        assertThat(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/groups", null).expect(200).json()
                .get("items").get(0).get("members").asInt()).as("the PUT took out the one invited by hand, the deleted one left")
                .isEqualTo(1);
        licenses.assertCountersMatchRecount(w.ws());
    }

    /**
     * Trust and consent (PRODUCT.md section 11) hold through a mapped IdP group as through the fixed group it maps
     * to: without a verified domain, a person the IdP provisioned waits for their Join and a license group gives
     * them nothing (reported, kept in the group); taking ADMIN from two admins in one request is held whole; a
     * member a person removed is not brought back through a group mapped to Members, and the answer names the
     * removal.
     */
    @Test
    void mappedGroups_keepTrustAndConsent_pendingJoinNotLicensed_twoAdminLossesHeld_aPersonsRemovalSticks() {
        Licenses.Licensed w = licenses.licensedWorkspace("GroupTrust");
        String token = scim.newToken(w.admin(), w.ws());
        List<String> users = users(token, w, 2); // example.com, which this workspace has not verified
        String pending = users.get(0);
        String licensed = createGroup(token, "Licensed " + w.suffix(), List.of());
        map(w, licensed, "{\"target\":\"license\",\"subscriptionId\":\"sub_" + w.suffix() + "\"}").expect(200);
        Api.Response notYet = addMember(token, licensed, pending);
        Scim.assertError(notYet, 409, null);
        assertThat(notYet.text("detail")).contains("Waiting for the person to join", pending);
        assertThat(member(w, pending).get("licensed").asBoolean()).isFalse();
        assertThat(scim.call(token, "GET", "/scim/v2/Groups/" + licensed, null).expect(200).json().get("members"))
                .extracting(m -> m.get("value").asText()).as("kept in the IdP's group").containsExactly(pending);

        String a = api.addActiveMember(w.admin(), w.ws(), api.user("op-a-" + w.suffix() + "@example.com"));
        String b = api.addActiveMember(w.admin(), w.ws(), api.user("op-b-" + w.suffix() + "@example.com"));
        for (String id : List.of(a, b)) {
            api.call(w.admin(), "PUT", "/workspaces/" + w.ws() + "/members/" + id + "/access",
                    "{\"role\":\"ADMIN\",\"permissions\":[]}").expect(200);
        }
        String operators = createGroup(token, "Operators " + w.suffix(), List.of(a, b));
        map(w, operators, "{\"target\":\"admins\"}").expect(200);
        Api.Response held = scim.call(token, "PATCH", "/scim/v2/Groups/" + operators,
                Scim.patch("{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}"));
        Scim.assertError(held, 409, null);
        assertThat(held.text("detail")).contains("take ADMIN from 2 admins at once", "nothing was changed");
        assertThat(List.of(a, b)).allSatisfy(id -> assertThat(member(w, id).get("role").asText()).isEqualTo("ADMIN"));
        assertThat(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/changes", null).expect(200).json()
                .get("items")).singleElement().satisfies(c -> assertThat(c.get("remove")).hasSize(2));

        String removed = users.get(1);
        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/members/" + removed, null).expect(200);
        String staff = createGroup(token, "Staff " + w.suffix(), List.of());
        map(w, staff, "{\"target\":\"members\"}").expect(200);
        Api.Response back = addMember(token, staff, removed);
        Scim.assertError(back, 409, null);
        assertThat(back.text("detail")).contains("removed from the workspace by " + w.admin().email());
        assertThat(member(w, removed).get("status").asText()).isEqualTo("REMOVED");
        licenses.assertCountersMatchRecount(w.ws());
    }

    @Test
    void namesAreUnique_withoutCase_includingTheFixedGroups_andLookupsAreByName() {
        Licenses.Licensed w = licenses.licensedWorkspace("Names");
        String token = scim.newToken(w.admin(), w.ws());
        String group = createGroup(token, "Support " + w.suffix(), List.of());
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Groups", groupBody("SUPPORT " + w.suffix(), List.of())),
                409, "uniqueness");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Groups", groupBody("admins", List.of())), 409, "uniqueness");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Groups", groupBody(" ", List.of())), 400, "invalidValue");
        // The text rule of every name a client sends (issue 17): no control or formatting characters, bounded.
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Groups", groupBody("IT\\u202E " + w.suffix(), List.of())),
                400, "invalidValue");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Groups", groupBody("x".repeat(257), List.of())),
                400, "invalidValue");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Groups", "{\"displayName\":\"Ext " + w.suffix()
                + "\",\"externalId\":\"00g\\u2028x\"}"), 400, "invalidValue");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Groups/" + group, Scim.patch(
                "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Support\\u0007\"}")), 400, "invalidValue");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Groups", groupBody("Ghosts " + w.suffix(),
                List.of("m_0000000000000000000000zzzz"))), 400, "invalidValue");
        assertThat(scim.call(token, "GET", "/scim/v2/Groups?filter=displayName%20eq%20%22support%20" + w.suffix() + "%22",
                null).expect(200).json().get("Resources").get(0).get("id").asText()).isEqualTo(group);
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Groups/" + group, Scim.patch(
                "{\"op\":\"remove\",\"path\":\"displayName\"}")), 400, "mutability");
        map(w, group, "{\"target\":\"license\",\"subscriptionId\":\"sub_nope\"}").expect(400);
        map(w, group, "{\"target\":\"owners\"}").expect(400);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A workspace with a subscription of these seats (its admin holds no license) that verified example.com: the
     * IdP licenses people before they sign in (issue 17).
     */
    private Licenses.Licensed provisioning(String label, long seats) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("idp-" + label.toLowerCase(java.util.Locale.ROOT) + "-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, label);
        licenses.purchase(ws, "sub_" + suffix, seats, null);
        Domains.verify(runtime, api, admin, ws, "example.com");
        return new Licenses.Licensed(suffix, admin, ws, null);
    }

    private List<String> users(String token, Licenses.Licensed w, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String email = "idp-" + i + "-" + w.suffix() + "@example.com";
            ids.add(scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id"));
        }
        return ids;
    }

    private String createGroup(String token, String name, List<String> members) {
        return scim.call(token, "POST", "/scim/v2/Groups", groupBody(name, members)).expect(201).text("id");
    }

    private static String groupBody(String name, List<String> members) {
        StringBuilder values = new StringBuilder();
        members.forEach(m -> values.append(values.isEmpty() ? "" : ",").append("{\"value\":\"").append(m).append("\"}"));
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"" + name
                + "\",\"members\":[" + values + "]}";
    }

    private Api.Response addMember(String token, String group, String member) {
        return scim.call(token, "PATCH", "/scim/v2/Groups/" + group, Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + member + "\"}]}"));
    }

    private Api.Response removeMember(String token, String group, String member) {
        return scim.call(token, "PATCH", "/scim/v2/Groups/" + group, Scim.patch(
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + member + "\\\"]\"}"));
    }

    private Api.Response map(Licenses.Licensed w, String group, String body) {
        return api.call(w.admin(), "PUT", "/workspaces/" + w.ws() + "/scim/groups/" + group + "/mapping", body);
    }

    private JsonNode member(Licenses.Licensed w, String memberId) {
        return api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members/" + memberId, null).expect(200).json();
    }
}
