package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code infra/run-local.sh} tells a newcomer before anything is built or started: a busy port
 * in one line, and the same clear message for {@code sunset} and {@code token} when no runtime answers.
 */
class RunLocalScriptTest {
    private static final Path REPO = SamTemplate.findUpwards(Path.of("")).orElseThrow().getParent();

    private record Run(int exit, String stdout, String stderr) {}

    private static Run run(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", REPO.resolve("infra/run-local.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aBusyPort_shouldBeSaidInOneLine_beforeAnyBuild() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run(taken.getLocalPort());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.stderr().strip().lines()).singleElement().asString()
                    .isEqualTo("port " + taken.getLocalPort() + " is in use (another local runtime?): stop that one,"
                            + " or start this one with PORT=<another port>");
            assertThat(run.stdout()).isEmpty();
        }
    }

    @Test
    void sunsetWithoutAServer_shouldSayWhatTokenSays() throws Exception {
        int port = freePort();
        String expected = "no local runtime answers on port " + port
                + ": start it with infra/run-local.sh (PORT selects the port)";

        Run sunset = run(port, "sunset");
        Run dryRun = run(port, "sunset", "--dry-run");

        assertThat(sunset.exit()).isEqualTo(1);
        assertThat(sunset.stderr().strip()).isEqualTo(expected);
        assertThat(dryRun.stderr().strip()).isEqualTo(expected);
        assertThat(sunset.stdout()).isEmpty();
        // The runtime's own CLI (what "infra/run-local.sh token|purchase|params" runs) says it in the same words.
        ProcessBuilder cli = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), LocalMain.class.getName(), "token", "jane@example.com");
        cli.environment().put("PORT", Integer.toString(port));
        Process token = cli.start();
        String tokenErr = new String(token.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(token.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(token.exitValue()).isEqualTo(1);
        assertThat(tokenErr.strip()).isEqualTo(expected);
    }
}
