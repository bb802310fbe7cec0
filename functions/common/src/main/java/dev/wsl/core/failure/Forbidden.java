package dev.wsl.core.failure;

/** The caller is known but may not do this (403): a missing permission, another person's invitation. */
public final class Forbidden extends Failure {
    private static final long serialVersionUID = 1L;

    public Forbidden(String slug, String detail) {
        super(slug, detail, null);
    }
}
