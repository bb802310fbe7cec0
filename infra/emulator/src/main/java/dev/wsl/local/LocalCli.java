package dev.wsl.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run command's subcommands that talk to a running server ({@code token}, {@code params}, {@code dns-txt},
 * {@code purchase}) through its {@code /local/} routes on loopback; {@link LocalMain} parses the arguments.
 */
final class LocalCli {
    private LocalCli() {}

    static String requestToken(int port, String email, String name) throws IOException, InterruptedException {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("email", email);
        if (name != null) {
            request.put("name", name);
        }
        return Json.read(postLocal(port, "/local/token", request)).path("token").asText();
    }

    /** Shows, or with NAME=VALUE arguments changes, the running server's parameters; pretty-printed. */
    static String params(int port, String[] assignments) throws IOException, InterruptedException {
        String answer;
        if (assignments.length == 0) {
            try (HttpClient http = HttpClient.newHttpClient()) {
                answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/local/parameters"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            }
        } else {
            Map<String, String> changes = new LinkedHashMap<>();
            for (String a : assignments) {
                changes.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
            answer = postLocal(port, "/local/parameters", changes);
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.read(answer));
    }

    /** Publishes (or removes) a TXT record on the running server's DNS; returns the records it now answers. */
    static String dnsTxt(int port, String name, String value, boolean remove) throws IOException,
            InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (value != null) {
            body.put("value", value);
        }
        if (!remove) {
            return postLocal(port, "/local/dns", body);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/local/dns")).method("DELETE", HttpRequest.BodyPublishers.ofString(Json.write(body)))
                    .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            return answer.body();
        }
    }

    /** Publishes a purchase on the running server; returns its answer (the deliveries), pretty-printed. */
    static String purchase(int port, String workspaceId, String plan, int seats, String purchaserEmail)
            throws IOException, InterruptedException {
        Map<String, Object> event = new LinkedHashMap<>(LocalMain.subscriptionPurchased(workspaceId, plan, seats, purchaserEmail,
                Instant.now()));
        event.put("EventBusName", LocalMain.BILLING_BUS);
        String answer = postLocal(port, "/local/events", event);
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.read(answer));
    }

    /** POSTs JSON to a {@code /local/} route of the running server and returns the 200 answer's body. */
    private static String postLocal(int port, String path, Object body) throws IOException, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(post, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
