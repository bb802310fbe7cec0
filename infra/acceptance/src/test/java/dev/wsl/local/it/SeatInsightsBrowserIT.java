package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.browser.ConsolePage;
import dev.wsl.local.browser.MembersPage;
import dev.wsl.local.browser.OtherPages;
import dev.wsl.local.browser.SeatsSection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Idle seats, the reclaim policy and the exports as an admin sees them (issue 21), in headless Chromium against
 * the local runtime: the Licenses section's idle count, the list filtered to idle seats with "idle for N days",
 * turning reclaim on and the preview of the next run, and "Export CSV" saving one file whose content is checked.
 * Each test checks the page with axe-core, leaves no script error, and saves screenshots.
 */
class SeatInsightsBrowserIT extends BrowserSessions {
    private static final Duration DAY = Duration.ofDays(1);
    private final PastSeats past;

    SeatInsightsBrowserIT(LocalStackRuntime runtime) {
        super(runtime);
        this.past = new PastSeats(runtime);
    }

    /** A workspace where Jane last activated 45 days ago, Ivan got his license 40 days ago, Ada activated now. */
    private record Workspace(Api.User admin, String ws, String name, Api.User jane, String ivanEmail, Api.User ada) {}

    private Workspace idleWorkspace(String label) {
        Instant now = Instant.now();
        Api.User admin = person(label + "-admin", "Iris Idle");
        String name = "Idle " + suffix;
        String ws = api.createWorkspace(admin, name);
        licenses.purchase(ws, "sub_" + label + suffix, 10, null);
        Api.User jane = person(label + "-jane", "Jane Doe");
        String janeId = api.addActiveMember(admin, ws, jane);
        past.licenseAt(admin, ws, janeId, now.minus(DAY.multipliedBy(60)));
        past.activateAt(Activations.authToken(api, jane), now.minus(DAY.multipliedBy(45)));
        String ivanEmail = label + "-ivan-" + suffix + "@example.com";
        String ivan = api.invite(admin, ws, "Ivan Invited", ivanEmail).expect(202).text("id");
        past.licenseAt(admin, ws, ivan, now.minus(DAY.multipliedBy(40)));
        Api.User ada = person(label + "-ada", "Ada Active");
        String adaId = api.addActiveMember(admin, ws, ada);
        licenses.assign(admin, ws, adaId).expect(200);
        Activations.request(api, Activations.authToken(api, ada), false).expect(200);
        api.deliverMail();
        return new Workspace(admin, ws, name, jane, ivanEmail, ada);
    }

    @Test
    void theLicensesSection_countsIdleSeats_andTheListFiltersToThem_sayingForHowLong() {
        Workspace w = idleWorkspace("filter");
        runtime.scheduler().invoke("ReclaimFunction", Map.of());

        ConsolePage.signIn(ui, w.admin().email(), w.admin().name());
        MembersPage page = new MembersPage(ui);
        SeatsSection seats = new SeatsSection(ui);
        page.waitForStat("Idle seats", 2);
        assertThat(seats.idleNote()).startsWith("Idle: no activation for 30 days; counted ");
        assertThat(page.cell(w.jane().email(), "Last activation")).contains("idle for 45 days");
        assertThat(page.cell(w.ada().email(), "Last activation")).doesNotContain("idle");
        ui.js("arguments[0].scrollIntoView({block: 'start'})", page.licenses());
        ui.screenshot(testName + "-count");

        seats.showIdleSeats();
        ui.until(d -> page.emails().equals(List.of(w.jane().email(), w.ivanEmail())) ? true : null,
                "Jane and Ivan only, longest idle first");
        assertThat(seats.idleSwitch().isSelected()).isTrue();
        assertThat(page.cell(w.ivanEmail(), "Last activation").replaceAll("\\s+", " ")).isEqualTo("— idle for 40 days");
        assertThat(ui.byId("idle-filter-note").getText()).contains("no activation for 30 days");
        ui.assertAccessible("members filtered to idle seats");
        ui.js("arguments[0].scrollIntoView({block: 'start'})", ui.role("region", "Workspace Members"));
        ui.screenshot(testName + "-filtered");

        seats.idleSwitch().click();
        ui.until(d -> page.emails().contains(w.ada().email()) ? true : null, "every member again");
    }

