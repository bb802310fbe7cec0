package dev.wsl.activation;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The token authorizer's decision (PRODUCT.md section 6, "Token authorizer"): may the caller of a
 * platform API use the product now? The credential comes from the headers of the LocalStack
 * client's platform calls ({@link PlatformCredential}); the answer is {@link LicenseDecision}'s,
 * exactly as for an activation, except that a platform call says nothing about CI (so the CI-key
 * rule of activation does not apply) and records no use (it is not an activation). Headers that hold
 * no credential in one of the client's forms are refused without any read. Thread-safe.
 */
public final class TokenAuthorizer {
    private final LicenseDecision decision;

    public TokenAuthorizer(LicenseDecision decision) {
        this.decision = Objects.requireNonNull(decision);
    }

    /** An {@link Entitlement}, or a refusal; a refusal says nothing about which credentials exist. */
    public LicenseDecision.Verdict authorize(Map<String, String> headers) {
        return authorize(PlatformCredential.fromHeaders(headers));
    }

    /** As {@link #authorize(Map)}, for a credential already read from the headers (empty: none in the client's forms). */
    public LicenseDecision.Verdict authorize(Optional<PlatformCredential> presented) {
        if (presented.isEmpty()) {
            return new Outcome.Refused(Refusal.CREDENTIALS_INVALID);
        }
        return decision.decide(presented.get().kind(), presented.get().credential(), null, null);
    }
}
