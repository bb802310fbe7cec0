package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not part of the suite (its name matches neither *Test nor *IT): provisioning at scale through the SCIM
 * client library (scim2-client) over HTTP against the emulator, printing DynamoDB requests per user
 * created, per group member added and per filter lookup (every request of every thread, counted by
 * {@link RequestCounter}), and the client's wall time per 100 users. Run with
 * {@code infra/bench/scim-scale.sh [users] [groupMembers] [lookups]}.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimScaleBench {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimScaleBench(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void measure() throws Exception {
        int users = Integer.getInteger("wsl.scim.users", 1000);
        int members = Integer.getInteger("wsl.scim.members", 500);
        int lookups = Integer.getInteger("wsl.scim.lookups", 200);
        runtime.reset();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Api.User admin = api.user("scim-scale-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "SCIM scale");
        licenses.purchase(ws, "sub_" + suffix, members, null);
        Domains.verify(runtime, api, admin, ws, "example.com"); // the IdP licenses people before they sign in (issue 17)
        ScimClient idp = new ScimClient(LocalRuntimeExtension.baseUrl(), scim.newToken(admin, ws));
        Path ids = Files.createTempFile("scim-ids-", ".txt");
        String prefix = "scale-" + suffix;

        JsonNode created = phase("create " + users + " users", users, () -> idp.step("bulk-create", prefix,
                Integer.toString(users), ids.toString()));
        assertThat(created.get("created").asInt()).isEqualTo(users);
        print("client seconds per 100 users: " + created.get("seconds_per_100_users"));
        JsonNode added = phase("add " + members + " members to the license group (PATCH of 100)", members,
                () -> idp.step("bulk-add", "Team (sub_" + suffix + ")", ids.toString(), Integer.toString(members)));
        print("client seconds for the group: " + added.get("seconds"));
        JsonNode found = phase(lookups + " filter lookups (userName eq)", lookups,
                () -> idp.step("bulk-find", prefix, Integer.toString(lookups)));
        assertThat(found.get("found").asInt()).isEqualTo(lookups);
        print("client seconds for the lookups: " + found.get("seconds"));
        assertThat(licenses.assertCountersMatchRecount(ws).tally().inUse()).isEqualTo(members);
    }

    /** Runs a phase and prints its DynamoDB requests, in all and per unit, by operation. */
    private JsonNode phase(String label, int units, Supplier<JsonNode> action) {
        JsonNode[] result = new JsonNode[1];
        long start = System.nanoTime();
        List<RequestCounter.Call> calls = RequestCounter.allThreads(() -> result[0] = action.get());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result[0].get("ok").asBoolean()).as("%s: %s", label, result[0]).isTrue();
        Map<String, Integer> byOperation = new TreeMap<>();
        calls.forEach(c -> byOperation.merge(c.operation(), 1, Integer::sum));
        print(String.format("%s: %d DynamoDB requests, %.2f per unit %s; %d ms", label, calls.size(),
                calls.size() / (double) units, perUnit(byOperation, units), millis));
        return result[0];
    }

    private static String perUnit(Map<String, Integer> byOperation, int units) {
        StringBuilder out = new StringBuilder("(");
        byOperation.forEach((op, n) -> out.append(out.length() > 1 ? ", " : "").append(op).append(' ')
                .append(String.format("%.2f", n / (double) units)));
        return out.append(')').toString();
    }

    private static void print(String line) {
        System.out.println("[scim-scale] " + line);
    }
}
