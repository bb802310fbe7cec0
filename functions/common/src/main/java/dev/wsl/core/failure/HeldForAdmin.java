package dev.wsl.core.failure;

/**
 * The identity provider asked for a change that only an admin's confirmation may make (409
 * {@code held-for-admin}): it would take ADMIN from a second member within an hour. Nothing was written; the
 * SCIM side records it as a held change for the console, as it does with a mass revocation.
 */
public final class HeldForAdmin extends Conflict {
    private static final long serialVersionUID = 1L;

    public HeldForAdmin(String detail) {
        super("held-for-admin", detail);
    }
}
