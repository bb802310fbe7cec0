package dev.wsl.local.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SCIM client written by others, scim2-client (with scim2-models and httpx2) as installed from PyPI by
 * {@code infra/env.sh} ({@code SCIM_CLIENT_PYTHON}), playing an identity provider against the runtime's HTTP
 * front through {@code infra/scim-client/idp.py}: one step per process, its last line a JSON result. Without
 * the client the tests fail (never skip): run them with {@code infra/test.sh}, which installs it.
 */
final class ScimClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;
    private final String python;
    private final Path driver;

    ScimClient(String runtimeBaseUrl, String token) {
        this.baseUrl = runtimeBaseUrl + "/scim/v2";
        this.token = token;
        this.python = System.getenv("SCIM_CLIENT_PYTHON");
        if (python == null || !Files.isExecutable(Path.of(python))) {
            throw new IllegalStateException("SCIM_CLIENT_PYTHON must name the python of a venv with scim2-client;"
                    + " run the tests with infra/test.sh, which installs it");
        }
        this.driver = find();
    }

    /** Runs one step; answers its JSON result (with {@code ok}), and fails on a crash of the script. */
    JsonNode step(String... args) {
        List<String> command = new ArrayList<>(List.of(python, driver.toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("SCIM_BASE_URL", baseUrl);
            pb.environment().put("SCIM_TOKEN", token);
            pb.environment().put("PYTHONWARNINGS", "ignore::DeprecationWarning");
            pb.redirectErrorStream(true);
            Process process = pb.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError("the SCIM client failed on " + args[0] + ":\n" + out);
            }
            String last = out.lines().reduce((a, b) -> b).orElse("");
            try {
                return JSON.readTree(last);
            } catch (IOException notJson) {
                throw new AssertionError("the SCIM client printed no result for " + args[0] + ":\n" + out, notJson);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("infra/scim-client/idp.py");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("infra/scim-client/idp.py not found above " + Path.of("").toAbsolutePath());
    }
}
