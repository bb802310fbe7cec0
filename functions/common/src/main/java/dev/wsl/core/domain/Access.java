package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a member may do: a role, and for {@link Role#MEMBER} an explicit set of
 * advanced permissions. An admin's permission set is always empty because the
 * role already grants everything.
 */
public record Access(Role role, Set<Permission> permissions) {
    public static final Access ADMIN = new Access(Role.ADMIN, Set.of());
    public static final Access MEMBER = new Access(Role.MEMBER, Set.of());

    public Access {
        Objects.requireNonNull(role);
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        if (role == Role.ADMIN && !permissions.isEmpty()) {
            throw new InvalidInput("invalid-access", "An ADMIN has every permission; send no permissions with it.");
        }
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean allows(Permission permission) {
        return isAdmin() || permissions.contains(permission);
    }

    /**
     * Whether a member with this access may hand {@code granted} to someone
     * (by invitation or by changing their access). Only admins make admins; others
     * may hand out at most the permissions they hold, so nobody escalates through a grant.
     */
    public boolean mayGrant(Access granted) {
        if (isAdmin()) {
            return true;
        }
        return !granted.isAdmin() && permissions.containsAll(granted.permissions());
    }

    /** Sorted wire names, for responses and items. */
    public java.util.List<String> permissionNames() {
        return permissions.stream().map(Permission::wireName).sorted().toList();
    }
}
