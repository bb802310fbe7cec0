package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A workspace's CI key: the only credential that activates LocalStack in CI. It belongs to the
 * workspace, not to a person, so it survives the removal of whoever created it. Only its hash
 * and a hint are stored; the plaintext is shown once, at creation or rotation.
 *
 * @param rotatedAt when its secret was last replaced (null: never)
 * @param previous  the secret a rotation replaced and kept valid for a while, or null (see {@link Overlap};
 *                  it may have ended already: {@link #overlapAt})
 */
public record CiKey(String workspaceId, String keyId, String name, String hash, String hint, Instant createdAt,
                    String createdBy, Instant revokedAt, Instant rotatedAt, Overlap previous) {
    public static final int MAX_NAME = 100;

    public CiKey {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(hash);
    }

    public CiKey(String workspaceId, String keyId, String name, String hash, String hint, Instant createdAt,
                 String createdBy, Instant revokedAt) {
        this(workspaceId, keyId, name, hash, hint, createdAt, createdBy, revokedAt, null, null);
    }

    /** The overlap that still lasts at {@code now}, or null. */
    public Overlap overlapAt(Instant now) {
        return previous != null && previous.lastsAt(now) ? previous : null;
    }

    /** The key with a new secret; the old one stays valid until {@code keepOldUntil} (null: stops at once). */
    public CiKey rotated(String newHash, String newHint, Instant at, Instant keepOldUntil) {
        return new CiKey(workspaceId, keyId, name, newHash, newHint, createdAt, createdBy, revokedAt, at,
                keepOldUntil == null ? null : new Overlap(hash, hint, keepOldUntil));
    }

    /** The key without its old secret (the overlap ended now, or never was). */
    public CiKey withoutPrevious() {
        return new CiKey(workspaceId, keyId, name, hash, hint, createdAt, createdBy, revokedAt, rotatedAt, null);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Revoked: the old secret of an overlap stops with it. */
    public CiKey revokedAt(Instant at) {
        return new CiKey(workspaceId, keyId, name, hash, hint, createdAt, createdBy, at, rotatedAt, null);
    }
}
