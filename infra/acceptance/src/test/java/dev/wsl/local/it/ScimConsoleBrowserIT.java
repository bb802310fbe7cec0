package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.browser.Browsers;
import dev.wsl.local.browser.ConsolePage;
import dev.wsl.local.browser.MembersPage;
import dev.wsl.local.browser.ScimPage;
import dev.wsl.local.browser.Ui;
import org.junit.jupiter.api.Test;

/**
 * The console's Provisioning (SCIM) page in headless Chromium against the local runtime over HTTP (the
 * harness and page objects of {@link ConsoleBrowserIT}): the token shown once, regenerated (the old one
 * refused at once), a provisioned member shown as such until their sign-in in a second browser makes them
 * ACTIVE; a change the mass-revocation guard held, confirmed in the console and applied in full. Each test
 * checks the pages with axe-core, leaves no script error, and saves screenshots.
 */
class ScimConsoleBrowserIT extends BrowserSessions {
    private final Scim scim;

    ScimConsoleBrowserIT(LocalStackRuntime runtime) {
        super(runtime);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void scimToken_isShownOnce_regeneratedTokenRefusesTheOld_andAProvisionedMemberBecomesActiveAtSignIn() {
        Api.User admin = person("scim-admin", "Sam Scim");
        String ws = api.createWorkspace(admin, "SCIM " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        // A domain the workspace verified: its provisioned people join at sign-in (ConsentBrowserIT: everyone else).
        Domains.verify(licenses.runtime(), api, admin, ws, "example.com");

        ConsolePage.signIn(ui, admin.email(), admin.name());
        // The workspace has no SCIM token yet: the page asks, the API answers 404, the page says "None yet".
        ui.expectRefusal("/workspaces/" + ws + "/scim/token", 404);
        new MembersPage(ui).section("Provisioning");
        ScimPage page = new ScimPage(ui);
        assertThat(page.baseUrl()).isEqualTo(ui.baseUrl() + "/scim/v2");
        assertThat(page.hint()).isEqualTo("None yet");
        String first = page.create();
        ui.assertAccessible("provisioning with the new token shown");
        ui.screenshot(testName + "-token-shown");
        page.done();
        ui.until(d -> !d.getPageSource().contains(first) ? true : null, "the token gone from the page");
        assertThat(page.hint()).isEqualTo("scim-…" + first.substring(first.length() - 4));

        String email = "provisioned-" + suffix + "@example.com";
        scim.call(first, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201);
        String regenerated = page.regenerate();
        assertThat(regenerated).isNotEqualTo(first);
        Scim.assertError(scim.call(first, "GET", "/scim/v2/Users", null), 401, null);
        scim.call(regenerated, "GET", "/scim/v2/Users", null).expect(200);
        page.done();

        page.section("Members & Licenses");
        MembersPage members = new MembersPage(ui);
        members.waitForCell(email, "Status", "PROVISIONED");
        ui.assertAccessible("members with a provisioned member");

        // The provisioned person signs in to the console in a second browser: their membership is theirs now.
        second = new Ui(Browsers.second(), ui.baseUrl());
        second.forgetEverything();
        ConsolePage.signIn(second, email, "Pro Visioned");
        MembersPage theirs = new MembersPage(second);
        theirs.waitForCell(email, "Status", "ACTIVE");
        ui.driver().navigate().refresh();
        new MembersPage(ui).waitForCell(email, "Status", "ACTIVE");
    }

    @Test
    void aChangeTheGuardHeld_isListed_confirmedInTheConsole_andAppliedInFull() {
        Api.User admin = person("guard-admin", "Gail Guard");
        String ws = api.createWorkspace(admin, "Guard " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 20, null);
        String token = scim.newToken(admin, ws);
        Domains.verify(licenses.runtime(), api, admin, ws, "example.com"); // the IdP licenses people before they sign in (issue 17)
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String email = "held-" + i + "-" + suffix + "@example.com";
            String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
            values.append(i == 0 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        String group = "/scim/v2/Groups/license_sub_" + suffix;
        scim.call(token, "PATCH", group, Scim.patch("{\"op\":\"add\",\"path\":\"members\",\"value\":[" + values + "]}"))
                .expect(204);
        Scim.assertError(scim.call(token, "PUT", group, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                + "\"displayName\":\"Team (sub_" + suffix + ")\",\"members\":[]}"), 409, null);
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).as("held: nothing taken yet").isEqualTo(10);

        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui).section("Provisioning");
        ScimPage page = new ScimPage(ui);
        String summary = "Team (sub_" + suffix + "): would take the license of 10 members";
        ui.until(d -> page.changes().contains(summary) ? true : null, "the held change");
        ui.assertAccessible("provisioning with a held change");
        ui.screenshot(testName + "-held");
        page.confirm(summary);
        ui.until(d -> "No pending changes.".equals(ui.byId("no-changes").getText()) ? true : null, "no pending changes");
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).as("applied in full").isZero();
        licenses.assertCountersMatchRecount(ws);
        ui.assertAccessible("provisioning after confirming");
    }

