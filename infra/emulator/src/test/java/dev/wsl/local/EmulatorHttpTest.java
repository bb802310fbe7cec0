package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both emulators' records of sent mail reduce to the same {@link SentEmail}s. The shapes are the
 * ones moto 5.2 and LocalStack serve; a fake server stands in so this runs without either.
 */
class EmulatorHttpTest {

    private HttpServer server;

    private URI serve(Map<String, String> bodies) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bodies.forEach((path, body) -> server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void motoDataJson() throws IOException {
        URI endpoint = serve(Map.of("/moto-api/data.json", """
                {"ses": {"Message": [
                   {"id": "m1", "source": "no-reply@wsl.local", "subject": "Hi",
                    "body": "<a href='http://x/y#token=1&amp;b=2'>go</a>",
                    "destinations": {"ToAddresses": ["jane@example.com", "joe@example.com"]}}],
                 "RawMessage": []}}
                """));

        assertThat(EmulatorHttp.probe(endpoint)).isEqualTo(EmulatorHttp.Kind.MOTO);
        assertThat(EmulatorHttp.motoSentEmails(endpoint)).singleElement().satisfies(m -> {
            assertThat(m).isEqualTo(new SentEmail("jane@example.com, joe@example.com", "Hi",
                    "<a href='http://x/y#token=1&amp;b=2'>go</a>"));
            assertThat(m.links()).containsExactly("http://x/y#token=1&b=2");
        });
    }

    @Test
    void ourLaunchersSentMail_isReadWithoutTheRestOfMotosState() throws IOException {
        URI endpoint = serve(Map.of(EmulatorHttp.SENT_MAIL, """
                {"Message": [{"subject": "Hi", "body": "see http://x/a",
                              "destinations": {"ToAddresses": ["jane@example.com"]}}]}
                """, "/moto-api/data.json", "{\"ses\": {\"Message\": []}}"));

        assertThat(EmulatorHttp.motoSentEmails(endpoint)).containsExactly(
                new SentEmail("jane@example.com", "Hi", "see http://x/a"));
    }

    @Test
    void localStackSesEndpointIsReducedLikeMoto() throws IOException {
        URI endpoint = serve(Map.of(
                "/_localstack/health", "{\"services\": {\"ses\": \"running\"}}",
                "/_aws/ses", """
                {"messages": [
                  {"Id": "a", "Region": "us-east-1", "Source": "no-reply@wsl.local", "Subject": "Text only",
                   "Destination": {"ToAddresses": ["jane@example.com"]},
                   "Body": {"text_part": "see http://x/a", "html_part": null}, "Timestamp": "2030-01-01T00:00:00"},
                  {"Id": "b", "Region": "us-east-1", "Source": "no-reply@wsl.local", "Subject": "Both",
                   "Destination": {"ToAddresses": ["joe@example.com"]},
                   "Body": {"text_part": "plain", "html_part": "<p>html</p>"}, "Timestamp": "2030-01-01T00:00:01"}]}
                """));

        assertThat(EmulatorHttp.probe(endpoint)).isEqualTo(EmulatorHttp.Kind.LOCALSTACK);
        assertThat(EmulatorHttp.localStackSentEmails(endpoint)).containsExactly(
                new SentEmail("jane@example.com", "Text only", "see http://x/a"),
                new SentEmail("joe@example.com", "Both", "<p>html</p>"));
    }

    @Test
    void nothingAnswering() throws IOException {
        URI endpoint = serve(Map.of());
        assertThat(EmulatorHttp.probe(endpoint)).isEqualTo(EmulatorHttp.Kind.UNKNOWN);
    }
}
