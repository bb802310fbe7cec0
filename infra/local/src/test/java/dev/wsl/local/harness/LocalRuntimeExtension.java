package dev.wsl.local.harness;

import dev.wsl.local.LocalStackRuntime;
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

    private static Shared shared;

    private record Shared(Emulator emulator, LocalStackRuntime runtime) implements AutoCloseable {
        static Shared start() {
            Emulator emulator = Emulator.choose();
            try {
                LocalStackRuntime runtime = LocalStackRuntime.start(
                        LocalStackRuntime.Options.fromEnvironment().withEndpoint(emulator.endpoint()));
                System.err.println("[harness] local runtime against " + emulator.describe() + " at " + runtime.endpoint());
                return new Shared(emulator, runtime);
            } catch (RuntimeException e) {
                emulator.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                runtime.close();
            } finally {
                emulator.close();
            }
        }
    }
}
