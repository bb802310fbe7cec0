package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route × every kind of caller → the expected status, through the local JWT
 * authorizer and the real handlers. Also proves that nothing is read from or written
 * to another workspace: its members, audit trail and workspace record are unchanged.
 */
@ExtendWith(LocalRuntimeExtension.class)
class AuthorizationMatrixIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;

    AuthorizationMatrixIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    /** A kind of caller and the JWT they present (null: none). */
    private record Caller(String label, String jwt) {}

    /** One route: how to build a request for a fresh target, and the expected status per caller label. */
    private record Route(String name, Function<Fixture, String[]> request, Map<String, Integer> expected) {}

    /** What a route needs: the workspace under test and fresh targets in it. */
    private final class Fixture {
        final String ws;
        final Api.User admin;
        final String suffix;

        Fixture(String ws, Api.User admin, String suffix) {
            this.ws = ws;
            this.admin = admin;
            this.suffix = suffix;
        }

        String invitedMember() {
            return api.invite(admin, ws, "Target", "t-" + UUID.randomUUID() + "@example.com").expect(202).text("id");
        }

        String activeMember() {
            return api.addActiveMember(admin, ws, api.user("a-" + UUID.randomUUID() + "@example.com"));
        }

        String licensedMember() {
            String id = invitedMember();
            licenses.assign(admin, ws, id).expect(200);
            return id;
        }

        String freshKey() {
            return licenses.importKey(admin, ws, Licenses.randomKey(), null).expect(201).json().get("items").get(0)
                    .get("id").asText();
        }
    }

    private static Map<String, Integer> expect(int admin, int member, int permitted, int nonMember, int otherAdmin) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("admin", admin);
        m.put("member", member);
        m.put("member+permission", permitted);
        m.put("non-member", nonMember);
        m.put("admin of another workspace", otherAdmin);
        m.put("no JWT", 401);
        m.put("expired JWT", 401);
        m.put("forged JWT", 401);
        return m;
    }

    @Test
    void everyRoute_shouldAnswerEachCallerAsExpected_andNeverTouchAnotherWorkspace() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("matrix-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Matrix");
        Api.User member = api.user("matrix-member-" + suffix + "@example.com");
        api.addActiveMember(admin, ws, member);
        // "member with one advanced permission": the permission each route needs, where it needs one.
        Map<String, Api.User> permitted = new LinkedHashMap<>();
        licenses.purchase(ws, "sub_" + suffix, 10_000, null);
        for (String permission : List.of("members:invite", "members:remove", "members:permissions", "audit:read",
                "licenses:assign", "legacy-keys:manage")) {
            Api.User holder = api.user("matrix-" + permission.replace(':', '-') + "-" + suffix + "@example.com");
            String id = api.addActiveMember(admin, ws, holder);
            api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + id + "/access",
                    "{\"role\":\"MEMBER\",\"permissions\":[\"" + permission + "\"]}").expect(200);
            permitted.put(permission, holder);
        }
        Api.User outsider = api.user("matrix-outsider-" + suffix + "@example.com");
        Api.User otherAdmin = api.user("matrix-other-" + suffix + "@example.com");
        String otherWs = api.createWorkspace(otherAdmin, "Other");
        String otherMember = api.invite(otherAdmin, otherWs, "Other member", "om-" + suffix + "@example.com")
                .expect(202).text("id");
        // Settle the other workspace's invitation email first: its delivery state is part of the snapshot.
        api.deliverMail();
        String otherBefore = snapshot(otherAdmin, otherWs);

        String expired = runtime.issuer().mintRaw(Map.of("iss", runtime.issuer().issuer(),
                "aud", runtime.issuer().audience(), "sub", admin.sub(), "email", admin.email(),
                "email_verified", true, "iat", Instant.now().minusSeconds(7200).getEpochSecond(),
                "exp", Instant.now().minusSeconds(3600).getEpochSecond()));
        String forged = forge(admin.jwt());

        Fixture f = new Fixture(ws, admin, suffix);
        List<Route> routes = List.of(
                new Route("GET /workspaces/{id}", x -> req("GET", "/workspaces/" + x.ws, null),
                        expect(200, 200, 200, 404, 404)),
                new Route("POST /workspaces/{id}/members", x -> req("POST", "/workspaces/" + x.ws + "/members",
                        "{\"name\":\"N\",\"email\":\"n-" + UUID.randomUUID() + "@example.com\"}"),
                        expect(202, 403, 202, 404, 404)),
                new Route("GET /workspaces/{id}/members", x -> req("GET", "/workspaces/" + x.ws + "/members", null),
                        expect(200, 200, 200, 404, 404)),
                new Route("GET /workspaces/{id}/members/{m}", x -> req("GET",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember(), null),
                        expect(200, 200, 200, 404, 404)),
                new Route("DELETE /workspaces/{id}/members/{m}", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember(), null),
                        expect(200, 403, 200, 404, 404)),
                new Route("POST /workspaces/{id}/members/{m}/invitation", x -> req("POST",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember() + "/invitation", null),
                        expect(202, 403, 202, 404, 404)),
                new Route("PUT /workspaces/{id}/members/{m}/access", x -> req("PUT",
                        "/workspaces/" + x.ws + "/members/" + x.activeMember() + "/access",
                        "{\"role\":\"MEMBER\",\"permissions\":[]}"),
                        expect(200, 403, 200, 404, 404)),
                new Route("GET /workspaces/{id}/audit", x -> req("GET", "/workspaces/" + x.ws + "/audit", null),
                        expect(200, 403, 200, 404, 404)),
                new Route("GET /workspaces/{id}/licenses", x -> req("GET", "/workspaces/" + x.ws + "/licenses", null),
                        expect(200, 200, 200, 404, 404)),
                new Route("POST /workspaces/{id}/members/{m}/license", x -> req("POST",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember() + "/license", null),
                        expect(200, 403, 200, 404, 404)),
                new Route("DELETE /workspaces/{id}/members/{m}/license", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/members/" + x.licensedMember() + "/license", null),
                        expect(200, 403, 200, 404, 404)),
                new Route("GET /workspaces/{id}/legacy-keys", x -> req("GET", "/workspaces/" + x.ws + "/legacy-keys", null),
                        expect(200, 403, 200, 404, 404)),
                new Route("POST /workspaces/{id}/legacy-keys", x -> req("POST", "/workspaces/" + x.ws + "/legacy-keys",
                        "{\"keys\":[{\"key\":\"" + Licenses.randomKey() + "\"}]}"),
                        expect(201, 403, 201, 404, 404)),
                new Route("PUT /workspaces/{id}/legacy-keys/{k}/assignee", x -> req("PUT",
                        "/workspaces/" + x.ws + "/legacy-keys/" + x.freshKey() + "/assignee",
                        "{\"memberId\":\"" + x.invitedMember() + "\"}"),
                        expect(200, 403, 200, 404, 404)),
                new Route("DELETE /workspaces/{id}/legacy-keys/{k}", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/legacy-keys/" + x.freshKey(), null),
                        expect(204, 403, 204, 404, 404)),
                new Route("POST /workspaces", x -> req("POST", "/workspaces", "{\"name\":\"New\"}"),
                        expect(201, 201, 201, 201, 201)),
                new Route("POST /invitations/accept", x -> req("POST", "/invitations/accept",
                        "{\"token\":\"" + "A".repeat(43) + "\"}"),
                        expect(404, 404, 404, 404, 404)));
        Map<String, String> permissionOf = Map.ofEntries(
                Map.entry("POST /workspaces/{id}/members", "members:invite"),
                Map.entry("POST /workspaces/{id}/members/{m}/invitation", "members:invite"),
                Map.entry("DELETE /workspaces/{id}/members/{m}", "members:remove"),
                Map.entry("PUT /workspaces/{id}/members/{m}/access", "members:permissions"),
                Map.entry("GET /workspaces/{id}/audit", "audit:read"),
                Map.entry("POST /workspaces/{id}/members/{m}/license", "licenses:assign"),
                Map.entry("DELETE /workspaces/{id}/members/{m}/license", "licenses:assign"),
                Map.entry("GET /workspaces/{id}/legacy-keys", "legacy-keys:manage"),
                Map.entry("POST /workspaces/{id}/legacy-keys", "legacy-keys:manage"),
                Map.entry("PUT /workspaces/{id}/legacy-keys/{k}/assignee", "legacy-keys:manage"),
                Map.entry("DELETE /workspaces/{id}/legacy-keys/{k}", "legacy-keys:manage"));

        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        for (Route route : routes) {
            Api.User holder = permitted.get(permissionOf.getOrDefault(route.name(), "members:invite"));
            List<Caller> callers = List.of(new Caller("admin", admin.jwt()), new Caller("member", member.jwt()),
                    new Caller("member+permission", holder.jwt()), new Caller("non-member", outsider.jwt()),
                    new Caller("admin of another workspace", otherAdmin.jwt()), new Caller("no JWT", null),
                    new Caller("expired JWT", expired), new Caller("forged JWT", forged));
            for (Caller caller : callers) {
                String[] r = route.request().apply(f);
                Api.Response response = api.call(caller.jwt(), r[0], r[1], r[2]);
                cells++;
                int want = route.expected().get(caller.label());
                if (response.status() != want) {
                    mismatches.add(route.name() + " as " + caller.label() + ": " + response.status() + " (want " + want
                            + ") " + response.raw());
                }
                if (want == 401) {
                    assertThat(response.raw()).isEqualTo("{\"message\":\"Unauthorized\"}");
                } else if (want >= 400) {
                    assertThat(response.contentType()).isEqualTo("application/problem+json");
                }
            }
        }
        assertThat(mismatches).as("cells that differ from the matrix").isEmpty();
        assertThat(cells).isEqualTo(routes.size() * 8);
        assertThat(routes).hasSize(runtime.template().routes().size());

        // The other workspace's ids under this workspace's path lead nowhere, and nothing there changed.
        api.call(admin, "GET", "/workspaces/" + ws + "/members/" + otherMember, null).expect(404);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + otherMember, null).expect(404);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + otherMember + "/access", "{\"role\":\"ADMIN\"}")
                .expect(404);
        api.call(admin, "POST", "/workspaces/" + ws + "/members/" + otherMember + "/invitation", null).expect(404);
        assertThat(snapshot(otherAdmin, otherWs)).isEqualTo(otherBefore);
    }

    private String[] req(String method, String path, String body) {
        return new String[] {method, path, body};
    }

    /** Everything an admin can read of a workspace. */
    private String snapshot(Api.User admin, String ws) {
        StringBuilder out = new StringBuilder(api.call(admin, "GET", "/workspaces/" + ws, null).expect(200).raw());
        for (JsonNode m : api.allMembers(admin, ws, true)) {
            out.append('\n').append(m.toString());
        }
        out.append("\naudit=").append(api.auditCount(admin, ws));
        return out.toString();
    }

    /** Same header and claims, signature of a key that is not the issuer's. */
    private static String forge(String jwt) {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            var signer = java.security.Signature.getInstance("SHA256withRSA");
            signer.initSign(generator.generateKeyPair().getPrivate());
            String signingInput = jwt.substring(0, jwt.lastIndexOf('.'));
            signer.update(signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return signingInput + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
