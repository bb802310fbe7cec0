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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One invitation accepted 20 times at once yields exactly one membership. */
@ExtendWith(LocalRuntimeExtension.class)
class ParallelAcceptIT {
    private final Api api;

    ParallelAcceptIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
    }

    @Test
    void twentyParallelAccepts_shouldYieldExactlyOneMembership() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("par-admin-" + suffix + "@example.com");
        Api.User jane = api.user("par-jane-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Parallel");
        String memberId = api.invite(admin, ws, "Jane", jane.email()).expect(202).text("id");
        api.deliverMail();
        String token = api.latestInvitationToken(jane.email());
        int auditBefore = api.auditCount(admin, ws);

        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Api.Response>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return api.accept(jane, token);
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Api.Response> f : futures) {
            statuses.add(f.get().status());
        }
        pool.shutdown();

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 404 || s == 409);
        var members = api.allMembers(admin, ws, true);
        assertThat(members).filteredOn(m -> m.get("email").asText().equals(jane.email())).hasSize(1)
                .allSatisfy(m -> {
                    assertThat(m.get("id").asText()).isEqualTo(memberId);
                    assertThat(m.get("status").asText()).isEqualTo("ACTIVE");
                });
        assertThat(api.auditCount(admin, ws)).isEqualTo(auditBefore + 1);
        api.call(jane, "GET", "/workspaces/" + ws, null).expect(200);
    }
}
