package dev.wsl.core.domain;

import dev.wsl.core.api.ApiException;

/** Predefined roles: ADMIN may do everything; MEMBER may view and manage their own credentials. */
public enum Role {
    ADMIN,
    MEMBER;

    /** @throws ApiException 400 when the name is not a role */
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.name().equals(name)) {
                return role;
            }
        }
        throw ApiException.badRequest("unknown-role", "role must be ADMIN or MEMBER.");
    }
}
