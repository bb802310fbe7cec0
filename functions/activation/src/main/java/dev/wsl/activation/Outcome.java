package dev.wsl.activation;

/** The result of an activation: a license to sign with the presented credential, or a refusal. */
public sealed interface Outcome {

    /**
     * @param localstackVersion on {@code /license/activate}: the client's version, echoed in {@code offline_data}
     * @param entitlement       what the decision found (for the log: workspace, member or key; never the credential)
     */
    record Granted(LicenseDocument license, String credential, String localstackVersion, Entitlement entitlement)
            implements Outcome {
        @Override
        public String toString() {
            return "Granted[" + license.licenseType() + " until " + license.expiryDate() + "]";
        }
    }

    /** Also the refusal of {@link LicenseDecision}: a refused decision is a refused activation as it stands. */
    record Refused(Refusal refusal, String detail) implements Outcome, LicenseDecision.Verdict {
        public Refused(Refusal refusal) {
            this(refusal, refusal.detail());
        }
    }
}
