package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SCIM through the local API Gateway and the real handlers, against the emulator: every refusal as a SCIM
 * error that changes nothing; the token (regenerated and revoked ones refused, its use recorded, never in a
 * log or the table); what provisioning does to members, seats and activation (the first sign-in, the
 * license group, deactivation and reactivation, the last admin, a legacy key); and the audit trail with the
 * identity provider as actor.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void everyRefusal_isAScimError_andChangesNothing() {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimErrors");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        String email = "ada-" + w.suffix() + "@example.com";
        String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, "ext-" + w.suffix()))
                .expect(201).text("id");
        Licenses.Licensed other = licenses.licensedWorkspace("ScimOther");
        String otherToken = scim.newToken(other.admin(), other.ws());
        String before = snapshot(w);

        // 401: no token, a JWT, a token in another scheme, a malformed one.
        Scim.assertError(scim.call((String) null, "GET", "/scim/v2/Users", null), 401, null);
        Scim.assertError(scim.call(Map.of("authorization", "Bearer " + w.admin().jwt()), "GET", "/scim/v2/Users", null),
                401, null);
        Scim.assertError(scim.call(Map.of("authorization", "Token " + token), "GET", "/scim/v2/Users", null), 401, null);
        Scim.assertError(scim.call("scim-" + "A".repeat(43), "POST", "/scim/v2/Users", Scim.user("x@example.com",
                "x@example.com", null)), 401, null);
        // 404: this workspace's ids with another workspace's token.
        Scim.assertError(scim.call(otherToken, "GET", "/scim/v2/Users/" + id, null), 404, null);
        Scim.assertError(scim.call(otherToken, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"path\":\"active\",\"value\":false}")), 404, null);
        Scim.assertError(scim.call(otherToken, "DELETE", "/scim/v2/Users/" + id, null), 404, null);
        Scim.assertError(scim.call(otherToken, "PATCH", "/scim/v2/Groups/license_sub_" + w.suffix(), Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}")), 404, null);
        Scim.assertError(scim.call(token, "GET", "/scim/v2/Users/m_00000000000000000000000000", null), 404, null);
        // 409 uniqueness: the same userName in another case, the same externalId, the same email.
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", Scim.user(email.toUpperCase(), "b-" + email, null)),
                409, "uniqueness");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", Scim.user("b-" + email, "b-" + email,
                "ext-" + w.suffix())), 409, "uniqueness");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", Scim.user("c-" + email, email, null)), 409,
                "uniqueness");
        // 400 invalidFilter: another operator, an attribute without a lookup, no value, 'or'.
        for (String filter : List.of("userName%20co%20%22ada%22", "title%20eq%20%22x%22", "userName%20eq",
                "userName%20eq%20%22a%22%20or%20userName%20eq%20%22b%22")) {
            Scim.assertError(scim.call(token, "GET", "/scim/v2/Users?filter=" + filter, null), 400, "invalidFilter");
        }
        // 400 invalidValue: no userName, no email at all, active that is no boolean, an unknown group member.
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", "{\"schemas\":[\"" + Scim.USER + "\"]}"), 400,
                "invalidValue");
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", "{\"userName\":\"not-an-email\"}"), 400,
                "invalidValue");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}")), 400, "invalidValue");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Groups/license_sub_" + w.suffix(), Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"m_0000000000000000000000zzzz\"}]}")), 400,
                "invalidValue");
        // 400 invalidSyntax: not JSON, a PATCH that is no PatchOp, an unknown op.
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", "{\"userName\":"), 400, "invalidSyntax");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id,
                "{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}"), 400, "invalidSyntax");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"move\",\"path\":\"active\",\"value\":false}")), 400, "invalidSyntax");
        // 400 noTarget, mutability, invalidPath.
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch("{\"op\":\"remove\"}")), 400,
                "noTarget");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"remove\",\"path\":\"userName\"}")), 400, "mutability");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"path\":\"id\",\"value\":\"m_x\"}")), 400, "mutability");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"path\":\"emails[value eq \\\"x\\\"].type\",\"value\":\"home\"}")), 400, "invalidPath");
        // The admin has signed in: their email is their account's.
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + w.adminMember(), Scim.patch(
                "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"new-" + email + "\"}")),
                400, "mutability");
        // 413 and 415.
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", "{\"userName\":\"" + "x".repeat(600_000) + "\"}"),
                413, null);
        Api.Response textPlain = scim.call(Map.of("authorization", "Bearer " + token, "content-type", "text/plain"),
                "POST", "/scim/v2/Users", "userName=x");
        assertThat(textPlain.status()).isEqualTo(415);
        assertThat(snapshot(w)).as("no refusal changed anything").isEqualTo(before);
    }

    @Test
    void theToken_regeneratedAndRevoked_isRefused_itsUseIsRecorded_andItIsInNoLogAndNowhereInTheTable() {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimToken");
        List<String> tokens = new ArrayList<>();
        String captured = CapturedLogs.during(() -> {
            tokens.add(scim.newToken(w.admin(), w.ws()));
            scim.call(tokens.get(0), "GET", "/scim/v2/Users", null).expect(200);
            tokens.add(scim.newToken(w.admin(), w.ws()));
            Scim.assertError(scim.call(tokens.get(0), "GET", "/scim/v2/Users", null), 401, null);
            scim.call(tokens.get(1), "POST", "/scim/v2/Users", Scim.user("log-" + w.suffix() + "@example.com",
                    "log-" + w.suffix() + "@example.com", null)).expect(201);
            // A failing request too: whatever is logged holds no token.
            scim.call(tokens.get(1), "POST", "/scim/v2/Users", "{\"userName\":").expect(400);
        });
        JsonNode view = api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/token", null).expect(200).json();
        assertThat(view.get("hint").asText()).isEqualTo("scim-…" + tokens.get(1).substring(tokens.get(1).length() - 4));
        assertThat(view.get("lastUsedAt").asText()).as("its use, to the hour").endsWith(":00:00Z");
        assertThat(view.get("baseUrl").asText()).endsWith("/scim/v2");
        assertThat(view.toString()).doesNotContain(tokens.get(1));
        // Only admins see and manage it.
        Api.User member = api.user("scim-member-" + w.suffix() + "@example.com");
        api.addActiveMember(w.admin(), w.ws(), member);
        api.call(member, "GET", "/workspaces/" + w.ws() + "/scim/token", null).expect(403);
        api.call(member, "POST", "/workspaces/" + w.ws() + "/scim/token", null).expect(403);

        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/scim/token", null).expect(204);
        Scim.assertError(scim.call(tokens.get(1), "GET", "/scim/v2/Users", null), 401, null);
        api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/scim/token", null).expect(404);

        String dump = TableDump.of(runtime);
        assertThat(dump).contains(w.ws());
        for (String t : tokens) {
            assertThat(captured).as("logs").doesNotContain(t).doesNotContain(t.substring(5));
            assertThat(dump).as("the table").doesNotContain(t).doesNotContain(t.substring(5));
        }
        assertThat(audit(w)).contains("scim-token.created", "scim-token.regenerated", "scim-token.revoked");
    }

    @Test
    void aProvisionedUser_becomesActiveAtFirstSignIn_activatesWithTheGroupsLicense_andStopsWhenDeactivated() {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimSignIn");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        String email = "grace-" + w.suffix() + "@example.com";
        String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
        scim.call(token, "PATCH", "/scim/v2/Groups/license_sub_" + w.suffix(), Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}")).expect(204);

        // The person signs in: the console claims what their verified email was provisioned with.
        Api.User grace = api.user(email);
        JsonNode claimed = api.call(grace, "POST", "/me/provisioned/claim", null).expect(200).json();
        assertThat(claimed.get("items")).hasSize(1);
        assertThat(claimed.get("items").get(0).get("id").asText()).isEqualTo(w.ws());
        JsonNode member = member(w, id);
        assertThat(member.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(member.get("provisioning").get("awaitingSignIn").asBoolean()).isFalse();
        assertThat(api.call(grace, "POST", "/me/provisioned/claim", null).expect(200).json().get("items"))
                .as("claimed once").isEmpty();
        api.call(grace, "GET", "/workspaces/" + w.ws(), null).expect(200);
        // Another person's sign-in claims nothing of it.
        assertThat(api.call(api.user("not-" + email), "POST", "/me/provisioned/claim", null).expect(200).json()
                .get("items")).isEmpty();

        String lsToken = Activations.authToken(api, grace);
        assertThat(Activations.request(api, lsToken, false).status()).as("the license group's license activates")
                .isEqualTo(200);
        // The IdP deactivates them: the seat is freed and their token stops activating this workspace's license.
        long inUse = licenses.summary(w.admin(), w.ws()).get("inUse").asLong();
        scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"value\":{\"active\":false}}")).expect(200);
        assertThat(licenses.summary(w.admin(), w.ws()).get("inUse").asLong()).isEqualTo(inUse - 1);
        assertThat(Activations.request(api, lsToken, false).status()).isEqualTo(403);
        api.call(grace, "GET", "/workspaces/" + w.ws(), null).expect(404);
        // Reactivated: they had signed in, so they are ACTIVE again at once, without a license until one is given.
        scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"value\":{\"active\":true}}")).expect(200);
        assertThat(member(w, id).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(member(w, id).get("licensed").asBoolean()).isFalse();
        api.call(grace, "GET", "/workspaces/" + w.ws(), null).expect(200);
        scim.call(token, "PATCH", "/scim/v2/Groups/license_sub_" + w.suffix(), Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}")).expect(204);
        assertThat(Activations.request(api, lsToken, false).status()).isEqualTo(200);
        licenses.assertCountersMatchRecount(w.ws());

        List<String> trail = audit(w);
        assertThat(trail).contains("member.provisioned", "license.assigned", "member.signed-in", "member.deactivated",
                "member.reactivated");
        JsonNode provisioned = auditEntry(w, "member.provisioned");
        assertThat(provisioned.get("actor").get("id").asText()).as("the IdP is the actor").isEqualTo("scim");
    }

    @Test
    void aLicenseGroup_neverOversubscribes_andTellsTheIdpWhoWasNotLicensed() {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimSeats"); // 5 seats, the admin holds one
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        List<String> ids = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            String email = "u" + i + "-" + w.suffix() + "@example.com";
            ids.add(scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id"));
            values.append(i == 0 ? "" : ",").append("{\"value\":\"").append(ids.get(i)).append("\"}");
        }
        Api.Response r = scim.call(token, "PATCH", "/scim/v2/Groups/license_sub_" + w.suffix(), Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + values + "]}"));
        Scim.assertError(r, 409, null);
        assertThat(r.text("detail")).contains("Applied 4 of 8").contains("4 members were not changed")
                .contains("not licensed").contains(ids.get(7));
        JsonNode summary = licenses.summary(w.admin(), w.ws());
        assertThat(summary.get("inUse").asLong()).isEqualTo(5);
        assertThat(summary.get("plans").get(0).get("licensed").asLong()).isEqualTo(5);
        assertThat(summary.get("plans").get(0).get("name").asText()).isEqualTo("Team (sub_" + w.suffix() + ")");
        JsonNode group = scim.call(token, "GET", "/scim/v2/Groups/license_sub_" + w.suffix(), null).expect(200).json();
        assertThat(group.get("members")).hasSize(5);
        // The console cannot add one more either.
        licenses.assign(w.admin(), w.ws(), ids.get(7)).expect(409);
        licenses.assertCountersMatchRecount(w.ws());
        // A second subscription gives its own group: moving a member there frees a license of the first.
        licenses.purchase(w.ws(), "sub_b" + w.suffix(), 2, null);
        scim.call(token, "PATCH", "/scim/v2/Groups/license_sub_b" + w.suffix(), Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + ids.get(0) + "\"}]}")).expect(204);
        assertThat(member(w, ids.get(0)).get("licenseSubscription").asText()).isEqualTo("sub_b" + w.suffix());
        summary = licenses.summary(w.admin(), w.ws());
        assertThat(summary.get("inUse").asLong()).isEqualTo(5);
        licenses.assertCountersMatchRecount(w.ws());
    }

    @Test
    void theLastAdmin_staysAgainstScim_andALegacyKeyGoesWithADeactivatedMember() {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimAdmin");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + w.adminMember(), Scim.patch(
                "{\"op\":\"replace\",\"path\":\"active\",\"value\":false}")), 409, null);
        Scim.assertError(scim.call(token, "DELETE", "/scim/v2/Users/" + w.adminMember(), null), 409, null);
        Api.Response demote = scim.call(token, "PATCH", "/scim/v2/Groups/admins", Scim.patch(
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + w.adminMember() + "\\\"]\"}"));
        Scim.assertError(demote, 409, null);
        assertThat(demote.text("detail")).contains("at least one admin");
        assertThat(member(w, w.adminMember()).get("role").asText()).isEqualTo("ADMIN");

        // Promote a provisioned user through the Admins group; then the first admin may go.
        String email = "second-" + w.suffix() + "@example.com";
        String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
        Api.User second = api.user(email);
        api.call(second, "POST", "/me/provisioned/claim", null).expect(200);
        scim.call(token, "PATCH", "/scim/v2/Groups/admins", Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}")).expect(204);
        assertThat(member(w, id).get("role").asText()).isEqualTo("ADMIN");

        // A legacy key held by a member goes with their deactivation, as a removal does today.
        String key = Licenses.randomKey();
        licenses.importKey(w.admin(), w.ws(), key, id).expect(201);
        scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"path\":\"active\",\"value\":false}")).expect(200);
        assertThat(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/legacy-keys", null).expect(200).json()
                .get("items")).isEmpty();
        assertThat(Activations.requestWithApiKey(api, key, false).status()).isEqualTo(401);
        licenses.assertCountersMatchRecount(w.ws());
    }

    @Test
    void aKeyHoldersRemovalFromTheMembersGroup_isAuditedWithTheKey_asTheConsolesRemovalIs() {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimRemoveKey");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(runtime, api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        Map<String, String> keyOf = new java.util.LinkedHashMap<>();
        for (String who : List.of("byconsole", "byscim")) {
            String email = who + "-" + w.suffix() + "@example.com";
            String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
            api.call(api.user(email), "POST", "/me/provisioned/claim", null).expect(200);
            licenses.importKey(w.admin(), w.ws(), Licenses.randomKey(), id).expect(201);
            keyOf.put(id, member(w, id).get("legacyKeyId").asText());
        }
        List<String> ids = List.copyOf(keyOf.keySet());

        // One removed by an admin in the console, the other by the identity provider taking them out of Members.
        api.call(w.admin(), "DELETE", "/workspaces/" + w.ws() + "/members/" + ids.get(0), null).expect(200);
        scim.call(token, "PATCH", "/scim/v2/Groups/members", Scim.patch(
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + ids.get(1) + "\\\"]\"}")).expect(204);

        List<List<String>> detailNames = new ArrayList<>();
        for (String id : ids) {
            assertThat(member(w, id).get("status").asText()).isEqualTo("REMOVED");
            JsonNode removal = null;
            for (JsonNode e : api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=100", null).expect(200)
                    .json().get("items")) {
                if (e.get("action").asText().equals("member.removed") && e.get("target").asText().equals(id)) {
                    removal = e;
                }
            }
            assertThat(removal).as("the removal of %s is audited", id).isNotNull();
            assertThat(removal.get("details").get("legacyKey").asText()).as("names the key it held")
                    .isNotEmpty().isEqualTo(keyOf.get(id));
            List<String> names = new ArrayList<>();
            removal.get("details").fieldNames().forEachRemaining(names::add);
            detailNames.add(names.stream().sorted().toList());
        }
        assertThat(detailNames.get(1)).as("the same record, whoever removed them").isEqualTo(detailNames.get(0));
        assertThat(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/legacy-keys", null).expect(200).json()
                .get("items")).isEmpty();
        licenses.assertCountersMatchRecount(w.ws());
    }

    private JsonNode member(Licenses.Licensed w, String id) {
        return api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members/" + id, null).expect(200).json();
    }

    private List<String> audit(Licenses.Licensed w) {
        List<String> actions = new ArrayList<>();
        api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=100", null).expect(200).json().get("items")
                .forEach(e -> actions.add(e.get("action").asText()));
        return actions;
    }

    private JsonNode auditEntry(Licenses.Licensed w, String action) {
        for (JsonNode e : api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=100", null).expect(200)
                .json().get("items")) {
            if (e.get("action").asText().equals(action)) {
                return e;
            }
        }
        throw new AssertionError("no audit entry " + action);
    }

    /** Members, the license summary and the audit trail: what a refusal must leave as it was. */
    private String snapshot(Licenses.Licensed w) {
        StringBuilder out = new StringBuilder();
        api.allMembers(w.admin(), w.ws(), true).forEach(m -> out.append(m).append('\n'));
        out.append(licenses.summary(w.admin(), w.ws())).append('\n').append(api.auditCount(w.admin(), w.ws()));
        return out.toString();
    }
}
