package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.local.LocalServer;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.browser.Browsers;
import dev.wsl.local.browser.ConsolePage;
import dev.wsl.local.browser.MembersPage;
import dev.wsl.local.browser.Ui;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the members page costs, measured in the browser with the Resource Timing API and printed
 * as {@code [console]} lines (docs/measurements.md): the bytes of HTML, JavaScript and CSS
 * (as sent, gzip, and as decoded), the API requests it makes, and the time from navigation to the
 * members list rendered with 10 and with 500 members. Times are printed, never asserted (the
 * machine is shared); the request count is pinned, like the DynamoDB counts in {@link RequestCountIT}.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ConsoleMeasureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUNS = 5;

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;

    ConsoleMeasureIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @Test
    void membersPage_payload_requests_andTimeToTheList_with10And500Members() throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String email = "measure-" + suffix + "@example.com";
        String sub = LocalServer.stableSub(email);
        Api.User admin = new Api.User(sub, email, "Mia Measure", runtime.token(sub, email, "Mia Measure", Duration.ofHours(1)));
        String small = populated(admin, "Ten " + suffix, 10, suffix + "s");
        long started = System.nanoTime();
        String large = populated(admin, "Five hundred " + suffix, 500, suffix + "l");
        System.out.printf("[console] seeding 499 invitations through the API took %d ms%n",
                (System.nanoTime() - started) / 1_000_000);

        Ui ui = new Ui(Browsers.first(), LocalRuntimeExtension.baseUrl());
        ui.forgetEverything();
        ConsolePage.signIn(ui, admin.email(), admin.name());
        new MembersPage(ui);

        JsonNode cold = load(ui, small, true);
        long html = sum(cold, "navigation", "decoded");
        long htmlGz = sum(cold, "navigation", "encoded");
        long js = sum(cold, "script", "decoded");
        long jsGz = sum(cold, "script", "encoded");
        long css = sum(cold, "css", "decoded");
        long cssGz = sum(cold, "css", "encoded");
        List<String> apiCalls = new ArrayList<>();
        cold.path("resources").forEach(r -> {
            if ("fetch".equals(r.path("type").asText())) {
                apiCalls.add(r.path("path").asText());
            }
        });
        System.out.printf("[console] members page payload, cold cache: HTML %d B (%d B gzip), JavaScript %d files "
                        + "%d B (%d B gzip), CSS %d B (%d B gzip); total %d B (%d B gzip)%n", html, htmlGz,
                count(cold, "script"), js, jsGz, css, cssGz, html + js + css, htmlGz + jsGz + cssGz);
        System.out.println("[console] API requests to render the members page: " + apiCalls.size() + " " + apiCalls);
        JsonNode warm = load(ui, small, false);
        System.out.printf("[console] on a later visit (warm cache) the page transfers %d B of JavaScript and CSS%n",
                sum(warm, "script", "transfer") + sum(warm, "css", "transfer"));

        assertThat(apiCalls).as("the members page's API requests (an admin's: members, summary, legacy keys, workspaces, "
                + "the reclaim preview, usage over time)")
                .hasSize(6).allMatch(p -> p.startsWith("/me/workspaces") || p.startsWith("/workspaces/" + small + "/"));
        assertThat(htmlGz).as("the HTML travels gzipped").isLessThan(html);

        Timings tenWarm = new Timings();
        Timings fiveHundredWarm = new Timings();
        Timings tenCold = new Timings();
        Timings fiveHundredCold = new Timings();
        for (int i = 0; i < RUNS; i++) {
            tenWarm.add(load(ui, small, false));
            fiveHundredWarm.add(load(ui, large, false));
            tenCold.add(load(ui, small, true));
            fiveHundredCold.add(load(ui, large, true));
        }
        System.out.printf("[console] navigation to members list rendered, median of %d (ms): 10 members %s warm / %s cold "
                + "cache; 500 members %s warm / %s cold cache%n", RUNS, tenWarm, tenCold, fiveHundredWarm, fiveHundredCold);
        System.out.println("[console]   (total = the list drawn after navigation start; api = the member page's request, "
                + "from sending to its last byte; after = drawing the list once its data arrived)");

        ui.open("/?ws=" + large + "&view=members");
        MembersPage page = new MembersPage(ui);
        assertThat(page.emails()).as("one page of 25 of the 500").hasSize(25);
        ui.role("button", "Next page").click();
        ui.role("button", "Previous page");
        ui.until(d -> !page.emails().contains(admin.email()) ? true : null, "the second page");
        assertThat(page.emails()).hasSize(25);
        ui.screenshot("members-500");
        ui.assertNoScriptErrors();
        page.signOut();
    }

    /** Medians of several loads: time to the rendered list, the member list request, and the drawing after it. */
    private static final class Timings {
        private final List<Double> total = new ArrayList<>();
        private final List<Double> api = new ArrayList<>();
        private final List<Double> after = new ArrayList<>();

        void add(JsonNode load) {
            double rendered = load.path("rendered").asDouble();
            for (JsonNode r : load.path("resources")) {
                if ("fetch".equals(r.path("type").asText()) && r.path("path").asText().endsWith("/members")) {
                    total.add(rendered);
                    api.add(r.path("end").asDouble() - r.path("start").asDouble());
                    after.add(rendered - r.path("end").asDouble());
                }
            }
        }

        @Override
        public String toString() {
            return String.format("%.0f (api %.0f, after %.0f)", median(total), median(api), median(after));
        }
    }

    /** A workspace with the admin and {@code members - 1} invited people, and a subscription. */
    private String populated(Api.User admin, String name, int members, String tag) {
        String ws = api.createWorkspace(admin, name);
        licenses.purchase(ws, "sub_" + tag, 5, null);
        IntStream.range(1, members).parallel().forEach(i ->
                api.invite(admin, ws, "Person " + i, "p" + i + "-" + tag + "@example.com").expect(202));
        return ws;
    }

    /** Opens the workspace's members page (after emptying the cache when asked) and reads the timings. */
    private static JsonNode load(Ui ui, String ws, boolean coldCache) throws IOException {
        if (coldCache) {
            ((ChromeDriver) ui.driver()).executeCdpCommand("Network.clearBrowserCache", Map.of());
        }
        ui.open("/?ws=" + ws + "&view=members");
        ui.until(d -> Boolean.TRUE.equals(ui.js("""
                return performance.getEntriesByName('wsl:members-rendered').length === 1
                  && performance.getEntriesByType('resource').filter(r => r.initiatorType === 'fetch').length >= 4
                  && performance.getEntriesByType('resource').filter(r => r.initiatorType === 'fetch').every(r => r.responseEnd > 0);
                """)) ? true : null, "the members page with its data");
        String json = (String) ui.js("""
                const kind = (r) => r.name.endsWith('.js') ? 'script' : r.name.endsWith('.css') ? 'css' : r.initiatorType;
                const nav = performance.getEntriesByType('navigation')[0];
                return JSON.stringify({
                  rendered: performance.getEntriesByName('wsl:members-rendered')[0].startTime,
                  resources: [{kind: 'navigation', type: 'navigation', path: location.pathname, transfer: nav.transferSize,
                               encoded: nav.encodedBodySize, decoded: nav.decodedBodySize}]
                    .concat(performance.getEntriesByType('resource').map(r => ({kind: kind(r), type: r.initiatorType,
                      path: new URL(r.name).pathname, transfer: r.transferSize, encoded: r.encodedBodySize,
                      decoded: r.decodedBodySize, start: r.startTime, end: r.responseEnd})))
                });
                """);
        return JSON.readTree(json);
    }

    private static long sum(JsonNode load, String kind, String field) {
        long total = 0;
        for (JsonNode r : load.path("resources")) {
            if (kind.equals(r.path("kind").asText())) {
                total += r.path(field).asLong();
            }
        }
        return total;
    }

    private static long count(JsonNode load, String kind) {
        long n = 0;
        for (JsonNode r : load.path("resources")) {
            if (kind.equals(r.path("kind").asText())) {
                n++;
            }
        }
        return n;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
