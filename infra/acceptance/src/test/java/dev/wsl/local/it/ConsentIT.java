package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Consent (issue 17, part B) through the real handlers, the emulator and the real LocalStack client: issue 17's
 * attack 2 (a stranger's identity provider enrols a person and captures their activations) now fails, and
 * a provisioned person joins only by choosing Join.
 */
class ConsentIT extends LicensedWorkspaceFixture {
    private final Scim scim;

    ConsentIT(LocalStackRuntime runtime) {
        super(runtime);
        this.scim = new Scim(runtime, api);
    }

    @Override
    String label() {
        return "Consent";
    }

    /** Mallory's workspace with a SCIM token and an Enterprise subscription that ends long after everyone else's. */
    private record Stranger(Api.User mallory, String ws, String scimToken, String subscription) {}

    private Stranger stranger() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Api.User mallory = api.user("mallory-" + id + "@evil.test");
        String ws = api.createWorkspace(mallory, "IT: re-enter your token at evil.test");
        String token = scim.newToken(mallory, ws);
        String sub = "sub_evil" + id;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", ws);
        detail.put("subscriptionId", sub);
        detail.put("sequence", 1);
        detail.put("plan", "Enterprise");
        detail.put("seats", 5);
        detail.put("periodStart", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        detail.put("periodEnd", Instant.now().plus(3650, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(licenses.billing("Subscription Purchased", detail)).containsEntry("applied", true);
        return new Stranger(mallory, ws, token, sub);
    }

    private String provision(Stranger s, String email) {
        return scim.call(s.scimToken(), "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
    }

    private List<String> workspaceIds(Api.User user) {
        List<String> ids = new ArrayList<>();
        api.call(user, "GET", "/me/workspaces", null).expect(200).json().get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private List<String> audit(Api.User admin, String ws) {
        List<String> out = new ArrayList<>();
        api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=100", null).expect(200).json().get("items")
                .forEach(e -> out.add(e.toString()));
        return out;
    }

    @Test
    void attack2_aStrangersIdentityProvider_cannotEnrolAPerson_norCaptureTheirActivations() {
        // The victim: admin@example.com with a workspace of their own and a Team license there.
        Api.User victim = api.user("admin@example.com");
        String own = api.createWorkspace(victim, "Victim's own " + suffix);
        licenses.purchase(own, "sub_own" + suffix, 5, victim.email());
        Stranger mallory = stranger();
        String pending = provision(mallory, victim.email());

        // Mallory cannot license the person: not from the console, not through the license group.
        Api.Response assign = licenses.assign(mallory.mallory(), mallory.ws(), pending).expect(409);
        assertThat(assign.text("type")).isEqualTo("urn:problem:wsl:awaiting-join");
        assertThat(assign.text("detail")).startsWith("Waiting for the person to join");
        Api.Response group = scim.call(mallory.scimToken(), "PATCH", "/scim/v2/Groups/license_" + mallory.subscription(),
                Scim.patch("{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + pending + "\"}]}"));
        Scim.assertError(group, 409, null);
        assertThat(group.text("detail")).contains("Waiting for the person to join");
        // Nor through a group of her identity provider's that she maps to the license (issue 18): kept in it, reported.
        String idpGroup = scim.call(mallory.scimToken(), "POST", "/scim/v2/Groups", "{\"displayName\":\"Staff\","
                + "\"members\":[{\"value\":\"" + pending + "\"}]}").expect(201).text("id");
        JsonNode mapped = api.call(mallory.mallory(), "PUT", "/workspaces/" + mallory.ws() + "/scim/groups/" + idpGroup
                + "/mapping", "{\"target\":\"license\",\"subscriptionId\":\"" + mallory.subscription() + "\"}")
                .expect(200).json();
        assertThat(mapped.get("added").asInt()).isZero();
        assertThat(mapped.get("notApplied").get(pending).asText()).startsWith("Waiting for the person to join");
        List<String> before = audit(mallory.mallory(), mallory.ws());

        // The victim signs in, as the console does: nothing joins.
        assertThat(api.call(victim, "POST", "/me/provisioned/claim", null).expect(200).json().get("items")).isEmpty();
        assertThat(workspaceIds(victim)).contains(own).doesNotContain(mallory.ws());
        assertThat(api.call(victim, "GET", "/workspaces/" + mallory.ws(), null).expect(404).text("type"))
                .isEqualTo("urn:problem:wsl:workspace-not-found");
        assertThat(audit(mallory.mallory(), mallory.ws())).as("the sign-in wrote nothing to Mallory's audit log")
                .isEqualTo(before).noneMatch(e -> e.contains(victim.sub()));
        JsonNode member = api.call(mallory.mallory(), "GET", "/workspaces/" + mallory.ws() + "/members/" + pending, null)
                .expect(200).json();
        assertThat(member.get("status").asText()).isEqualTo("INVITED");
        assertThat(member.get("licensed").asBoolean()).isFalse();

        // They are asked instead: the workspace's name and who set up its identity provider.
        JsonNode prompt = api.call(victim, "GET", "/me/pending-memberships", null).expect(200).json().get("items");
        assertThat(prompt).hasSize(1);
        assertThat(prompt.get(0).get("workspaceName").asText()).isEqualTo("IT: re-enter your token at evil.test");
        assertThat(prompt.get(0).get("provisionedBy").get("setUpBy").asText()).isEqualTo(mallory.mallory().email());

        // Their activations stay in their own workspace (the real client), whatever Mallory's subscription.
        String token = Activations.authToken(api, victim);
        LocalStackClient.Result activated = client.activateWithAuthToken(token, false);
        assertThat(activated.ok()).as("%s", activated.json()).isTrue();
        assertThat(activated.text("license_type")).isEqualTo("Team");

        // Decline: the pending membership is gone.
        api.call(victim, "POST", "/me/pending-memberships/" + mallory.ws() + "/decline", null).expect(204);
        assertThat(api.call(victim, "GET", "/me/pending-memberships", null).expect(200).json().get("items")).isEmpty();
        assertThat(api.call(mallory.mallory(), "GET", "/workspaces/" + mallory.ws() + "/members/" + pending, null)
                .expect(200).text("status")).isEqualTo("REMOVED");
        api.call(victim, "POST", "/me/pending-memberships/" + mallory.ws() + "/join", null).expect(404);
        assertThat(workspaceIds(victim)).doesNotContain(mallory.ws());
        assertThat(client.activateWithAuthToken(token, false).text("license_type")).isEqualTo("Team");
        // Mallory's identity provider still knows the user, inactive, counted as listed (the SCIM counter moved
        // with the Decline's transaction); and cannot bring them back: the person's own decision sticks.
        JsonNode users = scim.call(mallory.scimToken(), "GET", "/scim/v2/Users?count=100", null).expect(200).json();
        assertThat(users.get("totalResults").asInt()).isEqualTo(users.get("Resources").size()).isEqualTo(2);
        assertThat(users.get("Resources")).anySatisfy(u -> {
            assertThat(u.get("id").asText()).isEqualTo(pending);
            assertThat(u.get("active").asBoolean()).isFalse();
        });
        Scim.assertError(scim.call(mallory.scimToken(), "PATCH", "/scim/v2/Users/" + pending,
                Scim.patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":true}")), 403, null);
    }

    @Test
    void join_makesAMember_butAStrangersLaterSubscriptionStillDoesNotMoveTheToken() {
        Stranger mallory = stranger();
        String pending = provision(mallory, admin.email());
        String token = Activations.authToken(api, admin);

        JsonNode joined = api.call(admin, "POST", "/me/pending-memberships/" + mallory.ws() + "/join", null)
                .expect(200).json();
        assertThat(joined.get("id").asText()).isEqualTo(mallory.ws());
        assertThat(joined.get("memberId").asText()).isEqualTo(pending);
        assertThat(workspaceIds(admin)).contains(ws, mallory.ws());
        assertThat(audit(mallory.mallory(), mallory.ws())).anyMatch(e -> e.contains("member.joined"));
        // Licensed there now, from a subscription that ends nine years after the admin's own.
        licenses.assign(mallory.mallory(), mallory.ws(), pending).expect(200);

        LocalStackClient.Result activated = client.activateWithAuthToken(token, false);
        assertThat(activated.ok()).as("%s", activated.json()).isTrue();
        assertThat(activated.text("license_type")).as("the workspace the admin joined first").isEqualTo("Team");
        JsonNode choice = api.call(admin, "GET", "/me/auth-token/workspaces", null).expect(200).json();
        assertThat(choice.get("chosen").asText()).isEqualTo(ws);
        assertThat(choice.get("items").toString()).contains(mallory.ws());
    }

    @Test
    void nobodyAnswersAnotherPersonsPrompt() {
        Stranger mallory = stranger();
        Api.User person = api.user("person-" + suffix + "@example.com");
        String pending = provision(mallory, person.email());

        for (Api.User other : List.of(admin, mallory.mallory(), api.user("other-" + suffix + "@example.com"))) {
            assertThat(api.call(other, "POST", "/me/pending-memberships/" + mallory.ws() + "/join", null).expect(404)
                    .text("type")).isEqualTo("urn:problem:wsl:pending-membership-not-found");
            api.call(other, "POST", "/me/pending-memberships/" + mallory.ws() + "/decline", null).expect(404);
            assertThat(api.call(other, "GET", "/me/pending-memberships", null).expect(200).raw())
                    .doesNotContain(mallory.ws());
        }
        assertThat(api.call(mallory.mallory(), "GET", "/workspaces/" + mallory.ws() + "/members/" + pending, null)
                .expect(200).text("status")).isEqualTo("INVITED");
        assertThat(api.call(person, "GET", "/me/pending-memberships", null).expect(200).raw()).contains(mallory.ws());
    }
}
