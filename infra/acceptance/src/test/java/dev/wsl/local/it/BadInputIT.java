package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input gets a 4xx problem naming what is wrong, and changes nothing. Never a 5xx. */
@ExtendWith(LocalRuntimeExtension.class)
class BadInputIT {
    private final LocalStackRuntime runtime;
    private final Api api;

    BadInputIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
    }

    private record Case(String method, String pathSuffix, String body, int status, String type) {}

    @Test
    void badRequests_shouldBeRefusedWithProblemJson_andWriteNothing() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("bad-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Bad input");
        String memberId = api.invite(admin, ws, "Jane", "bad-jane-" + suffix + "@example.com").expect(202).text("id");
        Api.User otherAdmin = api.user("bad-other-" + suffix + "@example.com");
        String otherWs = api.createWorkspace(otherAdmin, "Other");
        String otherMember = api.invite(otherAdmin, otherWs, "O", "bad-o-" + suffix + "@example.com").expect(202).text("id");
        String members = "/members";
        String member = "/members/" + memberId;

        List<Case> cases = List.of(
                new Case("POST", members, "{\"name\":\"A\",\"email\":", 400, "malformed-json"),
                new Case("POST", members, "[]", 400, "invalid-body"),
                new Case("POST", members, null, 400, "missing-body"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"a@example.com\",\"admin\":true}", 400, "unknown-field"),
                new Case("POST", members, "{\"email\":\"a@example.com\"}", 400, "missing-field"),
                new Case("POST", members, "{\"name\":7,\"email\":\"a@example.com\"}", 400, "invalid-field"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":[\"a@example.com\"]}", 400, "invalid-field"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"not-an-email\"}", 400, "invalid-email"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"a@example.com\\r\\nBcc: x@evil.com\"}", 400, "invalid-email"),
                new Case("POST", members, "{\"name\":\"A\\u0000B\",\"email\":\"a@example.com\"}", 400, "invalid-name"),
                new Case("POST", members, "{\"name\":\"" + "x".repeat(101) + "\",\"email\":\"a@example.com\"}", 400, "invalid-name"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"a@example.com\",\"role\":\"OWNER\"}", 400, "unknown-role"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"a@example.com\",\"permissions\":[\"root\"]}", 400, "unknown-permission"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"a@example.com\",\"role\":\"ADMIN\",\"permissions\":[\"audit:read\"]}", 400, "invalid-access"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"a@example.com\",\"expiresInDays\":31}", 400, "invalid-field"),
                new Case("POST", members, "{\"name\":\"A\",\"email\":\"a@example.com\",\"expiresInDays\":\"7\"}", 400, "invalid-field"),
                new Case("POST", members, "{\"name\":\"" + "x".repeat(17_000) + "\",\"email\":\"a@example.com\"}", 413, "body-too-large"),
                new Case("PUT", member + "/access", "{\"permissions\":[]}", 400, "missing-field"),
                new Case("PUT", member + "/access", "{\"role\":\"MEMBER\",\"permissions\":\"audit:read\"}", 400, "invalid-field"),
                new Case("POST", member + "/invitation", "{\"expiresInDays\":0}", 400, "invalid-field"),
                new Case("GET", members + "?limit=0", null, 400, "invalid-limit"),
                new Case("GET", members + "?limit=abc", null, 400, "invalid-limit"),
                new Case("GET", members + "?includeRemoved=yes", null, 400, "invalid-query"),
                new Case("GET", members + "?cursor=!!!", null, 400, "invalid-cursor"),
                new Case("GET", "/members/" + otherMember, null, 404, "member-not-found"),
                new Case("DELETE", "/members/" + otherMember, null, 404, "member-not-found"),
                new Case("PUT", "/members/" + otherMember + "/access", "{\"role\":\"ADMIN\"}", 404, "member-not-found"),
                new Case("GET", "/members/m_not-an-id", null, 404, "member-not-found"));

        String before = state(admin, ws) + state(otherAdmin, otherWs);
        for (Case c : cases) {
            Api.Response response = api.call(admin, c.method(), "/workspaces/" + ws + c.pathSuffix(), c.body());
            assertThat(response.status()).as("%s %s %s → %s", c.method(), c.pathSuffix(), c.body(), response.raw())
                    .isEqualTo(c.status());
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.text("type")).isEqualTo("urn:problem:wsl:" + c.type());
            assertThat(response.text("detail")).isNotBlank();
        }
        assertThat(api.call(admin, "POST", "/invitations/accept", "{\"token\":\"short\"}").status()).isEqualTo(404);
        assertThat(api.call(admin, "POST", "/workspaces", "{\"name\":\"\\u202Eevil\"}").status()).isEqualTo(400);
        assertThat(api.call(admin, "GET", "/workspaces/ws_0000000000000000000000000", null).status()).isEqualTo(404);
        assertThat(api.call(admin, "GET", "/workspaces/" + otherWs + "/members", null).status()).isEqualTo(404);
        assertThat(state(admin, ws) + state(otherAdmin, otherWs)).isEqualTo(before);
    }

    /**
     * Every door a client's text comes in by holds it to the one rule (bounded, no control or formatting
     * characters) and every door an email comes in by checks it as ASCII before folding its case
     * (PRODUCT.md section 11): workspace, invitee and CI key names; SCIM's userName, externalId, name parts
     * and displayName (a SCIM invalidValue); an invitation's, the sign-in claims' and billing's purchaser
     * email. Each refused with a clear 4xx, nothing written.
     */
    @Test
    void everyTextAndEmailDoor_shouldRefuseControlCharactersUnboundedTextAndNonAsciiEmails_andWriteNothing() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("txt-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Text doors");
        Licenses licenses = new Licenses(runtime, api);
        Scim scim = new Scim(runtime, api);
        String token = scim.newToken(admin, ws);
        String kelvin = "txt-admin\u212A-" + suffix + "@example.com"; // U+212A KELVIN SIGN, lower-cases to k
        String members = "/workspaces/" + ws + "/members";

        List<Case> cases = List.of(
                new Case("POST", members, "{\"name\":\"Jane\",\"email\":\"" + kelvin + "\"}", 400, "invalid-email"),
                new Case("POST", members, "{\"name\":\"Jane\",\"email\":\"j\\u0430ne@example.com\"}", 400, "invalid-email"),
                new Case("POST", members, "{\"name\":\"Jane\\u202Eeod\",\"email\":\"a@example.com\"}", 400, "invalid-name"),
                new Case("POST", members, "{\"name\":\"Jane\\u200B\",\"email\":\"a@example.com\"}", 400, "invalid-name"),
                new Case("POST", members, "{\"name\":\"Jane\\u2028Doe\",\"email\":\"a@example.com\"}", 400, "invalid-name"),
                new Case("POST", members, "{\"name\":\"" + "😀".repeat(101) + "\",\"email\":\"a@example.com\"}", 400,
                        "invalid-name"),
                new Case("POST", "/workspaces", "{\"name\":\"IT\\u00ADsupport\"}", 400, "invalid-name"),
                new Case("POST", "/workspaces", "{\"name\":\"" + "x".repeat(101) + "\"}", 400, "invalid-name"),
                new Case("POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"CI\\u202Ekey\"}", 400, "invalid-name"),
                new Case("POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"CI\\nkey\"}", 400, "invalid-name"),
                new Case("POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"" + "x".repeat(101) + "\"}", 400,
                        "invalid-name"));
        String before = state(admin, ws);
        String ciKeysBefore = api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).raw();
        String workspacesBefore = api.call(admin, "GET", "/me/workspaces", null).raw();
        for (Case c : cases) {
            Api.Response response = api.call(admin, c.method(), c.pathSuffix(), c.body());
            assertThat(response.status()).as("%s %s %s → %s", c.method(), c.pathSuffix(), c.body(), response.raw())
                    .isEqualTo(c.status());
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.text("type")).isEqualTo("urn:problem:wsl:" + c.type());
            assertThat(response.text("detail")).isNotBlank();
        }
        assertThat(state(admin, ws)).isEqualTo(before);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).raw()).isEqualTo(ciKeysBefore);
        assertThat(api.call(admin, "GET", "/me/workspaces", null).raw()).isEqualTo(workspacesBefore);

        // SCIM: the user's texts and email, on create and on PATCH: invalidValue, nothing provisioned.
        String user = "txt-lin-" + suffix + "@example.com";
        for (String body : List.of(
                Scim.user(user, user, null).replace("\"Ada\"", "\"Ada\\u0000\""),
                Scim.user(user, user, null).replace("\"Lovelace\"", "\"Lovelace\\u202E\""),
                Scim.user(user, user, null).replace("\"Ada\"", "\"" + "A".repeat(101) + "\""),
                Scim.user(user, user, null).replace("\"familyName\"", "\"formatted\":\"Ada\\nBcc: x\",\"familyName\""),
                Scim.user(user, user, null).replace("\"active\"", "\"displayName\":\"IT\\u200Bsupport\",\"active\""),
                Scim.user(user, user, "ext\\u2028" + suffix),
                Scim.user(user.replace("@", "\\u202E@"), user, null),
                Scim.user(user, user.replace("lin-", "lin\\u212A-"), null))) {
            Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", body), 400, "invalidValue");
        }
        assertThat(scim.call(token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22" + user + "%22", null)
                .json().get("totalResults").asInt()).isZero();
        String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(user, user, null)).expect(201).text("id");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"path\":\"name.givenName\",\"value\":\"Ada\\u0007\"}")), 400, "invalidValue");
        Scim.assertError(scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"replace\",\"value\":{\"displayName\":\"" + "x".repeat(101) + "\"}}")), 400, "invalidValue");
        assertThat(scim.call(token, "GET", "/scim/v2/Users/" + id, null).json().get("name").get("givenName").asText())
                .isEqualTo("Ada");
        // A userName filter in the Kelvin form finds nobody, where folding first would find the member.
        assertThat(scim.call(token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22"
                + user.replace("lin-", "lin%E2%84%AA-") + "%22", null).json().get("totalResults").asInt()).isZero();

        // The sign-in claims: a token whose verified email holds the Kelvin sign is no one's.
        String folded = "txt-admink-" + suffix + "@example.com";
        api.createWorkspace(api.user(folded), "K's own");
        Api.Response claims = api.call(runtime.token("sub-kelvin-" + suffix, folded.replace("admink", "admin\u212A"),
                "K", java.time.Duration.ofMinutes(5)), "GET", "/me/workspaces", null);
        assertThat(claims.status()).as(claims.raw()).isEqualTo(400);
        assertThat(claims.text("type")).isEqualTo("urn:problem:wsl:invalid-email");

        // Billing's purchaser, through the billing bus: the event is refused and nothing is written.
        Api.User purchaser = api.user("txt-buyer-" + suffix + "@example.com");
        api.addActiveMember(admin, ws, purchaser);
        var event = dev.wsl.local.LocalMainAccess.purchase(ws, "Team", 3, purchaser.email().replace("buyer", "buyer\u212A"));
        var deliveries = runtime.eventBus().put("BillingEventBus", event);
        assertThat(deliveries).singleElement().satisfies(d -> assertThat(d.result()).containsEntry("accepted", false));
        assertThat(licenses.summary(admin, ws).get("seats").asInt()).isZero();

        assertThat(api.allMembers(admin, ws, true)).extracting(m -> m.get("email").asText())
                .as("the admin, the one valid SCIM user and the purchaser; nobody with a folded address")
                .containsExactlyInAnyOrder(admin.email(), user, purchaser.email());
    }

    private String state(Api.User admin, String ws) {
        return api.allMembers(admin, ws, true).toString() + api.auditCount(admin, ws);
    }
}
