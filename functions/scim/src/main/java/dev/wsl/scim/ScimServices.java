package dev.wsl.scim;

import dev.wsl.core.Priming;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoScimStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.core.wiring.Wiring;
import dev.wsl.licenses.LicenseService;
import dev.wsl.members.ProvisioningUseCases;

/**
 * The SCIM functions' collaborators, built once per cold start (and primed before the SnapStart snapshot):
 * one DynamoDB client; the member use cases an identity provider reaches (built without a token sealer: SCIM
 * issues no auth token, so these functions need no KMS key) and the license service the management API uses; the
 * guard's threshold from the one composition root, {@link Wiring}.
 */
final class ScimServices {
    private static final Wiring WIRING = Wiring.fromEnvironment();
    private static final DynamoWorkspaceStore WORKSPACES = WIRING.workspaces();
    private static final DynamoLicenseStore POOLS = WIRING.licenses();
    private static final DynamoScimStore SCIM = WIRING.scim();
    private static final ScimTokenService TOKENS = new ScimTokenService(SCIM, WIRING.authorization(), WIRING.clock(),
            WIRING.retry());
    private static final ProvisioningUseCases MEMBERS = new ProvisioningUseCases(WORKSPACES, POOLS,
            WIRING.credentials(), WIRING.clock(), WIRING.config().invitationTtl(), WIRING.retry());
    private static final LicenseService LICENSES = new LicenseService(WORKSPACES, POOLS, WIRING.clock(),
            WIRING.retry());
    private static final ScimGroups GROUPS = new ScimGroups(MEMBERS, LICENSES, POOLS, SCIM, TOKENS,
            new ScimGroups.Guard(WIRING.config().scimGuard().minimum(), WIRING.config().scimGuard().percent()),
            WIRING.clock(), WIRING.retry());
    private static final IdpGroups IDP_GROUPS = new IdpGroups(SCIM, GROUPS, MEMBERS, WORKSPACES, POOLS, TOKENS,
            WIRING.clock(), WIRING.retry());
    private static final ScimApi API = new ScimApi(MEMBERS, GROUPS, IDP_GROUPS, WORKSPACES, SCIM, WIRING.clock(),
            WIRING.retry());

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
}
