package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A workspace's license pool: its subscriptions, the seats they give, and the tally of
 * seats in use. {@code seats} is what billing last reported as active; seats in use may
 * exceed it only after a downgrade, which keeps existing assignments and blocks new ones.
 *
 * @param unassignedKeys masked forms of the legacy keys assigned to nobody (they hold seats)
 * @param licensedFrom   by subscription id, how many members hold a license counted against it (its license
 *                       group); a subscription never gives more licenses than its seats. Licenses assigned before
 *                       licenses named their subscription are in {@code tally().licensed()} only
 */
public record LicensePool(String workspaceId, Map<String, Subscription> subscriptions, long seats, SeatTally tally,
                          SortedSet<String> unassignedKeys, long version, Map<String, Long> licensedFrom) {

    public LicensePool {
        licensedFrom = licensedFrom == null ? Map.of() : Map.copyOf(licensedFrom);
    }

    public LicensePool(String workspaceId, Map<String, Subscription> subscriptions, long seats, SeatTally tally,
                       SortedSet<String> unassignedKeys, long version) {
        this(workspaceId, subscriptions, seats, tally, unassignedKeys, version, Map.of());
    }

    public static LicensePool empty(String workspaceId) {
        return new LicensePool(workspaceId, Map.of(), 0, SeatTally.ZERO, new java.util.TreeSet<>(), 0);
    }

    public long free() {
        return Math.max(0, seats - tally.inUse());
    }

    /** Whether a subscription is active at {@code now} (billing reports it active and its period has not ended). */
    public boolean hasActiveSubscription(Instant now) {
        return subscriptions.values().stream()
                .anyMatch(s -> s.status() == Subscription.Status.ACTIVE && now.isBefore(s.periodEnd()));
    }

    /** Licenses counted against the subscription now. */
    public long licensedFrom(String subscriptionId) {
        return licensedFrom.getOrDefault(subscriptionId, 0L);
    }

    /** The seats a subscription gives while billing reports it active; an expired one gives none. */
    public long seatsOf(String subscriptionId) {
        Subscription s = subscriptions.get(subscriptionId);
        return s == null || s.status() != Subscription.Status.ACTIVE ? 0 : s.seats();
    }

    /** How many more licenses the subscription may give (never below zero). */
    public long roomIn(String subscriptionId) {
        return Math.max(0, seatsOf(subscriptionId) - licensedFrom(subscriptionId));
    }

    /**
     * The subscription a new license is counted against when the assigner names none (the console, the
     * API, billing's purchaser license): the active one with the most room left, ties by id. Empty when
     * none has room, which also means the pool has no free seat unless licenses of no named subscription
     * hold seats.
     */
    public Optional<String> subscriptionWithRoom() {
        return subscriptions.keySet().stream().filter(id -> roomIn(id) > 0)
                .max(Comparator.comparingLong(this::roomIn).thenComparing(Comparator.<String>reverseOrder()));
    }

    /**
     * The unassigned keys as they may be shown to those who manage legacy keys: each its mask ({@link Masks})
     * and id. Members without {@code legacy-keys:manage} see only their number.
     */
    public List<String> unassignedKeysShown() {
        return unassignedKeys.stream().map(Masks::legacyShown).toList();
    }

    /** Why a new seat cannot be taken now, or null when one can; unassigned keys counted, not named. */
    public String blockedReason() {
        return blockedReason(false);
    }

    /**
     * Why a new seat cannot be taken now, or null when one can.
     *
     * @param namesKeys whether the reason names the unassigned keys that hold seats (masked), for a caller who
     *                  manages legacy keys; otherwise it counts them
     */
    public String blockedReason(boolean namesKeys) {
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
            reason.append("; ").append(unassignedKeys.size()).append(" unassigned legacy key")
                    .append(unassignedKeys.size() == 1 ? " holds a seat" : "s hold seats");
            if (namesKeys) {
                List<String> shown = unassignedKeysShown().stream().limit(10).toList();
                reason.append(": ").append(String.join(", ", shown)).append(unassignedKeys.size() > shown.size() ? ", …" : "")
                        .append(" (assign or delete them to free seats)");
            } else {
                reason.append(" (whoever manages legacy keys can assign or delete them to free seats)");
            }
        }
        return reason.append('.').toString();
    }
}
