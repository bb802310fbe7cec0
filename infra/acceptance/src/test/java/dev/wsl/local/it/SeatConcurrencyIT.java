package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Seats hold under parallel requests: never more assignments than seats, counters equal a recount. */
@ExtendWith(LocalRuntimeExtension.class)
class SeatConcurrencyIT {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(50);

    private final Api api;
    private final Licenses licenses;

    SeatConcurrencyIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
        // A thousand invitations' emails would otherwise be sent by whichever test drains the stream next.
        LocalRuntimeExtension.shared().reset();
    }

    @RepeatedTest(20)
    void fiftyParallelAssigns_withTenFreeSeats_shouldGrantExactlyTen() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("conc-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Concurrency");
        licenses.purchase(ws, "sub_" + suffix, 10, null);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            members.add(api.invite(admin, ws, "M" + i, "conc-" + i + "-" + suffix + "@example.com").expect(202).text("id"));
        }

        List<Integer> statuses = inParallel(members.stream()
                .map(m -> (java.util.concurrent.Callable<Integer>) () -> licenses.assign(admin, ws, m).status())
                .toList());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(10);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(40);
        var pool = licenses.assertCountersMatchRecount(ws);
        assertThat(pool.tally().inUse()).isEqualTo(10);
        assertThat(licenses.summary(admin, ws).get("canAssign").asBoolean()).isFalse();
    }

    @Test
    void twentyParallelAssigns_ofOneMember_shouldTakeOneSeat() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("same-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Same member");
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        String jane = api.invite(admin, ws, "Jane", "same-jane-" + suffix + "@example.com").expect(202).text("id");

        List<java.util.concurrent.Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> licenses.assign(admin, ws, jane).status());
        }
        List<Integer> statuses = inParallel(calls);

        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        assertThat(statuses).contains(200);
        assertThat(licenses.assertCountersMatchRecount(ws).tally().inUse()).isEqualTo(1);
        assertThat(licenses.assertCountersMatchRecount(ws).tally().licensed()).isEqualTo(1);
    }

    private static List<Integer> inParallel(List<java.util.concurrent.Callable<Integer>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (var call : calls) {
            futures.add(POOL.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : futures) {
            statuses.add(f.get());
        }
        return statuses;
    }
}
