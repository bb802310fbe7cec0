package dev.wsl.local.it;

import dev.wsl.core.store.BulkItems;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not part of the suite (its name matches neither *Test nor *IT): load through the local runtime's HTTP front (its
 * gateway on loopback), each virtual client from its own loopback address. Bounded by time
 * ({@code wsl.load.seconds} per phase, default 60) and by a count ({@code wsl.load.maxRequests} per phase), at a
 * fixed concurrency ({@code wsl.load.concurrency}, default 8); it stops by itself. Phases: activations (auth tokens
 * and CI keys), authorizations ({@code GET /v1/license/info} through the token authorizer), the console's members
 * page (a workspace of 500 members), the mixed run ({@link MixedLoad}, then its recount), and one flooding client
 * beside four good ones, with and without the per-source limit. Prints {@code [load]} lines: requests, throughput,
 * p50/p99, errors, and the heap after a full GC before and after each phase. Run with
 * {@code infra/bench/load.sh [seconds] [concurrency] [maxRequests]}.
 */
@ExtendWith(LocalRuntimeExtension.class)
class LoadBench {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final String baseUrl = LocalRuntimeExtension.baseUrl();

    LoadBench(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @Test
    void measure() {
        Duration phase = Duration.ofSeconds(Integer.getInteger("wsl.load.seconds", 60));
        int concurrency = Integer.getInteger("wsl.load.concurrency", 8);
        int max = Integer.getInteger("wsl.load.maxRequests", 200_000);
        runtime.reset();
        print(String.format("%d s per phase, %d concurrent clients, at most %,d requests per phase; %d processors, load "
                + "average %.1f", phase.toSeconds(), concurrency, max, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));

        Licenses.Licensed w = licenses.licensedWorkspace("Load");
        licenses.changeSeats(w.ws(), "sub_" + w.suffix(), 40, 2);
        List<String> credentials = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Api.User user = api.user("load-" + i + "-" + w.suffix() + "@example.com");
            String member = api.addActiveMember(w.admin(), w.ws(), user);
            licenses.assign(w.admin(), w.ws(), member).expect(200);
            credentials.add(Activations.authToken(api, user));
            credentials.add(api.call(w.admin(), "POST", "/workspaces/" + w.ws() + "/ci-keys", "{\"name\":\"Load " + i + "\"}")
                    .expect(201).text("key"));
        }
        BulkItems.loadMembers(runtime.dynamoDb(), runtime.tableName(), w.ws(), "load-bulk-" + w.suffix(),
                Instant.now().plusSeconds(1), new BulkItems.Shape(500, 0, false));
        heap("after arranging");

        report("activations (10 auth tokens, 10 CI keys)", run(phase, concurrency, max, worker -> {
            Loopback http = new Loopback(baseUrl, Loopback.source(worker));
            AtomicInteger next = new AtomicInteger(worker);
            return () -> {
                String credential = credentials.get(next.getAndIncrement() % credentials.size());
                return http.send("POST", "/v1/license/request", Map.of(), Activations.body("licensing-auth-token",
                        credential, credential.startsWith("lsci-"), null)).status();
            };
        }, 200));
        report("authorizations (GET /v1/license/info)", run(phase, concurrency, max, worker -> {
            Loopback http = new Loopback(baseUrl, Loopback.source(worker));
            AtomicInteger next = new AtomicInteger(worker);
            return () -> http.get("/v1/license/info", PlatformHeaders.basic(credentials.get(
                    next.getAndIncrement() % credentials.size()))).status();
        }, 200));
        report("members page (25 of 511)", run(phase, concurrency, max, worker -> {
            Loopback http = new Loopback(baseUrl, Loopback.source(worker));
            return () -> http.get("/workspaces/" + w.ws() + "/members?limit=25", Loopback.bearer(w.admin().jwt())).status();
        }, 200));

        MixedLoad mixed = new MixedLoad(runtime).arrange(5, 6, 6);
        heap("before the mixed run");
        Duration took = mixed.run(phase, max, Math.max(1, concurrency / 5));
        Map<String, Map<Integer, Integer>> statuses = mixed.statuses();
        long operations = statuses.values().stream().flatMap(m -> m.values().stream()).mapToLong(Integer::longValue).sum();
        print(String.format("mixed run (assign, unassign, SCIM push, rotate, activate, summary; %d workers each): %,d "
                + "operations in %.1f s, %.0f/s", Math.max(1, concurrency / 5), operations, took.toMillis() / 1000.0,
                operations * 1000.0 / took.toMillis()));
        mixed.latencies().forEach((op, nanos) -> print(String.format("  %-12s %s  %s", op, percentiles(nanos),
                statuses.get(op))));
        List<String> violations = mixed.verify();
        print("  recount: " + (violations.isEmpty() ? "every counter equals the recount, seats never above the limit"
                : "VIOLATIONS " + violations));
        heap("after the mixed run");

        fairness(phase, credentials);
        heap("at the end");
        if (!violations.isEmpty()) {
            throw new AssertionError("the mixed run's recount: " + violations);
        }
    }

