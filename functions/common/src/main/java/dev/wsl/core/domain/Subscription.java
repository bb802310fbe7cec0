package dev.wsl.core.domain;

import java.time.Instant;

/**
 * One subscription of a workspace, as billing last reported it.
 *
 * @param sequence billing's own counter for this subscription: an event is applied only if it is
 *                 newer than the last one applied, so redelivered or reordered events change nothing
 */
public record Subscription(String subscriptionId, String plan, long seats, Instant periodStart, Instant periodEnd,
                           Status status, long sequence) {

    public enum Status { ACTIVE, EXPIRED }

    /**
     * How the console, the API and SCIM name the subscription: its plan and id, e.g. {@code Team (sub_123)};
     * also the displayName of its SCIM license group.
     */
    public String displayName() {
        return plan + " (" + subscriptionId + ")";
    }

    /** Seats count while the subscription is active and its period has not ended. */
    public long seatsAt(Instant now) {
        return status == Status.ACTIVE && now.isBefore(periodEnd) ? seats : 0;
    }
}
