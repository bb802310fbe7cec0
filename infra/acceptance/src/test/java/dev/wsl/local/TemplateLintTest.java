package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lints {@code template.yaml}, and the example stack that attaches its token authorizer
 * ({@value #EXAMPLE}), with cfn-lint (which knows the SAM transform and the CloudFormation
 * resource specifications). The linter must be on the PATH; a missing linter is a failure, not a
 * skip, so that a build without it cannot pass silently.
 */
class TemplateLintTest {
    private static final long TIMEOUT_SECONDS = 180;
    static final String EXAMPLE = "docs/examples/platform-api.yaml";

    @Test
    void templatePassesCfnLintWithoutFindings() throws IOException, InterruptedException {
        Path root = repositoryRoot();
        Path cfnLint = onPath("cfn-lint").orElseGet(() -> fail(
                "cfn-lint is not on the PATH (" + System.getenv("PATH") + "); install it (pip install cfn-lint, "
                        + "or pipx install cfn-lint) so that template.yaml can be linted"));

        Path log = Files.createTempFile("cfn-lint", ".log");
        try {
            Process process = new ProcessBuilder(cfnLint.toString(), "template.yaml", EXAMPLE)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                fail("cfn-lint did not finish within " + TIMEOUT_SECONDS + " s; output so far:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue())
                    .as("exit code of `%s template.yaml` in %s; its output:%n%s", cfnLint, root, output)
                    .isZero();
            assertThat(output)
                    .as("output of `%s template.yaml` (findings are printed even when they do not fail the run)",
                            cfnLint)
                    .isBlank();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        List<String> names = windows ? List.of(command + ".exe", command + ".cmd", command) : List.of(command);
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(dir).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The nearest directory at or above the working directory that holds {@code template.yaml}. */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        return fail("no template.yaml in " + start + " or any directory above it");
    }
}
