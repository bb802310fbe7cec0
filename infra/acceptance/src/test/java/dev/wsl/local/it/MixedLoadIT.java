package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mixed run's correctness, short (the load bench runs it for a minute and measures): console assigns and
 * unassigns, SCIM group pushes, token rotations and activations at once over real HTTP, each worker from its own
 * address, on 5 seats for 12 people; then the recount equals every counter, no summary ever showed more seats in
 * use than seats, the license group holds exactly the subscription's licenses, and every current token activates
 * exactly when its holder is licensed. Bounded: 8 seconds or 600 operations, whichever comes first.
 */
@ExtendWith(dev.wsl.local.harness.LocalRuntimeExtension.class)
class MixedLoadIT {
    private final LocalStackRuntime runtime;

    MixedLoadIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void assignsScimPushesRotationsAndActivationsAtOnce_shouldLeaveCountersEqualToARecount_andNeverExceedTheSeats() {
        MixedLoad load = new MixedLoad(runtime).arrange(5, 6, 6);

        Duration took = load.run(Duration.ofSeconds(8), 600, 2);

        Map<String, Map<Integer, Integer>> statuses = load.statuses();
        System.out.println("[mixed] " + took.toMillis() + " ms: " + statuses);
        assertThat(load.verify()).as("violations").isEmpty();
        assertThat(statuses.keySet()).as("every kind of operation ran")
                .contains("assign", "unassign", "scim-add", "scim-remove", "rotate", "activate", "summary");
        int granted = statuses.get("assign").getOrDefault(200, 0) + statuses.get("scim-add").getOrDefault(204, 0)
                + statuses.get("scim-add").getOrDefault(200, 0);
        assertThat(granted).as("seats were taken").isPositive();
        assertThat(statuses.get("activate").getOrDefault(200, 0)).as("some activations succeeded").isPositive();
    }
}
