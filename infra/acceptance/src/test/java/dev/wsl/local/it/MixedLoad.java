package dev.wsl.local.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything that changes seats and credentials at once, through the real HTTP front of the local runtime, each
 * worker from its own loopback address: console assigns and unassigns, SCIM group pushes (a user added to or
 * removed from the license group), personal token rotations, and activations with those tokens, while a watcher
 * reads the license summary. Bounded by time and by a count of operations; it stops by itself. Then
 * {@link #verify()} recounts: the stored counters equal a recount from the items, seats in use never exceeded the
 * seats (at any summary read, nor at the end), the license group holds exactly the licenses of its subscription,
 * and every person's current token activates exactly when they hold a license. Used by {@code MixedLoadIT} (short)
 * and {@code LoadBench} (its mixed phase).
 */
final class MixedLoad {
    /** What each kind of operation may answer; anything else is a violation. 503 is a busy table, retried by callers. */
    private static final Map<String, Set<Integer>> ALLOWED = Map.of(
            "assign", Set.of(200, 409, 503), "unassign", Set.of(200, 409, 503),
            "scim-add", Set.of(200, 204, 409, 503), "scim-remove", Set.of(200, 204, 503),
            "rotate", Set.of(201, 503), "activate", Set.of(200, 401, 403, 429, 503), "summary", Set.of(200));

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;
    private final String baseUrl;

    private String suffix;
    private Api.User admin;
    private String ws;
    private long seats;
    private String scimToken;
    private final List<Person> people = new ArrayList<>();
    private final List<String> provisioned = new ArrayList<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<Integer, AtomicInteger>> statuses = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();

    /** An ACTIVE member with a user record and the auth token they hold now (rotations replace it). */
    record Person(Api.User user, String memberId, AtomicReference<String> token) {}

    MixedLoad(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
        this.baseUrl = LocalRuntimeExtension.baseUrl();
    }

    /** A workspace with {@code seats} seats for {@code activePeople} people and {@code provisionedUsers} SCIM users. */
    MixedLoad arrange(int seats, int activePeople, int provisionedUsers) {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        admin = api.user("mixed-admin-" + suffix + "@example.com");
        ws = api.createWorkspace(admin, "Mixed " + suffix);
        this.seats = seats;
        licenses.purchase(ws, "sub_" + suffix, seats, null);
        scimToken = scim.newToken(admin, ws);
        for (int i = 0; i < activePeople; i++) {
            Api.User user = api.user("mixed-" + i + "-" + suffix + "@example.com");
            String memberId = api.addActiveMember(admin, ws, user);
            people.add(new Person(user, memberId, new AtomicReference<>(Activations.authToken(api, user))));
        }
        for (int i = 0; i < provisionedUsers; i++) {
            String email = "mixed-idp-" + i + "-" + suffix + "@example.com";
            provisioned.add(scim.call(scimToken, "POST", "/scim/v2/Users", Scim.user(email, email, null)).expect(201)
                    .text("id"));
        }
        return this;
    }

    /** Runs {@code workersPerKind} workers of each kind until {@code duration} passed or {@code maxOperations} were sent. */
    Duration run(Duration duration, int maxOperations, int workersPerKind) {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicInteger sent = new AtomicInteger();
        List<String> kinds = List.of("assign", "scim", "rotate", "activate", "summary");
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            int n = 0;
            for (String kind : kinds) {
                for (int w = 0; w < workersPerKind; w++) {
                    // An activation worker in a loop is many LocalStack starts, from many machines: it takes turns
                    // over sixteen addresses, so that the per-source limit (20/s) is not what it measures.
                    List<Loopback> sources = new ArrayList<>();
                    for (int a = 0; a < (kind.equals("activate") ? 16 : 1); a++) {
                        sources.add(new Loopback(baseUrl, Loopback.source(n++)));
                    }
                    AtomicInteger turn = new AtomicInteger();
                    workers.submit(() -> {
                        while (System.nanoTime() < deadline && sent.incrementAndGet() <= maxOperations) {
                            Loopback http = sources.get(turn.getAndIncrement() % sources.size());
                            try {
                                step(kind, http);
                            } catch (RuntimeException e) {
                                violations.add(kind + " threw " + e);
                            }
                        }
                    });
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void step(String kind, Loopback http) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        switch (kind) {
            case "assign" -> {
                List<String> everyone = new ArrayList<>(provisioned);
                people.forEach(p -> everyone.add(p.memberId()));
                String member = everyone.get(random.nextInt(everyone.size()));
                boolean assign = random.nextBoolean();
                timed(assign ? "assign" : "unassign", () -> http.send(assign ? "POST" : "DELETE",
                        "/workspaces/" + ws + "/members/" + member + "/license", Loopback.bearer(admin.jwt()), null));
            }
            case "scim" -> {
                String member = provisioned.get(random.nextInt(provisioned.size()));
                boolean add = random.nextBoolean();
                String operation = add ? "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + member + "\"}]}"
                        : "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + member + "\\\"]\"}";
                timed(add ? "scim-add" : "scim-remove", () -> http.send("PATCH", "/scim/v2/Groups/license_sub_" + suffix,
                        Map.of("authorization", "Bearer " + scimToken, "content-type", Scim.SCIM_JSON), Scim.patch(operation)));
            }
            case "rotate" -> {
                Person person = people.get(random.nextInt(people.size()));
                Loopback.Answer rotated = timed("rotate", () -> http.send("POST", "/me/auth-token/rotate",
                        Loopback.bearer(person.user().jwt()), null));
                if (rotated.status() == 201) {
                    person.token().set(rotated.json().get("token").asText());
                }
            }
            case "activate" -> {
                Person person = people.get(random.nextInt(people.size()));
                timed("activate", () -> http.send("POST", "/v1/license/request", Map.of(),
                        Activations.body("licensing-auth-token", person.token().get(), false, null)));
            }
            case "summary" -> {
                Loopback.Answer summary = timed("summary", () -> http.get("/workspaces/" + ws + "/licenses",
                        Loopback.bearer(admin.jwt())));
                if (summary.status() == 200) {
                    JsonNode json = summary.json();
                    long inUse = json.path("inUse").asLong(-1);
                    long total = json.path("seats").asLong(-1);
                    if (inUse < 0 || total < 0 || inUse > total) {
                        violations.add("a summary showed " + inUse + " of " + total + " seats in use: " + summary.body());
                    }
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private Loopback.Answer timed(String operation, java.util.function.Supplier<Loopback.Answer> call) {
        long t = System.nanoTime();
        Loopback.Answer answer = call.get();
        latencies.computeIfAbsent(operation, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(System.nanoTime() - t);
        statuses.computeIfAbsent(operation, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(answer.status(), k -> new AtomicInteger()).incrementAndGet();
        if (!ALLOWED.get(operation).contains(answer.status())) {
            violations.add(operation + " answered " + answer.status() + ": " + answer.body());
        }
        return answer;
    }

    /** The recount and the invariants (see the class); returns the violations, none when all hold. */
    List<String> verify() {
        List<String> found = new ArrayList<>(violations);
        LicensePool pool;
        try {
            pool = licenses.assertCountersMatchRecount(ws);
        } catch (AssertionError e) {
            found.add("counters vs recount: " + e.getMessage());
            pool = licenses.pool(ws);
        }
        if (pool.tally().inUse() > pool.seats()) {
            found.add(pool.tally().inUse() + " seats in use of " + pool.seats());
        }
        long inGroup = scim.call(scimToken, "GET", "/scim/v2/Groups/license_sub_" + suffix, null).expect(200).json()
                .path("members").size();
        if (inGroup != pool.licensedFrom("sub_" + suffix)) {
            found.add("the license group holds " + inGroup + " members, the subscription " + pool.licensedFrom("sub_" + suffix)
                    + " licenses");
        }
        for (Person person : people) {
            boolean licensed = api.call(admin, "GET", "/workspaces/" + ws + "/members/" + person.memberId(), null)
                    .expect(200).json().path("licensed").asBoolean();
            int activation = Activations.request(api, person.token().get(), false).status();
            if (activation != (licensed ? 200 : 403)) {
                found.add(person.user().email() + " is " + (licensed ? "" : "not ") + "licensed, and their current token's"
                        + " activation answered " + activation);
            }
        }
        return found;
    }

    /** Operations sent, by kind and answer. */
    Map<String, Map<Integer, Integer>> statuses() {
        Map<String, Map<Integer, Integer>> out = new TreeMap<>();
        statuses.forEach((op, byStatus) -> {
            Map<Integer, Integer> counts = new TreeMap<>();
            byStatus.forEach((status, n) -> counts.put(status, n.get()));
            out.put(op, counts);
        });
        return out;
    }

    /** Latencies by kind, in nanoseconds. */
    Map<String, List<Long>> latencies() {
        return latencies;
    }

    long seats() {
        return seats;
    }

    String workspace() {
        return ws;
    }
}
