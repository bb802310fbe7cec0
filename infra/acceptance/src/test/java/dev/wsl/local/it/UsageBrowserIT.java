package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.ActivationService;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoUsageStore;
import dev.wsl.licenses.UsageRecorder;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.browser.ConsolePage;
import dev.wsl.local.browser.MembersPage;
import dev.wsl.local.browser.OtherPages;
import dev.wsl.testkit.MutableClock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What an admin sees of issue 21's usage over time and rotation with an overlap, in headless Chromium against the
 * local runtime (the harness of {@link ConsoleBrowserIT}): the Licenses page's chart of 90 days with every number
 * in the table beside it; a CI key rotated with a 24-hour overlap, its old key's end and "End now"; the same for
 * the auth token. Each test checks the pages with axe-core, leaves no script error, and saves screenshots.
 */
class UsageBrowserIT extends BrowserSessions {
    UsageBrowserIT(LocalStackRuntime runtime) {
        super(runtime);
    }

    @Test
    void theLicensesPage_drawsNinetyDaysOfUse_withEveryNumberInATableBesideTheChart() {
        Api.User admin = person("usage-admin", "Una Usage");
        String ws = api.createWorkspace(admin, "Usage " + suffix);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // The pool's past: the table's stream cannot be back-dated, so its changes on those days are given to the
        // stream consumer's recorder directly, today's start included (before the stream delivers today's own
        // changes, as the day's first change would have been).
        UsageRecorder recorder = new UsageRecorder(new DynamoUsageStore(runtime.dynamoDb(), runtime.tableName()),
                new DynamoLicenseStore(runtime.dynamoDb(), runtime.tableName()));
        recorder.poolChanged(ws, at(today.minusDays(84)), 0, 0, 2, 5);
        recorder.poolChanged(ws, at(today.minusDays(61)), 2, 5, 4, 5);
        recorder.poolChanged(ws, at(today.minusDays(33)), 4, 5, 5, 10);
        recorder.poolChanged(ws, at(today), 5, 10, 6, 10);

        licenses.purchase(ws, "sub_" + suffix, 10, admin.email());
        List<String> tokens = new ArrayList<>(List.of(Activations.authToken(api, admin)));
        String keyHolder = null;
        for (String name : List.of("ana", "ben", "cy", "dee")) {
            Api.User member = person("usage-" + name, name.toUpperCase() + " Member");
            String id = api.addActiveMember(admin, ws, member);
            licenses.assign(admin, ws, id).expect(200);
            tokens.add(Activations.authToken(api, member));
            keyHolder = keyHolder == null ? id : keyHolder;
        }
        String ci = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Nightly\"}").expect(201).text("key");
        String assignedKey = Licenses.randomKey();
        String looseKey = Licenses.randomKey();
        licenses.importKey(admin, ws, assignedKey, keyHolder).expect(201);
        licenses.importKey(admin, ws, looseKey, null).expect(201);

