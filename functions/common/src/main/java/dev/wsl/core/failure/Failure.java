package dev.wsl.core.failure;

import java.util.Map;
import java.util.Objects;

/**
 * Why a request is refused, as a type: the domain, the stores and the services throw these, and
 * {@code HttpApiHandler} is the one place that turns them into HTTP (the status from the type, the
 * problem {@code type} from {@link #slug()}). Code decides by type ({@code catch (ChangedMeanwhile e)}),
 * never by slug.
 *
 * <p>The slug is stable (clients read it); the detail is for people and never holds a secret.
 * A failure is an answer, not a bug, so it records no stack trace of its own; a cause, when there is
 * one (the SDK exception behind {@link Busy}), is kept for the log. Immutable.
 */
public abstract sealed class Failure extends RuntimeException
        permits InvalidInput, Unauthenticated, Forbidden, NotFound, Gone, Conflict, Busy, TooManyRequests {
    private static final long serialVersionUID = 1L;

    private final String slug;
    private final String detail;

    Failure(String slug, String detail, Throwable cause) {
        super(slug + ": " + detail, cause, false, false);
        this.slug = Objects.requireNonNull(slug);
        this.detail = Objects.requireNonNull(detail);
    }

    /** Short and stable; the problem {@code type} is {@code urn:problem:wsl:<slug>}. */
    public final String slug() {
        return slug;
    }

    /** What happened and what to do, for people. */
    public final String detail() {
        return detail;
    }

    /** Members the problem carries beside type, title, status and detail (e.g. the seats); none by default. */
    public Map<String, Object> extensions() {
        return Map.of();
    }
}
