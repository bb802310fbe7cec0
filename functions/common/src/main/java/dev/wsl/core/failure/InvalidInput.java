package dev.wsl.core.failure;

import java.util.Objects;

/**
 * The request is malformed or breaks a rule of its fields (400): missing, unknown or ill-typed fields, invalid emails,
 * names, roles, cursors. Its {@link Kind} says which sort of mistake it is, declared where it is thrown, so that a
 * protocol that tells them apart (SCIM's {@code scimType}, RFC 7644 section 3.12) decides by it, never by the slug.
 */
public final class InvalidInput extends Failure {
    private static final long serialVersionUID = 1L;

    /** The sort of mistake: RFC 7644's error types, which are general enough for any protocol. */
    public enum Kind {
        /** A value that breaks a rule of its field (the default). */
        VALUE,
        /** The body is not well-formed, or not the object the request needs. */
        SYNTAX,
        /** A filter that cannot be parsed or is not supported. */
        FILTER,
        /** An attribute path that does not exist or cannot be used here. */
        PATH,
        /** An operation that needs a target names none. */
        NO_TARGET,
        /** An attempt to change what cannot be changed (read-only, required, immutable). */
        MUTABILITY,
        /** More in one request than the service accepts. */
        TOO_MANY
    }

    private final Kind kind;

    /** A value that breaks a rule ({@link Kind#VALUE}). */
    public InvalidInput(String slug, String detail) {
        this(Kind.VALUE, slug, detail);
    }

    public InvalidInput(Kind kind, String slug, String detail) {
        super(slug, detail, null);
        this.kind = Objects.requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }
}
