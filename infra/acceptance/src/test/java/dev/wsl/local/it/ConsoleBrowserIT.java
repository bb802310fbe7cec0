package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.LegacyKey;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.SentEmail;
import dev.wsl.local.browser.Axe;
import dev.wsl.local.browser.Browsers;
import dev.wsl.local.browser.ConsolePage;
import dev.wsl.local.browser.MembersPage;
import dev.wsl.local.browser.OtherPages.AcceptPage;
import dev.wsl.local.browser.OtherPages.AuditPage;
import dev.wsl.local.browser.OtherPages.AuthTokenPage;
import dev.wsl.local.browser.OtherPages.CiKeysPage;
import dev.wsl.local.browser.OtherPages.NewWorkspacePage;
import dev.wsl.local.browser.SignInPage;
import dev.wsl.local.browser.Ui;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in a real browser (headless Chromium) against the local runtime over HTTP: the
 * same page, sign-in flow (authorization code with PKCE at the development issuer), API routes and
 * emulator as {@code infra/run-local.sh} serves. Each test signs in as people of its own, leaves no
 * JavaScript error in the browser's log, checks each page it visits with axe-core, and saves a
 * screenshot under {@code target/screenshots/}. Setup that is not under test (subscriptions,
 * members who joined earlier) goes through the API as the same users.
 */
class ConsoleBrowserIT extends BrowserSessions {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");
    private static final Pattern INVITE_LINK = Pattern.compile("(http://\\S+/accept-invitation#token=[A-Za-z0-9_-]+)");

    ConsoleBrowserIT(LocalStackRuntime runtime) {
        super(runtime);
    }

    private MembersPage signInToMembers(Ui session, Api.User who) {
        ConsolePage.signIn(session, who.email(), who.name());
        return new MembersPage(session);
    }

    // ------------------------------------------------------------------ invite → email → accept → ACTIVE

