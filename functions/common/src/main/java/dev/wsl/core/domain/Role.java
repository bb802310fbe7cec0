package dev.wsl.core.domain;

import dev.wsl.core.failure.InvalidInput;

/** Predefined roles: ADMIN may do everything; MEMBER may view and manage their own credentials. */
public enum Role {
    ADMIN,
    MEMBER;

    /** @throws InvalidInput when the name is not a role */
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.name().equals(name)) {
                return role;
            }
        }
        throw new InvalidInput("unknown-role", "role must be ADMIN or MEMBER.");
    }
}
