package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.browser.Browsers;
import dev.wsl.local.browser.ConsentPages.DomainsPage;
import dev.wsl.local.browser.ConsentPages.PendingPage;
import dev.wsl.local.browser.ConsentPages.TokenWorkspaceChoice;
import dev.wsl.local.browser.ConsolePage;
import dev.wsl.local.browser.MembersPage;
import dev.wsl.local.browser.Ui;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Consent and verified domains in the console (issue 17, part B), in headless Chromium against the local runtime
 * over HTTP: an admin verifies a domain on the Domains page through the runtime's DNS server; a person provisioned
 * by strangers' identity providers is asked at sign-in and joins one, declines the other; a user licensed in two
 * workspaces chooses where their token activates. Each page is checked with axe-core and screenshotted.
 */
class ConsentBrowserIT extends BrowserSessions {
    private final Scim scim;

    ConsentBrowserIT(LocalStackRuntime runtime) {
        super(runtime);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void domainsPage_addsADomain_showsItsRecord_andVerifiesItThroughDns() {
        Api.User admin = person("dom-admin", "Dora Domains");
        String ws = api.createWorkspace(admin, "Domains " + suffix);
        String domain = "corp-" + suffix + ".example.test";

        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui).section("Domains");
        DomainsPage page = new DomainsPage(ui);
        page.add(domain);
        page.waitForStatus("was added");
        List<String> record = page.record(domain);
        assertThat(record.getFirst()).isEqualTo("_wsl-verification." + domain);
        assertThat(record.getLast()).startsWith("wsl-verify=");
        assertThat(page.status(domain)).isEqualTo("Not verified");
        ui.assertAccessible("domains with a domain to verify");
        ui.screenshot(testName + "-added");

        page.verify(domain);
        page.waitForStatus("No TXT record");
        runtime.dns().publishTxt(record.getFirst(), record.getLast());
        page.verify(domain);
        page.waitForStatus(domain, "Verified");
        assertThat(ui.byId("status").getText()).contains("Verified");
        ui.assertAccessible("domains with a verified domain");
        ui.screenshot(testName + "-verified");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/domains", null).expect(200).json().get("items").get(0)
                .get("status").asText()).isEqualTo("VERIFIED");

        // A member (not an admin) has no Domains page.
        Api.User member = person("dom-member", "Mo Member");
        api.addActiveMember(admin, ws, member);
        second = new Ui(Browsers.second(), ui.baseUrl());
        second.forgetEverything();
        ConsolePage.signIn(second, member.email(), member.name());
        new MembersPage(second).switchWorkspace("Domains " + suffix);
        new MembersPage(second);
        assertThat(new ConsolePage(second).hasLink("Domains")).isFalse();
    }

    @Test
    void aProvisionedPerson_isAskedAtSignIn_joinsOne_andDeclinesTheOther() {
        Api.User person = person("asked", "Ada Asked");
        Api.User setUp = person("idp-admin", "Ivy Admin");
        String teamWs = api.createWorkspace(setUp, "Team " + suffix);
        String teamToken = scim.newToken(setUp, teamWs);
        scim.call(teamToken, "POST", "/scim/v2/Users", Scim.user(person.email(), person.email(), null)).expect(201);
        Api.User mallory = person("mallory", "Mallory");
        String evil = api.createWorkspace(mallory, "IT: re-enter your token at evil.test");
        scim.call(scim.newToken(mallory, evil), "POST", "/scim/v2/Users", Scim.user(person.email(), person.email(), null))
                .expect(201);

        ConsolePage.signIn(ui, person.email(), person.name());
        PendingPage prompt = new PendingPage(ui);
        assertThat(prompt.workspaces()).containsExactlyInAnyOrder("Team " + suffix, "IT: re-enter your token at evil.test");
        assertThat(prompt.addedBy("IT: re-enter your token at evil.test")).contains(mallory.email());
        assertThat(prompt.addedBy("Team " + suffix)).contains("set up by its admin " + setUp.email());
        ui.assertAccessible("the Join or Decline prompt");
        ui.screenshot(testName + "-asked");

        prompt.decline("IT: re-enter your token at evil.test");
        prompt.join("Team " + suffix);
        ui.until(d -> d.findElements(org.openqa.selenium.By.id("no-pending")).isEmpty() ? null : true, "nothing left");
        ui.screenshot(testName + "-answered");
        ui.role("link", "Continue to your workspaces").click();
        new MembersPage(ui).switchWorkspace("Team " + suffix);
        assertThat(api.call(person, "GET", "/me/workspaces", null).expect(200).raw()).contains(teamWs).doesNotContain(evil);
        assertThat(api.call(mallory, "GET", "/workspaces/" + evil + "/members?includeRemoved=true", null).expect(200).raw())
                .contains("REMOVED");
    }

    @Test
    void theAuthTokenPage_letsTheUserChooseWhereTheirTokenActivates() {
        Api.User user = person("chooser", "Cho Oser");
        String first = api.createWorkspace(user, "First " + suffix);
        String second = api.createWorkspace(user, "Second " + suffix);
        licenses.purchase(first, "sub_f" + suffix, 3, user.email());
        licenses.purchase(second, "sub_s" + suffix, 3, user.email());
        String token = Activations.authToken(api, user);
        assertThat(Activations.request(api, token, false).expect(200).text("id"))
                .isEqualTo(licenseIdIn(user, first));

        ConsolePage.signIn(ui, user.email(), user.name());
        new MembersPage(ui).section("Auth Token");
        TokenWorkspaceChoice choice = new TokenWorkspaceChoice(ui);
        assertThat(choice.activatesIn()).isEqualTo("Activations go to First " + suffix + ".");
        choice.choose("Second " + suffix, true);
        ui.until(d -> choice.activatesIn().contains("Second " + suffix) ? true : null, "the new choice");
        ui.assertAccessible("the auth token with the choice of workspace");
        ui.screenshot(testName + "-chosen");

        assertThat(api.call(user, "GET", "/me/auth-token/workspaces", null).expect(200).text("chosen")).isEqualTo(second);
        assertThat(Activations.request(api, token, false).expect(200).text("id")).isEqualTo(licenseIdIn(user, second));
    }

    /** The stable license id of the user's membership in the workspace, as activation names it. */
    private String licenseIdIn(Api.User user, String ws) {
        String memberId = api.call(user, "GET", "/workspaces/" + ws, null).expect(200).json().get("you").get("memberId")
                .asText();
        return "license_" + java.util.UUID.nameUUIDFromBytes(("member:" + ws + ":" + memberId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
