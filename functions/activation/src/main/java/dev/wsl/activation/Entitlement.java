package dev.wsl.activation;

import dev.wsl.core.domain.Subscription;
import dev.wsl.core.store.ActivationStore.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a credential is entitled to now: the license {@link LicenseDecision} found for it. Holds
 * identities, never the credential (nor, for a legacy key, the license id, which would be the key).
 *
 * @param userId      auth tokens: the token's user; else null
 * @param memberId    auth tokens: the licensed member in {@code workspaceId}; else null
 * @param keyId       CI and legacy keys: the key's id in its workspace ({@code ci_…}, {@code lk_…}); else null
 * @param licenseId   the stable license id; null for a legacy key (its license id is the key itself)
 * @param licenseType the plan, or {@code CI} for a CI key
 * @param at          when the decision was made
 */
public record Entitlement(Kind kind, String userId, String workspaceId, String memberId, String keyId,
                          Subscription subscription, String licenseId, String licenseType, Instant at)
        implements LicenseDecision.Verdict {

    public Entitlement {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(subscription);
        Objects.requireNonNull(at);
    }

    /** The plan of the subscription the license comes from, as billing names it. */
    public String plan() {
        return subscription.plan();
    }

    public Instant expiresAt() {
        return subscription.periodEnd();
    }

    /** When an instance must ask again: {@code after} from the decision, never past the expiry. */
    public Instant reactivateAfter(Duration after) {
        return reactivateAfter(at, after, expiresAt());
    }

    static Instant reactivateAfter(Instant at, Duration after, Instant expiresAt) {
        Instant reactivate = at.plus(after);
        return reactivate.isAfter(expiresAt) ? expiresAt : reactivate;
    }
}
