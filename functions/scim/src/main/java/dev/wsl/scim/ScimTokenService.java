package dev.wsl.scim;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Issued;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.Secret;
import dev.wsl.core.domain.SecretCredentials;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.failure.Unauthenticated;
import dev.wsl.core.port.ScimStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The workspace's SCIM token: admins create or regenerate it (the plaintext is in that answer only), see
 * its hint, creation and last use, and revoke it; every SCIM request is authenticated by it with one
 * consistent read of its lookup item. Thread-safe.
 */
public final class ScimTokenService {
    private final ScimStore store;
    private final Authorization authorization;
    private final SecretCredentials secrets;

    public ScimTokenService(ScimStore store, Authorization authorization, Clock clock, RetryPolicy retry) {
        this.store = Objects.requireNonNull(store);
        this.authorization = Objects.requireNonNull(authorization);
        this.secrets = new SecretCredentials(clock, retry);
    }

    /**
     * Creates the workspace's token, or replaces the current one (working or stopped), which stops working at
     * once. The token carries the caller's authority: it stops when they are removed or lose ADMIN, and the
     * store refuses to create it if that happened since the caller's grant was read.
     */
    public Issued<ScimToken> regenerate(Caller caller, String workspaceId) {
        // A new token per attempt (SecretCredentials#issue): after an attempt whose write did land (its answer
        // lost), the next one reads that token as the one to replace.
        return secrets.issue(Secret.Kind.SCIM_TOKEN, (secret, now) -> {
            requireAdmin(caller, workspaceId);
            Optional<ScimToken> before = store.token(workspaceId);
            ScimToken after = ScimToken.created(workspaceId, secret.hash(), secret.hint(), now, caller);
            store.saveToken(before.orElse(null), after, Actor.of(caller).audit(workspaceId, now,
                    before.isPresent() ? "scim-token.regenerated" : "scim-token.created", "scim-token",
                    Map.of("hint", after.hint(), "previousHint", before.map(ScimToken::hint).orElse(""))));
            return new Issued<>(after, secret.plaintext());
        });
    }

    /** The token, working or stopped (then with why and when). @throws NotFound {@code no-scim-token} when the workspace has none */
    public ScimToken view(Caller caller, String workspaceId) {
        requireAdmin(caller, workspaceId);
        return secrets.change(now -> store.token(workspaceId)).orElseThrow(ScimTokenService::noToken);
    }

    public void revoke(Caller caller, String workspaceId) {
        requireAdmin(caller, workspaceId);
        secrets.change(now -> {
            ScimToken before = store.token(workspaceId).orElseThrow(ScimTokenService::noToken);
            store.revokeToken(before, Actor.of(caller).audit(workspaceId, now, "scim-token.revoked", "scim-token",
                    Map.of("hint", before.hint())));
            return null;
        });
    }

    /**
     * The workspace whose token the request's {@code Authorization: Bearer …} header carries, and records
     * the token's use (at most once an hour). A missing, malformed, unknown, regenerated, revoked or stopped
     * token is refused alike; malformed ones without a read.
     *
     * @throws Unauthenticated for every refusal
     */
    public String authenticate(String authorizationHeader) {
        String token = bearer(authorizationHeader);
        if (!ScimToken.isWellFormed(token)) {
            throw refused();
        }
        ScimStore.TokenRef ref = store.findToken(Secrets.sha256Hex(token)).orElseThrow(ScimTokenService::refused);
        store.recordUse(ref, secrets.now());
        return ref.workspaceId();
    }

    /** Admins only: the token gives the identity provider an admin's power over members and licenses. */
    Grant requireAdmin(Caller caller, String workspaceId) {
        Grant grant = authorization.member(caller, workspaceId);
        if (!grant.access().isAdmin()) {
            throw new Forbidden("missing-permission", "This needs the ADMIN role: SCIM provisioning manages "
                    + "members, roles and licenses.");
        }
        return grant;
    }

    private static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        return h.substring(space + 1).strip();
    }

    private static Unauthenticated refused() {
        return new Unauthenticated("invalid-token", "The request needs the workspace's SCIM token as "
                + "'Authorization: Bearer scim-…'; this one is missing, unknown, regenerated, revoked, or stopped "
                + "because the admin who created it was removed or is no longer an admin.");
    }

    private static NotFound noToken() {
        return new NotFound("no-scim-token", "The workspace has no SCIM token; create one to connect an identity provider.");
    }
}
