package dev.wsl.licenses;

import dev.wsl.core.domain.JobBudget;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.BackfillStore;
import dev.wsl.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The backfill's paging, checkpoint and budget (the job's own logic), over a store that only records which
 * workspaces it was asked about; what each step writes is {@code BackfillIT}'s, against the emulator.
 */
class BackfillJobTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    /** Workspaces w1..wN in pages of {@code pageSize}; each has one member to index, one seat, one policy to put. */
    private static final class PagedStore implements BackfillStore {
        final List<String> workspaces = new ArrayList<>();
        final List<String> visited = new ArrayList<>();
        final List<Boolean> dry = new ArrayList<>();
        Checkpoint saved;
        int checkpointWrites;
        boolean anotherInvocation;

        PagedStore(int n) {
            for (int i = 1; i <= n; i++) {
                workspaces.add("w" + i);
            }
        }

        @Override
        public WorkspacePage workspaces(String from, int limit) {
            int start = from == null ? 0 : Integer.parseInt(from);
            int end = Math.min(workspaces.size(), start + limit);
            return new WorkspacePage(workspaces.subList(start, end), end < workspaces.size() ? String.valueOf(end) : null);
        }

        @Override
        public long indexScimUsers(String workspaceId, boolean dryRun) {
            visited.add(workspaceId);
            dry.add(dryRun);
            return 1;
        }

        @Override
        public boolean recountScimUsers(String workspaceId, boolean dryRun) {
            return true;
        }

        @Override
        public long trackSeats(String workspaceId, Instant now, boolean dryRun) {
            assertThat(now).isEqualTo(NOW);
            return 2;
        }

        @Override
        public boolean joinWorkList(String workspaceId, boolean dryRun) {
            return false;
        }

        @Override
        public Optional<Checkpoint> checkpoint() {
            return Optional.ofNullable(saved);
        }

        @Override
        public boolean saveCheckpoint(Checkpoint read, Checkpoint next) {
            checkpointWrites++;
            if (anotherInvocation || !java.util.Objects.equals(read, saved)) {
                return false;
            }
            saved = next;
            return true;
        }

        @Override
        public boolean endRun(Checkpoint read) {
            if (!java.util.Objects.equals(read, saved)) {
                return false;
            }
            saved = null;
            return true;
        }
    }

    private static BackfillJob job(PagedStore store) {
        return new BackfillJob(store, new MutableClock(NOW), 2, RetryPolicy.withoutPauses(1));
    }

    private static JobBudget budget(AtomicBoolean over) {
        return new JobBudget(() -> over.get() ? 0 : 900_000, 1_000);
    }

    @Test
    void aRunCutMidPage_shouldBeContinuedByTheNextInvocation_visitingEveryWorkspaceOnce_andEndItsCheckpoint() {
        PagedStore store = new PagedStore(5);
        AtomicBoolean over = new AtomicBoolean();
        // The budget runs out once w3 (the first of the second page) is done.
        BackfillJob job = new BackfillJob(new DelegatingStore(store) {
            @Override
            public long indexScimUsers(String workspaceId, boolean dryRun) {
                over.set(workspaceId.equals("w3"));
                return super.indexScimUsers(workspaceId, dryRun);
            }
        }, new MutableClock(NOW), 2, RetryPolicy.withoutPauses(1));

        Map<String, Object> cut = job.run(budget(over));
        assertThat(cut).containsEntry("complete", false).containsEntry("workspaces", 3L);
        assertThat(store.saved.afterWorkspace()).isEqualTo("w3");
        over.set(false);
        Map<String, Object> rest = job(store).run(budget(new AtomicBoolean()));

        assertThat(store.visited).containsExactly("w1", "w2", "w3", "w4", "w5");
        assertThat(rest).containsEntry("complete", true).containsEntry("runId", cut.get("runId"))
                .containsEntry("invocations", 2L).containsEntry("workspaces", 5L)
                .containsEntry("scimUsersIndexed", 5L).containsEntry("scimCountersSet", 5L)
                .containsEntry("seatsTracked", 10L).containsEntry("workListJoined", 0L);
        assertThat(rest.get(BackfillJob.THIS_INVOCATION)).isEqualTo(new TreeMap<>(Map.of("workspaces", 2L,
                "scimUsersIndexed", 2L, "scimCountersSet", 2L, "seatsTracked", 4L, "workListJoined", 0L)));
        assertThat(store.saved).as("a completed run leaves no checkpoint").isNull();
    }

    @Test
    void anotherInvocationAdvancingTheRun_shouldStopThisOne() {
        PagedStore store = new PagedStore(3);
        store.anotherInvocation = true;

        Map<String, Object> report = job(store).run(budget(new AtomicBoolean()));

        assertThat(report).containsEntry("complete", false)
                .containsEntry("stopped", "another invocation advanced this run; it continues");
        assertThat(store.visited).containsExactly("w1");
    }

    @Test
    void aDryRun_shouldWriteNoCheckpoint_andSayWhereToContinueWhenItsTimeRunsOut() {
        PagedStore store = new PagedStore(5);
        AtomicBoolean over = new AtomicBoolean();
        BackfillJob job = new BackfillJob(new DelegatingStore(store) {
            @Override
            public long indexScimUsers(String workspaceId, boolean dryRun) {
                over.set(workspaceId.equals("w2"));
                return super.indexScimUsers(workspaceId, dryRun);
            }
        }, new MutableClock(NOW), 2, RetryPolicy.withoutPauses(1));

        Map<String, Object> first = job.dryRun(null, budget(over));
        Map<String, Object> rest = job(store).dryRun((String) first.get("position"), budget(new AtomicBoolean()));

        assertThat(first).containsEntry("dryRun", true).containsEntry("complete", false).containsEntry("position", "2")
                .containsEntry("workspaces", 2L);
        assertThat(rest).containsEntry("complete", true).containsEntry("workspaces", 3L).containsEntry("seatsTracked", 6L)
                .doesNotContainKey("workListJoined");
        assertThat(store.dry).containsOnly(true);
        assertThat(store.checkpointWrites).isZero();
    }

    /** Passes every call to a store (so a test can watch one of them). */
    private static class DelegatingStore implements BackfillStore {
        private final BackfillStore to;

        DelegatingStore(BackfillStore to) {
            this.to = to;
        }

        @Override public WorkspacePage workspaces(String from, int limit) { return to.workspaces(from, limit); }
        @Override public long indexScimUsers(String ws, boolean dryRun) { return to.indexScimUsers(ws, dryRun); }
        @Override public boolean recountScimUsers(String ws, boolean dryRun) { return to.recountScimUsers(ws, dryRun); }
        @Override public long trackSeats(String ws, Instant now, boolean dryRun) { return to.trackSeats(ws, now, dryRun); }
        @Override public boolean joinWorkList(String ws, boolean dryRun) { return to.joinWorkList(ws, dryRun); }
        @Override public Optional<Checkpoint> checkpoint() { return to.checkpoint(); }
        @Override public boolean saveCheckpoint(Checkpoint read, Checkpoint next) { return to.saveCheckpoint(read, next); }
        @Override public boolean endRun(Checkpoint read) { return to.endRun(read); }
    }
}
