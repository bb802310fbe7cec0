package dev.wsl.core.port;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A workspace's SCIM token and the changes its identity provider sent that wait for an admin. */
public interface ScimStore {

    /** What a token's hash leads to: its workspace and the hour of its last recorded use. */
    record TokenRef(String workspaceId, String hash, Instant lastUseHour) {
        @Override
        public String toString() {
            return "TokenRef[workspaceId=" + workspaceId + "]";
        }
    }

    /** One consistent read of the token's lookup item: how every SCIM request is authenticated. */
    Optional<TokenRef> findToken(String tokenHash);

    Optional<ScimToken> token(String workspaceId);

    /**
     * Creates the workspace's token, or replaces {@code before}: the old token's lookup item is deleted in
     * the same step, so it stops working at once.
     *
     * @throws ChangedMeanwhile when the workspace's token is no longer {@code before}
     * @throws NotFound when the workspace does not exist
     */
    void saveToken(ScimToken before, ScimToken after, AuditEntry audit);

    /** @throws ChangedMeanwhile when the token was regenerated or revoked meanwhile */
    void revokeToken(ScimToken before, AuditEntry audit);

    /**
     * Records a use of the token, at most once per hour: nothing is written when {@code ref} already names
     * this hour (so a busy identity provider costs one write an hour), and a token revoked meanwhile is left alone.
     */
    void recordUse(TokenRef ref, Instant at);

    /** @throws ChangedMeanwhile when a change with this id exists (a collision) */
    void recordPending(PendingChange change, AuditEntry audit);

    /** The workspace's pending changes, oldest first (closed ones are not listed). */
    List<PendingChange> pendingChanges(String workspaceId);

    Optional<PendingChange> findChange(String workspaceId, String changeId);

    /**
     * Marks a pending change confirmed or discarded.
     *
     * @throws Conflict {@code change-closed} when someone confirmed or discarded it meanwhile
     */
    void closeChange(PendingChange before, PendingChange after, AuditEntry audit);
}
