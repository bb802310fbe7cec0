package dev.wsl.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The emulator's and the DNS server's child processes: how they are stopped, with the JVM or before. */
final class ChildProcesses {
    private ChildProcesses() {}

    /** Registers a shutdown hook that stops the process when the JVM ends; give the hook to {@link #release}. */
    static Thread stopOnExit(Process process, String name) {
        Thread hook = new Thread(() -> stop(process), name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook of {@link #stopOnExit}; nothing to do when the JVM is already running it. */
    static void forget(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    /** Stops the process now, removes its hook and deletes the files it leaves behind. */
    static void release(Process process, Thread hook, Path... leftovers) {
        stop(process);
        forget(hook);
        try {
            for (Path file : leftovers) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
