package dev.wsl.activation;

import dev.wsl.core.store.ActivationStore.Kind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identity the token authorizer hands to the routes behind it: API Gateway passes its simple
 * response's {@code context} to the route as {@code requestContext.authorizer.lambda}. Identities
 * and the entitlement only, never the credential (a legacy key's license id would be the key, so
 * there is no license id either). Absent keys do not apply to the credential's kind.
 */
public final class AuthorizerContext {
    /** {@code auth-token}, {@code ci-key} or {@code legacy-key}. */
    public static final String CREDENTIAL_KIND = "credentialKind";
    /** Auth tokens: the user the token belongs to. */
    public static final String USER_ID = "userId";
    /** Auth tokens: the licensed member, in {@link #WORKSPACE_ID}. */
    public static final String MEMBER_ID = "memberId";
    /** CI and legacy keys: the key's id in its workspace ({@code ci_…}, {@code lk_…}), not the key. */
    public static final String KEY_ID = "keyId";
    /** The workspace whose license the credential uses. */
    public static final String WORKSPACE_ID = "workspaceId";
    /** The subscription's plan, as billing names it. */
    public static final String PLAN = "plan";
    /** The license type: the plan, or {@code CI} for a CI key. */
    public static final String LICENSE_TYPE = "licenseType";
    /** When the subscription's current period ends (ISO-8601 instant). */
    public static final String EXPIRES_AT = "expiresAt";

    private AuthorizerContext() {}

    /** The context of an entitlement, in a fixed order. */
    public static Map<String, String> of(Entitlement e) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(CREDENTIAL_KIND, kindLabel(e.kind()));
        if (e.userId() != null) {
            context.put(USER_ID, e.userId());
        }
        if (e.memberId() != null) {
            context.put(MEMBER_ID, e.memberId());
        }
        if (e.keyId() != null) {
            context.put(KEY_ID, e.keyId());
        }
        context.put(WORKSPACE_ID, e.workspaceId());
        context.put(PLAN, e.plan());
        context.put(LICENSE_TYPE, e.licenseType());
        context.put(EXPIRES_AT, e.expiresAt().toString());
        return context;
    }

    static String kindLabel(Kind kind) {
        return switch (kind) {
            case AUTH_TOKEN -> "auth-token";
            case CI_KEY -> "ci-key";
            case LEGACY_KEY -> "legacy-key";
        };
    }
}
