package dev.wsl.core;

import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Log;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: work registered here runs once before Lambda takes the
 * snapshot, so that the classes and connections a request needs are already
 * loaded and initialised when a restored instance serves its first request.
 * Priming must not change state (it reads a key that does not exist, or runs invocations against
 * canned reads). Invocations run while priming write no log line and count no metric
 * ({@link Invocation#priming}).
 */
public final class Priming {
    // CRaC holds resources weakly; this list keeps them alive for the life of the function.
    private static final List<Resource> RESOURCES = new ArrayList<>();

    private Priming() {}

    public static synchronized void register(Runnable warmUp) {
        Resource resource = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> context) {
                try {
                    Invocation.priming(warmUp);
                } catch (RuntimeException e) {
                    // A failed warm-up only costs latency after restore; it must never block the snapshot.
                    // The trace says why (an unreachable endpoint, missing permissions) and holds no secret.
                    Log.warn("priming failed; the snapshot is taken without it").error(e).write();
                }
            }

            @Override
            public void afterRestore(Context<? extends Resource> context) {
                // Nothing to refresh: clients hold no per-instance secrets and re-resolve credentials themselves.
            }
        };
        RESOURCES.add(resource);
        Core.getGlobalContext().register(resource);
    }
}
