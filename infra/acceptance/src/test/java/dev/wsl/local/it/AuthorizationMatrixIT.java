package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.SamTemplate;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route × every kind of caller → the expected status, through the local JWT
 * authorizer and the real handlers. Also proves that nothing is read from or written
 * to another workspace: its members, audit trail and workspace record are unchanged.
 *
 * <p>Three kinds of route: those under {@code /workspaces/{workspaceId}}, authorized against the
 * caller's membership there; the caller's own ones ({@code POST /workspaces},
 * {@code POST /invitations/accept}, {@code /me/auth-token}), which name no workspace; and the
 * activation routes ({@code /v1/license/…}), which have no JWT authorizer at all
 * ({@code Auth: Authorizer: NONE}): there the credential in the body decides, and the matrix shows
 * that the JWT, whatever it is, changes nothing. Routes behind the token authorizer
 * ({@code GET /v1/license/info}) have callers of their own: the LocalStack client's credential
 * headers of every kind and state, a JWT, nothing. The console's pages and assets have no authorizer
 * either: anyone gets them, JWT or not.
 */
@ExtendWith(LocalRuntimeExtension.class)
class AuthorizationMatrixIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GATEWAY_UNAUTHORIZED = "{\"message\":\"Unauthorized\"}";
    private static final String GATEWAY_FORBIDDEN = "{\"message\":\"Forbidden\"}";

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    AuthorizationMatrixIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    /** A kind of caller and the JWT they present (null: none), or the headers they send instead. */
    private record Caller(String label, String jwt, Map<String, String> headers) {
        Caller(String label, String jwt) {
            this(label, jwt, null);
        }
    }

    /**
     * How a route refuses: with problem documents (and API Gateway's 401), in the licensing protocol,
     * or with API Gateway's 403 of the token authorizer; or it is a console page or asset, which anyone gets.
     */
    private enum Errors { PROBLEM, LICENSING, TOKEN_AUTHORIZER, PUBLIC, SCIM }

    /** What a successful cell answered, for the route's own checks. */
    private record Cell(String caller, Api.Response response) {}

    /**
     * One route, named by its template route key: how to build a request for a fresh target, the
     * expected status per caller label, the problem type of its 404 cells (for a licensing-protocol
     * row: the refusal's message, {@code licensing.credentials.invalid} when null; else null: not
     * checked), a check of each successful answer (null: none), and its own callers (null: the JWT
     * callers), made when the row runs.
     */
    private record Route(String key, Function<Fixture, String[]> request, Map<String, Integer> expected,
                         Errors errors, String notFoundType, Function<Cell, String> check,
                         Function<Fixture, List<Caller>> callers) {
        Route(String key, Function<Fixture, String[]> request, Map<String, Integer> expected, String notFoundType) {
            this(key, request, expected, Errors.PROBLEM, notFoundType, null, null);
        }

        Route(String key, Function<Fixture, String[]> request, Map<String, Integer> expected, Errors errors,
              String notFoundType, Function<Cell, String> check) {
            this(key, request, expected, errors, notFoundType, check, null);
        }

        Route withCheck(Function<Cell, String> check) {
            return new Route(key, request, expected, errors, notFoundType, check, callers);
        }
    }

    /** What a route needs: the workspace under test and fresh targets in it. */
    private final class Fixture {
        final String ws;
        final Api.User admin;
        final String suffix;
        /** The workspace's current SCIM token (the token rows regenerate it), and the SCIM callers. */
        String scimToken;
        List<Caller> scimCallers;

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

        /** A member the admin removed: the identity provider cannot bring them back until allowed. */
        String removedMember() {
            String id = invitedMember();
            api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + id, null).expect(200);
            return id;
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

        /** A user the workspace's identity provider just provisioned: its SCIM id (a member id). */
        String scimUser() {
            String email = "scim-" + UUID.randomUUID() + "@example.com";
            return scim.call(scimToken, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
        }

        String licenseGroup() {
            return "license_sub_" + suffix;
        }

        /** A group the workspace's identity provider just created, with one fresh user in it (unmapped). */
        String idpGroup() {
            return scim.call(scimToken, "POST", "/scim/v2/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:"
                    + "Group\"],\"displayName\":\"Matrix " + UUID.randomUUID() + "\",\"members\":[{\"value\":\"" + scimUser()
                    + "\"}]}").expect(201).text("id");
        }

        /** The members of the license group now, plus a fresh user: a PUT that changes nothing but adds one. */
        String licenseGroupWithOneMore() {
            JsonNode group = scim.call(scimToken, "GET", "/scim/v2/Groups/" + licenseGroup(), null).expect(200).json();
            StringBuilder members = new StringBuilder();
            group.get("members").forEach(m -> members.append("{\"value\":\"").append(m.get("value").asText()).append("\"},"));
            members.append("{\"value\":\"").append(scimUser()).append("\"}");
            return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Team (sub_"
                    + suffix + ")\",\"members\":[" + members + "]}";
        }

        /**
         * A change the guard holds now: a subscription of its own whose license group gets 6 fresh users, then
         * an identity provider's request that would take all 6 licenses at once.
         */
        String heldChange() {
            String sub = "sub_held" + UUID.randomUUID().toString().substring(0, 8);
            licenses.purchase(ws, sub, 6, null);
            StringBuilder add = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                add.append(i == 0 ? "" : ",").append("{\"value\":\"").append(scimUser()).append("\"}");
            }
            scim.call(scimToken, "PATCH", "/scim/v2/Groups/license_" + sub,
                    Scim.patch("{\"op\":\"add\",\"path\":\"members\",\"value\":[" + add + "]}")).expect(204);
            Api.Response held = scim.call(scimToken, "PATCH", "/scim/v2/Groups/license_" + sub,
                    Scim.patch("{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}"));
            Scim.assertError(held, 409, null);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(chg_[0-9a-z]{26})").matcher(held.text("detail"));
            assertThat(m.find()).as("the held change's id in %s", held.raw()).isTrue();
            return m.group(1);
        }

        /** A domain name no workspace has added. */
        String freshDomainName() {
            return "m-" + UUID.randomUUID().toString().substring(0, 12) + ".example.test";
        }

        /** A domain the workspace's admin just added. */
        String freshDomain() {
            String name = freshDomainName();
            api.call(admin, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"" + name + "\"}").expect(201);
            return name;
        }

        /** A stranger's workspace whose identity provider just provisioned this person's email: its id. */
        String provisionedFor(Api.User person) {
            Api.User stranger = api.user("matrix-stranger-" + UUID.randomUUID() + "@example.com");
            String strangers = api.createWorkspace(stranger, "Stranger");
            scim.call(scim.newToken(stranger, strangers), "POST", "/scim/v2/Users",
                    Scim.user(person.email(), person.email(), null)).expect(201);
            return strangers;
        }

        String freshCiKey() {
            return api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Matrix target\"}")
                    .expect(201).text("id");
        }

        /** A CI key the admin rotated with a 24-hour overlap: its old secret still works. */
        String rotatedCiKey() {
            String id = freshCiKey();
            api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys/" + id + "/rotate", "{\"overlapHours\":24}")
                    .expect(201);
            return id;
        }

        /**
         * The token authorizer's callers, made now: every credential kind that activates a license,
         * the same kinds in states that activate none, and headers that are no credential.
         */
        List<Caller> platformCallers() {
            Api.User licensed = api.user("pl-" + UUID.randomUUID() + "@example.com");
            licenses.assign(admin, ws, api.addActiveMember(admin, ws, licensed)).expect(200);
            Api.User unlicensed = api.user("pu-" + UUID.randomUUID() + "@example.com");
            api.addActiveMember(admin, ws, unlicensed);
            JsonNode ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Platform\"}")
                    .expect(201).json();
            JsonNode revoked = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Old\"}")
                    .expect(201).json();
            api.call(admin, "DELETE", "/workspaces/" + ws + "/ci-keys/" + revoked.get("id").asText(), null).expect(200);
            String legacy = Licenses.randomKey();
            licenses.importKey(admin, ws, legacy, null).expect(201);
            String token = Activations.authToken(api, licensed);
            return List.of(
                    new Caller("auth token", null, PlatformHeaders.basic(token)),
                    new Caller("CI key", null, PlatformHeaders.basic(ci.get("key").asText())),
                    new Caller("legacy key", null, PlatformHeaders.apiKey(legacy)),
                    new Caller("auth token without a license", null, PlatformHeaders.basic(Activations.authToken(api, unlicensed))),
                    new Caller("unknown auth token", null, PlatformHeaders.basic(AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX))),
                    new Caller("revoked CI key", null, PlatformHeaders.basic(revoked.get("key").asText())),
                    new Caller("Basic with a user name", null, PlatformHeaders.basic("user", token)),
                    new Caller("admin's JWT", admin.jwt()),
                    new Caller("nothing", null));
        }
    }

    private static Map<String, Integer> platform(int granted, int refused) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String label : List.of("auth token", "CI key", "legacy key")) {
            m.put(label, granted);
        }
        for (String label : List.of("auth token without a license", "unknown auth token", "revoked CI key",
                "Basic with a user name", "admin's JWT", "nothing")) {
            m.put(label, refused);
        }
        return m;
    }

    private static Map<String, Integer> expect(int admin, int member, int permitted, int nonMember, int otherAdmin) {
        return expect(admin, member, permitted, nonMember, otherAdmin, 401, 401, 401);
    }

    private static Map<String, Integer> expect(int admin, int member, int permitted, int nonMember, int otherAdmin,
                                               int noJwt, int expiredJwt, int forgedJwt) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("admin", admin);
        m.put("member", member);
        m.put("member+permission", permitted);
        m.put("non-member", nonMember);
        m.put("admin of another workspace", otherAdmin);
        m.put("no JWT", noJwt);
        m.put("expired JWT", expiredJwt);
        m.put("forged JWT", forgedJwt);
        return m;
    }

    /** The same answer for every caller, JWT or not: the route has no authorizer. */
    private static Map<String, Integer> everyone(int status) {
        return expect(status, status, status, status, status, status, status, status);
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
                "licenses:assign", "legacy-keys:manage", "ci-keys:manage")) {
            Api.User holder = api.user("matrix-" + permission.replace(':', '-') + "-" + suffix + "@example.com");
            String id = api.addActiveMember(admin, ws, holder);
            api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + id + "/access",
                    "{\"role\":\"MEMBER\",\"permissions\":[\"" + permission + "\"]}").expect(200);
            permitted.put(permission, holder);
        }
        // The non-member has never created or joined any workspace (until the POST /workspaces row).
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

        // What the /me rows answered each caller: their own token, before and after rotation.
        Map<String, String> viewed = new LinkedHashMap<>();
        Map<String, String> rotated = new LinkedHashMap<>();
        // Unknown to the service, but well formed (prefix, payload, checksum): it reaches the lookup.
        String unknownToken = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);

        Fixture f = new Fixture(ws, admin, suffix);
        // SCIM: the workspace's token (the first one was replaced at once: it is refused), another
        // workspace's token (a third workspace, so that the other workspace's snapshot stays as it is),
        // and a workspace's revoked token.
        String replacedScimToken = scim.newToken(admin, ws);
        f.scimToken = scim.newToken(admin, ws);
        Domains.verify(runtime, api, admin, ws, "example.com"); // the IdP licenses people before they sign in (issue 17)
        Api.User thirdAdmin = api.user("matrix-third-" + suffix + "@example.com");
        String thirdWs = api.createWorkspace(thirdAdmin, "Third");
        String thirdScimToken = scim.newToken(thirdAdmin, thirdWs);
        String revokedScimToken = scim.newToken(thirdAdmin, api.createWorkspace(thirdAdmin, "Revoked"));
        api.call(thirdAdmin, "DELETE", "/workspaces/" + api.call(thirdAdmin, "GET", "/me/workspaces", null).expect(200)
                .json().get("items").get(1).get("id").asText() + "/scim/token", null).expect(204);
        f.scimCallers = List.of(
                new Caller("SCIM token", null, null),
                new Caller("another workspace's SCIM token", null, Map.of("authorization", "Bearer " + thirdScimToken)),
                new Caller("replaced SCIM token", null, Map.of("authorization", "Bearer " + replacedScimToken)),
                new Caller("revoked SCIM token", null, Map.of("authorization", "Bearer " + revokedScimToken)),
                new Caller("malformed SCIM token", null, Map.of("authorization", "Bearer scim-nope")),
                new Caller("SCIM token as Basic", null, Map.of("authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString((":" + f.scimToken).getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
                new Caller("admin's JWT", admin.jwt()),
                new Caller("nothing", null));
        String wsNotFound = "workspace-not-found";
        List<Route> routes = List.of(
                // The caller's own token: no workspace in the path, so a non-member of the matrix workspace
                // is answered about their own token like anyone else. This one has none yet (they have not
                // created or joined a workspace), so 404 no-auth-token; the admin of another workspace has one.
                new Route("GET /me/auth-token", x -> req("GET", "/me/auth-token", null),
                        expect(200, 200, 200, 404, 200), "no-auth-token")
                        .withCheck(cell -> ownToken(cell, viewed)),
                new Route("POST /me/auth-token/rotate", x -> req("POST", "/me/auth-token/rotate", null),
                        expect(201, 201, 201, 404, 201), "no-auth-token")
                        .withCheck(cell -> ownToken(cell, rotated)),
                // Each caller's own workspaces: the matrix workspace for its members, nothing else of it.
                new Route("GET /me/workspaces", x -> req("GET", "/me/workspaces", null),
                        expect(200, 200, 200, 200, 200), null)
                        .withCheck(cell -> ownWorkspaces(cell, ws, otherWs)),
                new Route("GET /workspaces/{workspaceId}", x -> req("GET", "/workspaces/" + x.ws, null),
                        expect(200, 200, 200, 404, 404), wsNotFound),
                new Route("POST /workspaces/{workspaceId}/members", x -> req("POST", "/workspaces/" + x.ws + "/members",
                        "{\"name\":\"N\",\"email\":\"n-" + UUID.randomUUID() + "@example.com\"}"),
                        expect(202, 403, 202, 404, 404), wsNotFound),
                new Route("GET /workspaces/{workspaceId}/members", x -> req("GET", "/workspaces/" + x.ws + "/members", null),
                        expect(200, 200, 200, 404, 404), wsNotFound),
                new Route("GET /workspaces/{workspaceId}/members/{memberId}", x -> req("GET",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember(), null),
                        expect(200, 200, 200, 404, 404), wsNotFound),
                new Route("DELETE /workspaces/{workspaceId}/members/{memberId}", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember(), null),
                        expect(200, 403, 200, 404, 404), wsNotFound),
                new Route("POST /workspaces/{workspaceId}/members/{memberId}/invitation", x -> req("POST",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember() + "/invitation", null),
                        expect(202, 403, 202, 404, 404), wsNotFound),
                new Route("POST /workspaces/{workspaceId}/members/{memberId}/allow-provisioning", x -> req("POST",
                        "/workspaces/" + x.ws + "/members/" + x.removedMember() + "/allow-provisioning", null),
                        expect(200, 403, 200, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().get("removal").get("sticks").asBoolean()
                                ? "still sticks" : null),
                new Route("PUT /workspaces/{workspaceId}/members/{memberId}/access", x -> req("PUT",
                        "/workspaces/" + x.ws + "/members/" + x.activeMember() + "/access",
                        "{\"role\":\"MEMBER\",\"permissions\":[]}"),
                        expect(200, 403, 200, 404, 404), wsNotFound),
                new Route("GET /workspaces/{workspaceId}/audit", x -> req("GET", "/workspaces/" + x.ws + "/audit", null),
                        expect(200, 403, 200, 404, 404), wsNotFound),
                new Route("GET /workspaces/{workspaceId}/licenses", x -> req("GET", "/workspaces/" + x.ws + "/licenses", null),
                        expect(200, 200, 200, 404, 404), wsNotFound),
                new Route("POST /workspaces/{workspaceId}/members/{memberId}/license", x -> req("POST",
                        "/workspaces/" + x.ws + "/members/" + x.invitedMember() + "/license", null),
                        expect(200, 403, 200, 404, 404), wsNotFound),
                new Route("DELETE /workspaces/{workspaceId}/members/{memberId}/license", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/members/" + x.licensedMember() + "/license", null),
                        expect(200, 403, 200, 404, 404), wsNotFound),
                new Route("GET /workspaces/{workspaceId}/legacy-keys", x -> req("GET", "/workspaces/" + x.ws + "/legacy-keys", null),
                        expect(200, 403, 200, 404, 404), wsNotFound),
                new Route("POST /workspaces/{workspaceId}/legacy-keys", x -> req("POST", "/workspaces/" + x.ws + "/legacy-keys",
                        "{\"keys\":[{\"key\":\"" + Licenses.randomKey() + "\"}]}"),
                        expect(201, 403, 201, 404, 404), wsNotFound),
                new Route("PUT /workspaces/{workspaceId}/legacy-keys/{keyId}/assignee", x -> req("PUT",
                        "/workspaces/" + x.ws + "/legacy-keys/" + x.freshKey() + "/assignee",
                        "{\"memberId\":\"" + x.invitedMember() + "\"}"),
                        expect(200, 403, 200, 404, 404), wsNotFound),
                new Route("DELETE /workspaces/{workspaceId}/legacy-keys/{keyId}", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/legacy-keys/" + x.freshKey(), null),
                        expect(204, 403, 204, 404, 404), wsNotFound),
                new Route("GET /workspaces/{workspaceId}/ci-keys", x -> req("GET", "/workspaces/" + x.ws + "/ci-keys", null),
                        expect(200, 403, 200, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().get("items").isArray() ? null : "no items"),
                new Route("POST /workspaces/{workspaceId}/ci-keys", x -> req("POST", "/workspaces/" + x.ws + "/ci-keys",
                        "{\"name\":\"Pipeline " + UUID.randomUUID() + "\"}"),
                        expect(201, 403, 201, 404, 404), wsNotFound)
                        .withCheck(AuthorizationMatrixIT::createdCiKey),
                new Route("DELETE /workspaces/{workspaceId}/ci-keys/{keyId}", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/ci-keys/" + x.freshCiKey(), null),
                        expect(200, 403, 200, 404, 404), wsNotFound)
                        .withCheck(cell -> "REVOKED".equals(cell.response().text("status"))
                                && cell.response().json().has("revokedAt") ? null : "not revoked"),
                // Rotation with an overlap and usage over time (issue 21, part B).
                new Route("POST /workspaces/{workspaceId}/ci-keys/{keyId}/rotate", x -> req("POST",
                        "/workspaces/" + x.ws + "/ci-keys/" + x.freshCiKey() + "/rotate", "{\"overlapHours\":24}"),
                        expect(201, 403, 201, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().text("key").startsWith("lsci-")
                                && cell.response().json().has("previous") ? null : "no new key with an overlap"),
                new Route("DELETE /workspaces/{workspaceId}/ci-keys/{keyId}/previous", x -> req("DELETE",
                        "/workspaces/" + x.ws + "/ci-keys/" + x.rotatedCiKey() + "/previous", null),
                        expect(200, 403, 200, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().has("previous") ? "overlap not ended" : null),
                new Route("GET /workspaces/{workspaceId}/usage", x -> req("GET", "/workspaces/" + x.ws + "/usage", null),
                        expect(200, 403, 200, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().get("days").size() == 90 ? null : "not 90 days"),
                // The caller's own old token only; who has none yet (the non-member) is told so.
                new Route("DELETE /me/auth-token/previous", x -> req("DELETE", "/me/auth-token/previous", null),
                        expect(204, 204, 204, 404, 204), "no-auth-token"),
                // SCIM: the workspace's own token decides; another workspace's token sees its own workspace
                // (this one's ids are 404 to it), and replaced, revoked, malformed tokens, a JWT, or nothing get 401.
                scimRow("GET /scim/v2/ServiceProviderConfig", x -> req("GET", "/scim/v2/ServiceProviderConfig", null), 200, 200),
                scimRow("GET /scim/v2/ResourceTypes", x -> req("GET", "/scim/v2/ResourceTypes", null), 200, 200),
                scimRow("GET /scim/v2/ResourceTypes/{id}", x -> req("GET", "/scim/v2/ResourceTypes/User", null), 200, 200),
                scimRow("GET /scim/v2/Schemas", x -> req("GET", "/scim/v2/Schemas", null), 200, 200),
                scimRow("GET /scim/v2/Schemas/{id}", x -> req("GET",
                        "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", null), 200, 200),
                scimRow("GET /scim/v2/Users", x -> req("GET", "/scim/v2/Users?filter=userName%20eq%20%22"
                        + admin.email() + "%22", null), 200, 200)
                        .withCheck(cell -> cell.caller().equals("SCIM token")
                                == (cell.response().json().get("totalResults").asInt() == 1) ? null
                                : "the admin's user is found by the workspace's token only"),
                scimRow("POST /scim/v2/Users", x -> req("POST", "/scim/v2/Users", Scim.user("new-" + UUID.randomUUID()
                        + "@example.com", "new-" + UUID.randomUUID() + "@example.com", null)), 201, 201),
                scimRow("GET /scim/v2/Users/{id}", x -> req("GET", "/scim/v2/Users/" + x.scimUser(), null), 200, 404),
                scimRow("PUT /scim/v2/Users/{id}", x -> {
                    String email = "put-" + UUID.randomUUID() + "@example.com";
                    return req("PUT", "/scim/v2/Users/" + x.scimUser(), Scim.user(email, email, null));
                }, 200, 404),
                scimRow("PATCH /scim/v2/Users/{id}", x -> req("PATCH", "/scim/v2/Users/" + x.scimUser(),
                        Scim.patch("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Renamed\"}")), 200, 404),
                scimRow("DELETE /scim/v2/Users/{id}", x -> req("DELETE", "/scim/v2/Users/" + x.scimUser(), null), 204, 404),
                scimRow("GET /scim/v2/Groups", x -> req("GET", "/scim/v2/Groups?excludedAttributes=members", null), 200, 200)
                        .withCheck(cell -> cell.caller().equals("SCIM token") == cell.response().raw()
                                .contains("license_sub_" + suffix) ? null : "lists the license group of another workspace"),
                // A token creates a group of its identity provider's in its own workspace only.
                scimRow("POST /scim/v2/Groups", x -> req("POST", "/scim/v2/Groups",
                        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"New group "
                                + UUID.randomUUID() + "\"}"), 201, 201)
                        .withCheck(cell -> cell.response().text("id").startsWith("g_") ? null : "no group of the IdP's"),
                // Searches and every other method and path: the token's workspace only, never a bare gateway 404.
                scimRow("ANY /scim/v2/{proxy+}", x -> req("POST", "/scim/v2/Users/.search",
                        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"filter\":\"userName eq \\\""
                                + admin.email() + "\\\"\"}"), 200, 200)
                        .withCheck(cell -> cell.caller().equals("SCIM token")
                                == (cell.response().json().get("totalResults").asInt() == 1) ? null
                                : "the admin's user is found by the workspace's token only"),
                scimRow("GET /scim/v2/Groups/{id}", x -> req("GET", "/scim/v2/Groups/" + x.licenseGroup(), null), 200, 404),
                scimRow("PATCH /scim/v2/Groups/{id}", x -> req("PATCH", "/scim/v2/Groups/" + x.licenseGroup(),
                        Scim.patch("{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + x.scimUser()
                                + "\"}]}")), 204, 404),
                scimRow("PUT /scim/v2/Groups/{id}", x -> req("PUT", "/scim/v2/Groups/" + x.licenseGroup(),
                        x.licenseGroupWithOneMore()), 200, 404),
                scimRow("DELETE /scim/v2/Groups/{id}", x -> req("DELETE", "/scim/v2/Groups/" + x.licenseGroup(), null), 403, 404),
                // The admins' side of SCIM: admins only (no advanced permission covers it).
                new Route("GET /workspaces/{workspaceId}/scim/changes", x -> req("GET", "/workspaces/" + x.ws
                        + "/scim/changes", null), expect(200, 403, 403, 404, 404), wsNotFound),
                new Route("POST /workspaces/{workspaceId}/scim/changes/{changeId}/confirm", x -> req("POST",
                        "/workspaces/" + x.ws + "/scim/changes/" + x.heldChange() + "/confirm", null),
                        expect(200, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> "CONFIRMED".equals(cell.response().json().get("change").get("status").asText())
                                && cell.response().json().get("removed").asInt() == 6 ? null : "not applied in full"),
                new Route("POST /workspaces/{workspaceId}/scim/changes/{changeId}/discard", x -> req("POST",
                        "/workspaces/" + x.ws + "/scim/changes/" + x.heldChange() + "/discard", null),
                        expect(200, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> "DISCARDED".equals(cell.response().text("status")) ? null : "not discarded"),
                new Route("GET /workspaces/{workspaceId}/scim/groups", x -> req("GET", "/workspaces/" + x.ws
                        + "/scim/groups", null), expect(200, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().get("targets").size() >= 3 ? null : "no targets"),
                new Route("PUT /workspaces/{workspaceId}/scim/groups/{groupId}/mapping", x -> req("PUT", "/workspaces/"
                        + x.ws + "/scim/groups/" + x.idpGroup() + "/mapping", "{\"target\":\"license\",\"subscriptionId\":"
                        + "\"sub_" + suffix + "\"}"), expect(200, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> "license".equals(cell.response().json().get("group").get("target").asText())
                                && cell.response().json().get("added").asInt() == 1 ? null : "not mapped"),
                new Route("GET /workspaces/{workspaceId}/scim/token", x -> req("GET", "/workspaces/" + x.ws
                        + "/scim/token", null), expect(200, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().text("hint").startsWith("scim-…")
                                && !cell.response().raw().contains(f.scimToken) ? null : "not the token's hint only"),
                new Route("POST /workspaces/{workspaceId}/scim/token", x -> req("POST", "/workspaces/" + x.ws
                        + "/scim/token", null), expect(201, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> {
                            f.scimToken = cell.response().text("token");
                            return f.scimToken.startsWith("scim-") ? null : "no token";
                        }),
                new Route("DELETE /workspaces/{workspaceId}/scim/token", x -> req("DELETE", "/workspaces/" + x.ws
                        + "/scim/token", null), expect(204, 403, 403, 404, 404), wsNotFound),
                new Route("POST /me/provisioned/claim", x -> req("POST", "/me/provisioned/claim", null),
                        expect(200, 200, 200, 200, 200), null)
                        .withCheck(cell -> cell.response().json().get("items").isEmpty() ? null : "claimed something"),
                new Route("POST /workspaces", x -> req("POST", "/workspaces", "{\"name\":\"New\"}"),
                        expect(201, 201, 201, 201, 201), null),
                new Route("POST /invitations/accept", x -> req("POST", "/invitations/accept",
                        "{\"token\":\"" + "A".repeat(43) + "\"}"),
                        expect(404, 404, 404, 404, 404), "invitation-not-found"),
                // Verified domains (issue 17, part B): admins only; no advanced permission covers them.
                new Route("GET /workspaces/{workspaceId}/domains", x -> req("GET", "/workspaces/" + x.ws + "/domains",
                        null), expect(200, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().get("items").isArray() ? null : "no items"),
                new Route("POST /workspaces/{workspaceId}/domains", x -> req("POST", "/workspaces/" + x.ws + "/domains",
                        "{\"domain\":\"" + x.freshDomainName() + "\"}"), expect(201, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().get("record").get("value").asText()
                                .startsWith("wsl-verify=") ? null : "no record to publish"),
                new Route("POST /workspaces/{workspaceId}/domains/{domain}/verify", x -> req("POST", "/workspaces/"
                        + x.ws + "/domains/" + x.freshDomain() + "/verify", null), expect(200, 403, 403, 404, 404),
                        wsNotFound).withCheck(cell -> "MISSING".equals(cell.response().text("lastResult")) ? null
                        : "not looked up"),
                new Route("DELETE /workspaces/{workspaceId}/domains/{domain}", x -> req("DELETE", "/workspaces/"
                        + x.ws + "/domains/" + x.freshDomain(), null), expect(204, 403, 403, 404, 404), wsNotFound),
                // The seat policy and its preview (issue 21): admins only; no advanced permission covers them.
                new Route("PUT /workspaces/{workspaceId}/seat-policy", x -> req("PUT", "/workspaces/" + x.ws
                        + "/seat-policy", "{\"idleDays\":30,\"reclaimDays\":90}"), expect(200, 403, 403, 404, 404),
                        wsNotFound).withCheck(cell -> cell.response().json().get("idleDays").asInt() == 30
                        && cell.response().json().has("reclaim") ? null : "not the policy"),
                new Route("GET /workspaces/{workspaceId}/seat-policy/reclaim-preview", x -> req("GET", "/workspaces/"
                        + x.ws + "/seat-policy/reclaim-preview", null), expect(200, 403, 403, 404, 404), wsNotFound)
                        .withCheck(cell -> cell.response().json().get("items").isArray()
                                && cell.response().json().has("runAt") ? null : "not a preview"),
                // Consent: each person answers their own prompt only. The target is a membership a stranger's identity
                // provider just provisioned for the non-member's email: they answer it, nobody else can.
                new Route("GET /me/pending-memberships", x -> req("GET", "/me/pending-memberships", null),
                        expect(200, 200, 200, 200, 200), null)
                        .withCheck(cell -> cell.response().json().get("items").isArray() ? null : "no items"),
                new Route("POST /me/pending-memberships/{workspaceId}/join", x -> req("POST", "/me/pending-memberships/"
                        + x.provisionedFor(outsider) + "/join", null), expect(404, 404, 404, 200, 404),
                        "pending-membership-not-found")
                        .withCheck(cell -> cell.response().json().has("memberId") ? null : "not a membership"),
                new Route("POST /me/pending-memberships/{workspaceId}/decline", x -> req("POST",
                        "/me/pending-memberships/" + x.provisionedFor(outsider) + "/decline", null),
                        expect(404, 404, 404, 204, 404), "pending-membership-not-found"),
                // Where the caller's own token activates: only among their own workspaces.
                new Route("GET /me/auth-token/workspaces", x -> req("GET", "/me/auth-token/workspaces", null),
                        expect(200, 200, 200, 200, 200), null)
                        .withCheck(cell -> List.of("admin", "member", "member+permission").contains(cell.caller())
                                == cell.response().raw().contains(ws) ? null : "lists a workspace not the caller's"),
                new Route("PUT /me/auth-token/workspace", x -> req("PUT", "/me/auth-token/workspace",
                        "{\"workspaceId\":\"" + x.ws + "\"}"), expect(200, 200, 200, 404, 404), wsNotFound)
                        .withCheck(cell -> ws.equals(cell.response().text("chosen")) ? null : "not chosen"),
                // No authorizer: an unknown credential is refused by the function in the licensing protocol,
                // the same for every caller, with a valid, expired, forged or no JWT alike.
                new Route("POST /v1/license/request", x -> req("POST", "/v1/license/request",
                        licenseRequest(unknownToken, null)), everyone(401), Errors.LICENSING, null, null),
                new Route("POST /v1/license/activate", x -> req("POST", "/v1/license/activate",
                        licenseRequest(unknownToken, "license_" + UUID.randomUUID())), everyone(401),
                        Errors.LICENSING, null, null),
                // Always refused, for everyone: the client then shows the activation's own refusal.
                new Route("POST /v1/license/grace-period-check", x -> req("POST", "/v1/license/grace-period-check",
                        "{\"machine\":{\"id\":\"matrix\",\"ci\":false,\"system\":\"Linux\"},\"version\":\"4.6.0\","
                                + "\"requesting_grace\":false}"), everyone(403), Errors.LICENSING,
                        "licensing.grace_period.none", null),
                // The token authorizer: the client's credential headers decide, a JWT is no credential there.
                new Route("GET /v1/license/info", x -> req("GET", "/v1/license/info", null), platform(200, 403),
                        Errors.TOKEN_AUTHORIZER, null, AuthorizationMatrixIT::licenseInfo, Fixture::platformCallers),
                // The console: the same page and files for everyone, whatever JWT comes with the request.
                new Route("GET /", x -> req("GET", "/", null), everyone(200), Errors.PUBLIC, null,
                        cell -> isConsolePage(cell)),
                new Route("GET /accept-invitation", x -> req("GET", "/accept-invitation", null), everyone(200),
                        Errors.PUBLIC, null, cell -> isConsolePage(cell)),
                new Route("GET /oidc/callback", x -> req("GET", "/oidc/callback", null), everyone(200),
                        Errors.PUBLIC, null, cell -> isConsolePage(cell)),
                new Route("GET /assets/{file+}", x -> req("GET", consoleScript(), null), everyone(200),
                        Errors.PUBLIC, null, cell -> cell.response().contentType().startsWith("text/javascript")
                        ? null : "not the console's script"));
        Map<String, String> permissionOf = Map.ofEntries(
                Map.entry("POST /workspaces/{workspaceId}/members", "members:invite"),
                Map.entry("POST /workspaces/{workspaceId}/members/{memberId}/invitation", "members:invite"),
                Map.entry("DELETE /workspaces/{workspaceId}/members/{memberId}", "members:remove"),
                Map.entry("POST /workspaces/{workspaceId}/members/{memberId}/allow-provisioning", "members:remove"),
                Map.entry("PUT /workspaces/{workspaceId}/members/{memberId}/access", "members:permissions"),
                Map.entry("GET /workspaces/{workspaceId}/audit", "audit:read"),
                Map.entry("POST /workspaces/{workspaceId}/members/{memberId}/license", "licenses:assign"),
                Map.entry("DELETE /workspaces/{workspaceId}/members/{memberId}/license", "licenses:assign"),
                Map.entry("GET /workspaces/{workspaceId}/legacy-keys", "legacy-keys:manage"),
                Map.entry("POST /workspaces/{workspaceId}/legacy-keys", "legacy-keys:manage"),
                Map.entry("PUT /workspaces/{workspaceId}/legacy-keys/{keyId}/assignee", "legacy-keys:manage"),
                Map.entry("DELETE /workspaces/{workspaceId}/legacy-keys/{keyId}", "legacy-keys:manage"),
                Map.entry("GET /workspaces/{workspaceId}/ci-keys", "ci-keys:manage"),
                Map.entry("POST /workspaces/{workspaceId}/ci-keys", "ci-keys:manage"),
                Map.entry("DELETE /workspaces/{workspaceId}/ci-keys/{keyId}", "ci-keys:manage"),
                Map.entry("POST /workspaces/{workspaceId}/ci-keys/{keyId}/rotate", "ci-keys:manage"),
                Map.entry("DELETE /workspaces/{workspaceId}/ci-keys/{keyId}/previous", "ci-keys:manage"),
                Map.entry("GET /workspaces/{workspaceId}/usage", "licenses:assign"));

        // The matrix covers exactly the template's routes, and the licensing-protocol rows are exactly
        // the routes without the JWT authorizer.
        List<SamTemplate.Route> templateRoutes = runtime.template().routes();
        assertThat(routes.stream().map(Route::key).toList()).as("routes of the matrix vs template.yaml")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(templateRoutes.stream().map(SamTemplate.Route::routeKey).toList());
        assertThat(routes.stream().filter(r -> r.errors() == Errors.LICENSING || r.errors() == Errors.PUBLIC
                        || r.errors() == Errors.SCIM).map(Route::key).toList())
                .as("rows without any authorizer vs routes with Auth.Authorizer NONE")
                .containsExactlyInAnyOrderElementsOf(templateRoutes.stream().filter(r -> !r.authorized())
                        .map(SamTemplate.Route::routeKey).toList());
        assertThat(routes.stream().filter(r -> r.errors() == Errors.TOKEN_AUTHORIZER).map(Route::key).toList())
                .as("rows of the token authorizer's callers vs routes behind TokenAuthorizer")
                .containsExactlyInAnyOrderElementsOf(templateRoutes.stream()
                        .filter(r -> "TokenAuthorizer".equals(r.authorizer())).map(SamTemplate.Route::routeKey).toList());

        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        int expectedCells = 0;
        for (Route route : routes) {
            Api.User holder = permitted.get(permissionOf.getOrDefault(route.key(), "members:invite"));
            List<Caller> callers = route.callers() != null ? route.callers().apply(f)
                    : List.of(new Caller("admin", admin.jwt()), new Caller("member", member.jwt()),
                    new Caller("member+permission", holder.jwt()), new Caller("non-member", outsider.jwt()),
                    new Caller("admin of another workspace", otherAdmin.jwt()), new Caller("no JWT", null),
                    new Caller("expired JWT", expired), new Caller("forged JWT", forged));
            assertThat(callers.stream().map(Caller::label).toList()).as(route.key() + " callers")
                    .containsExactlyElementsOf(route.expected().keySet());
            expectedCells += callers.size();
            for (Caller caller : callers) {
                String[] r = route.request().apply(f);
                Map<String, String> headers = caller.label().equals("SCIM token")
                        ? Map.of("authorization", "Bearer " + f.scimToken) : caller.headers();
                Api.Response response = send(caller.jwt(), headers, r[0], r[1], r[2]);
                cells++;
                String cell = route.key() + " as " + caller.label() + ": ";
                int want = route.expected().get(caller.label());
                if (response.status() != want) {
                    mismatches.add(cell + response.status() + " (want " + want + ") " + response.raw());
                    continue;
                }
                String wrong = null;
                if (want < 300) {
                    wrong = route.check() == null ? null : route.check().apply(new Cell(caller.label(), response));
                } else if (route.errors() == Errors.LICENSING) {
                    wrong = licensingRefusal(response, route.notFoundType() != null ? route.notFoundType()
                            : "licensing.credentials.invalid");
                } else if (route.errors() == Errors.SCIM) {
                    wrong = scimError(response, want);
                } else if (route.errors() == Errors.TOKEN_AUTHORIZER) {
                    wrong = GATEWAY_FORBIDDEN.equals(response.raw()) && want == 403 ? null : "not API Gateway's 403";
                } else if (want == 401) {
                    wrong = GATEWAY_UNAUTHORIZED.equals(response.raw()) ? null : "not API Gateway's 401";
                } else if (!"application/problem+json".equals(response.contentType())) {
                    wrong = "content type " + response.contentType() + ", want application/problem+json";
                } else if (want == 403 && !problemType(response).equals("missing-permission")) {
                    wrong = "problem " + problemType(response) + ", want missing-permission";
                } else if (want == 404 && route.notFoundType() != null
                        && !problemType(response).equals(route.notFoundType())) {
                    wrong = "problem " + problemType(response) + ", want " + route.notFoundType();
                }
                if (wrong != null) {
                    mismatches.add(cell + wrong + ": " + response.raw());
                }
            }
        }
        assertThat(mismatches).as("cells that differ from the matrix").isEmpty();
        assertThat(cells).isEqualTo(expectedCells).isGreaterThanOrEqualTo(routes.size() * 8);

        // Each caller saw their own token: a different one per person, and rotation replaced it.
        assertThat(viewed.keySet()).containsExactly("admin", "member", "member+permission",
                "admin of another workspace");
        assertThat(viewed.values()).as("tokens viewed by different people").doesNotHaveDuplicates();
        assertThat(rotated.keySet()).isEqualTo(viewed.keySet());
        rotated.forEach((who, token) -> assertThat(token).as("rotated token of %s", who).isNotEqualTo(viewed.get(who))
                .isNotIn(viewed.values()));
        assertThat(rotated.values()).doesNotHaveDuplicates();
        assertThat(api.call(admin, "GET", "/me/auth-token", null).expect(200).text("token"))
                .isEqualTo(rotated.get("admin"));
        // The non-member, who has created a workspace in the POST /workspaces row by now, has a token of their own.
        String outsiderToken = api.call(outsider, "GET", "/me/auth-token", null).expect(200).text("token");
        assertThat(outsiderToken).isNotIn(viewed.values()).isNotIn(rotated.values());

        // A credential that activates a license activates it whatever JWT comes with it (none needed);
        // the token the admin held before rotating activates nothing.
        String adminMemberId = api.call(admin, "GET", "/workspaces/" + ws, null).expect(200).json()
                .get("you").get("memberId").asText();
        licenses.assign(admin, ws, adminMemberId).expect(200);
        for (String jwt : new String[] {null, admin.jwt(), outsider.jwt(), otherAdmin.jwt(), expired, forged}) {
            Api.Response granted = send(jwt, "POST", "/v1/license/request", licenseRequest(rotated.get("admin"), null));
            assertThat(granted.status()).as("activation with a JWT %s: %s", jwt == null ? "absent" : "present",
                    granted.raw()).isEqualTo(200);
            assertThat(granted.text("id")).startsWith("license_");
            assertThat(granted.text("license_status")).isEqualTo("ACTIVE");
            Api.Response stale = send(jwt, "POST", "/v1/license/request", licenseRequest(viewed.get("admin"), null));
            assertThat(stale.status()).as("the token replaced by rotation: %s", stale.raw()).isEqualTo(401);
            assertThat(licensingRefusal(stale, "licensing.credentials.invalid")).isNull();
        }

        // The other workspace's ids under this workspace's path lead nowhere, and nothing there changed.
        api.call(admin, "GET", "/workspaces/" + ws + "/members/" + otherMember, null).expect(404);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + otherMember, null).expect(404);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + otherMember + "/access", "{\"role\":\"ADMIN\"}")
                .expect(404);
        api.call(admin, "POST", "/workspaces/" + ws + "/members/" + otherMember + "/invitation", null).expect(404);
        assertThat(snapshot(otherAdmin, otherWs)).isEqualTo(otherBefore);

        // Allowing provisioning again, asked by those who must not: a removed admin for herself (her grant is gone),
        // the members:remove holder for a removed admin (only an admin decides about an admin), another workspace's
        // admin through their own workspace's path; the removal still sticks after each.
        Api.User removedAdmin = api.user("matrix-removed-admin-" + suffix + "@example.com");
        String removedAdminId = api.addActiveMember(admin, ws, removedAdmin);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + removedAdminId + "/access", "{\"role\":\"ADMIN\"}")
                .expect(200);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + removedAdminId, null).expect(200);
        String allowPath = "/workspaces/" + ws + "/members/" + removedAdminId + "/allow-provisioning";
        assertThat(problemType(send(removedAdmin.jwt(), "POST", allowPath, null).expect(404))).isEqualTo(wsNotFound);
        assertThat(problemType(send(permitted.get("members:remove").jwt(), "POST", allowPath, null).expect(403)))
                .isEqualTo("admin-target");
        assertThat(problemType(send(otherAdmin.jwt(), "POST", "/workspaces/" + otherWs + "/members/" + removedAdminId
                + "/allow-provisioning", null).expect(404))).isEqualTo("member-not-found");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/members/" + removedAdminId, null).expect(200).json()
                .get("removal").get("sticks").asBoolean()).isTrue();

        // Idle seats, exports and the seat policy (issue 21) asked by a removed admin, a plain member and another
        // workspace's admin: the exports answer exactly what the list does for the same caller.
        Map<String, String> csv = Map.of("accept", "text/csv");
        String membersPath = "/workspaces/" + ws + "/members";
        String auditPath = "/workspaces/" + ws + "/audit";
        for (Api.User stranger : List.of(removedAdmin, otherAdmin)) {
            for (String path : List.of(membersPath + "?idle=true", auditPath, membersPath)) {
                assertThat(problemType(send(stranger.jwt(), csv, "GET", path, null).expect(404))).as("CSV %s", path)
                        .isEqualTo(wsNotFound);
            }
            assertThat(problemType(send(stranger.jwt(), "GET", membersPath + "?idle=true", null).expect(404)))
                    .isEqualTo(wsNotFound);
            assertThat(problemType(send(stranger.jwt(), "PUT", "/workspaces/" + ws + "/seat-policy",
                    "{\"reclaim\":true}").expect(404))).isEqualTo(wsNotFound);
            assertThat(problemType(send(stranger.jwt(), "GET", "/workspaces/" + ws + "/seat-policy/reclaim-preview",
                    null).expect(404))).isEqualTo(wsNotFound);
        }
        assertThat(send(member.jwt(), csv, "GET", membersPath, null).expect(200).contentType()).startsWith("text/csv");
        send(member.jwt(), "GET", membersPath + "?idle=true", null).expect(200);
        assertThat(problemType(send(member.jwt(), csv, "GET", auditPath, null).expect(403)))
                .isEqualTo("missing-permission");
        assertThat(send(permitted.get("audit:read").jwt(), csv, "GET", auditPath, null).expect(200).raw())
                .startsWith("\"When\",\"Actor\"");
        assertThat(problemType(send(member.jwt(), "PUT", "/workspaces/" + ws + "/seat-policy", "{\"reclaim\":true}")
                .expect(403))).isEqualTo("missing-permission");
        assertThat(send(admin.jwt(), "GET", "/workspaces/" + ws + "/licenses", null).expect(200).json()
                .get("seatPolicy").get("reclaim").asBoolean()).as("nobody but the admin changed the policy").isFalse();

        // Rotation and usage (issue 21) asked by those who must not: a removed admin (her grant is gone), another
        // workspace's admin through their own workspace's path; and ending an overlap is the token's owner's alone.
        String keyOfWs = f.rotatedCiKey();
        String keysBefore = api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).raw();
        for (String[] r : List.of(req("POST", "/workspaces/" + ws + "/ci-keys/" + keyOfWs + "/rotate", "{\"overlapHours\":1}"),
                req("DELETE", "/workspaces/" + ws + "/ci-keys/" + keyOfWs + "/previous", null),
                req("GET", "/workspaces/" + ws + "/usage", null))) {
            assertThat(problemType(send(removedAdmin.jwt(), r[0], r[1], r[2]).expect(404))).as("removed admin: %s", r[1])
                    .isEqualTo(wsNotFound);
        }
        assertThat(problemType(send(otherAdmin.jwt(), "POST", "/workspaces/" + otherWs + "/ci-keys/" + keyOfWs
                + "/rotate", null).expect(404))).isEqualTo("ci-key-not-found");
        assertThat(problemType(send(otherAdmin.jwt(), "DELETE", "/workspaces/" + otherWs + "/ci-keys/" + keyOfWs
                + "/previous", null).expect(404))).isEqualTo("ci-key-not-found");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).raw()).isEqualTo(keysBefore);
        String adminsOld = api.call(admin, "GET", "/me/auth-token", null).expect(200).text("token");
        api.call(admin, "POST", "/me/auth-token/rotate", "{\"overlapHours\":24}").expect(201);
        for (Api.User someoneElse : List.of(member, otherAdmin, removedAdmin)) {
            send(someoneElse.jwt(), "DELETE", "/me/auth-token/previous", null);
        }
        assertThat(api.call(admin, "GET", "/me/auth-token", null).expect(200).json().has("previous"))
                .as("only the owner ends their overlap").isTrue();
        assertThat(send(null, "POST", "/v1/license/request", licenseRequest(adminsOld, null)).status()).isEqualTo(200);

        // Nor does the other workspace's CI key: it cannot be revoked through this workspace's path.
        String otherCiKey = api.call(otherAdmin, "POST", "/workspaces/" + otherWs + "/ci-keys", "{\"name\":\"Other\"}")
                .expect(201).text("id");
        String otherKeys = api.call(otherAdmin, "GET", "/workspaces/" + otherWs + "/ci-keys", null).expect(200).raw();
        assertThat(problemType(api.call(admin, "DELETE", "/workspaces/" + ws + "/ci-keys/" + otherCiKey, null)
                .expect(404))).isEqualTo("ci-key-not-found");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).raw())
                .doesNotContain(otherCiKey);
        assertThat(api.call(otherAdmin, "GET", "/workspaces/" + otherWs + "/ci-keys", null).expect(200).raw())
                .isEqualTo(otherKeys).contains("\"status\":\"ACTIVE\"");
    }

    /**
     * A SCIM row: the workspace's token gets {@code own}, another workspace's token {@code other}, and every
     * other caller (replaced, revoked or malformed token, a JWT, nothing) a SCIM 401.
     */
    private static Route scimRow(String key, Function<Fixture, String[]> request, int own, int other) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("SCIM token", own);
        expected.put("another workspace's SCIM token", other);
        for (String label : List.of("replaced SCIM token", "revoked SCIM token", "malformed SCIM token",
                "SCIM token as Basic", "admin's JWT", "nothing")) {
            expected.put(label, 401);
        }
        return new Route(key, request, expected, Errors.SCIM, null, null, x -> x.scimCallers);
    }

    /** Null when the response is a SCIM error with this status, else what is wrong. */
    private static String scimError(Api.Response response, int status) {
        if (!"application/scim+json".equals(response.contentType())) {
            return "content type " + response.contentType() + ", want application/scim+json";
        }
        JsonNode json = response.json();
        return json != null && "urn:ietf:params:scim:api:messages:2.0:Error".equals(json.path("schemas").path(0).asText())
                && Integer.toString(status).equals(json.path("status").asText()) && json.path("status").isTextual()
                && json.path("detail").isTextual() ? null : "not a SCIM error with status \"" + status + "\"";
    }

    private String[] req(String method, String path, String body) {
        return new String[] {method, path, body};
    }

    /**
     * Like {@link Api#call}, but reads the content type whatever the case of the header's name
     * (API Gateway passes a function's headers through as it wrote them; the activation function
     * writes {@code Content-Type}).
     */
    private Api.Response send(String jwt, String method, String path, String body) {
        return send(jwt, null, method, path, body);
    }

    private Api.Response send(String jwt, Map<String, String> extraHeaders, String method, String path, String body) {
        Map<String, String> headers = new HashMap<>();
        if (extraHeaders != null) {
            headers.putAll(extraHeaders);
        }
        if (jwt != null) {
            headers.put("authorization", "Bearer " + jwt);
        }
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        int q = path.indexOf('?');
        APIGatewayV2HTTPResponse response = runtime.gateway().dispatch(method, q < 0 ? path : path.substring(0, q),
                q < 0 ? "" : path.substring(q + 1), headers, body);
        String contentType = null;
        if (response.getHeaders() != null) {
            for (Map.Entry<String, String> h : response.getHeaders().entrySet()) {
                if (h.getKey().toLowerCase(Locale.ROOT).equals("content-type")) {
                    contentType = h.getValue();
                }
            }
        }
        String text = response.getBody() != null && response.getIsBase64Encoded()
                ? new String(java.util.Base64.getDecoder().decode(response.getBody()), java.nio.charset.StandardCharsets.UTF_8)
                : response.getBody();
        JsonNode json = null;
        if (contentType == null || contentType.contains("json")) {
            try {
                json = text == null || text.isEmpty() ? null : JSON.readTree(text);
            } catch (java.io.IOException e) {
                throw new AssertionError("response is not JSON: " + text, e);
            }
        }
        return new Api.Response(response.getStatusCode(), contentType, json, text);
    }

    /** The caller's own workspaces: the matrix workspace for its members, the other one for its admin only. */
    private static String ownWorkspaces(Cell cell, String ws, String otherWs) {
        List<String> ids = new ArrayList<>();
        cell.response().json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        boolean member = List.of("admin", "member", "member+permission").contains(cell.caller());
        if (member != ids.contains(ws)) {
            return "lists " + ids + (member ? ", without the caller's workspace" : ", with a workspace the caller is not in");
        }
        boolean other = cell.caller().equals("admin of another workspace");
        return other == ids.contains(otherWs) ? null : "lists " + ids + " (the other workspace wrongly " + (other ? "missing" : "present") + ")";
    }

    private static String isConsolePage(Cell cell) {
        return "text/html; charset=utf-8".equals(cell.response().contentType()) && cell.response().raw().contains("wsl-oidc-issuer")
                ? null : "not the console's page";
    }

    /** The path of the console's entry script, as its page names it. */
    private String consoleScript() {
        String page = send(null, "GET", "/", null).raw();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"(/assets/[0-9a-f]+/app\\.js)\"").matcher(page);
        assertThat(m.find()).as("the page names its script").isTrue();
        return m.group(1);
    }

    /** The LocalStack client's request body. */
    private static String licenseRequest(String token, String licenseId) {
        return "{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"" + token + "\"},"
                + "\"product\":{\"name\":\"localstack-pro\",\"version\":\"4.6.0\"},"
                + "\"machine\":{\"id\":\"matrix\",\"cli\":false,\"ci\":false,\"system\":\"Linux,6.8.0,x86_64\"}"
                + (licenseId == null ? "" : ",\"license_id\":\"" + licenseId + "\"") + "}";
    }

    /** Null when the response is the licensing protocol's refusal with this message, else what is wrong. */
    private static String licensingRefusal(Api.Response response, String message) {
        if (!"application/json".equals(response.contentType())) {
            return "content type " + response.contentType() + ", want application/json";
        }
        JsonNode json = response.json();
        if (json == null || !message.equals(json.path("message").asText(null)) || !json.path("detail").isTextual()) {
            return "not {\"message\":\"" + message + "\",\"detail\":…}";
        }
        return null;
    }

    /** A personal auth token answered to its owner: well formed, with its hint; remembered per caller. */
    private static String ownToken(Cell cell, Map<String, String> seen) {
        String token = cell.response().text("token");
        if (!token.startsWith(AuthTokens.DEVELOPER_PREFIX) || !AuthTokens.isWellFormed(token)) {
            return "not a personal auth token";
        }
        if (!PersonalToken.hint(token).equals(cell.response().text("hint"))) {
            return "hint " + cell.response().text("hint") + " does not match the token";
        }
        Instant.parse(cell.response().text("issuedAt"));
        seen.put(cell.caller(), token);
        return null;
    }

    /** The entitlement of the caller's kind in the matrix workspace, with the identity fields of that kind. */
    private static String licenseInfo(Cell cell) {
        JsonNode info = cell.response().json();
        String kind = switch (cell.caller()) {
            case "auth token" -> "auth-token";
            case "CI key" -> "ci-key";
            default -> "legacy-key";
        };
        if (!kind.equals(info.path("credential_kind").asText()) || !"Matrix".equals(info.path("workspace_name").asText())
                || !"ACTIVE".equals(info.path("license_status").asText())) {
            return "not the entitlement of a " + kind;
        }
        boolean person = kind.equals("auth-token");
        if (person != info.has("user_id") || person != info.has("member_id") || person == info.has("key_id")) {
            return "identity fields do not fit a " + kind;
        }
        return kind.equals("ci-key") == "CI".equals(info.path("license_type").asText()) ? null : "license_type";
    }

    private static String createdCiKey(Cell cell) {
        String key = cell.response().text("key");
        if (!key.startsWith(AuthTokens.CI_PREFIX) || !AuthTokens.isWellFormed(key)) {
            return "not a CI key";
        }
        return PersonalToken.hint(key).equals(cell.response().text("hint")) ? null : "hint does not match the key";
    }

    private static String problemType(Api.Response response) {
        String type = response.json() == null ? "" : response.json().path("type").asText("");
        return type.startsWith("urn:problem:wsl:") ? type.substring("urn:problem:wsl:".length()) : type;
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
