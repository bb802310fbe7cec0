package dev.wsl.local;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stopping the runtime's background threads. */
final class LocalThreads {
    private LocalThreads() {}

    /**
     * Lets a task in progress finish (interrupting a handler mid-request fails it, with a stack trace on
     * every Ctrl-C) and starts no new one; after ten seconds, interrupts what still runs.
     */
    static void stopGracefully(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
