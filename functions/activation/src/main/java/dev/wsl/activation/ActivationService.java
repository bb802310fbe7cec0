package dev.wsl.activation;

import dev.wsl.core.domain.Subscription;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.ActivationStore.Kind;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * License activation (PRODUCT.md section 6): the licensing protocol around {@link LicenseDecision}.
 * What is activation's own: a credential's format is checked first (no read for one that cannot be a
 * credential); LocalStack in CI ({@code machine.ci}) activates only with a CI key; a reactivation
 * names the license it cached and keeps it while the credential still activates it; the use is
 * recorded; and the granted license is the signed document the client caches, valid until
 * {@code reactivateAfter} from now but never past the subscription. Thread-safe.
 */
public final class ActivationService {
    static final List<LicenseDocument.Product> PRODUCTS = List.of(new LicenseDocument.Product("localstack-pro", "*"));

    private final LicenseDecision decision;
    private final Duration reactivateAfter;

    public ActivationService(LicenseDecision decision, Duration reactivateAfter) {
        this.decision = Objects.requireNonNull(decision);
        if (reactivateAfter.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("reactivate-after must be at least a minute");
        }
        this.reactivateAfter = reactivateAfter;
    }

    /** @param sunset the legacy-key sunset plan, or null when none is configured */
    public ActivationService(ActivationStore store, Clock clock, Duration reactivateAfter, SunsetPlan sunset) {
        this(new LicenseDecision(store, clock, sunset), reactivateAfter);
    }

    /** @param reactivation true for {@code /license/activate}, which must name the license it cached */
    public Outcome activate(ActivationRequest request, boolean reactivation) {
        if (reactivation && request.licenseId() == null) {
            return new Outcome.Refused(Refusal.BAD_REQUEST, "license_id is required on /license/activate.");
        }
        Kind kind = LicenseDecision.kindOf(request.credential(), request.credentialType().equals(ActivationRequest.API_KEY));
        if (kind == null) {
            return new Outcome.Refused(Refusal.CREDENTIALS_INVALID);
        }
        if (request.ci() && kind != Kind.CI_KEY) {
            return new Outcome.Refused(Refusal.DEVELOPER_CREDENTIAL_IN_CI);
        }
        LicenseDecision.Verdict verdict = decision.decide(kind, request.credential(),
                new LicenseDecision.Use(request.machineId(), request.system()), reactivation ? request.licenseId() : null);
        return switch (verdict) {
            case Outcome.Refused refused -> refused;
            case Entitlement e -> granted(request, e, reactivation);
        };
    }

    private Outcome granted(ActivationRequest request, Entitlement e, boolean reactivation) {
        // The licensing protocol: a legacy key's license is the key itself.
        String licenseId = e.kind() == Kind.LEGACY_KEY ? request.credential() : e.licenseId();
        if (reactivation && !licenseId.equals(request.licenseId())) {
            return new Outcome.Refused(Refusal.LICENSE_NOT_FOUND);
        }
        Subscription s = e.subscription();
        LicenseDocument license = new LicenseDocument(licenseId, e.licenseType(), s.periodStart(), s.periodEnd(),
                PRODUCTS, "ACTIVE", e.at(), e.reactivateAfter(reactivateAfter));
        return new Outcome.Granted(license, request.credential(), reactivation ? request.productVersion() : null, e);
    }
}
