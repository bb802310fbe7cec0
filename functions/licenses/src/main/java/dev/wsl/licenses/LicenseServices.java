package dev.wsl.licenses;

import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.domain.ReclaimRules;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoBackfillStore;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoSeatStore;
import dev.wsl.core.store.DynamoUsageStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import java.time.Clock;

/** The functions' collaborators, built once per cold start and primed before the SnapStart snapshot. */
final class LicenseServices {
    private static final FunctionConfig CONFIG = FunctionConfig.fromEnvironment();
    private static final String TABLE = CONFIG.table();
    private static final software.amazon.awssdk.services.dynamodb.DynamoDbClient DYNAMO = DynamoClients.create();
    private static final Authorization AUTHORIZATION = new Authorization(new DynamoWorkspaceStore(DYNAMO, TABLE));
    private static final LegacyKeyService KEYS = create();
    private static final LicenseService LICENSES = new LicenseService(KEYS.planner());
    private static final CiKeyService CI_KEYS = createCiKeys();
    private static final UsageService USAGE = new UsageService(new DynamoUsageStore(DYNAMO, TABLE),
            new DynamoLicenseStore(DYNAMO, TABLE),
            new DynamoWorkspaceStore(DYNAMO, TABLE), Clock.systemUTC(), RetryPolicy.STANDARD);
    private static final UsageRecorder USAGE_RECORDER = new UsageRecorder(
            new DynamoUsageStore(DYNAMO, TABLE), new DynamoLicenseStore(DYNAMO, TABLE));

    private static volatile SeatService seats;
    private static volatile ReclaimJob reclaim;

    private LicenseServices() {}

    /**
     * Idle seats and the reclaim policy (issue 21), built on first use, with the notice and the daily start of
     * {@link FunctionConfig.Reclaim}.
     */
    static synchronized SeatService seats() {
        if (seats == null) {
            String table = TABLE;
            seats = new SeatService(new DynamoWorkspaceStore(DYNAMO, table), new DynamoLicenseStore(DYNAMO, table),
                    new DynamoSeatStore(DYNAMO, table),
                    new ReclaimRules(CONFIG.reclaim().noticeDays()), CONFIG.reclaim().dailyAt(), Clock.systemUTC(),
                    RetryPolicy.STANDARD);
        }
        return seats;
    }

    static synchronized ReclaimJob reclaimJob() {
        if (reclaim == null) {
            String table = TABLE;
            reclaim = new ReclaimJob(new DynamoSeatStore(DYNAMO, table), new DynamoWorkspaceStore(DYNAMO, table), seats(),
                    Clock.systemUTC(), ReclaimJob.PAGE_SIZE, RetryPolicy.STANDARD);
        }
        return reclaim;
    }

    /** How long before their time limit the reclaim and backfill jobs stop. */
    static FunctionConfig.Jobs jobs() {
        return CONFIG.jobs();
    }

    /** The upgrade backfill (docs/deploying.md, "Upgrading an existing deployment"). */
    static BackfillJob backfillJob() {
        return new BackfillJob(new DynamoBackfillStore(DYNAMO, TABLE), Clock.systemUTC(),
                BackfillJob.SCAN_PAGE, RetryPolicy.STANDARD);
    }

    static LicenseService licenses() {
        return LICENSES;
    }

    static LegacyKeyService legacyKeys() {
        return KEYS;
    }

    /** Resolves a signed-in person at the edge: their grant in the workspace of the request's path. */
    static Authorization authorization() {
        return AUTHORIZATION;
    }

    static CiKeyService ciKeys() {
        return CI_KEYS;
    }

    static UsageService usage() {
        return USAGE;
    }

    static UsageRecorder usageRecorder() {
        return USAGE_RECORDER;
    }

    private static LegacyKeyService create() {
        var dynamo = DYNAMO;
        String table = TABLE;
        DynamoLicenseStore store = new DynamoLicenseStore(dynamo, table);
        Priming.register(() -> store.pool("ws_priming"));
        return new LegacyKeyService(new DynamoWorkspaceStore(dynamo, table), store,
                new DynamoCredentialStore(dynamo, table), Clock.systemUTC(), RetryPolicy.STANDARD);
    }

    private static CiKeyService createCiKeys() {
        var dynamo = DYNAMO;
        String table = TABLE;
        return new CiKeyService(new DynamoCredentialStore(dynamo, table), AUTHORIZATION, Clock.systemUTC(),
                RetryPolicy.STANDARD);
    }
}
