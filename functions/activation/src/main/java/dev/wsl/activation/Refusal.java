package dev.wsl.activation;

/**
 * Every way an activation is refused, with its HTTP status and the {@code message} the licensing
 * client reads (LOCALSTACK-LICENSING.md, "Error response"); the only place they are decided.
 * {@link #CREDENTIALS_INVALID} is deliberately one answer for unknown, rotated, revoked, deleted
 * and forged credentials, and for well-formed-looking text that fails the checksum, so that no
 * answer tells whether a credential ever existed.
 */
public enum Refusal {
    BAD_REQUEST(400, "licensing.request.invalid", null),
    /** Larger than the protocol's bodies can be (they are well under 1 KiB); counted in bytes. */
    BODY_TOO_LARGE(413, "licensing.request.too_large", null),
    CREDENTIALS_INVALID(401, "licensing.credentials.invalid",
            "The credential is not valid. Use your personal auth token (workspace → Auth token) or a CI key."),
    DEVELOPER_CREDENTIAL_IN_CI(403,
            "LocalStack runs in CI (machine.ci = true): activate it with a CI key (lsci-...), not a personal auth"
                    + " token or legacy API key. An admin creates CI keys under the workspace's CI keys; set the key"
                    + " as LOCALSTACK_AUTH_TOKEN in the pipeline's secrets.",
            "Developer credentials (personal auth tokens, legacy API keys) do not activate in CI. Ask a workspace"
                    + " admin (or a holder of ci-keys:manage) for a CI key and set it as LOCALSTACK_AUTH_TOKEN."),
    NO_LICENSE(403, "licensing.activation_error",
            "No license is assigned to you in any workspace with a subscription; ask a workspace admin to assign one."),
    EXPIRED(403, "licensing.license.expired",
            "The workspace's subscription has ended; ask a workspace admin to renew it."),
    LICENSE_NOT_FOUND(404, "licensing.license.not_found",
            "The cached license is no longer the one this credential activates; request a new one."),
    /**
     * The table stayed throttled through the bounded re-requests of the decision's read: no answer
     * either way, now. The client has no code for it and shows the whole body as "Unexpected license
     * server error: …", so the {@code detail} says what happened and what to do. The token authorizer
     * denies instead.
     */
    SERVER_BUSY(503, "licensing.server.busy",
            "The license server is busy right now and could not check the credential; start LocalStack again in a"
                    + " few seconds."),
    /**
     * One source address sent more activation requests than {@code LicenseSourceRateLimit} allows
     * ({@link SourceLimit}); refused before the body is read, with {@code Retry-After}. The client shows the
     * whole body as "Unexpected license server error: …".
     */
    RATE_LIMITED(429, "licensing.rate_limited",
            "Too many licensing requests from your network address; start LocalStack again in a few seconds."),
    /** Legacy keys in a brownout or after the cut-off; the message is the plan's explanation (what to do, by when). */
    LEGACY_KEY_SUNSET(403, null, null),
    /**
     * The answer to {@code /license/grace-period-check}: this service grants no grace period. Any 2xx
     * there would make the client print a generic "LocalStack requires an account" text instead of the
     * activation's own refusal (LOCALSTACK-LICENSING.md, client flow step 5).
     */
    NO_GRACE_PERIOD(403, "licensing.grace_period.none",
            "This license server grants no grace period: LocalStack starts with a credential that activates a"
                    + " license, and the activation's answer says why it did not.");

    private final int status;
    private final String message;
    private final String detail;
    private final String code;

    Refusal(int status, String message, String detail) {
        this.status = status;
        this.message = message;
        this.detail = detail;
        this.code = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The refusal's name in logs and metrics ({@code credentials-invalid}, {@code no-license}, ...): a bounded set. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /**
     * What the client reads in {@code message}. A code it knows where one fits; otherwise the
     * human text itself, which the client shows as "Unexpected license server error: …".
     */
    public String message(String detail) {
        return message != null ? message : detail;
    }

    /** A human explanation beside {@code message} (the client ignores extra fields in errors). */
    public String detail() {
        return detail;
    }
}
