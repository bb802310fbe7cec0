package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A workspace's CI key: the only credential that activates LocalStack in CI. It belongs to the
 * workspace, not to a person, so it survives the removal of whoever created it. Only its hash
 * and a hint are stored; the plaintext is shown once, at creation.
 */
public record CiKey(String workspaceId, String keyId, String name, String hash, String hint, Instant createdAt,
                    String createdBy, Instant revokedAt) {
    public static final int MAX_NAME = 100;

    public CiKey {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(hash);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public CiKey revokedAt(Instant at) {
        return new CiKey(workspaceId, keyId, name, hash, hint, createdAt, createdBy, at);
    }
}
