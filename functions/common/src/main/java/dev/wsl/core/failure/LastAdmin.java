package dev.wsl.core.failure;

/** The change would leave the workspace without an active admin (409 {@code last-admin}). */
public final class LastAdmin extends Conflict {
    private static final long serialVersionUID = 1L;

    public LastAdmin() {
        super("last-admin", "A workspace must keep at least one active admin; make someone else admin first.");
    }
}
