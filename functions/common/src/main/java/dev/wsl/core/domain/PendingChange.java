package dev.wsl.core.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A SCIM request the mass-revocation guard did not apply: it would have taken licenses or memberships
 * from more members than the threshold allows at once (an empty or truncated group pushed by mistake).
 * An admin confirms it (then it is applied in full) or discards it.
 *
 * @param groupId  the group the request changed
 * @param remove   the members it takes out of the group (their license, or their membership)
 * @param add      the members it puts into the group
 * @param request  what the identity provider sent, in short (method, path, operations)
 */
public record PendingChange(String workspaceId, String changeId, String groupId, String groupName, List<String> remove,
                            List<String> add, String request, Instant requestedAt, String requestedBy, Status status,
                            Instant closedAt, String closedBy) {
    public enum Status { PENDING, CONFIRMED, DISCARDED }

    public PendingChange {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(changeId);
        Objects.requireNonNull(groupId);
        Objects.requireNonNull(status);
        remove = List.copyOf(remove);
        add = List.copyOf(add);
    }

    public PendingChange closed(Status outcome, Instant at, String by) {
        return new PendingChange(workspaceId, changeId, groupId, groupName, remove, add, request, requestedAt,
                requestedBy, outcome, at, by);
    }
}
