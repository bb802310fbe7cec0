package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * License activation (PRODUCT.md section 6) through the real handlers and the emulator: the real
 * LocalStack client for each credential kind, immediate effect of unassign, revoke, delete,
 * rotate and remove, reactivation, and the choice of license.
 */
class ActivationIT extends LicensedWorkspaceFixture {
    ActivationIT(LocalStackRuntime runtime) {
        super(runtime);
    }

    @Override
    String label() {
        return "Activation";
    }

    @Test
    void realClient_authToken_shouldActivate_andFailFreshAfterTheLicenseIsUnassigned() {
        String token = Activations.authToken(api, admin);

        LocalStackClient.Result first = client.activateWithAuthToken(token, false);
        assertThat(first.ok()).as("client result %s", first.json()).isTrue();
        assertThat(first.text("license_type")).isEqualTo("Team");
        assertThat(first.text("license_id")).startsWith("license_");
        assertThat(first.json().get("calls").toString()).contains("/license/request");

        licenses.unassign(admin, ws, adminMember).expect(200);
        LocalStackClient.Result after = client.activateWithAuthToken(token, false);
        assertThat(after.ok()).isFalse();
        assertThat(after.json().path("is_licensing_error").asBoolean()).as("%s", after.json()).isTrue();
        assertThat(after.text("error_class")).isEqualTo("LicenseActivationError");
    }

    @Test
    void realClient_ciKey_shouldActivateInCi_beCounted_andFailAfterRevocation() {
        JsonNode created = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"GitHub Actions\"}")
                .expect(201).json();
        String key = created.get("key").asText();
        assertThat(key).startsWith("lsci-");

        LocalStackClient.Result first = client.activateWithAuthToken(key, true);
        assertThat(first.ok()).as("client result %s", first.json()).isTrue();
        assertThat(first.text("license_type")).isEqualTo("CI");
        assertThat(client.activateWithAuthToken(key, true).ok()).isTrue();

