package dev.wsl.core.failure;

/** The request is malformed or breaks a rule of its fields (400): missing, unknown or ill-typed fields, invalid emails, names, roles, cursors. */
public final class InvalidInput extends Failure {
    private static final long serialVersionUID = 1L;

    public InvalidInput(String slug, String detail) {
        super(slug, detail, null);
    }
}