        // Activations on past days, through activation's real handler on a test clock: weekdays, more people as
        // the weeks go by, the CI key every working day, the legacy keys fading out (a sunset in progress).
        MutableClock clock = new MutableClock(Instant.now());
        ActivationHandler activation = new ActivationHandler(new ActivationService(
                new ActivationStore(runtime.dynamoDb(), runtime.tableName()), clock, Duration.ofHours(24), null));
        for (int back = 89; back >= 0; back--) {
            LocalDate day = today.minusDays(back);
            if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                continue;
            }
            clock.set(at(day).plus(Duration.ofHours(9)));
            int people = Math.min(tokens.size(), 1 + (89 - back) / 22 + (back % 3 == 0 ? 1 : 0));
            for (int i = 0; i < people; i++) {
                activate(activation, "licensing-auth-token", tokens.get(i), false);
            }
            if (back % 7 != 3) {
                activate(activation, "licensing-auth-token", ci, true);
            }
            if (back > 40 && back % 2 == 0) {
                activate(activation, "licensing-api-key", assignedKey, false);
            }
            if (back > 60) {
                activate(activation, "licensing-api-key", looseKey, false);
            }
        }
        api.deliverMail();
        JsonNode usage = api.call(admin, "GET", "/workspaces/" + ws + "/usage", null).expect(200).json();

        ConsolePage.signIn(ui, admin.email(), admin.name());
        MembersPage page = new MembersPage(ui);
        WebElement chart = page.usageChart();
        assertThat(chart.getAccessibleName()).startsWith("Usage per day").contains(String.valueOf(today.getYear()));
        List<List<String>> rows = page.usageRows();
        assertThat(rows).hasSize(90);
        // Newest first, every number as the API says: seats in use, seats, members, then the kinds.
        for (int i : new int[] {0, 10, 45, 89}) {
            JsonNode d = usage.get("days").get(89 - i);
            assertThat(rows.get(i).subList(1, 7)).as("row %d (%s)", i, d.get("date").asText()).containsExactly(
                    d.get("seatsInUse").asText(), d.get("seats").asText(), d.get("members").asText(),
                    d.get("activations").get("authToken").asText(), d.get("activations").get("ciKey").asText(),
                    d.get("activations").get("legacyKey").asText());
        }
        assertThat(rows.get(0).subList(1, 3)).as("today: the pool as it is").containsExactly("6", "10");
        assertThat(rows.get(20).subList(1, 3)).as("after the change 33 days ago").containsExactly("5", "10");
        assertThat(rows.get(45).subList(1, 3)).as("after the change 61 days ago").containsExactly("4", "5");
        assertThat(rows.get(89).subList(1, 3)).as("before the first change").containsExactly("0", "0");
        // Every kind of mark is drawn, and the legend names them in words (no colour needed).
        assertThat(chart.findElements(By.cssSelector(".usage-chart__bar--token"))).isNotEmpty();
        assertThat(chart.findElements(By.cssSelector(".usage-chart__bar--ci"))).isNotEmpty();
        assertThat(chart.findElements(By.cssSelector(".usage-chart__bar--legacy"))).isNotEmpty();
        assertThat(chart.findElements(By.cssSelector(".usage-chart__marker"))).isNotEmpty();
        assertThat(ui.byId("usage-legend").getText()).contains("Auth tokens", "CI keys", "Legacy keys",
                "Seats in use (thick line)", "Seats (dashed line)", "Members who activated (line with squares)");
        assertThat(ui.driver().findElements(By.cssSelector("#main [style]"))).as("no inline style (CSP)").isEmpty();
        ui.assertAccessible("the Licenses page with its usage chart");
        ui.js("arguments[0].scrollIntoView({block: 'start'})", page.usage());
        ui.screenshot(testName + "-chart");
        ui.js("document.body.style.zoom = '0.8'");
        ui.js("arguments[0].scrollIntoView({block: 'start'})", page.usage());
        ui.screenshot(testName + "-chart-whole");
        ui.js("document.body.style.zoom = ''");

        // The table scrolls by keyboard too: its region takes the focus.
        WebElement region = ui.role("region", "Usage per day (UTC), newest first");
        region.click();
        ui.js("arguments[0].scrollTop = arguments[0].scrollHeight", region);
        ui.screenshot(testName + "-table-end");
    }

    @Test
    void aCiKeyRotatedWithA24HourOverlap_showsUntilWhenTheOldKeyWorks_andEndNowStopsIt() {
        Api.User admin = person("rotate-admin", "Rhea Rotate");
        String ws = api.createWorkspace(admin, "Rotate " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        String old = api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"GitHub Actions\"}")
                .expect(201).text("key");
        api.call(admin, "POST", "/workspaces/" + ws + "/ci-keys", "{\"name\":\"Nightly\"}").expect(201);

        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui).section("CI Keys");
        OtherPages.CiKeysPage page = new OtherPages.CiKeysPage(ui);
        String fresh = page.rotate("GitHub Actions", "For 24 hours");

        assertThat(fresh).startsWith("lsci-").isNotEqualTo(old);
        page.waitForStatus("keeps working until");
        WebElement notice = ui.until(d -> page.overlap("GitHub Actions").orElse(null), "the old key's notice");
        assertThat(notice.getText()).contains("The old key lsci-…" + old.substring(old.length() - 4))
                .contains("keeps working until").contains("End now");
        Instant until = Instant.parse(api.call(admin, "GET", "/workspaces/" + ws + "/ci-keys", null).expect(200).json()
                .get("items").get(0).get("previous").get("until").asText());
        assertThat(until).isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(24)));
        assertThat(notice.findElement(By.tagName("time")).getAttribute("datetime")).isEqualTo(until.toString());
        assertThat(page.overlap("Nightly")).as("the other key has none").isEmpty();
        assertThat(Activations.request(api, old, true).status()).as("the old key still works").isEqualTo(200);
        assertThat(Activations.request(api, fresh, true).status()).isEqualTo(200);
        ui.assertAccessible("a CI key rotated with a 24-hour overlap");
        ui.screenshot(testName + "-new-key");
        page.done();
        ui.js("arguments[0].scrollIntoView({block: 'center'})", page.row("GitHub Actions"));
        ui.screenshot(testName + "-overlap");

        page.endNow("GitHub Actions");
        page.waitForStatus("no longer works");
        assertThat(Activations.request(api, old, true).status()).as("ended now").isEqualTo(401);
        assertThat(Activations.request(api, fresh, true).status()).isEqualTo(200);
        ui.assertAccessible("a CI key whose overlap ended");
        ui.screenshot(testName + "-ended");
    }

    @Test
    void theAuthToken_rotatedKeepingTheOldOneADay_showsUntilWhen_andEndNowStopsIt() {
        Api.User admin = person("token-admin", "Toby Token");
        String ws = api.createWorkspace(admin, "Token " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 5, admin.email());
        String old = Activations.authToken(api, admin);

        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui).section("Auth Token");
        OtherPages.AuthTokenPage page = new OtherPages.AuthTokenPage(ui);
        page.rotate("For 24 hours");

        String fresh = page.reveal();
        assertThat(fresh).isNotEqualTo(old);
        WebElement notice = ui.until(d -> page.overlap().orElse(null), "the old token's notice");
        assertThat(notice.getText()).contains("The old token ls-…" + old.substring(old.length() - 4))
                .contains("keeps working until").doesNotContain(old);
        assertThat(Activations.request(api, old, false).status()).isEqualTo(200);
        ui.assertAccessible("an auth token rotated with an overlap");
        ui.screenshot(testName + "-overlap");

        page.endNow();
        assertThat(page.overlap()).isEmpty();
        assertThat(Activations.request(api, old, false).status()).isEqualTo(401);
        assertThat(Activations.request(api, fresh, false).status()).isEqualTo(200);
    }

    private static Instant at(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static void activate(ActivationHandler handler, String type, String credential, boolean ci) {
        int status = handler.handleRequest(APIGatewayV2HTTPEvent.builder().withRawPath("/v1/license/request")
                .withHeaders(new HashMap<>()).withBody(Activations.body(type, credential, ci, null))
                .withIsBase64Encoded(false).build(), null).getStatusCode();
        assertThat(status).as("activation with a %s", type).isEqualTo(200);
    }
}
