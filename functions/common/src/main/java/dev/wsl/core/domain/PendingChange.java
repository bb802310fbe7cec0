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
 * @param followUp what confirming it does besides applying {@code remove} and {@code add}: null (nothing),
 *                 {@code map:<target>} (an admin's new mapping of an IdP group), or {@code delete} (the IdP's
 *                 deletion of a mapped group)
 */
public record PendingChange(String workspaceId, String changeId, String groupId, String groupName, List<String> remove,
                            List<String> add, String request, Instant requestedAt, String requestedBy, Status status,
                            Instant closedAt, String closedBy, String followUp) {
    public enum Status { PENDING, CONFIRMED, DISCARDED }

    /** The follow-up of a held change to an IdP group's mapping: map it to this target ({@code map:} + target or none). */
    public static final String MAP_PREFIX = "map:";
    /** The follow-up of a held deletion of a mapped IdP group. */
    public static final String DELETE_GROUP = "delete";

    public PendingChange {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(changeId);
        Objects.requireNonNull(groupId);
        Objects.requireNonNull(status);
        remove = List.copyOf(remove);
        add = List.copyOf(add);
    }

    /** A held change of group membership (no follow-up). */
    public PendingChange(String workspaceId, String changeId, String groupId, String groupName, List<String> remove,
                         List<String> add, String request, Instant requestedAt, String requestedBy, Status status,
                         Instant closedAt, String closedBy) {
        this(workspaceId, changeId, groupId, groupName, remove, add, request, requestedAt, requestedBy, status, closedAt,
                closedBy, null);
    }

    public PendingChange closed(Status outcome, Instant at, String by) {
        return new PendingChange(workspaceId, changeId, groupId, groupName, remove, add, request, requestedAt,
                requestedBy, outcome, at, by, followUp);
    }
}
