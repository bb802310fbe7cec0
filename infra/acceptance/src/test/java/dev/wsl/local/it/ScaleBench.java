package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.store.BulkItems;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not part of the suite (its name matches neither *Test nor *IT): a workspace of {@code wsl.scale.members} (default
 * 50,000) members, and one of 100, loaded straight into the table with the stores' own mappers ({@link BulkItems}:
 * member, email lock, SCIM userName lock; one audit entry per member), then each read measured through the real
 * handlers: DynamoDB requests and the items they read, and the latency (median and 90th percentile of
 * {@code wsl.scale.runs} calls) through the local gateway against moto. Prints {@code [scale]} lines; run with
 * {@code infra/bench/scale.sh [members] [runs]}.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScaleBench {
    private final LocalStackRuntime runtime;
    private final ScaleRequestCountIT reads;
    private final Api api;
    private final Scim scim;

    ScaleBench(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.reads = new ScaleRequestCountIT(runtime);
        this.api = new Api(runtime);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void measure() {
        int members = Integer.getInteger("wsl.scale.members", 50_000);
        int runs = Integer.getInteger("wsl.scale.runs", 20);
        runtime.reset();
        long start = System.nanoTime();
        ScaleRequestCountIT.Sized small = reads.workspace(100, 0);
        ScaleRequestCountIT.Sized large = reads.workspace(members, 0);
        ScaleRequestCountIT.Sized removed = reads.workspace(Math.max(members / 5, 1_100), Math.max(members / 5, 1_100) - 100);
        print(String.format("loaded 100, %,d and %,d members (%,d removed first) straight into the table in %d s",
                members, removed.ids().size(), removed.ids().size() - 100, (System.nanoTime() - start) / 1_000_000_000));

        Map<String, Row> atSmall = rows(small, runs);
        Map<String, Row> atLarge = rows(large, runs);
        print(String.format("%-40s | %-44s | %-44s", "read", "100 members", String.format("%,d members", members)));
        atSmall.forEach((name, row) -> print(String.format("%-40s | %-44s | %-44s", name, row, atLarge.get(name))));

        Row afterRemoved = row(runs, () -> api.call(removed.admin(), "GET", "/workspaces/" + removed.ws()
                + "/members?limit=25", null).expect(200));
        print(String.format("%-40s | %s", "members page after " + (removed.ids().size() - 100) + " removed", afterRemoved));
        assertThat(atLarge.get("members page (25)").costs()).isEqualTo(atSmall.get("members page (25)").costs());
    }

    /** One read's requests (with the items each read) and latencies. */
    record Row(List<String> costs, double p50, double p90) {
        @Override
        public String toString() {
            return String.format("%5.1f / %5.1f ms  %s", p50, p90, costs);
        }
    }

    private Map<String, Row> rows(ScaleRequestCountIT.Sized w, int runs) {
        Map<String, Row> out = new LinkedHashMap<>();
        int middle = w.ids().size() / 2;
        String probe = w.tag() + "-" + middle + "@example.com";
        out.put("members page (25)", row(runs, () -> api.call(w.admin(), "GET", "/workspaces/" + w.ws()
                + "/members?limit=25", null).expect(200)));
        out.put("members page (25), in the middle", row(runs, () -> api.call(w.admin(), "GET", "/workspaces/" + w.ws()
                + "/members?limit=25&cursor=" + BulkItems.membersCursorAfter(w.ws(), w.ids().get(middle)), null).expect(200)));
        out.put("one member", row(runs, () -> api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members/"
                + w.ids().get(middle), null).expect(200)));
        out.put("member by email (invite: member-exists)", row(runs, () -> api.invite(w.admin(), w.ws(), "Again", probe)
                .expect(409)));
        out.put("license summary", row(runs, () -> api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/licenses",
                null).expect(200)));
        out.put("SCIM userName eq", row(runs, () -> scim.call(w.scimToken(), "GET", "/scim/v2/Users?filter="
                + URLEncoder.encode("userName eq \"" + probe + "\"", StandardCharsets.UTF_8), null).expect(200)));
        // Measured, not judged: SCIM's listing is being made flat in its own issue.
        out.put("SCIM list, first 25 (no filter)", row(1, () -> scim.call(w.scimToken(), "GET",
                "/scim/v2/Users?count=25", null).expect(200)));
        out.put("audit page (25)", row(runs, () -> api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=25",
                null).expect(200)));
        return out;
    }

    private static Row row(int runs, Runnable call) {
        List<String> costs = RequestCounter.costs(call).stream().map(RequestCounter.Cost::toString).toList();
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            call.run();
            millis.add((System.nanoTime() - t) / 1e6);
        }
        millis.sort(Double::compare);
        return new Row(costs, millis.get((millis.size() - 1) / 2), millis.get((int) Math.ceil(millis.size() * 0.9) - 1));
    }

    private static void print(String line) {
        System.out.println("[scale] " + line);
    }
}
