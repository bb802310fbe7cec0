package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.BoundedText;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workspace's CI keys: created by admins or holders of {@code ci-keys:manage} (the plaintext is
 * in the creation's answer and nowhere else), listed with a hint, the last activation and the
 * activations per month, and revoked (the next activation with the key fails). Thread-safe.
 */
public final class CiKeyService {
    private final CredentialStore credentials;
    private final Authorization authorization;
    private final Clock clock;
    private final RetryPolicy retry;

    public CiKeyService(CredentialStore credentials, Authorization authorization, Clock clock, RetryPolicy retry) {
        this.credentials = Objects.requireNonNull(credentials);
        this.authorization = Objects.requireNonNull(authorization);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    /** A key just created, with the only copy of its plaintext. */
    public record Created(CiKey key, String plaintext) {
        @Override
        public String toString() {
            return "Created[" + key.keyId() + "]";
        }
    }

    /**
     * A key with what was recorded of its use (null when never used), and its creator as they stand now: CI keys
     * stay the workspace's when their creator leaves (CI must not break), but the console marks the keys whose
     * creator is no longer an admin.
     */
    public record Listed(CiKey key, Usage usage, CredentialStore.Creator creator) {}

    public Created create(Caller caller, String workspaceId, String name) {
        authorization.withPermission(caller, workspaceId, Permission.CI_KEYS_MANAGE);
        String trimmed = BoundedText.required("'name' (e.g. the pipeline that uses the key)", name, CiKey.MAX_NAME,
                "invalid-name");
        Instant now = clock.instant();
        String plaintext = AuthTokens.generate(AuthTokens.CI_PREFIX);
        CiKey key = new CiKey(workspaceId, Ids.newId("ci", now.toEpochMilli()), trimmed, Secrets.sha256Hex(plaintext),
                PersonalToken.hint(plaintext), now, caller.userId(), null);
        retry.run(() -> credentials.createCiKey(key, audit(caller, workspaceId, now, "ci-key.created", key.keyId(),
                Map.of("name", trimmed))));
        return new Created(key, plaintext);
    }

    public List<Listed> list(Caller caller, String workspaceId) {
        authorization.withPermission(caller, workspaceId, Permission.CI_KEYS_MANAGE);
        // The whole read step under the policy, as the other lists do: the keys and then their usage.
        return retry.run(() -> {
            List<CiKey> keys = credentials.listCiKeys(workspaceId);
            Map<String, Usage> usage = keys.isEmpty() ? Map.of()
                    : credentials.usage(workspaceId, keys.stream().map(CiKey::keyId).toList());
            // The creators' standing: one batch read for the page (their grants and user records), not one per key.
            Map<String, CredentialStore.Creator> creators = keys.isEmpty() ? Map.of()
                    : credentials.creators(workspaceId, keys.stream().map(CiKey::createdBy).distinct().toList());
            return keys.stream().sorted(Comparator.comparing(CiKey::createdAt))
                    .map(k -> new Listed(k, usage.get(k.keyId()), creators.get(k.createdBy()))).toList();
        });
    }

    public CiKey revoke(Caller caller, String workspaceId, String keyId) {
        authorization.withPermission(caller, workspaceId, Permission.CI_KEYS_MANAGE);
        return retry.run(() -> revokeOnce(caller, workspaceId, keyId));
    }

    private CiKey revokeOnce(Caller caller, String workspaceId, String keyId) {
        CiKey key = (Ids.isWellFormed("ci", keyId) ? credentials.findCiKey(workspaceId, keyId)
                : java.util.Optional.<CiKey>empty()).orElseThrow(() ->
                new NotFound("ci-key-not-found", "No CI key with this id exists in this workspace."));
        if (key.revoked()) {
            throw new Conflict("already-revoked", "The CI key is already revoked.");
        }
        Instant now = clock.instant();
        credentials.revokeCiKey(key, now, audit(caller, workspaceId, now, "ci-key.revoked", keyId,
                Map.of("name", key.name())));
        return key.revokedAt(now);
    }

    private static AuditEntry audit(Caller caller, String workspaceId, Instant now, String action, String target,
                                    Map<String, String> details) {
        return new AuditEntry(workspaceId, now, caller.userId(), caller.email().value(), action, target, details);
    }
}
