package dev.wsl.local;

import java.util.concurrent.TimeUnit;

/** The emulator's and the DNS server's child processes: how they are stopped. */
final class ChildProcesses {
    private ChildProcesses() {}

    /** Asks the process to end, then forces it after 5 seconds; returns at once if it has ended. */
    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
