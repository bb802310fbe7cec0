package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A group an identity provider created over SCIM ({@code POST /Groups}; PRODUCT.md section 9, "IdP groups").
 * It keeps its members whatever it is mapped to; until an admin maps it to a target it has no effect, and
 * once mapped its membership acts as the target's fixed group's would. Immutable; every change is a new
 * value with {@code version + 1}, written only if the stored version is still the one read.
 *
 * @param externalId   the identity provider's id of the group, or null
 * @param mapping      what membership gives: null (nothing), {@code admins}, {@code members} or
 *                     {@code license:{subscriptionId}} ({@link #ADMINS}, {@link #MEMBERS}, {@link #license})
 * @param memberCount  how many members it has (kept with the membership items, in their transactions)
 */
public record ScimGroup(String workspaceId, String groupId, String displayName, String externalId, String mapping,
                        long memberCount, long version, Instant createdAt, Instant modifiedAt) {
    public static final String ADMINS = "admins";
    public static final String MEMBERS = "members";
    public static final String LICENSE_PREFIX = "license:";
    public static final int MAX_DISPLAY_NAME = 256;

    public ScimGroup {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(groupId);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(modifiedAt);
    }

    public static String license(String subscriptionId) {
        return LICENSE_PREFIX + subscriptionId;
    }

    /** The subscription a license mapping names, or null. */
    public String mappedSubscription() {
        return mapping != null && mapping.startsWith(LICENSE_PREFIX) ? mapping.substring(LICENSE_PREFIX.length()) : null;
    }

    public boolean mapped() {
        return mapping != null;
    }

    /** The form of the name that uniqueness and {@code displayName eq} lookups use (SCIM compares it without case). */
    public String nameKey() {
        return nameKey(displayName);
    }

    public static String nameKey(String displayName) {
        return displayName.strip().toLowerCase(java.util.Locale.ROOT);
    }

    public ScimGroup renamed(String newName, String newExternalId, Instant at) {
        return new ScimGroup(workspaceId, groupId, newName, newExternalId, mapping, memberCount, version + 1, createdAt, at);
    }

    public ScimGroup mappedTo(String newMapping, Instant at) {
        return new ScimGroup(workspaceId, groupId, displayName, externalId, newMapping, memberCount, version + 1,
                createdAt, at);
    }

    public ScimGroup withMembers(long count, Instant at) {
        return new ScimGroup(workspaceId, groupId, displayName, externalId, mapping, count, version + 1, createdAt, at);
    }
}