        JsonNode listed = api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).json()
                .get("items").get(0);
        assertThat(listed.get("hint").asText()).startsWith("lsci-…").doesNotContain(key.substring(5, 20));
        assertThat(listed.toString()).doesNotContain(key);
        String month = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC).format(Instant.now());
        assertThat(listed.get("lastActivation").get("activationsPerMonth").get(month).asLong()).isEqualTo(2);
        assertThat(listed.get("lastActivation").get("machineId").asText()).isNotBlank();

        api.call(admin, "DELETE", "/workspaces/" + ws + "/ci-keys/" + created.get("id").asText(), null).expect(200);
        LocalStackClient.Result after = client.activateWithAuthToken(key, true);
        assertThat(after.ok()).isFalse();
        assertThat(after.text("error_class")).isEqualTo("CredentialsInvalidError");
    }

    @Test
    void realClient_legacyKey_shouldActivateWithTheKeyAsLicenseId_andFailAfterDeletion() {
        String key = Licenses.randomKey();
        String keyId = licenses.importKey(admin, ws, key, null).expect(201).json().get("items").get(0).get("id").asText();

        LocalStackClient.Result first = client.activateWithApiKey(key, false);
        assertThat(first.ok()).as("client result %s", first.json()).isTrue();
        assertThat(first.text("license_id")).isEqualTo(key);
        assertThat(first.text("license_type")).isEqualTo("Team");
        JsonNode listed = api.call(admin, "GET", "/workspaces/" + ws + "/legacy-keys", null).expect(200).json()
                .get("items").get(0);
        assertThat(listed.get("lastActivation").get("at").asText()).isNotBlank();

        licenses.deleteKey(admin, ws, keyId).expect(204);
        LocalStackClient.Result after = client.activateWithApiKey(key, false);
        assertThat(after.ok()).isFalse();
        assertThat(after.text("error_class")).isEqualTo("CredentialsInvalidError");
    }

    @Test
    void realClient_developerTokenInCi_shouldBeRefused_withAMessageAboutCiKeys() {
        LocalStackClient.Result result = client.activateWithAuthToken(Activations.authToken(api, admin), true);

        assertThat(result.ok()).isFalse();
        assertThat(result.text("message")).contains("CI key");
    }

    /**
     * Client flow step 5: after a refused activation, {@code localstack start} posts the grace-period
     * check and, on any 2xx, prints a generic "LocalStack requires an account" text instead of the
     * refusal. This service answers it with a refusal, so the real client exits with the server's
     * message; the same client against a server that grants the check shows the generic text.
     */
    @Test
    void realClientStarting_shouldShowTheServersRefusal_notTheGenericAccountText() {
        String token = Activations.authToken(api, admin);

        LocalStackClient.Result refused = client.startWithAuthToken(token, true);

        assertThat(refused.json().path("started").asBoolean()).as("%s", refused.json()).isFalse();
        assertThat(refused.text("reason")).contains("activate it with a CI key").doesNotContain("requires an account");
        assertThat(refused.json().get("posts").toString()).contains("/v1/license/grace-period-check\",\"status\":403");
        assertThat(client.startWithAuthToken(token, false).json().path("started").asBoolean()).isTrue();
        try (GatewayHttp granting = new GatewayHttp((method, path, query, headers, body) ->
                path.endsWith("/license/grace-period-check")
                        ? APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{}").build()
                        : http.dispatcher().dispatch(method, path, query, headers, body))) {
            LocalStackClient.Result generic = new LocalStackClient(granting.baseUrl()).startWithAuthToken(token, true);
            assertThat(generic.text("reason")).as("the control: a 2xx hides the refusal").contains("requires an account")
                    .doesNotContain("CI key");
        }
    }

    @Test
    void reactivation_shouldKeepTheLicenseId_echoTheVersion_andRefuseAForeignLicenseId() {
        String token = Activations.authToken(api, admin);
        Api.Response requested = Activations.request(api, token, false).expect(200);
        String id = requested.text("id");

        Api.Response reactivated = Activations.activate(api, token, id).expect(200);
        assertThat(reactivated.text("id")).isEqualTo(id);
        assertThat(reactivated.json().get("offline_data").get("localstack_version").asText()).isEqualTo("2026.8.2");
        Instant reactivateAfter = Instant.parse(reactivated.text("reactivate_after").replace("+00:00", "Z"));
        assertThat(reactivateAfter).isBetween(Instant.now().plus(23, ChronoUnit.HOURS), Instant.now().plus(25, ChronoUnit.HOURS));
        assertThat(reactivated.json().get("expiry_date").asText()).endsWith("+00:00");

        Api.Response foreign = Activations.activate(api, token, "license_" + UUID.randomUUID()).expect(404);
        assertThat(foreign.text("message")).isEqualTo("licensing.license.not_found");
        Api.Response missingId = Activations.activate(api, token, null).expect(400);
        assertThat(missingId.text("message")).isEqualTo("licensing.request.invalid");
    }

    @Test
    void licenseDocument_shouldHoldExactlyTheFieldsTheClientAccepts() {
        JsonNode license = Activations.request(api, Activations.authToken(api, admin), false).expect(200).json();

        List<String> fields = new java.util.ArrayList<>();
        license.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "license_format", "signature", "license_type", "issue_date",
                "expiry_date", "products", "license_status", "license_secret", "last_activated", "reactivate_after",
                "offline_data");
        assertThat(license.get("license_format").asText()).isEqualTo("1");
        assertThat(license.get("license_status").asText()).isEqualTo("ACTIVE");
        assertThat(license.get("products").get(0).get("name").asText()).isEqualTo("localstack-pro");
        assertThat(license.get("signature").asText()).matches("[0-9a-f]{64}");
    }

    @Test
    void rotation_shouldRefuseTheOldTokenAtOnce_andKeepTheLicense() {
        String old = Activations.authToken(api, admin);
        String licenseId = Activations.request(api, old, false).expect(200).text("id");

        String rotated = api.call(admin, "POST", "/me/auth-token/rotate", null).expect(201).text("token");

        assertThat(rotated).isNotEqualTo(old);
        assertThat(Activations.authToken(api, admin)).isEqualTo(rotated);
        Api.Response refused = Activations.request(api, old, false);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("message")).isEqualTo("licensing.credentials.invalid");
        assertThat(Activations.request(api, rotated, false).expect(200).text("id")).isEqualTo(licenseId);
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).isEqualTo(1);
    }

    @Test
    void removal_shouldStopTheMembersTokenFromActivatingThisWorkspacesLicense() {
        Api.User jane = api.user("act-jane-" + suffix + "@example.com");
        String janeMember = api.addActiveMember(admin, ws, jane);
        licenses.assign(admin, ws, janeMember).expect(200);
        String token = Activations.authToken(api, jane);
        Activations.request(api, token, false).expect(200);

        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + janeMember, null).expect(200);

        Api.Response refused = Activations.request(api, token, false).expect(403);
        assertThat(refused.text("message")).isEqualTo("licensing.activation_error");
    }

    @Test
    void licenseAssignedWhileInvited_shouldActivateOnceAccepted() {
        Api.User joe = api.user("act-joe-" + suffix + "@example.com");
        String joeMember = api.invite(admin, ws, "Joe", joe.email()).expect(202).text("id");
        licenses.assign(admin, ws, joeMember).expect(200);
        api.deliverMail();

        api.accept(joe, api.latestInvitationToken(joe.email())).expect(200);

        Activations.request(api, Activations.authToken(api, joe), false).expect(200);
    }

    @Test
    void severalWorkspaces_shouldActivateWhereTheUserChose_notWhereTheSubscriptionRunsLongest() {
        Api.User owner = api.user("act-owner-" + suffix + "@example.com");
        String older = api.createWorkspace(owner, "Older " + suffix);
        String newer = api.createWorkspace(owner, "Newer " + suffix);
        licenses.billing("Subscription Purchased", subscription(older, "sub_o" + suffix, "Team", 200, owner.email()));
        licenses.billing("Subscription Purchased", subscription(newer, "sub_n" + suffix, "Enterprise", 400, owner.email()));
        String token = Activations.authToken(api, owner);

        // By default the first workspace the user joined themselves, whatever the other's subscription: the real client.
        LocalStackClient.Result first = client.activateWithAuthToken(token, false);
        assertThat(first.ok()).as("client result %s", first.json()).isTrue();
        assertThat(first.text("license_type")).isEqualTo("Team");
        JsonNode choice = api.call(owner, "GET", "/me/auth-token/workspaces", null).expect(200).json();
        assertThat(choice.get("chosen").asText()).isEqualTo(older);
        assertThat(choice.get("activatesIn").asText()).isEqualTo(older);

        // The user chooses the other one: the client's next fresh activation, and the token authorizer, follow.
        api.call(owner, "PUT", "/me/auth-token/workspace", "{\"workspaceId\":\"" + newer + "\"}").expect(200);
        LocalStackClient.Result chosen = client.activateWithAuthToken(token, false);
        assertThat(chosen.text("license_type")).as("%s", chosen.json()).isEqualTo("Enterprise");
        LocalStackClient.Result platform = client.platformCallWithAuthToken(token);
        assertThat(platform.json().path("body").path("workspace_id").asText()).as("%s", platform.json()).isEqualTo(newer);

        // The chosen one ends: the other workspace's license is used at the next activation.
        licenses.billing("Subscription Expired", expired(newer, "sub_n" + suffix, "Enterprise"));
        assertThat(Activations.request(api, token, false).expect(200).text("license_type")).isEqualTo("Team");
    }

    @Test
    void expiredSubscription_shouldRefuseWithTheExpiredCode() {
        licenses.billing("Subscription Expired", expired(ws, "sub_" + suffix, "Team"));

        Api.Response refused = Activations.request(api, Activations.authToken(api, admin), false).expect(403);

        assertThat(refused.text("message")).isEqualTo("licensing.license.expired");
    }

    @Test
    void lastActivation_shouldShowOnTheMember_andBeWrittenAtMostOncePerHour() {
        String token = Activations.authToken(api, admin);
        List<RequestCounter.Call> first = RequestCounter.allThreads(() ->
                Activations.request(api, token, false).expect(200));
        List<RequestCounter.Call> second = RequestCounter.allThreads(() ->
                Activations.request(api, token, false).expect(200));

        assertThat(first.stream().filter(c -> c.operation().equals("UpdateItem"))).hasSize(2);
        assertThat(second.stream().map(RequestCounter.Call::operation)).containsExactly("GetItem", "BatchGetItem");
        JsonNode me = api.call(admin, "GET", "/workspaces/" + ws + "/members/" + adminMember, null).expect(200).json();
        assertThat(me.get("lastActivation").get("credential").asText()).isEqualTo("auth-token");
        assertThat(me.get("lastActivation").get("system").asText()).isEqualTo("Linux,6.1,x86_64");
    }

    private static Map<String, Object> subscription(String ws, String id, String plan, int days, String purchaser) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", ws);
        detail.put("subscriptionId", id);
        detail.put("sequence", 1);
        detail.put("plan", plan);
        detail.put("seats", 3);
        detail.put("periodStart", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        detail.put("periodEnd", Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        detail.put("purchaserEmail", purchaser);
        return detail;
    }

    private static Map<String, Object> expired(String ws, String id, String plan) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", ws);
        detail.put("subscriptionId", id);
        detail.put("sequence", 2);
        detail.put("plan", plan);
        detail.put("seats", 3);
        detail.put("periodStart", Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        detail.put("periodEnd", Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        return detail;
    }
}
