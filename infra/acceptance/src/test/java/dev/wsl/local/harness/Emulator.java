package dev.wsl.local.harness;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The AWS emulator the integration tests run against. By default moto, started by the runtime
 * itself (no Docker needed). LocalStack in a Testcontainers container when
 * {@code WSL_EMULATOR=localstack}, or when a Docker daemon is reachable and
 * {@code LOCALSTACK_AUTH_TOKEN} is set. An already running emulator when
 * {@code AWS_ENDPOINT_URL} is set (and {@code WSL_EMULATOR} does not say otherwise).
 * Whichever it is, the runtime reads sent mail the same way and tests see the same
 * {@code SentEmail} list.
 */
public sealed interface Emulator extends AutoCloseable {

    /** Where the runtime should point the SDK, or null to let it start its own moto. */
    URI endpoint();

    String describe();

    @Override
    void close();

    static Emulator choose() {
        String wanted = System.getenv().getOrDefault("WSL_EMULATOR", "").trim().toLowerCase(java.util.Locale.ROOT);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        String external = System.getenv("AWS_ENDPOINT_URL");
        return switch (wanted) {
            case "localstack" -> LocalStack.start(token);
            case "moto" -> new Moto();
            case "" -> {
                if (external != null && !external.isBlank()) {
                    yield new External(URI.create(external));
                }
                if (token != null && !token.isBlank() && dockerAvailable()) {
                    yield LocalStack.start(token);
                }
                yield new Moto();
            }
            default -> throw new IllegalArgumentException("WSL_EMULATOR must be moto or localstack, not " + wanted);
        };
    }

    private static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** moto, started (and stopped) by the runtime. */
    record Moto() implements Emulator {
        @Override
        public URI endpoint() {
            return null;
        }

        @Override
        public String describe() {
            return "moto (started by the runtime)";
        }

        @Override
        public void close() {}
    }

    /** An emulator someone else runs. */
    record External(URI endpoint) implements Emulator {
        @Override
        public String describe() {
            return "the emulator at " + endpoint;
        }

        @Override
        public void close() {}
    }

    /** LocalStack in a container. */
    final class LocalStack implements Emulator {
        private final LocalStackContainer container;

        private LocalStack(LocalStackContainer container) {
            this.container = container;
        }

        @SuppressWarnings("resource") // closed by close()
        static LocalStack start(String authToken) {
            LocalStackContainer container = new LocalStackContainer(DockerImageName.parse("localstack/localstack:latest"));
            if (authToken != null && !authToken.isBlank()) {
                container.withEnv("LOCALSTACK_AUTH_TOKEN", authToken);
            }
            container.start();
            return new LocalStack(container);
        }

        @Override
        public URI endpoint() {
            return container.getEndpoint();
        }

        @Override
        public String describe() {
            return "LocalStack container at " + endpoint();
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
