package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Okta's and Microsoft Entra ID's documented SCIM request shapes (JSON fixtures under
 * {@code src/test/resources/scim/okta} and {@code …/entra}, written from their public SCIM guides: Okta's
 * "SCIM 2.0 protocol reference" and Microsoft's "Tutorial: Develop a SCIM endpoint" with its "Known issues
 * with SCIM 2.0 protocol compliance"), each sent through the local API Gateway to the real handler against
 * the emulator, in the order an identity provider sends them, with what each must change.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimIdpShapesIT {
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimIdpShapesIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void oktasRequests_provisionLicenseDeactivateAndReactivate() {
        Licenses.Licensed w = licenses.licensedWorkspace("Okta");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(licenses.runtime(), api, w.admin(), w.ws(), "okta.local"); // the IdP licenses people before they sign in (issue 17)
        Map<String, String> v = new HashMap<>();
        v.put("userName", "test.user-" + w.suffix() + "@okta.local");
        v.put("externalId", "00ujl29u0le5T6Aj10h7" + w.suffix());
        v.put("groupName", "Team (sub_" + w.suffix() + ")");
        v.put("adminId", w.adminMember());
        v.put("otherUserId", "m_0000000000000000000000zzzz");
        v.put("suffix", w.suffix());

        Api.Response r = send(token, "okta/01-find-user", v);
        assertThat(r.json().get("totalResults").asInt()).isZero();
        r = send(token, "okta/02-create-user", v);
        v.put("userId", r.text("id"));
        assertThat(r.json().get("active").asBoolean()).isTrue();
        assertThat(r.json().get("emails").get(0).get("value").asText()).isEqualTo(v.get("userName"));
        JsonNode member = member(w, v.get("userId"));
        assertThat(member.get("status").asText()).as("provisioned: waits for the first sign-in").isEqualTo("INVITED");
        assertThat(member.get("provisioning").get("awaitingSignIn").asBoolean()).isTrue();
        assertThat(member.has("invitation")).as("no invitation link").isFalse();
        api.deliverMail();
        assertThat(api.mailTo(v.get("userName"))).as("no email is sent to a provisioned user").isEmpty();

        assertThat(send(token, "okta/03-find-user-again", v).json().get("Resources").get(0).get("id").asText())
                .isEqualTo(v.get("userId"));
        assertThat(send(token, "okta/04-get-user", v).text("userName")).isEqualTo(v.get("userName"));
        r = send(token, "okta/05-replace-user", v);
        assertThat(r.text("displayName")).isEqualTo("Another User");
        assertThat(member(w, v.get("userId")).get("name").asText()).isEqualTo("Another User");

        r = send(token, "okta/06-find-group", v);
        assertThat(r.json().get("totalResults").asInt()).isEqualTo(1);
        v.put("groupId", r.json().get("Resources").get(0).get("id").asText());
        send(token, "okta/07-push-members", v);
        member = member(w, v.get("userId"));
        assertThat(member.get("licensed").asBoolean()).as("added to the license group: licensed").isTrue();
        assertThat(member.get("licenseSubscription").asText()).isEqualTo("sub_" + w.suffix());
        send(token, "okta/08-rename-group", v);
        r = send(token, "okta/09-replace-group", v);
        assertThat(r.json().get("members")).extracting(m -> m.get("value").asText())
                .containsExactlyInAnyOrder(v.get("userId"), w.adminMember());

        JsonNode before = licenses.summary(w.admin(), w.ws());
        r = send(token, "okta/10-deactivate-user", v);
        assertThat(r.json().get("active").asBoolean()).isFalse();
        assertThat(member(w, v.get("userId")).get("status").asText()).isEqualTo("REMOVED");
        assertThat(licenses.summary(w.admin(), w.ws()).get("inUse").asLong()).as("the seat is freed")
                .isEqualTo(before.get("inUse").asLong() - 1);
        r = send(token, "okta/11-reactivate-user", v);
        assertThat(r.json().get("active").asBoolean()).isTrue();
        assertThat(member(w, v.get("userId")).get("status").asText()).as("never signed in: provisioned again")
                .isEqualTo("INVITED");

        r = send(token, "okta/12-create-group", v);
        assertThat(r.text("displayName")).isEqualTo("Test SCIMv2 " + w.suffix());
        assertThat(r.text("id")).startsWith("g_");
        Scim.assertError(send(token, "okta/13-delete-group", v), 403, null);
        licenses.assertCountersMatchRecount(w.ws());
    }

    /**
     * Okta's "Push groups" of a group of its own: created with a member, members changed, renamed, replaced and
     * deleted. Unmapped it licenses nobody; once an admin maps it to the subscription's license, its members
     * are licensed and taken out ones lose the license, exactly as in the license group; deleting it takes them.
     */
    @Test
    void oktasGroupPush_ofItsOwnGroup_licensesItsMembersOnceAnAdminMapsIt() {
        Licenses.Licensed w = licenses.licensedWorkspace("OktaPush");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(licenses.runtime(), api, w.admin(), w.ws(), "okta.local"); // the IdP licenses people before they sign in (issue 17)
        Map<String, String> v = new HashMap<>();
        v.put("userName", "push.one-" + w.suffix() + "@okta.local");
        v.put("otherName", "push.two-" + w.suffix() + "@okta.local");
        v.put("pushName", "Engineering " + w.suffix());
        v.put("userId", scim.call(token, "POST", "/scim/v2/Users", Scim.user(v.get("userName"), v.get("userName"), null))
                .expect(201).text("id"));
        v.put("otherId", scim.call(token, "POST", "/scim/v2/Users", Scim.user(v.get("otherName"), v.get("otherName"), null))
                .expect(201).text("id"));

        Api.Response r = send(token, "okta/14-push-create-group", v);
        v.put("pushId", r.text("id"));
        assertThat(r.json().get("members")).extracting(m -> m.get("value").asText()).containsExactly(v.get("userId"));
        assertThat(member(w, v.get("userId")).get("licensed").asBoolean()).as("unmapped: no effect").isFalse();

        mapTo(w, v.get("pushId"), "{\"target\":\"license\",\"subscriptionId\":\"sub_" + w.suffix() + "\"}");
        assertThat(member(w, v.get("userId")).get("licenseSubscription").asText()).as("mapped: licensed from it")
                .isEqualTo("sub_" + w.suffix());

        send(token, "okta/15-push-add-members", v);
        assertThat(member(w, v.get("userId")).get("licensed").asBoolean()).as("taken out: unlicensed").isFalse();
        assertThat(member(w, v.get("otherId")).get("licensed").asBoolean()).as("put in: licensed").isTrue();
        send(token, "okta/16-push-rename", v);
        r = send(token, "okta/17-push-replace", v);
        assertThat(r.text("displayName")).isEqualTo(v.get("pushName") + " renamed");
        assertThat(r.json().get("members")).extracting(m -> m.get("value").asText())
                .containsExactlyInAnyOrder(v.get("userId"), v.get("otherId"));
        assertThat(member(w, v.get("userId")).get("licensed").asBoolean()).isTrue();

        send(token, "okta/18-push-delete", v);
        assertThat(member(w, v.get("userId")).get("licensed").asBoolean()).as("the group's licenses go with it").isFalse();
        assertThat(member(w, v.get("otherId")).get("licensed").asBoolean()).isFalse();
        Scim.assertError(scim.call(token, "GET", "/scim/v2/Groups/" + v.get("pushId"), null), 404, null);
        licenses.assertCountersMatchRecount(w.ws());
    }

    /**
     * Entra ID's group provisioning: it looks the group up by displayName, creates it when missing, reads it
     * back, adds members, tests a membership, renames it, removes a member and deletes it.
     */
    @Test
    void entrasGroupProvisioning_looksTheNameUp_createsTheGroup_andChangesItsMembers() {
        Licenses.Licensed w = licenses.licensedWorkspace("EntraGroups");
        String token = scim.newToken(w.admin(), w.ws());
        Map<String, String> v = new HashMap<>();
        v.put("newGroupName", "Sales " + w.suffix());
        v.put("groupExternalId", "8aa1a0c0-c4c3-4bc0-b4a5-" + w.suffix());
        String email = "entra.member-" + w.suffix() + "@contoso.com";
        v.put("userId", scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id"));

        assertThat(send(token, "entra/17-find-new-group", v).json().get("totalResults").asInt()).isZero();
        Api.Response r = send(token, "entra/16-create-group", v);
        v.put("newGroupId", r.text("id"));
        assertThat(r.text("externalId")).isEqualTo(v.get("groupExternalId"));
        assertThat(send(token, "entra/17-find-new-group", v).json().get("Resources").get(0).get("id").asText())
                .as("found by name now, in any case").isEqualTo(v.get("newGroupId"));
        assertThat(send(token, "entra/18-get-created-group", v).json().has("members")).isFalse();
        assertThat(scim.call(token, "GET", "/scim/v2/Groups?filter=externalId%20eq%20%22" + v.get("groupExternalId")
                + "%22", null).expect(200).json().get("totalResults").asInt()).isEqualTo(1);

        send(token, "entra/19-add-new-group-members", v);
        assertThat(send(token, "entra/20-new-group-membership-check", v).json().get("totalResults").asInt()).isEqualTo(1);
        assertThat(member(w, v.get("userId")).get("licensed").asBoolean()).as("unmapped: no effect").isFalse();
        send(token, "entra/21-rename-new-group", v);
        assertThat(scim.call(token, "GET", "/scim/v2/Groups/" + v.get("newGroupId"), null).expect(200).text("displayName"))
                .isEqualTo(v.get("newGroupName") + " renamed");
        send(token, "entra/22-remove-new-group-members", v);
        assertThat(send(token, "entra/20-new-group-membership-check", v).json().get("totalResults").asInt()).isZero();
        send(token, "entra/23-delete-new-group", v);
        assertThat(scim.call(token, "GET", "/scim/v2/Groups?filter=externalId%20eq%20%22" + v.get("groupExternalId")
                + "%22", null).expect(200).json().get("totalResults").asInt()).as("its externalId is free").isZero();
    }

    private void mapTo(Licenses.Licensed w, String groupId, String body) {
        api.call(w.admin(), "PUT", "/workspaces/" + w.ws() + "/scim/groups/" + groupId + "/mapping", body).expect(200);
    }

    @Test
    void entrasRequests_upnAsUserName_stringBooleans_pathLessValues_andGroupMembership() {
        Licenses.Licensed w = licenses.licensedWorkspace("Entra");
        String token = scim.newToken(w.admin(), w.ws());
        Domains.verify(licenses.runtime(), api, w.admin(), w.ws(), "contoso.com"); // the IdP licenses people before they sign in (issue 17)
        Map<String, String> v = new HashMap<>();
        v.put("upn", "Test_User_" + w.suffix() + "@contoso.onmicrosoft.com");
        v.put("email", "test.user-" + w.suffix() + "@contoso.com");
        v.put("newEmail", "updated-" + w.suffix() + "@contoso.com");
        v.put("newUpn", "renamed_" + w.suffix() + "@contoso.onmicrosoft.com");
        v.put("externalId", "0a21f0f2-8d2a-4f8e-bf98-" + w.suffix());
        v.put("groupName", "Team (sub_" + w.suffix() + ")");

        Api.Response r = send(token, "entra/01-create-user", v);
        v.put("userId", r.text("id"));
        assertThat(r.text("userName")).isEqualTo(v.get("upn"));
        assertThat(member(w, v.get("userId")).get("email").asText())
                .as("the membership binds to the work email, not the UPN").isEqualTo(v.get("email"));
        assertThat(send(token, "entra/02-get-user-by-query", v).json().get("totalResults").asInt()).isEqualTo(1);
        assertThat(send(token, "entra/03-get-user-by-query-zero", v).json().get("totalResults").asInt()).isZero();
        assertThat(send(token, "entra/04-get-user-by-external-id", v).json().get("Resources").get(0).get("id").asText())
                .isEqualTo(v.get("userId"));
        send(token, "entra/05-update-multi-valued", v);
        assertThat(member(w, v.get("userId")).get("email").asText()).as("not signed in yet: the email follows")
                .isEqualTo(v.get("newEmail"));
        assertThat(scim.call(token, "GET", "/scim/v2/Users/" + v.get("userId"), null).json().get("name")
                .get("familyName").asText()).isEqualTo("updatedFamilyName");
        r = send(token, "entra/06-update-single-valued", v);
        assertThat(r.text("userName")).isEqualTo(v.get("newUpn"));
        assertThat(scim.call(token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22" + v.get("upn") + "%22", null)
                .json().get("totalResults").asInt()).as("the old userName is free").isZero();
        r = send(token, "entra/07-path-less-add", v);
        assertThat(r.text("displayName")).isEqualTo("Jane Doe");
        assertThat(r.json().get("name").get("givenName").asText()).isEqualTo("Jane");
        assertThat(r.json().has("title")).as("attributes not kept are ignored").isFalse();

        r = send(token, "entra/08-get-group-by-display-name", v);
        assertThat(r.json().get("totalResults").asInt()).isEqualTo(1);
        JsonNode group = r.json().get("Resources").get(0);
        assertThat(group.has("members")).as("excludedAttributes=members").isFalse();
        v.put("groupId", group.get("id").asText());
        send(token, "entra/09-add-members", v);
        assertThat(member(w, v.get("userId")).get("licensed").asBoolean()).isTrue();
        assertThat(send(token, "entra/10-membership-check", v).json().get("totalResults").asInt()).isEqualTo(1);
        send(token, "entra/11-remove-members", v);
        assertThat(member(w, v.get("userId")).get("licensed").asBoolean()).isFalse();
        assertThat(send(token, "entra/10-membership-check", v).json().get("totalResults").asInt()).isZero();
        Scim.assertError(send(token, "entra/12-update-group-display-name", v), 400, "mutability");

        r = send(token, "entra/13-disable-user-string", v);
        assertThat(r.json().get("active").asBoolean()).as("\"False\" as a string").isFalse();
        assertThat(member(w, v.get("userId")).get("status").asText()).isEqualTo("REMOVED");
        r = send(token, "entra/14-enable-user-bool", v);
        assertThat(r.json().get("active").asBoolean()).isTrue();
        send(token, "entra/15-delete-user", v);
        Scim.assertError(scim.call(token, "GET", "/scim/v2/Users/" + v.get("userId"), null), 404, null);
        assertThat(scim.call(token, "GET", "/scim/v2/Users?filter=externalId%20eq%20%22" + v.get("externalId") + "%22",
                null).json().get("totalResults").asInt()).as("deleted: its externalId is free").isZero();
        v.put("newGroupName", "displayName " + w.suffix());
        v.put("groupExternalId", "8aa1a0c0-c4c3-4bc0-b4a5-" + w.suffix());
        assertThat(send(token, "entra/16-create-group", v).text("id")).as("a group of the IdP's").startsWith("g_");
        licenses.assertCountersMatchRecount(w.ws());
    }

    /** Sends one fixture with its placeholders filled in; asserts its documented status. */
    private Api.Response send(String token, String fixture, Map<String, String> values) {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/scim/" + fixture + ".json")) {
            assertThat(in).as("fixture %s", fixture).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = text.replace("{{" + e.getKey() + "}}", e.getValue());
            }
            assertThat(text).as("every placeholder of %s filled", fixture).doesNotContain("{{");
            doc = Scim.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String body = doc.has("body") ? doc.get("body").toString() : null;
        Api.Response r = scim.call(token, doc.get("method").asText(), doc.get("path").asText(), body);
        assertThat(r.status()).as("%s (%s): %s", fixture, doc.get("note").asText(), r.raw())
                .isEqualTo(doc.get("status").asInt());
        assertThat(r.status() == 204 || Scim.SCIM_JSON.equals(r.contentType())).as("content type of %s", fixture).isTrue();
        return r;
    }

    private JsonNode member(Licenses.Licensed w, String memberId) {
        return api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members/" + memberId, null).expect(200).json();
    }
}
