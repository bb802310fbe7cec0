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
    private final Api api;

    BadInputIT(LocalStackRuntime runtime) {
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

    private String state(Api.User admin, String ws) {
        return api.allMembers(admin, ws, true).toString() + api.auditCount(admin, ws);
    }
}
