package dev.wsl.scim;

import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoScimStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.licenses.LicenseService;
import dev.wsl.members.MemberService;
import java.time.Clock;

/**
 * The SCIM functions' collaborators, built once per cold start (and primed before the SnapStart snapshot):
 * one DynamoDB client; the member and license services the management API uses; the guard's threshold
 * from {@link FunctionConfig.ScimGuard}.
 */
final class ScimServices {
    private static final software.amazon.awssdk.services.dynamodb.DynamoDbClient DYNAMO = DynamoClients.create();
    private static final FunctionConfig CONFIG = FunctionConfig.fromEnvironment();
    private static final String TABLE = CONFIG.table();
    private static final DynamoWorkspaceStore WORKSPACES = new DynamoWorkspaceStore(DYNAMO, TABLE);
    private static final DynamoLicenseStore POOLS = new DynamoLicenseStore(DYNAMO, TABLE);
    private static final DynamoScimStore SCIM = new DynamoScimStore(DYNAMO, TABLE);
    private static final DynamoCredentialStore CREDENTIALS = new DynamoCredentialStore(DYNAMO, TABLE);
    private static final ScimTokenService TOKENS = new ScimTokenService(SCIM, new Authorization(WORKSPACES),
            Clock.systemUTC(), RetryPolicy.STANDARD);
    private static final MemberService MEMBERS = new MemberService(WORKSPACES, POOLS, CREDENTIALS, new NoTokens(),
            Clock.systemUTC(), CONFIG.invitationTtl(), RetryPolicy.STANDARD);
    private static final LicenseService LICENSES = new LicenseService(WORKSPACES, POOLS, Clock.systemUTC(),
            RetryPolicy.STANDARD);
    private static final ScimGroups GROUPS = new ScimGroups(MEMBERS, LICENSES, POOLS, SCIM, TOKENS,
            new ScimGroups.Guard(CONFIG.scimGuard().minimum(), CONFIG.scimGuard().percent()),
            Clock.systemUTC(), RetryPolicy.STANDARD);
    private static final IdpGroups IDP_GROUPS = new IdpGroups(SCIM, GROUPS, MEMBERS, WORKSPACES, POOLS, TOKENS,
            Clock.systemUTC(), RetryPolicy.STANDARD);
    private static final ScimApi API = new ScimApi(MEMBERS, GROUPS, IDP_GROUPS, WORKSPACES, SCIM, Clock.systemUTC(),
            RetryPolicy.STANDARD);

    static {
        // Touch the request path's classes and open the connection before the snapshot (reads nothing real).
        Priming.register(() -> SCIM.findToken("priming"));
    }

    private ScimServices() {}

    static ScimTokenService tokens() {
        return TOKENS;
    }

    static ScimApi api() {
        return API;
    }

    static ScimGroups groups() {
        return GROUPS;
    }

    static IdpGroups idpGroups() {
        return IDP_GROUPS;
    }

    /**
     * SCIM never issues or opens a personal auth token: a provisioned member gets theirs at their first
     * sign-in, through the members function. So these functions need no KMS key.
     */
    private static final class NoTokens implements TokenSealer {
        @Override
        public String seal(String userId, String token) {
            throw new IllegalStateException("the SCIM functions issue no auth tokens");
        }

        @Override
        public String open(String userId, String sealed) {
            throw new IllegalStateException("the SCIM functions open no auth tokens");
        }
    }
}
