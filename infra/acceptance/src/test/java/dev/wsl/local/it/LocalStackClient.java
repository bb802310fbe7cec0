package dev.wsl.local.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real LocalStack licensing client, as installed from PyPI by {@code infra/env.sh}
 * ({@code LOCALSTACK_CLIENT_PYTHON}), through the drivers in {@code infra/localstack-client}:
 * {@code activate.py} (its own {@code activate()}, then its own offline validation of the license it
 * cached), {@code platform_call.py} (a platform API called with the headers of its own
 * {@code get_platform_auth_headers()}) and {@code prepare_host.py} (its host-side licensing step of
 * {@code localstack start}, grace-period check included). The client's code is used as installed.
 * Without the client the test fails (it is never skipped): run the suite with {@code infra/test.sh},
 * which installs it.
 */
final class LocalStackClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiEndpoint;
    private final String python;
    private final Path drivers;

    LocalStackClient(String baseUrl) {
        this.apiEndpoint = baseUrl + "/v1";
        this.python = System.getenv("LOCALSTACK_CLIENT_PYTHON");
        if (python == null || !Files.isExecutable(Path.of(python))) {
            throw new IllegalStateException("LOCALSTACK_CLIENT_PYTHON must name the python of a venv with the"
                    + " `localstack` package; run the tests with infra/test.sh, which installs it");
        }
        this.drivers = findDrivers();
    }

    /** What the driver printed: {@code ok}, and license_id/license_type or error_class/message. */
    record Result(boolean ok, JsonNode json) {
        String text(String field) {
            return json.path(field).asText();
        }
    }

    /** A fresh activation: an empty cache directory, so the client must ask the server. */
    Result activateWithAuthToken(String token, boolean ci) {
        return run(Map.of("LOCALSTACK_AUTH_TOKEN", token), ci);
    }

    Result activateWithApiKey(String key, boolean ci) {
        return run(Map.of("LOCALSTACK_API_KEY", key), ci);
    }

    /**
     * {@code GET {API_ENDPOINT}/license/info} with the client's platform headers for the credential:
     * {@code status}, {@code body}, {@code header_names}, {@code form} ({@code basic-empty-user},
     * {@code api-key}, ...), {@code content_type}.
     */
    Result platformCallWithAuthToken(String token) {
        return run("platform_call.py", Map.of("LOCALSTACK_AUTH_TOKEN", token), false);
    }

    Result platformCallWithApiKey(String key) {
        return run("platform_call.py", Map.of("LOCALSTACK_API_KEY", key), false);
    }

    /**
     * The client's host-side licensing step of {@code localstack start}: {@code started}, else the
     * {@code reason} it exits with; {@code posts} lists every POST it made with the answer's status.
     */
    Result startWithAuthToken(String token, boolean ci) {
        return run("prepare_host.py", Map.of("LOCALSTACK_AUTH_TOKEN", token), ci);
    }

    private Result run(Map<String, String> credential, boolean ci) {
        return run("activate.py", credential, ci);
    }

    private Result run(String driver, Map<String, String> credential, boolean ci) {
        try {
            Path root = Files.createTempDirectory("ls-client-");
            ProcessBuilder pb = new ProcessBuilder(python, drivers.resolve(driver).toString());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("LOCALSTACK_") || k.equals("CI") || k.equals("API_ENDPOINT"));
            env.putAll(credential);
            env.put("API_ENDPOINT", apiEndpoint);
            env.put("LS_DRIVER_ROOT", root.toString());
            if (ci) {
                env.put("CI", "true");
            }
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process = pb.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the LocalStack client did not finish in 120 s");
            }
            String last = out.lines().reduce((a, b) -> b).orElse("");
            JsonNode json = JSON.readTree(last.isEmpty() ? "{}" : last);
            return new Result(process.exitValue() == 0 && json.path("ok").asBoolean(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path findDrivers() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("infra/localstack-client");
            if (Files.isRegularFile(candidate.resolve("activate.py"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("infra/localstack-client/activate.py not found above " + Path.of("").toAbsolutePath());
    }

}
