package dev.wsl.licenses;

import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.ReclaimRules;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.wiring.Wiring;

/**
 * The functions' collaborators, built once per cold start (and primed before the SnapStart snapshot) from the one
 * composition root, {@link Wiring}.
 */
final class LicenseServices {
    private static final Wiring WIRING = Wiring.fromEnvironment();
    private static final LegacyKeyService KEYS = create();
    private static final LicenseService LICENSES = new LicenseService(KEYS.planner());
    private static final CiKeyService CI_KEYS = new CiKeyService(WIRING.credentials(), WIRING.authorization(),
            WIRING.clock(), WIRING.retry());
    private static final UsageService USAGE = new UsageService(WIRING.usage(), WIRING.licenses(), WIRING.workspaces(),
            WIRING.clock(), WIRING.retry());
    private static final UsageRecorder USAGE_RECORDER = new UsageRecorder(WIRING.usage(), WIRING.licenses());

    private static volatile SeatService seats;
    private static volatile ReclaimJob reclaim;

    private LicenseServices() {}

    /**
     * Idle seats and the reclaim policy (issue 21), built on first use, with the notice and the daily start of
     * {@link FunctionConfig.Reclaim}.
     */
    static synchronized SeatService seats() {
        if (seats == null) {
            FunctionConfig.Reclaim reclaim = WIRING.config().reclaim();
            seats = new SeatService(WIRING.workspaces(), WIRING.licenses(), WIRING.seats(),
                    new ReclaimRules(reclaim.noticeDays()), reclaim.dailyAt(), WIRING.clock(), WIRING.retry());
        }
        return seats;
    }

    static synchronized ReclaimJob reclaimJob() {
        if (reclaim == null) {
            reclaim = new ReclaimJob(WIRING.seats(), WIRING.workspaces(), seats(), WIRING.clock(), ReclaimJob.PAGE_SIZE,
                    WIRING.retry());
        }
        return reclaim;
    }

    /** How long before their time limit the reclaim and backfill jobs stop. */
    static FunctionConfig.Jobs jobs() {
        return WIRING.config().jobs();
    }

    /** The upgrade backfill (docs/deploying.md, "Upgrading an existing deployment"). */
    static BackfillJob backfillJob() {
        return new BackfillJob(WIRING.backfill(), WIRING.clock(), BackfillJob.SCAN_PAGE, WIRING.retry());
    }

    static LicenseService licenses() {
        return LICENSES;
    }

    static LegacyKeyService legacyKeys() {
        return KEYS;
    }

    /** Resolves a signed-in person at the edge: their grant in the workspace of the request's path. */
    static Authorization authorization() {
        return WIRING.authorization();
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
        DynamoLicenseStore store = WIRING.licenses();
        Priming.register(() -> store.pool("ws_priming"));
        return new LegacyKeyService(WIRING.workspaces(), store, WIRING.credentials(), WIRING.clock(), WIRING.retry());
    }
}
