package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.store.ScaleItems;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not part of the suite (its name matches neither *Test nor *IT): how long SCIM list pages take over HTTP
 * against the runtime and the emulator as the workspace grows, the way an identity provider's import walks
 * them: {@code GET /scim/v2/Users?startIndex=1&count=100}, and the page at 51 of a walk by 50, and the
 * same two pages of a group's members; the median of 5 walks at each size (members written straight into
 * the table, {@link ScaleItems}). Run with {@code infra/bench/scim-listing.sh [sizes…]} (default 100 1000 10000).
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimListingBench {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Scim scim;
    private final HttpClient http = HttpClient.newHttpClient();

    ScimListingBench(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void measure() throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("wsl.scim.sizes", "100,1000,10000").split(","))
                .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        print("median of 5 walks, milliseconds per page over HTTP (first page of 100; page at startIndex 51 of a walk by 50)");
        for (int size : sizes) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Api.User admin = api.user("scim-listing-" + suffix + "@example.com");
            String ws = api.createWorkspace(admin, "SCIM listing bench");
            String token = scim.newToken(admin, ws);
            String group = scim.call(token, "POST", "/scim/v2/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:"
                    + "core:2.0:Group\"],\"displayName\":\"Everyone\"}").expect(201).text("id");
            ScaleItems.provisioned(runtime.dynamoDb(), runtime.tableName(), ws, size, group);
            String base = LocalRuntimeExtension.baseUrl() + "/scim/v2";
            double[] users = walk(token, base + "/Users", "Resources", size + 1);
            double[] members = walk(token, base + "/Groups/" + group, "members", -1);
            print(String.format("%,7d members: GET /Users first %6.1f ms, later %6.1f ms; a group's members first "
                    + "%6.1f ms, later %6.1f ms", size, users[0], users[1], members[0], members[1]));
        }
    }

    /**
     * Medians of 5 walks: the first page of 100 (what the issue measured), and the page at 51 of a walk by 50
     * (a later page even at 100 members).
     */
    private double[] walk(String token, String url, String items, long total) throws Exception {
        List<Double> first = new ArrayList<>();
        List<Double> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(timed(token, url + "?startIndex=1&count=100", items, total));
            timed(token, url + "?startIndex=1&count=50", items, total);
            later.add(timed(token, url + "?startIndex=51&count=50", items, total));
        }
        return new double[] {median(first), median(later)};
    }

    private double timed(String token, String url, String items, long total) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + token).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - start) / 1e6;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = Scim.JSON.readTree(response.body());
        assertThat(json.get(items)).isNotEmpty();
        if (total >= 0) {
            assertThat(json.get("totalResults").asLong()).isEqualTo(total);
        }
        return millis;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void print(String line) {
        System.out.println("[scim-listing] " + line);
    }
}