    /**
     * A group the identity provider created is listed without effect; the admin maps it to the subscription's
     * license and its members are licensed; unmapping it would take six licenses at once, so it is held under
     * Pending changes until confirmed.
     */
    @Test
    void anIdpGroup_isMappedToALicense_inTheConsole_andUnmappingItIsHeld() {
        Api.User admin = person("map-admin", "Mia Mapper");
        String ws = api.createWorkspace(admin, "Mapping " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 20, null);
        String token = scim.newToken(admin, ws);
        Domains.verify(licenses.runtime(), api, admin, ws, "example.com"); // the IdP licenses people before they sign in (issue 17)
        StringBuilder values = new StringBuilder();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String email = "eng-" + i + "-" + suffix + "@example.com";
            String id = scim.call(token, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201).text("id");
            ids.add(id);
            values.append(i == 0 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        String groupName = "Engineering " + suffix;
        scim.call(token, "POST", "/scim/v2/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                + "\"displayName\":\"" + groupName + "\",\"members\":[" + values + "]}").expect(201);

        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui).section("Provisioning");
        ScimPage page = new ScimPage(ui);
        ui.until(d -> page.groups().stream().anyMatch(r -> r.contains(groupName) && r.contains("Now: no effect"))
                ? true : null, "the unmapped group");
        ui.assertAccessible("provisioning with an unmapped IdP group");
        ui.screenshot(testName + "-unmapped");

        page.map(groupName, "License: Team (sub_" + suffix + ")");
        page.waitForStatus("is mapped to Team (sub_" + suffix + "): 6 members given it");
        ui.until(d -> page.groups().stream().anyMatch(r -> r.contains("Now: Team (sub_" + suffix + ")")) ? true : null,
                "the group shown mapped");
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).as("its members licensed").isEqualTo(6);
        ui.assertAccessible("provisioning with a mapped IdP group");
        ui.screenshot(testName + "-mapped");

        ui.expectRefusal("/workspaces/" + ws + "/scim/groups/g_[0-9a-z]+/mapping", 409);
        page.map(groupName, "Not mapped (no effect)");
        ui.until(d -> ui.driver().getPageSource().contains("Not applied") ? true : null, "the unmapping held");
        String summary = groupName + ": would take what the group gives from 6 members and map it to nothing";
        ui.until(d -> page.changes().contains(summary) ? true : null, "the held unmapping under Pending changes");
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).as("held: nothing taken").isEqualTo(6);
        ui.assertAccessible("provisioning with a held unmapping");
        ui.screenshot(testName + "-unmap-held");
        page.confirm(summary);
        assertThat(licenses.summary(admin, ws).get("inUse").asLong()).as("confirmed: the licenses taken").isZero();
        ui.until(d -> page.groups().stream().anyMatch(r -> r.contains("Now: no effect")) ? true : null,
                "the group shown unmapped");
        licenses.assertCountersMatchRecount(ws);
    }
}
