package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Map;

/**
 * The last activation recorded for what a credential activates (a member's license, a CI key, a
 * legacy key), and for CI keys the number of activations per month ({@code yyyy-MM}). Admins read
 * it to find idle seats. The last activation is coalesced to one write per credential per hour, so
 * {@code at} is accurate to the hour.
 */
public record Usage(String subjectId, Instant at, String machineId, String system, String credential,
                    Map<String, Long> activationsPerMonth) {
    public Usage {
        activationsPerMonth = Map.copyOf(activationsPerMonth);
    }
}
