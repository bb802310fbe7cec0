package dev.wsl.core.failure;

/** What the request names does not exist for this caller (404); a workspace the caller is no member of is not found either, so that nothing leaks. */
public final class NotFound extends Failure {
    private static final long serialVersionUID = 1L;

    public NotFound(String slug, String detail) {
        super(slug, detail, null);
    }
}