    @Test
    void adminInvites_inviteeAcceptsFromTheEmailInASecondBrowser_adminSeesThemActiveUnderTheirOwnName() {
        Api.User admin = person("admin", "Ada Admin");
        Api.User jane = person("jane", "Jane Doe");

        ui.open("/");
        ui.assertAccessible("start page (signed out)");
        SignInPage signIn = ConsolePage.startSignIn(ui);
        // Authorization code with PKCE (S256), state and nonce: the console's request to the issuer.
        Map<String, String> request = query(signIn.requestUrl());
        assertThat(request).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsEntry("client_id", "wsl-local").containsEntry("redirect_uri", ui.baseUrl() + "/oidc/callback")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(request.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        ui.assertAccessible("the development issuer's sign-in page");
        signIn.signInAs(admin.email(), admin.name());

        // A first-time user has no workspace: the console offers to create one.
        NewWorkspacePage newWorkspace = new NewWorkspacePage(ui);
        assertThat(ui.driver().getCurrentUrl()).doesNotContain("code=").doesNotContain("state=");
        ui.assertAccessible("new workspace");
        MembersPage members = newWorkspace.create("Acme " + suffix);
        members.waitForCell(admin.email(), "Status", "ACTIVE");
        assertThat(members.cell(admin.email(), "Name")).isEqualTo("Ada Admin");

        members.invite("Placeholder Jane", jane.email());
        members.waitForStatus("An invitation was sent to " + jane.email());
        members.waitForCell(jane.email(), "Status", "INVITED");
        assertThat(members.cell(jane.email(), "Name")).isEqualTo("Placeholder Jane");
        ui.assertAccessible("members page (admin)");

        // The email as SES sent it (read back from the emulator) holds the link to the accept page.
        api.deliverMail();
        List<SentEmail> mail = api.mailTo(jane.email());
        assertThat(mail).hasSize(1);
        var link = INVITE_LINK.matcher(mail.getFirst().body());
        assertThat(link.find()).as("a link in %s", mail.getFirst().body()).isTrue();
        assertThat(link.group(1)).startsWith(ui.baseUrl() + "/accept-invitation#token=");

        second = new Ui(Browsers.second(), ui.baseUrl());
        second.forgetEverything();
        second.open(link.group(1));
        AcceptPage accept = new AcceptPage(second);
        assertThat(second.driver().getCurrentUrl()).as("the token leaves the address bar at once")
                .isEqualTo(ui.baseUrl() + "/accept-invitation");
        second.assertAccessible("accept invitation (signed out)");
        accept.signInToAccept().signInAs(jane.email(), jane.name());
        accept = new AcceptPage(second);
        assertThat(second.driver().getCurrentUrl()).isEqualTo(ui.baseUrl() + "/accept-invitation");
        second.role("heading", "Signed in as " + jane.email());
        second.assertAccessible("accept invitation (signed in)");
        MembersPage asJane = accept.accept();
        asJane.waitForCell(jane.email(), "Status", "ACTIVE");
        assertThat(asJane.cell(jane.email(), "Name")).isEqualTo("Jane Doe");
        asJane.signOut();

        // Billing records a purchase meanwhile (the admin, as purchaser, gets a license): the page shows it all.
        String ws = query(ui.driver().getCurrentUrl()).get("ws");
        licenses.purchase(ws, "sub_" + suffix, 5, admin.email());
        members.section("Members & Licenses");
        members = new MembersPage(ui);
        members.waitForCell(jane.email(), "Status", "ACTIVE");
        assertThat(members.cell(jane.email(), "Name")).as("the username replaced the placeholder").isEqualTo("Jane Doe");
        assertThat(members.cell(admin.email(), "License")).startsWith("License");
        assertThat(members.stat("Free")).isEqualTo(4);
        ui.driver().manage().window().setSize(new Dimension(1440, 1160));
        try {
            ui.screenshot("members-page");
        } finally {
            ui.driver().manage().window().setSize(new Dimension(1440, 1000));
        }
    }

    @Test
    void theAccessibilityCheck_reportsWhatItFinds() {
        ui.open("/");
        ui.role("button", "Sign in");
        assertThat(Axe.check(ui.driver())).isEmpty();
        // An image without a text alternative and a field without a label: the checker must see both.
        ui.js("document.querySelector('main').insertAdjacentHTML('beforeend', '<img width=\"16\" height=\"16\"><input type=\"text\">')");
        assertThat(Axe.check(ui.driver())).extracting(Axe.Violation::id).contains("image-alt", "label");
    }

    // ------------------------------------------------------------------ licenses

    @Test
    void assigningUntilThePoolIsFull_disablesAssignLicenseWithTheReason_andTheXFreesASeat() {
        Api.User admin = person("seats-admin", "Sam Seats");
        String ws = api.createWorkspace(admin, "Seats " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 2, null);
        Api.User bo = person("bo", "Bo Builder");
        Api.User cy = person("cy", "Cy Coder");
        api.invite(admin, ws, "Bo Builder", bo.email()).expect(202);
        api.invite(admin, ws, "Cy Coder", cy.email()).expect(202);

        MembersPage page = signInToMembers(ui, admin);
        assertThat(List.of(page.stat("Seats"), page.stat("In use"), page.stat("Free"))).containsExactly(2, 0, 2);

        page.assignLicense(admin.email());
        page.waitForStat("In use", 1);
        assertThat(page.stat("Free")).isEqualTo(1);
        page.assignLicense(bo.email());
        page.waitForStat("Free", 0);
        assertThat(page.stat("In use")).isEqualTo(2);
        assertThat(page.stat("Licensed members")).isEqualTo(2);

        WebElement full = page.assignButton(cy.email());
        assertThat(full.isEnabled()).as("Assign License with no free seat").isFalse();
        assertThat(page.assignReason()).startsWith("No free seat: all 2 seats are in use");
        assertThat(full.getAttribute("aria-describedby")).isEqualTo("assign-reason");
        ui.assertAccessible("members page with a full pool");
        ui.screenshot(testName + "-full");

        page.unassignLicense(bo.email(), "Bo Builder");
        page.waitForStat("Free", 1);
        assertThat(page.stat("In use")).isEqualTo(1);
        ui.until(d -> page.assignButton(cy.email()).isEnabled() ? true : null, "Assign License enabled again");
        page.assignLicense(cy.email());
        page.waitForStat("Free", 0);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/licenses", null).expect(200).json().get("inUse").asInt())
                .isEqualTo(2);
    }

    @Test
    void aFullPool_stillOffersAssignLicenseToALegacyKeyHolder_andTheirKeyIsSwappedInOneStep() {
        Api.User admin = person("swap-admin", "Sue Swap");
        String ws = api.createWorkspace(admin, "Swaps " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 2, null);
        Api.User quinn = person("quinn", "Quinn Keys");
        String quinnId = api.invite(admin, ws, "Quinn Keys", quinn.email()).expect(202).text("id");
        Api.User bo = person("bo", "Bo Nokey");
        api.invite(admin, ws, "Bo Nokey", bo.email()).expect(202);
        String held = "lk" + suffix + "qq01";
        String spare = "lk" + suffix + "ss02";
        licenses.importKey(admin, ws, held, quinnId).expect(201);
        licenses.importKey(admin, ws, spare, null).expect(201);

        MembersPage page = signInToMembers(ui, admin);
        page.waitForStat("Free", 0);
        assertThat(page.assignButton(bo.email()).isEnabled()).as("no free seat for a member without a key").isFalse();
        WebElement quinns = page.assignButton(quinn.email());
        assertThat(quinns.isEnabled()).as("a key holder's license takes no seat").isTrue();
        assertThat(quinns.getAttribute("aria-describedby")).isNull();
        ui.assertAccessible("members page, full pool, a key holder");
        page.assignLicense(quinn.email());
        page.waitForStat("Members holding both", 1);
        assertThat(page.stat("In use")).isEqualTo(2);

        // Quinn's key for the spare one: seat-neutral, so the full pool allows it, and the console sends one request.
        page.openDetails(quinn.email(), "Quinn Keys");
        page.giveKey("Quinn Keys", LegacyKey.mask(spare));
        page.waitForCell(quinn.email(), "Legacy key", LegacyKey.mask(spare));
        page.waitForStatus("The legacy key was assigned to Quinn Keys");
        page.waitForStat("Legacy keys unassigned", 1);
        assertThat(page.stat("In use")).isEqualTo(2);
        assertThat(page.maskedKeys()).containsExactlyInAnyOrder(LegacyKey.mask(held), LegacyKey.mask(spare));
    }

    // ------------------------------------------------------------------ member details

    @Test
    void roleChange_remove_showRemoved_andResend() {
        Api.User admin = person("roles-admin", "Rita Roles");
        String ws = api.createWorkspace(admin, "Roles " + suffix);
        Api.User bob = person("bob", "Bob Active");
        api.addActiveMember(admin, ws, bob);
        Api.User carol = person("carol", "Carol Invited");
        api.invite(admin, ws, "Carol Invited", carol.email()).expect(202);
        api.deliverMail();

        MembersPage page = signInToMembers(ui, admin);
        page.openDetails(bob.email(), "Bob Active");
        ui.assertAccessible("member details");
        page.setAccess("Bob Active", "Advanced permissions", "audit:read", "ci-keys:manage");
        page.waitForCell(bob.email(), "Role", "Member + 2 permissions");
        assertThat(api.call(bob, "GET", "/workspaces/" + ws, null).expect(200).json().get("you").get("permissions")
                .toString()).isEqualTo("[\"audit:read\",\"ci-keys:manage\"]");
        page.setAccess("Bob Active", "Admin");
        page.waitForCell(bob.email(), "Role", "Admin");

        page.openDetailsWithKeyboard(carol.email(), "Carol Invited");
        page.remove("Carol Invited");
        page.waitForStatus("Carol Invited was removed");
        ui.until(d -> page.rowNow(carol.email()).isEmpty() ? true : null, "the removed member hidden");

        page.showRemoved(true);
        page.waitForCell(carol.email(), "Status", "REMOVED");
        page.openDetails(carol.email(), "Carol Invited");
        page.resend("Carol Invited");
        page.waitForStatus("A new invitation was sent to " + carol.email());
        page.waitForCell(carol.email(), "Status", "INVITED");
        api.deliverMail();
        assertThat(api.mailTo(carol.email())).as("the first invitation and the resent one").hasSize(2);
    }

    @Test
    void legacyKeys_importAndAssign_countAMemberHoldingBothOnce_andDelete() {
        Api.User admin = person("keys-admin", "Kim Keys");
        String ws = api.createWorkspace(admin, "Keys " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        Api.User dev = person("dev", "Dee Veloper");
        api.addActiveMember(admin, ws, dev);
        String first = "lk" + suffix + "aa01";
        String other = "lk" + suffix + "bb02";

        MembersPage page = signInToMembers(ui, admin);
        page.importKeys(first, other);
        page.waitForStatus("2 legacy keys were imported");
        page.waitForStat("Legacy keys unassigned", 2);
        assertThat(page.stat("In use")).as("unassigned keys hold seats").isEqualTo(2);
        List<String> masked = page.maskedKeys();
        assertThat(masked).hasSize(2).noneMatch(m -> m.contains(suffix)).allMatch(m -> m.contains("…"));
        String firstMasked = masked.stream().filter(m -> m.endsWith("01")).findFirst().orElseThrow();

        page.openDetails(dev.email(), "Dee Veloper");
        page.giveKey("Dee Veloper", firstMasked);
        page.waitForCell(dev.email(), "Legacy key", firstMasked);
        page.waitForStat("Legacy keys assigned", 1);
        assertThat(page.stat("In use")).isEqualTo(2);

        page.assignLicense(dev.email());
        page.waitForStat("Members holding both", 1);
        assertThat(page.stat("In use")).as("a member holding a key and a license counts once").isEqualTo(2);

        String otherMasked = masked.stream().filter(m -> !m.equals(firstMasked)).findFirst().orElseThrow();
        page.deleteKey(otherMasked);
        page.waitForStat("Legacy keys unassigned", 0);
        assertThat(page.stat("In use")).isEqualTo(1);
        assertThat(page.maskedKeys()).containsExactly(firstMasked);
        ui.assertAccessible("members page with legacy keys");
    }

    // ------------------------------------------------------------------ credentials

    @Test
    void ciKey_isShownOnceWhenCreated_activatesInCi_andStopsWhenRevoked() {
        Api.User admin = person("ci-admin", "Cid Pipelines");
        String ws = api.createWorkspace(admin, "CI " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 3, null);

        signInToMembers(ui, admin).section("CI Keys");
        CiKeysPage page = new CiKeysPage(ui);
        String key = page.create("GitHub Actions");
        assertThat(key).startsWith("lsci-");
        ui.assertAccessible("CI keys with the new key shown");
        page.done();
        ui.until(d -> !d.getPageSource().contains(key) ? true : null, "the key gone from the page");
        assertThat(page.status("GitHub Actions")).isEqualTo("ACTIVE");
        assertThat(Activations.request(api, key, true).status()).as("the new CI key activates in CI").isEqualTo(200);

        page.revoke("GitHub Actions");
        assertThat(Activations.request(api, key, true).status()).as("a revoked CI key").isEqualTo(401);
        ui.driver().navigate().refresh();
        page = new CiKeysPage(ui);
        assertThat(page.status("GitHub Actions")).isEqualTo("REVOKED");
        assertThat(ui.driver().getPageSource()).doesNotContain(key);
        ui.assertAccessible("CI keys");
    }

    @Test
    void authToken_revealed_copied_rotated_andTheOldOneNoLongerActivates() {
        Api.User admin = person("token-admin", "Tom Token");
        String ws = api.createWorkspace(admin, "Tokens " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 3, admin.email()); // the purchaser gets a license

        signInToMembers(ui, admin).section("Auth Token");
        AuthTokenPage page = new AuthTokenPage(ui);
        assertThat(page.shown()).endsWith("(hidden)").doesNotContain(Activations.authToken(api, admin));
        String old = page.reveal();
        assertThat(old).isEqualTo(Activations.authToken(api, admin));
        // The page may write the clipboard on the click; the test may read it back.
        ((ChromeDriver) ui.driver()).executeCdpCommand("Browser.grantPermissions", Map.of("origin", ui.baseUrl(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        assertThat(page.copy()).isEqualTo(old);
        assertThat(Activations.request(api, old, false).status()).isEqualTo(200);
        ui.assertAccessible("auth token (revealed)");

        page.rotate();
        String rotated = page.reveal();
        assertThat(rotated).isNotEqualTo(old).isEqualTo(Activations.authToken(api, admin));
        assertThat(Activations.request(api, old, false).status()).as("the old token after rotation").isEqualTo(401);
        assertThat(Activations.request(api, rotated, false).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ who sees what, errors

    @Test
    void aMember_seesNoAdminControls() {
        Api.User admin = person("owner", "Olga Owner");
        String ws = api.createWorkspace(admin, "Members only " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        Api.User member = person("plain", "Pat Plain");
        api.addActiveMember(admin, ws, member);
        api.invite(admin, ws, "Quinn Invited", "quinn-" + suffix + "@example.com").expect(202);
        // A legacy key exists, so that its absence from the member's page is the console's doing.
        licenses.importKey(admin, ws, "lk" + suffix + "mm01", null).expect(201);

        MembersPage page = signInToMembers(ui, member);
        page.waitForCell(admin.email(), "Status", "ACTIVE");
        assertThat(page.stat("Legacy keys unassigned")).as("members see the summary, key included").isEqualTo(1);
        assertThat(page.hasButton("Invite User")).isFalse();
        assertThat(page.hasButton("Assign License")).isFalse();
        assertThat(ui.find(null, "region", "Invite Users")).isEmpty();
        assertThat(ui.find(null, "region", "Legacy API Keys")).as("the key management section").isEmpty();
        assertThat(ui.find(null, "table", "Legacy API keys")).isEmpty();
        assertThat(page.maskedKeys()).isEmpty();
        assertThat(page.hasLink("CI Keys")).isFalse();
        assertThat(page.hasLink("Audit Log")).isFalse();
        assertThat(page.hasLink("Auth Token")).isTrue();
        assertThat(page.stat("Seats")).as("members see the license summary").isEqualTo(3);
        ui.assertAccessible("members page (member)");

        page.openDetails("quinn-" + suffix + "@example.com", "Quinn Invited");
        WebElement details = page.details("Quinn Invited");
        for (String control : List.of("Remove User from Workspace", "Resend Invitation", "Save Access", "Save Legacy Key")) {
            assertThat(ui.find(details, "button", control)).as(control).isEmpty();
        }
        assertThat(details.findElements(By.tagName("input"))).as("no access form").isEmpty();
    }

    @Test
    void aMemberWithSomePermissions_isOfferedResendAndAccess_onlyForMembersWhoseAccessTheyCouldGrant() {
        Api.User admin = person("grant-admin", "Gina Grants");
        String ws = api.createWorkspace(admin, "Grants " + suffix);
        Api.User helper = person("helper", "Hal Helper");
        String helperId = api.addActiveMember(admin, ws, helper);
        api.call(admin, "PUT", "/workspaces/" + ws + "/members/" + helperId + "/access",
                "{\"role\":\"MEMBER\",\"permissions\":[\"members:invite\",\"members:permissions\"]}").expect(200);
        String auditor = "auditor-" + suffix + "@example.com";
        api.call(admin, "POST", "/workspaces/" + ws + "/members", "{\"name\":\"Ann Auditor\",\"email\":\"" + auditor
                + "\",\"permissions\":[\"audit:read\"]}").expect(202);
        String plain = "pia-" + suffix + "@example.com";
        api.invite(admin, ws, "Pia Plain", plain).expect(202);

        MembersPage page = signInToMembers(ui, helper);
        page.openDetails(auditor, "Ann Auditor");
        WebElement annsDetails = page.details("Ann Auditor");
        // Ann holds audit:read, which Hal lacks: the API would refuse both (403 cannot-grant), so neither is offered.
        assertThat(ui.find(annsDetails, "button", "Resend Invitation")).as("resend to Ann").isEmpty();
        assertThat(ui.find(annsDetails, "button", "Save Access")).as("Ann's access form").isEmpty();
        assertThat(annsDetails.getText()).contains("Access: Member + 1 permission.");
        ui.assertAccessible("member details (a member with some permissions)");

        page.openDetails(plain, "Pia Plain");
        WebElement piasDetails = page.details("Pia Plain");
        ui.role(piasDetails, "button", "Save Access");
        page.resend("Pia Plain");
        page.waitForStatus("A new invitation was sent to " + plain);
    }

    @Test
    void aSessionTheApiRefusesAtPageLoad_showsSignInAgain_andSigningInAgainWorks() {
        Api.User admin = person("stale", "Stu Stale");
        api.createWorkspace(admin, "Stale " + suffix);
        signInToMembers(ui, admin);
        // What an open tab holds after infra/run-local.sh restarts (a new issuer key): an ID token that no longer
        // verifies. Its signature is broken here.
        ui.js("""
                const s = JSON.parse(sessionStorage.getItem('wsl.session'));
                const [header, payload, signature] = s.idToken.split('.');
                s.idToken = [header, payload, (signature.startsWith('AAAA') ? 'BBBB' : 'AAAA') + signature.slice(4)].join('.');
                sessionStorage.setItem('wsl.session', JSON.stringify(s));""");
        ui.expectRefusal("/me/workspaces", 401);

        ui.driver().navigate().refresh();

        ui.role("heading", "Your session has ended");
        WebElement again = ui.role("button", "Sign in again");
        assertThat(ui.find(null, "heading", "Something went wrong")).isEmpty();
        assertThat(ui.js("return sessionStorage.getItem('wsl.session')")).as("the refused token is forgotten").isNull();
        ui.assertAccessible("session ended");
        ui.screenshot(testName + "-ended");
        again.click();
        new SignInPage(ui).signInAs(admin.email(), admin.name());
        new MembersPage(ui).waitForCell(admin.email(), "Status", "ACTIVE");
    }

    @Test
    void anApiError_isShownNextToTheFieldThatCausedIt_andInASummaryThatTakesTheFocus() {
        Api.User admin = person("errors-admin", "Eve Errors");
        String ws = api.createWorkspace(admin, "Errors " + suffix);

        MembersPage page = signInToMembers(ui, admin);
        ui.expectRefusal("/workspaces/" + ws + "/members", 400);
        page.inviteWithKeyboard("Nobody", "not-an-email");

        String detail = page.fieldError("Email address");
        assertThat(detail).isNotBlank().containsIgnoringCase("email");
        WebElement summary = page.errorSummary();
        assertThat(summary.getText()).contains("There is a problem", detail);
        assertThat(ui.js("return document.activeElement.id")).isEqualTo(summary.getAttribute("id"));
        assertThat(ui.role("textbox", "Email address").getAttribute("aria-invalid")).isEqualTo("true");
        ui.role(summary, "link", detail).click();
        assertThat(ui.js("return document.activeElement.id")).isEqualTo("invite-email");
        ui.assertAccessible("invite form with an error");
        assertThat(api.allMembers(admin, ws, true)).as("nothing was invited").hasSize(1);
        // The refusal reached the browser as a 400 (logged as a failed resource, which the test expects).
        assertThat(ui.drainLog()).anyMatch(line -> line.contains("/workspaces/" + ws + "/members") && line.contains("400"));
        assertThat(ui.scriptErrors()).as("the declared refusal is no error").isEmpty();
    }

    @Test
    void signOut_leavesNoTokenInStorage_inAnyUrl_orInThePage() {
        Api.User admin = person("leaver", "Lee Leaver");
        String ws = api.createWorkspace(admin, "Leaving " + suffix);
        MembersPage page = signInToMembers(ui, admin);
        assertThat(ui.js("return localStorage.length")).as("nothing in localStorage, even while signed in").isEqualTo(0L);
        String idToken = (String) ui.js("return JSON.parse(sessionStorage.getItem('wsl.session')).idToken");
        assertThat(idToken).matches(JWT.pattern() + ".*");
        page.section("Audit Log");
        new AuditPage(ui);
        ui.until(d -> new AuditPage(ui).actions().contains("workspace.created") ? true : null, "the audit entry");
        ui.assertAccessible("audit log");
        page.section("Auth Token");
        String authToken = new AuthTokenPage(ui).reveal();
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) ui.js("return performance.getEntries().map(e => e.name)");
        assertThat(requested).as("addresses requested while signed in").isNotEmpty()
                .noneMatch(url -> JWT.matcher(url).find() || url.contains(authToken) || url.contains("id_token"));

        page.signOut();

        assertThat(ui.js("return localStorage.length")).isEqualTo(0L);
        assertThat(ui.js("return sessionStorage.length")).isEqualTo(0L);
        assertThat(ui.driver().manage().getCookies()).isEmpty();
        assertThat(ui.driver().getCurrentUrl()).isEqualTo(ui.baseUrl() + "/");
        String html = ui.driver().getPageSource();
        assertThat(html).doesNotContain(idToken).doesNotContain(authToken);
        assertThat(JWT.matcher(html).find()).isFalse();
        @SuppressWarnings("unchecked")
        List<String> after = (List<String>) ui.js("return [location.href, ...performance.getEntries().map(e => e.name)]");
        assertThat(after).noneMatch(url -> JWT.matcher(url).find() || url.contains("code=") || url.contains(authToken));
        ui.assertAccessible("start page after sign-out");
        // The API no longer sees this browser as anyone: opening a workspace page asks to sign in.
        ui.open("/?ws=" + ws + "&view=members");
        ui.role("button", "Sign in");
    }

    private static Map<String, String> query(String url) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
