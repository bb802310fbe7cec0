package dev.wsl.core.failure;

import java.util.List;
import java.util.Map;

/**
 * No seat is free for a change that needs one (409 {@code no-free-seat}): the detail says why
 * (no subscription, all seats in use, unassigned legacy keys holding seats), and the problem carries
 * {@code seats}, {@code inUse} and {@code unassignedLegacyKeys} so that a UI can show them.
 */
public final class NoFreeSeat extends Conflict {
    private static final long serialVersionUID = 1L;

    public NoFreeSeat(String detail, long seats, long inUse, List<String> unassignedLegacyKeys) {
        super("no-free-seat", detail, Map.of("seats", seats, "inUse", inUse,
                "unassignedLegacyKeys", List.copyOf(unassignedLegacyKeys)), null);
    }
}
