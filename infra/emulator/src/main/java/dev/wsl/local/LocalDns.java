package dev.wsl.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The DNS server of the local runtime and the tests: our own authoritative server on loopback
 * ({@code infra/dns/serve.py}, on dnslib from PyPI, installed into {@code infra/.venv-dns} by {@code infra/env.sh}),
 * which speaks the DNS protocol over UDP and TCP on a free port. Domain verification asks it through the
 * functions' real DNS client ({@code DNS_RESOLVER}, the template's {@code DnsResolver}), exactly as it asks the
 * function's resolver in AWS. Records are published here ({@link #publishTxt}; {@code POST /local/dns},
 * {@code infra/run-local.sh dns-txt}); the server answers from a zone file this class rewrites whole and
 * atomically, and reads it again when it changes. Started and stopped with the runtime. Thread-safe.
 */
public final class LocalDns implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path zone;
    private final String host;
    private final int port;
    private final Thread shutdownHook;
    /** TXT records by name (lower case, no final dot), values in publication order. */
    private final Map<String, Set<String>> records = new TreeMap<>();

    private LocalDns(Process process, Path zone, String host, int port) {
        this.process = process;
        this.zone = zone;
        this.host = host;
        this.port = port;
        this.shutdownHook = ChildProcesses.stopOnExit(process, "dns-shutdown");
    }

    /**
     * Starts the server. The interpreter is {@code $DNS_SERVER_PYTHON}, else {@code infra/.venv-dns/bin/python} of
     * the repository, else {@code python3}; it needs the {@code dnslib} package.
     */
    public static LocalDns start() {
        Path script = script();
        Path zone;
        try {
            zone = Files.createTempFile("wsl-dns-", ".json");
            Files.writeString(zone, "{}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        zone.toFile().deleteOnExit();
        String python = python(script);
        ProcessBuilder builder = new ProcessBuilder(python, script.toString(), "--zone", zone.toString(),
                "--host", "127.0.0.1", "--port", "0", "--parent-pid", Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + " for the local DNS server (set DNS_SERVER_PYTHON to"
                    + " a Python with dnslib; infra/env.sh installs one into infra/.venv-dns)", e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                    if (line.startsWith("listening ")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting the local DNS server", e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            line = null;
        }
        if (line == null) {
            process.destroyForcibly();
            synchronized (seen) {
                throw new IllegalStateException("the local DNS server did not start (" + python + " " + script + "):\n"
                        + String.join("\n", seen));
            }
        }
        // Drain what it may print later, so that it never blocks on a full pipe.
        Thread.ofVirtual().name("dns-output").start(() -> {
            try (out) {
                out.transferTo(Writer.nullWriter());
            } catch (IOException ignored) {
                // the process ended
            }
        });
        String[] parts = line.split(" ");
        return new LocalDns(process, zone, parts[1], Integer.parseInt(parts[2]));
    }

    /** {@code host:port}, as {@code DNS_RESOLVER} names a resolver. */
    public String resolver() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Adds a TXT record (a name may hold several); answered from the next query on. */
    public synchronized void publishTxt(String name, String value) {
        records.computeIfAbsent(normal(name), n -> new LinkedHashSet<>()).add(value);
        write();
    }

    /** Removes one TXT record of the name, or every one when {@code value} is null. */
    public synchronized void removeTxt(String name, String value) {
        String key = normal(name);
        if (value == null) {
            records.remove(key);
        } else if (records.containsKey(key)) {
            records.get(key).remove(value);
            if (records.get(key).isEmpty()) {
                records.remove(key);
            }
        }
        write();
    }

    /** Every record published, by name. */
    public synchronized Map<String, List<String>> records() {
        Map<String, List<String>> out = new TreeMap<>();
        records.forEach((name, values) -> out.put(name, List.copyOf(values)));
        return out;
    }

    /** Forgets every record (the runtime's reset). */
    public synchronized void clear() {
        records.clear();
        write();
    }

    private static String normal(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty() || n.length() > 253 || !n.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("not a DNS name: " + name);
        }
        return n;
    }

    /** The whole zone, to a temporary file then renamed over the old one: the server never reads half a file. */
    private void write() {
        try {
            Path next = Files.createTempFile(Objects.requireNonNull(zone.getParent(), "zone file's folder"), "wsl-dns-", ".next");
            Files.writeString(next, Json.MAPPER.writeValueAsString(records()), StandardCharsets.UTF_8);
            Files.move(next, zone, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ChildProcesses.release(process, shutdownHook, zone);
    }

    /** {@code infra/dns/serve.py} of the repository this runs in ({@code $WSL_DNS_SERVER_SCRIPT} overrides it). */
    private static Path script() {
        String given = System.getenv("WSL_DNS_SERVER_SCRIPT");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("infra/dns/serve.py");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("infra/dns/serve.py not found above " + Path.of("").toAbsolutePath()
                + " (run from the repository, or set WSL_DNS_SERVER_SCRIPT)");
    }

    private static String python(Path script) {
        String given = System.getenv("DNS_SERVER_PYTHON");
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path venv = script.resolveSibling("../.venv-dns/bin/python").normalize();
        return Files.isExecutable(venv) ? venv.toString() : "python3";
    }
}
