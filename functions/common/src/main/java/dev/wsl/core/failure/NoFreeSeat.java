package dev.wsl.core.failure;

import java.util.List;
import java.util.Map;

/**
 * No seat is free for a change that needs one (409 {@code no-free-seat}): the detail says why
 * (no subscription, all seats in use, unassigned legacy keys holding seats), and the problem carries
 * {@code seats}, {@code inUse}, {@code unassignedLegacyKeyCount} and, for a caller who manages legacy keys,
 * {@code unassignedLegacyKeys} (masked, with their ids) so that a UI can show them.
 */
public final class NoFreeSeat extends Conflict {
    private static final long serialVersionUID = 1L;

    /** For a caller who manages legacy keys: the keys holding seats are named (masked). */
    public NoFreeSeat(String detail, long seats, long inUse, List<String> unassignedLegacyKeys) {
        super("no-free-seat", detail, Map.of("seats", seats, "inUse", inUse,
                "unassignedLegacyKeyCount", (long) unassignedLegacyKeys.size(),
                "unassignedLegacyKeys", List.copyOf(unassignedLegacyKeys)), null);
    }

    /** For any other caller: how many keys hold seats, not which. */
    public NoFreeSeat(String detail, long seats, long inUse, long unassignedLegacyKeyCount) {
        super("no-free-seat", detail, Map.of("seats", seats, "inUse", inUse,
                "unassignedLegacyKeyCount", unassignedLegacyKeyCount), null);
    }
}
