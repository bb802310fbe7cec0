package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run command bound to all interfaces ({@code BIND=0.0.0.0}, as for a LocalStack container), for real:
 * the runtime's own jar in a process of its own, with its own emulator. Called through a non-loopback
 * address of this machine, every development helper ({@code /local/…}) is a 404 that reveals nothing, a
 * spoofed {@code X-Forwarded-For} changes nothing, and the API still answers; called through loopback, the
 * helpers work.
 */
class LocalHelpersLoopbackIT {
    private static final Path REPO = SamTemplate.findUpwards(Path.of("")).orElseThrow().getParent();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process runtime;
    private static int port;
    private static String network;
    private static Path log;

    @BeforeAll
    static void startBoundToAllInterfaces() throws Exception {
        network = nonLoopbackAddress();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            port = free.getLocalPort();
        }
        log = Files.createTempFile("local-runtime-bind-all", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", REPO.resolve("infra/emulator/target/local-runtime.jar").toString())
                .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("BIND", "0.0.0.0");
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().remove("AWS_ENDPOINT_URL"); // its own moto, as the run command starts one
        runtime = builder.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (!Files.readString(log).contains("Ctrl-C stops everything")) {
            if (!runtime.isAlive() || Instant.now().isAfter(deadline)) {
                fail("the runtime did not start (exit " + (runtime.isAlive() ? "none" : runtime.exitValue()) + "):\n"
                        + Files.readString(log));
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (runtime != null) {
            runtime.destroy(); // SIGTERM: its shutdown hook stops the server, the stream, the schedules and moto
            if (!runtime.waitFor(60, TimeUnit.SECONDS)) {
                runtime.destroyForcibly();
            }
        }
    }

    /** An IPv4 address of this machine that is not loopback (the test fails, not skips, without one). */
    private static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return fail("this machine has no non-loopback IPv4 address to call the runtime through");
    }

    private static HttpResponse<String> call(String host, String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Helper(String method, String path, String body) {}

    private static final List<Helper> HELPERS = List.of(
            new Helper("POST", "/local/token", "{\"email\":\"admin@example.com\",\"name\":\"Admin\"}"),
            new Helper("GET", "/local/emails", null),
            new Helper("GET", "/local/issuer/.well-known/openid-configuration", null),
            new Helper("GET", "/local/issuer/.well-known/jwks.json", null),
            new Helper("GET", "/local/issuer/authorize?response_type=code&client_id=wsl-local", null),
            new Helper("POST", "/local/issuer/authorize", "email=admin%40example.com&name=Admin"),
            new Helper("POST", "/local/issuer/token", "grant_type=authorization_code&code=x"),
            new Helper("POST", "/local/events", "{\"EventBusName\":\"BillingEventBus\",\"source\":\"wsl.billing\","
                    + "\"detail-type\":\"Subscription Purchased\",\"detail\":{}}"),
            new Helper("GET", "/local/parameters", null),
            new Helper("POST", "/local/parameters", "{\"InvitationsPerRecipientPerDay\":\"100\"}"),
            new Helper("POST", "/local/scheduled/OutboxSweepFunction", null),
            new Helper("POST", "/local/invoke/BackfillFunction", "{\"dryRun\":true}"),
            new Helper("POST", "/local/past-activation", "{\"token\":\"ls-x\",\"daysAgo\":45}"),
            new Helper("GET", "/local/anything-else", null));

    @Test
    void fromTheNetwork_everyDevelopmentHelperIsA404_evenWithASpoofedForwardedFor() throws Exception {
        for (Helper h : HELPERS) {
            for (String[] headers : List.of(new String[0], new String[] {"X-Forwarded-For", "127.0.0.1",
                    "Forwarded", "for=127.0.0.1", "X-Real-IP", "127.0.0.1"})) {
                HttpResponse<String> answer = call(network, h.method(), h.path(), h.body(), headers);

                assertThat(answer.statusCode()).as("%s %s from %s", h.method(), h.path(), network).isEqualTo(404);
                assertThat(answer.body()).isEqualTo("{\"message\":\"Not Found\"}");
            }
        }
        HttpResponse<String> parameters = call("127.0.0.1", "GET", "/local/parameters", null);
        assertThat(parameters.body()).as("the refused change changed nothing")
                .contains("\"InvitationsPerRecipientPerDay\":\"5\"");
    }

    @Test
    void fromLoopback_theHelpersWork() throws Exception {
        HttpResponse<String> token = call("127.0.0.1", "POST", "/local/token", HELPERS.getFirst().body());
        HttpResponse<String> emails = call("127.0.0.1", "GET", "/local/emails", null);

        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.body()).contains("\"token\":\"ey");
        assertThat(emails.statusCode()).isEqualTo(200);
    }

    @Test
    void fromLoopback_anOperatorFunctionRuns_andNoOtherFunctionThatWay() throws Exception {
        HttpResponse<String> dryRun = call("127.0.0.1", "POST", "/local/invoke/BackfillFunction", "{\"dryRun\":true}");
        HttpResponse<String> route = call("127.0.0.1", "POST", "/local/invoke/ListMembersFunction", "{}");

        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.body()).contains("\"dryRun\":true").contains("\"complete\":true");
        assertThat(route.statusCode()).isEqualTo(404);
        assertThat(route.body()).contains("is not a function an operator invokes");
    }

    @Test
    void fromTheNetwork_theApiStillAnswers() throws Exception {
        HttpResponse<String> activation = call(network, "POST", "/v1/license/request", "{}",
                "content-type", "application/json");
        HttpResponse<String> withoutJwt = call(network, "GET", "/me/workspaces", null);
        HttpResponse<String> console = call(network, "GET", "/", null);

        assertThat(activation.statusCode()).as(activation.body()).isBetween(400, 403);
        assertThat(withoutJwt.statusCode()).isEqualTo(401);
        assertThat(console.statusCode()).isEqualTo(200);
    }
}
