package dev.wsl.local.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Real HTTP to the local runtime's server (its gateway, as a browser or the LocalStack client reaches it), from a
 * chosen loopback address: {@code 127.0.0.1} for one client, {@code 127.0.x.y} for as many distinct sources as a
 * test needs (Linux routes all of 127/8 to the loopback interface, and the gateway passes the connection's
 * address on as API Gateway's {@code sourceIp}). Thread-safe; one connection pool per source.
 */
final class Loopback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;

    Loopback(String baseUrl, String sourceAddress) {
        this.baseUrl = baseUrl;
        try {
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .localAddress(InetAddress.getByName(sourceAddress))
                    .connectTimeout(Duration.ofSeconds(10))
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(sourceAddress, e);
        }
    }

    /** The n-th of many client addresses: 127.0.1.1, 127.0.1.2, … (never 127.0.0.1, the tests' own). */
    static String source(int n) {
        return "127.0." + (1 + n / 250) + "." + (1 + n % 250);
    }

    record Answer(int status, String body, Map<String, java.util.List<String>> headers) {
        JsonNode json() {
            try {
                return body == null || body.isEmpty() ? null : JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Answer send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Answer get(String path, Map<String, String> headers) {
        return send("GET", path, headers, null);
    }

    static Map<String, String> bearer(String jwt) {
        return Map.of("authorization", "Bearer " + jwt);
    }

    static Map<String, String> json(String jwt) {
        return Map.of("authorization", "Bearer " + jwt, "content-type", "application/json");
    }
}
