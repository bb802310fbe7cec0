package dev.wsl.core.domain;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How long a scheduled job's invocation may still run, and how much of it to leave unused (to record where it
 * stopped and answer). Every budgeted job (reclaim, sunset, domain check, backfill) stops between items once it is
 * exhausted and continues from its checkpoint in the next invocation.
 */
public record JobBudget(LongSupplier remainingMillis, long reserveMillis) {
    public JobBudget {
        Objects.requireNonNull(remainingMillis);
    }

    public boolean exhausted() {
        return remainingMillis.getAsLong() < reserveMillis;
    }
}
