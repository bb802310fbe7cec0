package dev.wsl.core.failure;

import java.util.Map;

/**
 * The request conflicts with the current state (409). Instances of this class itself are refusals of
 * the rules that a caller can only resolve by changing the state first ({@code no-license},
 * {@code member-removed}, {@code member-active}, {@code member-has-key}, {@code invitation-used},
 * {@code already-revoked}); the subclasses are the conflicts that code tells apart: a lost race
 * ({@link ChangedMeanwhile}, {@link SeatsChanged}), a full pool ({@link NoFreeSeat}), the last admin
 * ({@link LastAdmin}), something that exists already ({@link AlreadyExists}).
 */
public sealed class Conflict extends Failure
        permits ChangedMeanwhile, SeatsChanged, NoFreeSeat, LastAdmin, AlreadyExists, HeldForAdmin {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> extensions;

    public Conflict(String slug, String detail) {
        this(slug, detail, Map.of(), null);
    }

    Conflict(String slug, String detail, Map<String, Object> extensions, Throwable cause) {
        super(slug, detail, cause);
        this.extensions = Map.copyOf(extensions);
    }

    @Override
    public Map<String, Object> extensions() {
        return extensions;
    }
}
