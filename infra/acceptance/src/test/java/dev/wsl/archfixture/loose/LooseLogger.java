package dev.wsl.archfixture.loose;

/** Logs as loose text: ArchitectureTest proves its structured-logs rule finds it (outside dev.wsl.local on purpose). */
public final class LooseLogger {
    public void fail(RuntimeException e) {
        System.err.println("failed: " + e);
        e.printStackTrace();
    }
}
