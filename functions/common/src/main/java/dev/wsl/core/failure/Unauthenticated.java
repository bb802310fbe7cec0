package dev.wsl.core.failure;

/** The caller's identity is missing or unusable (401). */
public final class Unauthenticated extends Failure {
    private static final long serialVersionUID = 1L;

    public Unauthenticated(String slug, String detail) {
        super(slug, detail, null);
    }
}
