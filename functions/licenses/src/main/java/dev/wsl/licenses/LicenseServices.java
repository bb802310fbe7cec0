package dev.wsl.licenses;

import dev.wsl.core.Priming;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.LicenseStore;
import dev.wsl.core.store.WorkspaceStore;
import java.time.Clock;

/** The functions' collaborators, built once per cold start and primed before the SnapStart snapshot. */
final class LicenseServices {
    private static final LicenseService LICENSES = create();

    private LicenseServices() {}

    static LicenseService licenses() {
        return LICENSES;
    }

    private static LicenseService create() {
        var dynamo = DynamoClients.create();
        String table = DynamoClients.tableName();
        LicenseStore store = new LicenseStore(dynamo, table);
        Priming.register(() -> store.pool("ws_priming"));
        return new LicenseService(new WorkspaceStore(dynamo, table), store, Clock.systemUTC());
    }
}
