package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.browser.ConsolePage;
import dev.wsl.local.browser.MembersPage;
import dev.wsl.local.browser.OtherPages;
import dev.wsl.local.browser.ScimPage;
import org.junit.jupiter.api.Test;

/**
 * What a person sees of who may be in a workspace (PRODUCT.md section 11), in headless Chromium against the local
 * runtime (the harness of {@link ConsoleBrowserIT}): the Provisioning page says why the SCIM token stopped and
 * offers a new one; the CI Keys page shows each key's creator and marks those no longer admins, with revoke at
 * hand; a member a person removed offers "Allow Provisioning Again". Each test checks the pages with axe-core,
 * leaves no script error, and saves screenshots.
 */
class TrustBrowserIT extends BrowserSessions {
    private final Scim scim;

    TrustBrowserIT(LocalStackRuntime runtime) {
        super(runtime);
        this.scim = new Scim(runtime, api);
    }

    /** A member the admin invited and made ADMIN, who accepted: their member id. */
    private String appointedAdmin(Api.User admin, String ws, Api.User who) {
        String id = api.addActiveMember(admin, ws, who);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + id + "/access", "{\"role\":\"ADMIN\"}").expect(200);
        return id;
    }

    @Test
    void theProvisioningPage_saysWhyTheTokenStopped_andOffersANewOne() {
        Api.User admin = person("trust-admin", "Tara Trust");
        String ws = api.createWorkspace(admin, "Trust " + suffix);
        Api.User eve = person("eve", "Eve Example");
        String eveId = appointedAdmin(admin, ws, eve);
        String evesToken = scim.newToken(eve, ws);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + eveId, null).expect(200);

        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui).section("Provisioning");
        ScimPage page = new ScimPage(ui);
        ui.until(d -> !page.stoppedNotice().isEmpty() ? true : null, "the stopped token's notice");
        assertThat(page.stoppedNotice()).contains("This token stopped working", eve.email() + " was removed from the "
                + "workspace", "Your identity provider is refused until you create a new token");
        assertThat(ui.byId("scim-token-status").getText()).isEqualTo("Stopped");
        ui.assertAccessible("provisioning with a stopped token");
        ui.screenshot(testName + "-stopped");

        String fresh = page.createNew();
        Scim.assertError(scim.call(evesToken, "GET", "/scim/v2/Users", null), 401, null);
        scim.call(fresh, "GET", "/scim/v2/Users", null).expect(200);
        page.done();
        ui.until(d -> page.stoppedNotice().isEmpty() ? true : null, "no stopped notice any more");
        assertThat(ui.byId("scim-token-status").getText()).isEqualTo("Working");
        ui.assertAccessible("provisioning with a new token");
    }

    @Test
    void theCiKeysPage_showsEachKeysCreator_andMarksThoseNoLongerAdmins_withRevokeAtHand() {
        Api.User admin = person("ci-admin", "Cid Admin");
        String ws = api.createWorkspace(admin, "Keys " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        Api.User bob = person("bob", "Bob Builder");
        String bobId = appointedAdmin(admin, ws, bob);
        Api.User pia = person("pia", "Pia Pipeline");
        String piaId = api.addActiveMember(admin, ws, pia);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + piaId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"ci-keys:manage\"]}").expect(200);
        api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Admin pipeline\"}").expect(201);
        api.call(bob, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Bob nightly\"}").expect(201);
        api.call(pia, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Pia release\"}").expect(201);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + bobId, null).expect(200);

        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui).section("CI Keys");
        OtherPages.CiKeysPage page = new OtherPages.CiKeysPage(ui);
        assertThat(page.cell("Admin pipeline", "Created by")).isEqualTo(admin.name() + " (" + admin.email() + ")");
        assertThat(page.cell("Bob nightly", "Created by")).contains(bob.email()).endsWith("No longer a member");
        assertThat(page.cell("Pia release", "Created by")).contains(pia.email()).endsWith("Not an admin now");
        assertThat(page.status("Bob nightly")).as("the key is the workspace's").isEqualTo("ACTIVE");
        ui.assertAccessible("CI keys with creators marked");
        ui.screenshot(testName + "-marked");

        page.revoke("Bob nightly");
        assertThat(page.status("Bob nightly")).isEqualTo("REVOKED");
    }

    @Test
    void aMemberAPersonRemoved_showsWhoRemovedThem_andAllowProvisioningAgainLetsTheIdpBringThemBack() {
        Api.User admin = person("allow-admin", "Alma Allow");
        String ws = api.createWorkspace(admin, "Allow " + suffix);
        String token = scim.newToken(admin, ws);
        Api.User eve = person("eve", "Eve Example");
        String eveId = api.addActiveMember(admin, ws, eve);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + eveId, null).expect(200);
        Scim.assertError(scim.call(token, "POST", "/scim/v2/Users", Scim.user(eve.email(), eve.email(), null)), 403, null);

        ConsolePage.signIn(ui, admin.email(), admin.name());
        MembersPage page = new MembersPage(ui);
        page.showRemoved(true);
        page.openDetails(eve.email(), eve.name());
        assertThat(page.details(eve.name()).getText()).contains("by " + admin.email())
                .contains("the identity provider cannot bring them back on its own");
        ui.assertAccessible("a removed member's details");
        ui.js("arguments[0].scrollIntoView({block: 'center'})", page.details(eve.name()));
        ui.screenshot(testName + "-before");

        page.allowProvisioning(eve.name());
        ui.until(d -> page.hasButton("Allow Provisioning Again") ? null : true, "the control gone");
        assertThat(page.details(eve.name()).getText()).doesNotContain("cannot bring them back")
                .contains("May provision them again");
        ui.js("arguments[0].scrollIntoView({block: 'center'})", page.details(eve.name()));
        ui.screenshot(testName + "-allowed");
        scim.call(token, "POST", "/scim/v2/Users", Scim.user(eve.email(), eve.email(), null)).expect(201);
        ui.driver().navigate().refresh();
        new MembersPage(ui).waitForCell(eve.email(), "Status", "ACTIVE");
        assertThat(new MembersPage(ui).cell(eve.email(), "Role")).isEqualTo("Member");
    }
}
