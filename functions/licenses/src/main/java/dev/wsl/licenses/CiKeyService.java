package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.BoundedText;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Issued;
import dev.wsl.core.domain.Overlap;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Secret;
import dev.wsl.core.domain.SecretCredentials;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workspace's CI keys: created by admins or holders of {@code ci-keys:manage} (the plaintext is
 * in the creation's answer and nowhere else), listed with a hint, the last activation and the
 * activations per month, rotated (a new secret, shown once; the old one stops at once or, for a chosen
 * overlap of at most {@link Overlap#MAX}, keeps activating so that pipelines move over without a gap; "End
 * now" stops it early), and revoked (the next activation with the key, or with an old secret it still
 * honours, fails). Thread-safe.
 */
public final class CiKeyService {
    private final CredentialStore credentials;
    private final Authorization authorization;
    private final SecretCredentials secrets;

    public CiKeyService(CredentialStore credentials, Authorization authorization, Clock clock, RetryPolicy retry) {
        this.credentials = Objects.requireNonNull(credentials);
        this.authorization = Objects.requireNonNull(authorization);
        this.secrets = new SecretCredentials(clock, retry);
    }

    /**
     * A key with what was recorded of its use (null when never used), and its creator as they stand now: CI keys
     * stay the workspace's when their creator leaves (CI must not break), but the console marks the keys whose
     * creator is no longer an admin.
     */
    public record Listed(CiKey key, Usage usage, CredentialStore.Creator creator) {}

    public Issued<CiKey> create(Caller caller, String workspaceId, String name) {
        authorization.withPermission(caller, workspaceId, Permission.CI_KEYS_MANAGE);
        String trimmed = BoundedText.required("'name' (e.g. the pipeline that uses the key)", name, CiKey.MAX_NAME,
                "invalid-name");
        // A new key (id and secret) per attempt: a write that landed though its answer was lost is not sent
        // again (it would collide with itself and the caller would see neither key), and the plaintext shown is
        // always that of the key whose hash is stored.
        return secrets.issue(Secret.Kind.CI_KEY, (secret, now) -> {
            CiKey key = new CiKey(workspaceId, Ids.newId("ci", now.toEpochMilli()), trimmed, secret.hash(),
                    secret.hint(), now, caller.userId(), null);
            credentials.createCiKey(key, audit(caller, workspaceId, now, "ci-key.created", key.keyId(),
                    Map.of("name", trimmed)));
            return new Issued<>(key, secret.plaintext());
        });
    }

    public List<Listed> list(Caller caller, String workspaceId) {
        authorization.withPermission(caller, workspaceId, Permission.CI_KEYS_MANAGE);
        // The whole read step under the policy, as the other lists do: the keys and then their usage.
        return secrets.change(now -> {
            // An overlap that ran out is shown as none (its old secret no longer activates).
            List<CiKey> keys = credentials.listCiKeys(workspaceId).stream()
                    .map(k -> k.previous() != null && k.overlapAt(now) == null ? k.withoutPrevious() : k).toList();
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
        return secrets.change(now -> revokeOnce(caller, workspaceId, keyId, now));
    }

    private CiKey revokeOnce(Caller caller, String workspaceId, String keyId, Instant now) {
        CiKey key = found(workspaceId, keyId);
        if (key.revoked()) {
            throw new Conflict("already-revoked", "The CI key is already revoked.");
        }
        credentials.revokeCiKey(key, now, audit(caller, workspaceId, now, "ci-key.revoked", keyId,
                Map.of("name", key.name())));
        return key.revokedAt(now);
    }

    /**
     * A new secret for the key (its id, name, usage and creator stay); the old one stops at once, or keeps
     * activating for {@code overlap} (an earlier overlap ends now). The plaintext is in the answer only.
     *
     * @throws InvalidInput {@code invalid-overlap} for an overlap below zero or above {@link Overlap#MAX}
     * @throws NotFound {@code ci-key-not-found} for a key of no such id in this workspace
     * @throws Conflict {@code ci-key-revoked} for a revoked key
     */
    public Issued<CiKey> rotate(Caller caller, String workspaceId, String keyId, Duration overlap) {
        authorization.withPermission(caller, workspaceId, Permission.CI_KEYS_MANAGE);
        SecretCredentials.requireOverlap(overlap, "key");
        return secrets.issue(Secret.Kind.CI_KEY, (secret, now) -> {
            CiKey before = found(workspaceId, keyId);
            if (before.revoked()) {
                throw new Conflict("ci-key-revoked", "A revoked CI key cannot be rotated; create a new one.");
            }
            Instant keepOldUntil = SecretCredentials.keepOldUntil(now, overlap);
            CiKey after = before.rotated(secret.hash(), secret.hint(), now, keepOldUntil);
            Map<String, String> details = new java.util.LinkedHashMap<>(Map.of("name", before.name()));
            if (keepOldUntil != null) {
                details.put("oldKeyUntil", keepOldUntil.toString());
            }
            credentials.rotateCiKey(before, after, audit(caller, workspaceId, now, "ci-key.rotated", keyId, details));
            return new Issued<>(after, secret.plaintext());
        });
    }

    /**
     * "End now": the old secret of the key's overlap stops at once. A key without one is answered as it is.
     *
     * @throws NotFound {@code ci-key-not-found} for a key of no such id in this workspace
     */
    public CiKey endOverlap(Caller caller, String workspaceId, String keyId) {
        authorization.withPermission(caller, workspaceId, Permission.CI_KEYS_MANAGE);
        return secrets.change(now -> {
            CiKey before = found(workspaceId, keyId);
            if (before.previous() == null) {
                return before;
            }
            credentials.endCiKeyOverlap(before, audit(caller, workspaceId, now, "ci-key.overlap-ended", keyId,
                    Map.of("name", before.name())));
            return before.withoutPrevious();
        });
    }

    private CiKey found(String workspaceId, String keyId) {
        return (Ids.isWellFormed("ci", keyId) ? credentials.findCiKey(workspaceId, keyId)
                : java.util.Optional.<CiKey>empty()).orElseThrow(() ->
                new NotFound("ci-key-not-found", "No CI key with this id exists in this workspace."));
    }

    private static AuditEntry audit(Caller caller, String workspaceId, Instant now, String action, String target,
                                    Map<String, String> details) {
        return new AuditEntry(workspaceId, now, caller.userId(), caller.email().value(), action, target, details);
    }
}
