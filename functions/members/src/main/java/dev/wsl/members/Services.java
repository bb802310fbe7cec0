package dev.wsl.members;

import dev.wsl.core.Env;
import dev.wsl.core.Priming;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.LicenseStore;
import dev.wsl.core.store.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;

/**
 * The function's collaborators, built once per cold start (and before the
 * SnapStart snapshot, which primes them): one DynamoDB client, one service.
 */
final class Services {
    private static final MemberService MEMBERS = create();

    private Services() {}

    static MemberService members() {
        return MEMBERS;
    }

    private static MemberService create() {
        var dynamo = DynamoClients.create();
        WorkspaceStore store = new WorkspaceStore(dynamo, DynamoClients.tableName());
        int days = Integer.parseInt(Env.optional("INVITATION_TTL_DAYS").orElse("7"));
        MemberService service = new MemberService(store, new LicenseStore(dynamo, DynamoClients.tableName()),
                Clock.systemUTC(), Duration.ofDays(days));
        // Touch the request path's classes and open the connection before the snapshot.
        Priming.register(() -> store.findWorkspace("ws_priming"));
        return service;
    }
}
