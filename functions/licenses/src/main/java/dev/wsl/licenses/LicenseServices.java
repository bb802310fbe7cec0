package dev.wsl.licenses;

import dev.wsl.core.Authorization;
import dev.wsl.core.Priming;
import dev.wsl.core.store.CredentialStore;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.LicenseStore;
import dev.wsl.core.store.WorkspaceStore;
import java.time.Clock;

/** The functions' collaborators, built once per cold start and primed before the SnapStart snapshot. */
final class LicenseServices {
    private static final software.amazon.awssdk.services.dynamodb.DynamoDbClient DYNAMO = DynamoClients.create();
    private static final LicenseService LICENSES = create();
    private static final CiKeyService CI_KEYS = createCiKeys();

    private LicenseServices() {}

    static LicenseService licenses() {
        return LICENSES;
    }

    static CiKeyService ciKeys() {
        return CI_KEYS;
    }

    private static LicenseService create() {
        var dynamo = DYNAMO;
        String table = DynamoClients.tableName();
        LicenseStore store = new LicenseStore(dynamo, table);
        Priming.register(() -> store.pool("ws_priming"));
        return new LicenseService(new WorkspaceStore(dynamo, table), store,
                new CredentialStore(dynamo, table), Clock.systemUTC());
    }

    private static CiKeyService createCiKeys() {
        var dynamo = DYNAMO;
        String table = DynamoClients.tableName();
        return new CiKeyService(new CredentialStore(dynamo, table),
                new Authorization(new WorkspaceStore(dynamo, table)), Clock.systemUTC());
    }
}
