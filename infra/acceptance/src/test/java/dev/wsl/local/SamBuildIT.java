package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The first commands of every SAM user, on this checkout: {@code sam validate --lint} and
 * {@code sam build} (no Docker: {@code Metadata: BuildMethod: makefile}, see
 * {@code functions/lambda.mk}). The SAM CLI is the one {@code infra/test.sh} installs
 * ({@code $SAM_CLI}, else {@code infra/.venv-sam/bin/sam}, else {@code sam} on the PATH); a missing
 * one is a failure, not a skip.
 */
class SamBuildIT {
    private static final long TIMEOUT_SECONDS = 900;

    private final Path root = TemplateLintTest.repositoryRoot();

    @Test
    void samValidateLintFindsNothing() throws Exception {
        Run run = sam("validate", "--lint");

        assertThat(run.exitCode()).as("`sam validate --lint`:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("is a valid SAM Template").doesNotContainIgnoringCase("warning");
    }

    /**
     * Each function's artifact is its module's shaded jar, byte for byte, as {@code lib/<module>-lambda.jar}
     * (Lambda's Java runtime loads {@code /var/task/lib/*.jar}), and nothing else.
     */
    @Test
    void samBuildGivesEveryFunctionItsModulesShadedJarAndNothingElse() throws Exception {
        Path buildDir = root.resolve("infra/acceptance/target/sam-build");
        deleteRecursively(buildDir);

        try {
            Run run = sam("build", "--build-dir", buildDir.toString());

            assertThat(run.exitCode()).as("`sam build`:%n%s", run.output()).isZero();
            assertArtifacts(buildDir);
        } finally {
            deleteRecursively(buildDir); // a copy of a jar per function: hundreds of MB
        }
    }

    private void assertArtifacts(Path buildDir) throws IOException {
        SamTemplate source = SamTemplate.load(root.resolve("template.yaml"));
        SamTemplate built = SamTemplate.load(buildDir.resolve("template.yaml"));
        assertThat(built.functionIds()).containsExactlyElementsOf(source.functionIds());
        for (String function : source.functionIds()) {
            String module = Path.of(source.codeUri(function)).getFileName().toString();
            String jarName = module + "-lambda.jar";
            Path artifact = buildDir.resolve(function);
            assertThat(built.codeUri(function)).isEqualTo(function);
            assertThat(files(artifact)).as("artifact of %s", function).containsExactly("lib/" + jarName);
            Path shaded = root.resolve(source.codeUri(function)).resolve("target").resolve(jarName);
            assertThat(Files.mismatch(artifact.resolve("lib").resolve(jarName), shaded))
                    .as("%s's jar is the module's shaded jar", function).isEqualTo(-1L);
            try (ZipFile jar = new ZipFile(shaded.toFile())) {
                assertThat(jar.getEntry(source.handlerClass(function).replace('.', '/') + ".class"))
                        .as("handler of %s in %s", function, jarName).isNotNull();
            }
        }
    }

    private record Run(int exitCode, String output) {}

    private Run sam(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(samCli().toString());
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile("sam", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.put("SAM_CLI_TELEMETRY", "0");
            // make runs Maven (through infra/env.sh) only if a jar is missing or older than its sources
            environment.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                fail("`sam " + String.join(" ", arguments) + "` did not finish within " + TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private Path samCli() {
        String configured = System.getenv("SAM_CLI");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path venv = root.resolve("infra/.venv-sam/bin/sam");
        if (Files.isExecutable(venv)) {
            return venv;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isBlank() ? "." : dir).resolve("sam");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("no SAM CLI: run infra/test.sh (it installs aws-sam-cli into infra/.venv-sam) or set SAM_CLI");
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace(File.separatorChar, '/'))
                    .sorted().toList();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
