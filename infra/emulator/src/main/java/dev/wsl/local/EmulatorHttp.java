package dev.wsl.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The emulators' own (non-AWS) HTTP endpoints: moto's {@code /moto-api/...} and LocalStack's
 * {@code /_aws/...}, {@code /_localstack/...}. Sent mail is read from there because neither SES
 * API can list what was sent.
 */
final class EmulatorHttp {

    /** Which emulator answers at an endpoint; decides how sent mail is read and state reset. */
    enum Kind { MOTO, LOCALSTACK, UNKNOWN }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private EmulatorHttp() {}

    /** What SES sent, from the launcher (moto/serve.py) without the rest of moto's state. */
    static final String SENT_MAIL = "/wsl-api/ses/messages";

    static Kind probe(URI endpoint) {
        if (status(endpoint, "GET", "/_localstack/health").filter(s -> s == 200).isPresent()) {
            return Kind.LOCALSTACK;
        }
        if (status(endpoint, "GET", "/moto-api/data.json").filter(s -> s == 200).isPresent()) {
            return Kind.MOTO;
        }
        return Kind.UNKNOWN;
    }

    /** The status of a request, or empty when nothing answers. */
    static Optional<Integer> status(URI endpoint, String method, String path) {
        try {
            return Optional.of(send(endpoint, method, path).statusCode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String call(URI endpoint, String method, String path) {
        try {
            HttpResponse<String> response = send(endpoint, method, path);
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + endpoint.resolve(path) + " failed", e);
        }
    }

    private static HttpResponse<String> send(URI endpoint, String method, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Sent mail as moto records it: {@code GET /moto-api/data.json} → {@code ses.Message[]}, each
     * {@code {"id", "source", "subject", "body", "destinations": {"ToAddresses": [...]}}}, where
     * {@code body} is the HTML part when the message had one, else the text part.
     */
    static List<SentEmail> motoSentEmails(URI endpoint) {
        // Our launcher's endpoint (moto/serve.py), else moto's whole state, of which ses.Message.
        JsonNode messages;
        try {
            HttpResponse<String> own = send(endpoint, "GET", SENT_MAIL);
            messages = own.statusCode() == 200 ? Json.read(own.body()).path("Message")
                    : Json.read(call(endpoint, "GET", "/moto-api/data.json")).path("ses").path("Message");
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + endpoint.resolve(SENT_MAIL) + " failed", e);
        }
        List<SentEmail> emails = new ArrayList<>();
        for (JsonNode m : messages) {
            emails.add(new SentEmail(addresses(m.path("destinations").path("ToAddresses")),
                    m.path("subject").asText(""), m.path("body").asText("")));
        }
        return emails;
    }

    /**
     * Sent mail as LocalStack records it: {@code GET /_aws/ses} → {@code {"messages": [...]}}, each
     * {@code {"Id", "Source", "Subject", "Destination": {"ToAddresses": [...]}, "Body":
     * {"text_part", "html_part"}}}. Reduced like moto: HTML part if present, else text.
     */
    static List<SentEmail> localStackSentEmails(URI endpoint) {
        JsonNode messages = Json.read(call(endpoint, "GET", "/_aws/ses")).path("messages");
        List<SentEmail> emails = new ArrayList<>();
        for (JsonNode m : messages) {
            JsonNode body = m.path("Body");
            String html = body.path("html_part").asText(null);
            emails.add(new SentEmail(addresses(m.path("Destination").path("ToAddresses")),
                    m.path("Subject").asText(""), html != null ? html : body.path("text_part").asText("")));
        }
        return emails;
    }

    private static String addresses(JsonNode list) {
        List<String> to = new ArrayList<>();
        list.forEach(a -> to.add(a.asText()));
        return String.join(", ", to);
    }
}