    @Test
    void anAdmin_turnsOnReclaim_andSeesWhatTheNextRunWouldDo() {
        Workspace w = idleWorkspace("policy");

        ConsolePage.signIn(ui, w.admin().email(), w.admin().name());
        MembersPage page = new MembersPage(ui);
        SeatsSection seats = new SeatsSection(ui);
        ui.until(d -> seats.previewLead().startsWith("Reclaim is off") ? true : null, "the preview with reclaim off");
        assertThat(ui.find(seats.policyCard(), "table", "What the next run would do")).as("nobody idle for 83 days")
                .isEmpty();

        seats.setPolicy("30 days", true, "30 days");
        page.waitForStatus("Seats idle for 30 days are reclaimed now");
        ui.until(d -> seats.previewLead().contains("reclaim seats idle for 30 days") ? true : null,
                "the preview of the policy on");
        List<List<String>> rows = seats.previewRows();
        assertThat(rows).extracting(r -> r.get(1)).containsExactly(w.jane().email(), w.ivanEmail());
        assertThat(rows).allSatisfy(r -> assertThat(r.get(4)).startsWith("Tell the holder; reclaim on "));
        assertThat(ui.byId("preview-counts").getText()).contains("reclaim 0").contains("tell 2 holders");
        assertThat(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=1", null).expect(200).json()
                .get("items").get(0).get("action").asText()).isEqualTo("seat-policy.changed");
        ui.assertAccessible("the seat policy and its preview");
        ui.js("arguments[0].scrollIntoView({block: 'start'})", seats.policyCard());
        ui.screenshot(testName + "-preview");
    }

    @Test
    void exportCsv_savesTheMembersAndTheAuditLog_asOneFileEach() throws Exception {
        Workspace w = idleWorkspace("export");
        api.invite(w.admin(), w.ws(), "=SUM(1,2)", "export-evil-" + suffix + "@example.com").expect(202);
        Path downloads = Files.createTempDirectory("wsl-downloads-");
        ((ChromeDriver) ui.driver()).executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));

        ConsolePage.signIn(ui, w.admin().email(), w.admin().name());
        MembersPage page = new MembersPage(ui);
        SeatsSection seats = new SeatsSection(ui);
        seats.exportButton().click();
        page.waitForStatus("Exported 5 members as CSV.");
        String members = downloaded(downloads, "members-Idle-" + suffix + ".csv");

        assertThat(members).startsWith("\uFEFF\"Name\",\"Email\",\"Status\",\"Role\",\"Permissions\",\"License\","
                + "\"Subscription\",\"Legacy key\",\"Last activation\",\"Idle days\"\r\n");
        assertThat(members.split("\r\n")).hasSize(6);
        assertThat(members).contains("\"Jane Doe\",\"" + w.jane().email() + "\",\"ACTIVE\",\"MEMBER\",\"\",\"yes\"")
                .contains("\"45\"\r\n").contains("\"'=SUM(1,2)\"");
        ui.js("window.scrollTo(0, 0)");
        ui.screenshot(testName + "-members");

        page.section("Audit Log");
        new OtherPages.AuditPage(ui).actions();
        // The page renders again once its entries arrive: click the button it shows then.
        ui.until(d -> {
            ui.role("button", "Export CSV").click();
            return true;
        }, "the audit page's Export CSV");
        ui.until(d -> ui.byId("status").getText().startsWith("Exported ") ? true : null, "the audit export");
        String audit = downloaded(downloads, "audit-" + w.ws() + ".csv");
        assertThat(audit).startsWith("\uFEFF\"When\",\"Actor\",\"Actor id\",\"Action\",\"Target\",\"Details\"\r\n")
                .contains("\"member.invited\"").contains("\"workspace.created\"");
        ui.assertAccessible("the audit log with its export");
        ui.screenshot(testName + "-audit");
    }

    /** The file once the browser finished writing it. */
    private String downloaded(Path dir, String name) {
        Path file = dir.resolve(name);
        ui.until(d -> Files.isRegularFile(file) && !Files.exists(dir.resolve(name + ".crdownload")) ? true : null,
                "the download " + file);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