    /** Four good clients (one activation every 250 ms each) alone, beside a flood with the limit, and without it. */
    private void fairness(Duration phase, List<String> credentials) {
        Duration each = phase.dividedBy(2);
        print("one client must not starve the others: 4 good clients (4 activations/s in all), then beside one client"
                + " flooding from one address (16 at once, no pause), with the per-source limit and without");
        good("good clients alone", each, credentials, false);
        good("beside the flood, limit " + runtime.parameters().get("LicenseSourceRateLimit") + "/s burst "
                + runtime.parameters().get("LicenseSourceBurstLimit"), each, credentials, true);
        String rate = runtime.parameters().get("LicenseSourceRateLimit");
        runtime.setParameters(Map.of("LicenseSourceRateLimit", "0"));
        try {
            good("beside the flood, no limit", each, credentials, true);
        } finally {
            runtime.setParameters(Map.of("LicenseSourceRateLimit", rate));
        }
    }

    private void good(String label, Duration duration, List<String> credentials, boolean flood) {
        int tableRequestsBefore = LocalRuntimeExtension.faults().forwarded();
        long deadline = System.nanoTime() + duration.toNanos();
        List<Long> goodNanos = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> goodStatuses = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int g = 0; g < 4; g++) {
                Loopback http = new Loopback(baseUrl, Loopback.source(100 + g));
                String credential = credentials.get(g);
                clients.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        int status = http.send("POST", "/v1/license/request", Map.of(), Activations.body(
                                "licensing-auth-token", credential, false, null)).status();
                        goodNanos.add(System.nanoTime() - t);
                        goodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        sleepUntil(t + 250_000_000L);
                    }
                });
            }
            if (flood) {
                Loopback flooder = new Loopback(baseUrl, "127.0.0.2");
                for (int f = 0; f < 16; f++) {
                    String credential = credentials.get(4 + f % (credentials.size() - 4));
                    clients.submit(() -> {
                        while (System.nanoTime() < deadline) {
                            int status = flooder.send("POST", "/v1/license/request", Map.of(), Activations.body(
                                    "licensing-auth-token", credential, credential.startsWith("lsci-"), null)).status();
                            floodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        }
                    });
                }
            }
        }
        double tablePerSecond = (LocalRuntimeExtension.faults().forwarded() - tableRequestsBefore)
                / (double) duration.toSeconds();
        print(String.format("  %-44s good: %s %s%s; the functions' AWS requests %.0f/s", label, percentiles(goodNanos),
                counts(goodStatuses), flood ? String.format("; flood: %s (%.0f/s)", counts(floodStatuses),
                        floodStatuses.values().stream().mapToInt(AtomicInteger::get).sum() / (double) duration.toSeconds())
                        : "", tablePerSecond));
    }

    /** A phase: {@code concurrency} workers, each a request source of its own, until the time or the count runs out. */
    record Result(long requests, long errors, Duration took, List<Long> nanos, Map<Integer, Integer> statuses) {}

    interface Worker {
        int call();
    }

    private static Result run(Duration duration, int concurrency, int max, IntFunction<Worker> workers, int ok) {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong sent = new AtomicLong();
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                Worker worker = workers.apply(i);
                pool.submit(() -> {
                    while (System.nanoTime() < deadline && sent.incrementAndGet() <= max) {
                        long t = System.nanoTime();
                        int status;
                        try {
                            status = worker.call();
                        } catch (RuntimeException e) {
                            status = -1;
                        }
                        nanos.add(System.nanoTime() - t);
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status != ok) {
                            errors.incrementAndGet();
                        }
                    }
                });
            }
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        statuses.forEach((s, n) -> byStatus.put(s, n.get()));
        return new Result(nanos.size(), errors.get(), Duration.ofNanos(System.nanoTime() - start), nanos, byStatus);
    }

    private void report(String label, Result r) {
        print(String.format("%-42s %,7d requests in %5.1f s = %6.1f/s  %s  errors %d %s", label, r.requests(),
                r.took().toMillis() / 1000.0, r.requests() * 1000.0 / Math.max(1, r.took().toMillis()),
                percentiles(r.nanos()), r.errors(), r.errors() == 0 ? "" : r.statuses()));
        heap("after " + label);
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return "(none)";
        }
        Collections.sort(sorted);
        return String.format("p50 %6.1f ms, p99 %6.1f ms", sorted.get((sorted.size() - 1) / 2) / 1e6,
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6);
    }

    private static String counts(Map<Integer, AtomicInteger> statuses) {
        Map<Integer, Integer> out = new TreeMap<>();
        statuses.forEach((s, n) -> out.put(s, n.get()));
        return out.toString();
    }

    /** The heap in use after a full collection: what stays. */
    private static void heap(String when) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        print(String.format("  heap after GC %s: %,d MB", when, used / (1024 * 1024)));
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void print(String line) {
        System.out.println("[load] " + line);
    }
}
