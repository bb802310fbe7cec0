package dev.wsl.core.domain;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * A workspace's license pool: its subscriptions, the seats they give, and the tally of
 * seats in use. {@code seats} is what billing last reported as active; seats in use may
 * exceed it only after a downgrade, which keeps existing assignments and blocks new ones.
 *
 * @param unassignedKeys masked forms of the legacy keys assigned to nobody (they hold seats)
 */
public record LicensePool(String workspaceId, Map<String, Subscription> subscriptions, long seats, SeatTally tally,
                          SortedSet<String> unassignedKeys, long version) {

    public static LicensePool empty(String workspaceId) {
        return new LicensePool(workspaceId, Map.of(), 0, SeatTally.ZERO, new java.util.TreeSet<>(), 0);
    }

    public long free() {
        return Math.max(0, seats - tally.inUse());
    }

    /** Why a new seat cannot be taken now, or null when one can. */
    public String blockedReason() {
        if (seats == 0) {
            return "The workspace has no active subscription with seats.";
        }
        if (free() > 0) {
            return null;
        }
        StringBuilder reason = new StringBuilder("No free seat: all " + seats + " seats are in use");
        if (tally.inUse() > seats) {
            reason.append(" (").append(tally.inUse()).append(" after a downgrade)");
        }
        if (!unassignedKeys.isEmpty()) {
            List<String> shown = unassignedKeys.stream().limit(10).toList();
            reason.append("; ").append(unassignedKeys.size()).append(" unassigned legacy key")
                    .append(unassignedKeys.size() == 1 ? " holds a seat: " : "s hold seats: ")
                    .append(String.join(", ", shown)).append(unassignedKeys.size() > shown.size() ? ", …" : "")
                    .append(" (assign or delete them to free seats)");
        }
        return reason.append('.').toString();
    }
}
