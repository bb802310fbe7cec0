package dev.wsl.local.it;

import dev.wsl.core.domain.JobBudget;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoSunsetStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.licenses.LegacyKeyService;
import dev.wsl.licenses.SunsetKeys;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import dev.wsl.mailer.SesMailSender;
import dev.wsl.sunset.SunsetJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not part of the suite (its name matches neither *Test nor *IT): the sunset job over many keys
 * against the emulator, printing DynamoDB requests and wall time per 1,000 keys for three phases
 * (notices, disable, delete) and the invocations a full pass needs with a 15-minute budget.
 * Run with {@code infra/bench/sunset-scale.sh [keys] [workspaces]}.
 */
@ExtendWith(LocalRuntimeExtension.class)
class SunsetScaleBench {
    private static final SunsetPlan PLAN = SunsetPlan.parse("2027-01-04", "", "2027-06-30", "30", "14");
    private static final long LAMBDA_BUDGET_MS = 15 * 60 * 1000;
    private static final long RESERVE_MS = 60 * 1000;

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final SunsetIT.MovableClock clock = new SunsetIT.MovableClock(Instant.parse("2027-01-05T06:00:00Z"));

    SunsetScaleBench(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @Test
    void measure() {
        int keys = Integer.getInteger("wsl.scale.keys", 20_000);
        int workspaces = Integer.getInteger("wsl.scale.workspaces", 200);
        int perWorkspace = keys / workspaces;
        runtime.reset();
        long seedStart = System.nanoTime();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        for (int w = 0; w < workspaces; w++) {
            Api.User admin = api.user("scale-" + w + "-" + suffix + "@example.com");
            String ws = api.createWorkspace(admin, "Scale " + w);
            licenses.purchase(ws, "sub_" + w + suffix, perWorkspace, null);
            for (int from = 0; from < perWorkspace; from += 20) {
                StringBuilder body = new StringBuilder("{\"keys\":[");
                for (int i = from; i < Math.min(perWorkspace, from + 20); i++) {
                    body.append(i == from ? "" : ",").append("{\"key\":\"").append(Licenses.randomKey()).append("\"}");
                }
                api.call(admin, "POST", "/workspaces/" + ws + "/legacy-keys", body.append("]}").toString()).expect(201);
            }
        }
        System.out.printf("[sunset-scale] seeded %d keys in %d workspaces in %d s%n", keys, workspaces,
                (System.nanoTime() - seedStart) / 1_000_000_000);

        phase("announcement notices", Instant.parse("2027-01-05T06:00:00Z"), keys);
        phase("cut-off: disable", Instant.parse("2027-07-01T06:00:00Z"), keys);
        phase("clean-up: delete", Instant.parse("2027-08-01T06:00:00Z"), keys);
        runtime.reset();
    }

    private void phase(String name, Instant at, int keys) {
        clock.set(at);
        var dynamo = runtime.dynamoDb();
        String table = runtime.tableName();
        SunsetKeys service = new SunsetKeys(new LegacyKeyService(new DynamoWorkspaceStore(dynamo, table),
                new DynamoLicenseStore(dynamo, table), new DynamoCredentialStore(dynamo, table), clock, RetryPolicy.STANDARD));
        SunsetJob job = new SunsetJob(new DynamoSunsetStore(dynamo, table), service,
                new SesMailSender(SesMailSender.client(), runtime.environment().get("SENDER_EMAIL")), PLAN, clock, SunsetJob.PAGE_SIZE,
                RetryPolicy.STANDARD);
        AtomicReference<Map<String, Object>> result = new AtomicReference<>();
        long start = System.nanoTime();
        List<RequestCounter.Call> calls = RequestCounter.allThreads(() ->
                result.set(job.run(new JobBudget(() -> Long.MAX_VALUE, 0))));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.get()).containsEntry("complete", true);
        Map<String, Long> byOperation = calls.stream()
                .collect(Collectors.groupingBy(RequestCounter.Call::operation, TreeMap::new, Collectors.counting()));
        double perThousand = 1000.0 / keys;
        Map<String, Long> perK = new TreeMap<>();
        byOperation.forEach((op, n) -> perK.put(op, Math.round(n * perThousand)));
        long invocations = (long) Math.ceil((double) millis / (LAMBDA_BUDGET_MS - RESERVE_MS));
        System.out.printf("[sunset-scale] %-22s %6d keys: %7d ms total, %6.0f ms per 1,000 keys; requests per 1,000"
                        + " keys %s (total %d); invocations with a 15-min budget (60 s reserve): %d; result %s%n",
                name, keys, millis, millis * perThousand, perK, calls.size(), Math.max(1, invocations),
                result.get().entrySet().stream().filter(e -> !e.getKey().startsWith("workspace.")
                        && !e.getKey().equals("plan")).map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
