package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.store.Keys;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Who may be in a workspace (PRODUCT.md section 11, issue 17 part A) through the local API Gateway, the real
 * handlers and the emulator: issue 17's attack 1 (a removed admin's kept SCIM token brings her back as ADMIN and
 * demotes the others) fails with clear answers; the SCIM token stops with its creator's removal or demotion and
 * with nobody else's; the identity provider takes ADMIN from one admin per request and one per hour, the rest
 * held for an admin, also when requests race; CI keys show their creators with one batch read.
 */
@ExtendWith(LocalRuntimeExtension.class)
class TrustIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    TrustIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    /** A workspace's new member, made ADMIN by its admin (an appointed admin): the member id. */
    private String admin(Licenses.Licensed w, Api.User who) {
        String id = api.addActiveMember(w.admin(), w.ws(), who);
        api.call(w.admin(), "PUT", "/workspaces/" + w.ws() + "/members/" + id + "/access", "{\"role\":\"ADMIN\"}")
                .expect(200);
        return id;
    }

    private Api.User person(String label, Licenses.Licensed w) {
        return api.user(label + "-" + w.suffix() + "@example.com");
    }

    private JsonNode member(Licenses.Licensed w, String id) {
        return api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members/" + id, null).expect(200).json();
    }

    private JsonNode tokenView(Licenses.Licensed w) {
        return api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/token", null).expect(200).json();
    }

    private static String removeFromGroup(String... ids) {
        StringBuilder values = new StringBuilder();
        for (String id : ids) {
            values.append(values.isEmpty() ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        return Scim.patch("{\"op\":\"remove\",\"path\":\"members\",\"value\":[" + values + "]}");
    }

    private List<String> audit(Licenses.Licensed w) {
        List<String> actions = new ArrayList<>();
        api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=100", null).expect(200).json().get("items")
                .forEach(e -> actions.add(e.get("action").asText() + " by " + e.get("actor").get("email").asText()));
        return actions;
    }

    @Test
    void attack1_aRemovedAdminsKeptToken_isRefused_andTheIdpCannotBringHerBackOrDemoteTheOthersAtOnce() {
        // Eve, an admin, creates the workspace's SCIM token; the demo admin removes Eve.
        Licenses.Licensed w = licenses.licensedWorkspace("Attack");
        Api.User eve = person("eve", w);
        String eveId = admin(w, eve);
        String evesToken = scim.newToken(eve, w.ws());
        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/members/" + eveId, null).expect(200);
        api.call(eve, "GET", "/workspaces/" + w.ws(), null).expect(404);

        // With the token she kept: refused, whatever she asks.
        Scim.assertError(scim.call(evesToken, "POST", "/scim/v2/Users", Scim.user(eve.email(), eve.email(), null)),
                401, null);
        Scim.assertError(scim.call(evesToken, "PATCH", "/scim/v2/Groups/admins", removeFromGroup(w.adminMember())),
                401, null);
        assertThat(member(w, w.adminMember()).get("role").asText()).isEqualTo("ADMIN");
        // The Provisioning page's answer: stopped, why, when.
        JsonNode view = tokenView(w);
        assertThat(view.get("status").asText()).isEqualTo("STOPPED");
        assertThat(view.get("stopped").get("reason").asText()).isEqualTo("creator-removed");
        assertThat(view.get("stopped").get("creator").asText()).isEqualTo(eve.email());
        assertThat(view.get("stopped").get("by").asText()).isEqualTo(w.admin().email());
        assertThat(view.get("createdByEmail").asText()).isEqualTo(eve.email());

        // Even with a token a current admin created: provisioning Eve again is refused, naming the removal.
        String token = scim.newToken(w.admin(), w.ws());
        String removedAt = member(w, eveId).get("removedAt").asText();
        Api.Response refused = scim.call(token, "POST", "/scim/v2/Users", Scim.user(eve.email(), eve.email(), null));
        Scim.assertError(refused, 403, null);
        assertThat(refused.text("detail")).contains(eve.email(), "removed from the workspace by " + w.admin().email(),
                removedAt, "allow provisioning again");
        api.call(eve, "GET", "/workspaces/" + w.ws(), null).expect(404);
        JsonNode removal = member(w, eveId).get("removal");
        assertThat(removal.get("sticks").asBoolean()).isTrue();
        assertThat(removal.get("by").asText()).isEqualTo(w.admin().email());

        // The admin allows provisioning again: the IdP brings her back as a MEMBER holding nothing.
        JsonNode allowed = api.call(w.admin(), "POST", "/workspaces/" + w.ws() + "/members/" + eveId
                + "/allow-provisioning", null).expect(200).json();
        assertThat(allowed.get("status").asText()).isEqualTo("REMOVED");
        assertThat(allowed.get("removal").get("sticks").asBoolean()).isFalse();
        String backId = scim.call(token, "POST", "/scim/v2/Users", Scim.user(eve.email(), eve.email(), null))
                .expect(201).text("id");
        assertThat(backId).isEqualTo(eveId);
        JsonNode you = api.call(eve, "GET", "/workspaces/" + w.ws(), null).expect(200).json().get("you");
        assertThat(you.get("role").asText()).isEqualTo("MEMBER");
        assertThat(you.get("permissions")).isEmpty();
        JsonNode back = member(w, eveId);
        assertThat(back.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(back.get("licensed").asBoolean()).isFalse();
        assertThat(back.has("legacyKeyId")).isFalse();

        // The Admins group losing two admins in one request is held for an admin, nothing applied.
        String second = admin(w, person("second", w));
        Api.Response held = scim.call(token, "PATCH", "/scim/v2/Groups/admins", removeFromGroup(w.adminMember(), second));
        Scim.assertError(held, 409, null);
        assertThat(held.text("detail")).contains("take ADMIN from 2 admins at once", "nothing was changed");
        assertThat(member(w, w.adminMember()).get("role").asText()).isEqualTo("ADMIN");
        assertThat(member(w, second).get("role").asText()).isEqualTo("ADMIN");
        JsonNode pending = api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/changes", null).expect(200)
                .json().get("items");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("groupId").asText()).isEqualTo("admins");

        assertThat(audit(w)).contains("scim-token.stopped by " + w.admin().email(),
                "member.provisioning-allowed by " + w.admin().email(), "member.reactivated by scim",
                "scim.change-held by scim");
    }

    @Test
    void theToken_stopsWithItsCreatorsDemotion_orRemovalByScim_butNotWithAnotherAdminsRemoval() {
        Licenses.Licensed w = licenses.licensedWorkspace("TokenEnd");
        Api.User bob = person("bob", w);
        String bobId = admin(w, bob);
        String carolId = admin(w, person("carol", w));

        // Bob's token survives another admin's removal and demotion.
        String bobsToken = scim.newToken(bob, w.ws());
        api.call(w.admin(), "PUT", "/workspaces/" + w.ws() + "/members/" + carolId + "/access",
                "{\"role\":\"MEMBER\"}").expect(200);
        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/members/" + carolId, null).expect(200);
        scim.call(bobsToken, "GET", "/scim/v2/Users?count=1", null).expect(200);
        assertThat(tokenView(w).get("status").asText()).isEqualTo("ACTIVE");

        // Bob made a member with a permission: no longer an admin, his token stops in that transaction.
        api.call(w.admin(), "PUT", "/workspaces/" + w.ws() + "/members/" + bobId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"audit:read\"]}").expect(200);
        Scim.assertError(scim.call(bobsToken, "GET", "/scim/v2/Users?count=1", null), 401, null);
        JsonNode stopped = tokenView(w);
        assertThat(stopped.get("status").asText()).isEqualTo("STOPPED");
        assertThat(stopped.get("stopped").get("reason").asText()).isEqualTo("creator-not-admin");
        assertThat(stopped.get("stopped").get("creator").asText()).isEqualTo(bob.email());

        // Dan's token, and the IdP takes ADMIN from Dan through its Admins group: the token stops by SCIM's hand.
        Api.User dan = person("dan", w);
        String danId = admin(w, dan);
        String dansToken = scim.newToken(dan, w.ws());
        scim.call(dansToken, "PATCH", "/scim/v2/Groups/admins", removeFromGroup(danId)).expect(204);
        assertThat(member(w, danId).get("role").asText()).isEqualTo("MEMBER");
        Scim.assertError(scim.call(dansToken, "GET", "/scim/v2/Users?count=1", null), 401, null);
        assertThat(tokenView(w).get("stopped").get("by").asText()).isEqualTo("scim");
        assertThat(audit(w)).contains("scim-token.stopped by " + w.admin().email(), "scim-token.stopped by scim");
    }

    @Test
    void scimTakesAdminFromOneAdminPerHour_theRestIsHeld_evenWhenRequestsRace() throws Exception {
        Licenses.Licensed w = licenses.licensedWorkspace("Window");
        String token = scim.newToken(w.admin(), w.ws());
        List<String> admins = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            admins.add(admin(w, person("adm" + i, w)));
        }

        // Four requests at once, each taking ADMIN from a different admin (two by the Admins group, two by
        // deactivation): exactly one is applied, the other three are held.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Api.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                String id = admins.get(i);
                Callable<Api.Response> request = i % 2 == 0
                        ? () -> scim.call(token, "PATCH", "/scim/v2/Groups/admins", removeFromGroup(id))
                        : () -> scim.call(token, "PATCH", "/scim/v2/Users/" + id,
                                Scim.patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}"));
                answers.add(pool.submit(request));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Api.Response> a : answers) {
                statuses.add(a.get().status());
            }
            assertThat(statuses.stream().filter(s -> s < 300).count()).as("applied, of %s", statuses).isEqualTo(1);
            assertThat(statuses.stream().filter(s -> s == 409).count()).as("held, of %s", statuses).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        long stillAdmins = admins.stream().filter(id -> {
            JsonNode m = member(w, id);
            return m.get("status").asText().equals("ACTIVE") && m.get("role").asText().equals("ADMIN");
        }).count();
        assertThat(stillAdmins).isEqualTo(3);
        JsonNode pending = api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/changes", null).expect(200)
                .json().get("items");
        assertThat(pending).hasSize(3);
        // The window is one keyed item of the workspace, not a scan of its audit trail.
        assertThat(runtime.dynamoDb().getItem(GetItemRequest.builder().tableName(runtime.tableName())
                .key(Keys.scimAdminLoss(w.ws()).toMap()).consistentRead(true).build()).item()).containsKey("lastAt");

        // An admin confirms one: applied as their decision.
        String changeId = pending.get(0).get("id").asText();
        JsonNode confirmed = api.call(w.admin(), "POST", "/workspaces/" + w.ws() + "/scim/changes/" + changeId
                + "/confirm", null).expect(200).json();
        assertThat(confirmed.get("removed").asInt()).isEqualTo(1);
        assertThat(confirmed.get("notApplied")).isEmpty();
    }

    @Test
    void scimCannotTakeAdminFromTheLastAdminAPersonAppointed() {
        Licenses.Licensed w = licenses.licensedWorkspace("Lockout");
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // she joins at sign-in (consent)
        String token = scim.newToken(w.admin(), w.ws());
        // The IdP provisions Ida, she signs in, and it makes her an admin through its Admins group.
        String email = "ida-" + w.suffix() + "@example.com";
        String ida = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
        api.call(api.user(email), "POST", "/me/provisioned/claim", null).expect(200);
        scim.call(token, "PATCH", "/scim/v2/Groups/admins", Scim.patch("{\"op\":\"add\",\"path\":\"members\","
                + "\"value\":[{\"value\":\"" + ida + "\"}]}")).expect(204);
        assertThat(member(w, ida).get("roleFromIdentityProvider").asBoolean()).isTrue();

        // Then it tries to take ADMIN from the one admin a person appointed: refused, by every path.
        Api.Response demote = scim.call(token, "PATCH", "/scim/v2/Groups/admins", removeFromGroup(w.adminMember()));
        Scim.assertError(demote, 409, null);
        assertThat(demote.text("detail")).contains("last admin a person appointed");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + w.adminMember(),
                Scim.patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}")), 409, null);
        Scim.assertError(scim.call(token, "DELETE", "/scim/v2/Users/" + w.adminMember(), null), 409, null);
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Groups/members", removeFromGroup(w.adminMember())),
                409, null);
        JsonNode admin = member(w, w.adminMember());
        assertThat(admin.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(admin.get("role").asText()).isEqualTo("ADMIN");
        // It may still take ADMIN from the admin it made.
        scim.call(token, "PATCH", "/scim/v2/Groups/admins", removeFromGroup(ida)).expect(204);
        assertThat(member(w, ida).get("role").asText()).isEqualTo("MEMBER");
    }

    @Test
    void ciKeys_showTheirCreators_markThoseNoLongerAdmins_withOneBatchReadForThePage() {
        Licenses.Licensed w = licenses.licensedWorkspace("CiCreators");
        Api.User bob = person("bob", w);
        String bobId = admin(w, bob);
        Api.User pia = person("pia", w);
        String piaId = api.addActiveMember(w.admin(), w.ws(), pia);
        api.call(w.admin(), "PUT", "/workspaces/" + w.ws() + "/members/" + piaId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"ci-keys:manage\"]}").expect(200);
        String base = "/workspaces/" + w.ws() + "/ci-keys";
        String mine = api.call(w.admin(), "POST", base, "{\"name\":\"Admin's\"}").expect(201).text("id");
        String bobs = api.call(bob, "POST", base, "{\"name\":\"Bob's\"}").expect(201).text("id");
        String bobsSecond = api.call(bob, "POST", base, "{\"name\":\"Bob's second\"}").expect(201).text("id");
        String pias = api.call(pia, "POST", base, "{\"name\":\"Pia's\"}").expect(201).text("id");
        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/members/" + bobId, null).expect(200);

        RequestCounter.Recorded<JsonNode> listed = RequestCounter.record(() ->
                api.call(w.admin(), "GET", base, null).expect(200).json());
        System.out.println("[requests] CI keys (4, 3 creators): " + listed.calls());

        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        listed.result().get("items").forEach(k -> byId.put(k.get("id").asText(), k));
        assertThat(byId.get(mine).get("creator").get("status").asText()).isEqualTo("ADMIN");
        assertThat(byId.get(mine).get("creator").get("noLongerAdmin").asBoolean()).isFalse();
        assertThat(byId.get(mine).get("creator").get("email").asText()).isEqualTo(w.admin().email());
        for (String id : List.of(bobs, bobsSecond)) {
            JsonNode creator = byId.get(id).get("creator");
            assertThat(creator.get("status").asText()).isEqualTo("REMOVED");
            assertThat(creator.get("noLongerAdmin").asBoolean()).isTrue();
            assertThat(creator.get("email").asText()).isEqualTo(bob.email());
            assertThat(byId.get(id).get("status").asText()).as("the key stays the workspace's").isEqualTo("ACTIVE");
        }
        assertThat(byId.get(pias).get("creator").get("status").asText()).isEqualTo("NOT_ADMIN");
        // The grant, the keys, their usage, their creators: the same four requests however many keys.
        assertThat(listed.calls()).containsExactly("DynamoDb.GetItem", "DynamoDb.Query", "DynamoDb.BatchGetItem",
                "DynamoDb.BatchGetItem");
        // Revoke is at hand: the marked key can be revoked by the admin.
        assertThat(api.call(w.admin(), "DELETE", base + "/" + bobs, null).expect(200).text("status")).isEqualTo("REVOKED");
    }
}
