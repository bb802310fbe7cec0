package dev.wsl.testkit;

import dev.wsl.core.failure.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a DynamoDB transaction guarantees, in memory: every condition is evaluated against the state
 * before any write, in the order the writes were added; the first that fails throws its failure and
 * nothing is written; otherwise every write applies. Run under the stores' lock, so it is atomic and
 * isolated like the real thing. Not thread-safe; build, commit, discard.
 */
final class FakeTx {
    private final FakeStores data;
    private final List<BooleanSupplier> conditions = new ArrayList<>();
    private final List<Supplier<? extends Failure>> failures = new ArrayList<>();
    private final List<Runnable> writes = new ArrayList<>();

    FakeTx(FakeStores data) {
        this.data = data;
    }

    /** A condition of a write; {@code whenFails} is what its failure means. */
    FakeTx check(BooleanSupplier condition, Supplier<? extends Failure> whenFails) {
        conditions.add(condition);
        failures.add(whenFails);
        return this;
    }

    FakeTx write(Runnable write) {
        writes.add(write);
        return this;
    }

    void commit() {
        data.runInterleaved();
        for (int i = 0; i < conditions.size(); i++) {
            if (!conditions.get(i).getAsBoolean()) {
                throw failures.get(i).get();
            }
        }
        writes.forEach(Runnable::run);
    }
}
