package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Who changes a workspace, as its audit trail names them: a signed-in person (their {@code sub} and
 * verified email), or a system acting on its own authority: billing, the sunset job, or the workspace's
 * identity provider over SCIM ({@link #SCIM}).
 */
public record Actor(String id, String email) {
    /** The identity provider, through the workspace's SCIM token. */
    public static final Actor SCIM = new Actor("scim", "scim");

    public Actor {
        Objects.requireNonNull(id);
        Objects.requireNonNull(email);
    }

    public static Actor of(Caller caller) {
        return new Actor(caller.userId(), caller.email().value());
    }

    public AuditEntry audit(String workspaceId, Instant at, String action, String target, Map<String, String> details) {
        return new AuditEntry(workspaceId, at, id, email, action, target, details);
    }
}
