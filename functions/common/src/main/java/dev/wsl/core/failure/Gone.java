package dev.wsl.core.failure;

/** What the request names existed and has ended (410), e.g. an expired invitation. */
public final class Gone extends Failure {
    private static final long serialVersionUID = 1L;

    public Gone(String slug, String detail) {
        super(slug, detail, null);
    }
}
