package dev.wsl.local.harness;

import dev.wsl.local.LocalServer;
import dev.wsl.local.LocalStackRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link LocalStackRuntime} parameter: ONE runtime for the whole test JVM, started
 * on first use against the {@link Emulator} of choice and closed when the JVM ends. It is shared, so a test that needs a clean slate calls
 * {@link LocalStackRuntime#reset()}; tests that share it must not run in parallel with each other.
 */
public final class LocalRuntimeExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStackRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared();
    }

    /**
     * The one runtime of this test JVM, for Jupiter tests as a parameter and for code that is no
     * parameter (dynamic tests, helpers): the handlers' SDK clients are built once per JVM against one endpoint,
     * so there can only be one. Closed by a shutdown hook when the JVM ends.
     */
    public static synchronized LocalStackRuntime shared() {
        if (shared == null) {
            shared = Shared.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-runtime-shutdown"));
        }
        return shared.runtime();
    }

    /**
     * Where the shared runtime answers real HTTP ({@code http://127.0.0.1:PORT}): its gateway, the
     * console and the {@code /local/} routes, on a free port bound before the runtime started, so
     * that its issuer and invitation links name this port (a browser follows them).
     */
    public static synchronized String baseUrl() {
        shared();
        return "http://127.0.0.1:" + shared.server().port();
    }

    /**
     * The proxy between the functions' SDK clients and the emulator: every request of every function of
     * this JVM passes through it, unchanged unless a test injects a fault ({@link FaultProxy#inject}).
     */
    public static synchronized FaultProxy faults() {
        shared();
        return shared.faults()[0];
    }

    private static Shared shared;

    private record Shared(Emulator emulator, LocalStackRuntime runtime, LocalServer server, FaultProxy[] faults)
            implements AutoCloseable {
        static Shared start() {
            Emulator emulator = Emulator.choose();
            LocalServer server = null;
            FaultProxy[] faults = new FaultProxy[1];
            try {
                server = LocalServer.bind(InetAddress.getLoopbackAddress(), 0);
                LocalStackRuntime runtime = LocalStackRuntime.start(LocalStackRuntime.Options.fromEnvironment()
                        .withEndpoint(emulator.endpoint()).withPort(server.port())
                        .withFunctionsFront(upstream -> (faults[0] = FaultProxy.start(upstream)).endpoint()));
                server.start(runtime);
                System.err.println("[harness] local runtime against " + emulator.describe() + " at " + runtime.endpoint()
                        + " (the functions through " + runtime.functionsEndpoint() + "), serving http://127.0.0.1:"
                        + server.port());
                return new Shared(emulator, runtime, server, faults);
            } catch (IOException | RuntimeException e) {
                if (server != null) {
                    server.close();
                }
                if (faults[0] != null) {
                    faults[0].close();
                }
                emulator.close();
                throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
                runtime.close();
            } finally {
                faults[0].close();
                emulator.close();
            }
        }
    }
}
