package dev.wsl.core.failure;

import java.util.Map;

/**
 * What the request would create exists already (409): an email already a member or invited
 * ({@code member-exists}, naming the {@code memberId}), a legacy key already imported in this
 * workspace ({@code key-exists}), an account already a member ({@code already-member}), a sunset run
 * already in progress. Not retryable: the same request finds the same thing again.
 */
public final class AlreadyExists extends Conflict {
    private static final long serialVersionUID = 1L;

    public AlreadyExists(String slug, String detail) {
        this(slug, detail, Map.of());
    }

    public AlreadyExists(String slug, String detail, Map<String, Object> extensions) {
        super(slug, detail, extensions, null);
    }
}
