package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One change in a workspace: who did what to whom, and when. Written in the same
 * transaction as the change it records, so the trail has no gaps and no ghosts.
 *
 * @param actorId    the acting user's id ({@code sub})
 * @param actorEmail the acting user's verified email at the time
 * @param action     dotted verb, e.g. {@code member.invited}
 * @param target     the member id or other object changed
 * @param details    small string facts (no secrets)
 */
public record AuditEntry(String workspaceId, Instant at, String actorId, String actorEmail, String action,
                         String target, Map<String, String> details) {
    public AuditEntry {
        details = Map.copyOf(details);
    }
}
