package dev.wsl.local.harness;

import dev.wsl.local.LocalStackRuntime;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link LocalStackRuntime} parameter: ONE runtime for the whole test JVM, started
 * on first use against the {@link Emulator} of choice and closed when all tests are done (it lives
 * in the root context's store). It is shared, so a test that needs a clean slate calls
 * {@link LocalStackRuntime#reset()}; tests that share it must not run in parallel with each other.
 */
public final class LocalRuntimeExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalRuntimeExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStackRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Shared.class, type -> Shared.start(), Shared.class)
                .runtime();
    }

    /** Stored in the root store; JUnit closes it after the last test. */
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
