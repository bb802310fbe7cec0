package dev.wsl.activation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /v1/license/info}: what the presented credential is entitled to now, for LocalStack
 * instances and platform services. The route sits behind the token authorizer, so the decision is
 * already made when it runs: the answer restates the authorizer's {@link AuthorizerContext} (never
 * the credential) with the workspace's name, and {@code reactivate_after} as activation would set it.
 * A request without the authorizer's context is a deployment error, never answered with an
 * entitlement. Names are snake_case and dates are written as in the license document, as on the
 * other {@code /v1/license} routes. Thread-safe.
 */
final class LicenseInfo {
    private final Function<String, Optional<String>> workspaceNames;
    private final Clock clock;
    private final Duration reactivateAfter;

    /** @param workspaceNames a workspace's name by id (empty when there is no such workspace) */
    LicenseInfo(Function<String, Optional<String>> workspaceNames, Clock clock, Duration reactivateAfter) {
        this.workspaceNames = Objects.requireNonNull(workspaceNames);
        this.clock = Objects.requireNonNull(clock);
        this.reactivateAfter = Objects.requireNonNull(reactivateAfter);
    }

    /**
     * @param context {@code requestContext.authorizer.lambda} of the route's event
     * @throws IllegalStateException when the context is not the token authorizer's
     */
    String json(Map<String, ?> context) {
        if (context == null || !context.containsKey(AuthorizerContext.WORKSPACE_ID)
                || !context.containsKey(AuthorizerContext.CREDENTIAL_KIND) || !context.containsKey(AuthorizerContext.EXPIRES_AT)) {
            throw new IllegalStateException("no token authorizer context: is the route behind TokenAuthorizer?");
        }
        String workspaceId = text(context, AuthorizerContext.WORKSPACE_ID);
        Instant expiresAt = Instant.parse(text(context, AuthorizerContext.EXPIRES_AT));
        StringBuilder out = new StringBuilder(384).append('{');
        field(out, "credential_kind", text(context, AuthorizerContext.CREDENTIAL_KIND));
        field(out, "user_id", text(context, AuthorizerContext.USER_ID));
        field(out, "member_id", text(context, AuthorizerContext.MEMBER_ID));
        field(out, "key_id", text(context, AuthorizerContext.KEY_ID));
        field(out, "workspace_id", workspaceId);
        field(out, "workspace_name", workspaceNames.apply(workspaceId).orElse(null));
        field(out, "plan", text(context, AuthorizerContext.PLAN));
        field(out, "license_type", text(context, AuthorizerContext.LICENSE_TYPE));
        field(out, "license_status", "ACTIVE");
        field(out, "expiry_date", LicenseDocument.isoSeconds(expiresAt));
        field(out, "reactivate_after",
                LicenseDocument.isoSeconds(Entitlement.reactivateAfter(clock.instant(), reactivateAfter, expiresAt)));
        return out.append('}').toString();
    }

    private static String text(Map<String, ?> context, String key) {
        Object value = context.get(key);
        return value == null ? null : value.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value == null) {
            return;
        }
        if (out.length() > 1) {
            out.append(',');
        }
        ResponseJson.string(ResponseJson.string(out, name).append(':'), value);
    }
}
