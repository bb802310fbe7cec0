package dev.wsl.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A moto server in a child process, on a free loopback port, started through our own launcher
 * ({@code moto/serve.py}, with {@code moto/partition_queries.py} beside it) that serialises requests and rolls failed DynamoDB transactions back
 * with a journal instead of whole-table copies; see that file for why the stock
 * {@code moto_server} must not be used. The interpreter is {@code $MOTO_PYTHON}, else the
 * {@code python3} on the PATH; it needs the {@code moto[server]} package (5.x).
 */
public final class MotoServer implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final URI endpoint;
    private final Path script;
    private final Path log;
    private final Thread shutdownHook;

    private MotoServer(Process process, URI endpoint, Path script, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.script = script;
        this.log = log;
        this.shutdownHook = ChildProcesses.stopOnExit(process, "moto-shutdown");
    }

    /** Starts moto and returns once it answers HTTP. */
    public static MotoServer start() {
        Path script = copyLauncher();
        IllegalStateException failure = null;
        // A free port can be taken between probing and binding; then moto exits and we try another.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path log = tempFile("moto-", ".log");
            int port = freePort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Process process = launch(script, port, log);
            try {
                awaitReady(process, endpoint, log);
                warnIfSlowTransactions(log);
                return new MotoServer(process, endpoint, script, log);
            } catch (IllegalStateException e) {
                process.destroyForcibly();
                failure = e;
            }
        }
        throw failure;
    }

    /** The endpoint to give AWS SDK clients. */
    public URI endpoint() {
        return endpoint;
    }

    /** Wipes all state of all services ({@code POST /moto-api/reset}). */
    public void reset() {
        EmulatorHttp.call(endpoint, "POST", "/moto-api/reset");
    }

    /** Everything sent through SES since the last reset, oldest first. */
    public List<SentEmail> sentEmails() {
        return EmulatorHttp.motoSentEmails(endpoint);
    }

    /**
     * For a process whose own shutdown hook closes the runtime (the run command): moto then stops when
     * {@link #close()} is called, after what still talks to it, instead of in a hook of its own that the
     * JVM runs concurrently with that one (it stopped moto under a delivering stream pump).
     */
    void stopOnlyOnClose() {
        ChildProcesses.forget(shutdownHook); // too late to hand over when the hook already runs
    }

    @Override
    public void close() {
        Path dir = script.getParent();
        ChildProcesses.release(process, shutdownHook, Stream.concat(LAUNCHER.stream().map(dir::resolve), Stream.of(dir, log))
                .toArray(Path[]::new));
    }

    private static Process launch(Path script, int port, Path log) {
        String python = System.getenv().getOrDefault("MOTO_PYTHON", "python3");
        ProcessBuilder builder = new ProcessBuilder(python, script.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--parent-pid", Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + " (set MOTO_PYTHON to a Python with moto[server])", e);
        }
    }

    private static void awaitReady(Process process, URI endpoint, Path log) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + ":\n" + tail(log));
            }
            if (EmulatorHttp.status(endpoint, "GET", "/moto-api/data.json").isPresent()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto", e);
            }
        }
        throw new IllegalStateException("moto did not answer within " + STARTUP_TIMEOUT + ":\n" + tail(log));
    }

    /** The launcher's transaction journal needs moto 5.x; without it big tables make every request slow. */
    private static void warnIfSlowTransactions(Path log) {
        try {
            Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("whole-table transaction snapshots"))
                    .forEach(line -> System.err.println("[moto] WARNING " + line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The launcher's files, copied beside each other so that {@code serve.py} imports the others. */
    private static final List<String> LAUNCHER = List.of("serve.py", "partition_queries.py");

    /** Copies the launcher into a directory of its own (deleted on exit) and returns its {@code serve.py}. */
    private static Path copyLauncher() {
        try {
            Path dir = Files.createTempDirectory("wsl-moto-");
            dir.toFile().deleteOnExit(); // registered first, so deleted after the files in it
            for (String name : LAUNCHER) {
                Path file = dir.resolve(name);
                try (InputStream in = MotoServer.class.getResourceAsStream("/moto/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("moto/" + name + " is missing from the classpath");
                    }
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                file.toFile().deleteOnExit();
            }
            return dir.resolve(LAUNCHER.getFirst());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempFile(String prefix, String suffix) {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
