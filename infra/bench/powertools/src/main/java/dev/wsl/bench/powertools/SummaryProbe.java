package dev.wsl.bench.powertools;

import java.time.Duration;
import java.time.Instant;

/**
 * One activation summary (line and metric) in a fresh JVM, timed from the process start:
 * {@code telemetry}, {@code powertools}, or {@code none} (the JVM and the probe alone). Its lines go to
 * stdout (the script discards them); the time goes to stderr. Run by infra/bench/powertools.sh with
 * {@code -Xlog:class+load}, as infra/bench/cold-start.sh runs the handlers.
 */
public final class SummaryProbe {
    private SummaryProbe() {}

    public static void main(String[] args) {
        var context = new ProbeContext("8f7e6d5c-0000-4000-8000-000000000001");
        switch (args[0]) {
            case "telemetry" -> Summary.telemetry(Summary.event(), context);
            case "powertools" -> Summary.powertools(Summary.event(), context);
            case "none" -> Summary.event();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        System.err.println(args[0] + " after " + Duration.between(started, Instant.now()).toMillis() + " ms");
    }
}
