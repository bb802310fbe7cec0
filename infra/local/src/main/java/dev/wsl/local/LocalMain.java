package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The run command: the template's HTTP API on {@code http://127.0.0.1:3000} ({@code $PORT}),
 * functions in-process against moto (or {@code $AWS_ENDPOINT_URL}), the stream and schedules
 * driven locally, plus development-only routes under {@code /local/} (tokens, the JWKS, sent
 * mail, running a schedule now). {@code token <email> [name]} asks a running server for a token.
 */
public final class LocalMain {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final Duration TOKEN_TTL = Duration.ofHours(12);
    private static final Duration PUMP_INTERVAL = Duration.ofMillis(500);

    private final LocalStackRuntime runtime;
    private final int port;

    private LocalMain(LocalStackRuntime runtime, int port) {
        this.runtime = runtime;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int port = port();
        if (args.length == 0 || args[0].equals("run")) {
            serve(port);
        } else if (args[0].equals("token") && args.length >= 2) {
            try {
                System.out.println(requestToken(port, args[1], args.length >= 3 ? args[2] : null));
            } catch (ConnectException e) {
                System.err.println("no local runtime answers on port " + port
                        + ": start it with infra/run-local.sh (PORT selects the port)");
                System.exit(1);
            }
        } else {
            System.err.println("""
                    usage: local-runtime.jar [run]              serve the API on 127.0.0.1:$PORT (default 3000)
                           local-runtime.jar token EMAIL [NAME] print a token from the running server""");
            System.exit(2);
        }
    }

    private static int port() {
        String value = System.getenv("PORT");
        return value == null || value.isBlank() ? LocalStackRuntime.DEFAULT_PORT : Integer.parseInt(value.trim());
    }

    // ------------------------------------------------------------------ serving

    private static void serve(int port) throws IOException, InterruptedException {
        // Bind first: a busy port should fail before an emulator is started for nothing.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        LocalStackRuntime runtime = LocalStackRuntime.start(LocalStackRuntime.Options.fromEnvironment().withPort(port));
        LocalMain app = new LocalMain(runtime, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread mailPrinter = Thread.ofPlatform().daemon().name("mail-printer").unstarted(app::printNewMail);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("stopping...");
            server.stop(0);
            mailPrinter.interrupt();
            runtime.close();
            stopped.countDown();
        }, "local-shutdown"));

        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", app::handle);
        server.start();
        runtime.streamPump().start(PUMP_INTERVAL);
        runtime.scheduler().start();
        mailPrinter.start();
        app.seedDemo();
        stopped.await();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            byte[] body = readBody(exchange);
            if (body == null) {
                respond(exchange, 413, Map.of("content-type", "application/json"), json(Map.of("message", "Request Entity Too Large")));
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            if (path.startsWith("/local/")) {
                handleLocal(exchange, method, path, text);
            } else if (method.equals("GET") && path.startsWith("/app/")) {
                respond(exchange, 200, Map.of("content-type", "text/html; charset=utf-8"), appPage(path));
            } else {
                APIGatewayV2HTTPResponse response = runtime.gateway().dispatch(method, path, uri.getRawQuery(),
                        headers(exchange), text, exchange.getRemoteAddress().getAddress().getHostAddress());
                respond(exchange, response);
            }
        } catch (RuntimeException e) {
            // Our own bug, not a handler's (the gateway turns those into 500s): say so, keep serving.
            System.err.println("[local] " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed:");
            e.printStackTrace(System.err);
            respond(exchange, 500, Map.of("content-type", "application/json"), json(Map.of("message", "Internal Server Error")));
        }
    }

    private void handleLocal(HttpExchange exchange, String method, String path, String body) throws IOException {
        Map<String, String> jsonType = Map.of("content-type", "application/json");
        String scheduledPrefix = "/local/scheduled/";
        if (method.equals("POST") && path.equals("/local/token")) {
            JsonNode request;
            try {
                request = Json.read(body.isBlank() ? "{}" : body);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, jsonType, json(Map.of("message", "body must be JSON: " + e.getMessage())));
                return;
            }
            String email = request.path("email").asText("").trim();
            if (email.isEmpty()) {
                respond(exchange, 400, jsonType, json(Map.of("message", "email is required")));
                return;
            }
            String name = request.path("name").asText(email.substring(0, Math.max(0, email.indexOf('@'))));
            String sub = request.path("sub").asText(stableSub(email));
            respond(exchange, 200, jsonType, json(Map.of("token", runtime.token(sub, email, name, TOKEN_TTL))));
        } else if (method.equals("GET") && path.equals("/local/issuer/.well-known/jwks.json")) {
            respond(exchange, 200, jsonType, runtime.issuer().jwks());
        } else if (method.equals("GET") && path.equals("/local/issuer/.well-known/openid-configuration")) {
            respond(exchange, 200, jsonType, json(Map.of("issuer", runtime.issuer().issuer(),
                    "jwks_uri", runtime.issuer().issuer() + "/.well-known/jwks.json",
                    "id_token_signing_alg_values_supported", List.of("RS256"))));
        } else if (method.equals("GET") && path.equals("/local/emails")) {
            List<Map<String, Object>> emails = new ArrayList<>();
            for (SentEmail e : runtime.sentEmails()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("to", e.to());
                entry.put("subject", e.subject());
                entry.put("body", e.body());
                entry.put("links", e.links());
                emails.add(entry);
            }
            respond(exchange, 200, jsonType, json(emails));
        } else if (method.equals("POST") && path.startsWith(scheduledPrefix)) {
            String functionId = path.substring(scheduledPrefix.length());
            if (runtime.scheduler().scheduled().stream().noneMatch(s -> s.functionLogicalId().equals(functionId))) {
                respond(exchange, 404, jsonType, json(Map.of("message", functionId + " is not a scheduled function")));
                return;
            }
            try {
                respond(exchange, 200, jsonType, json(runtime.scheduler().invoke(functionId)));
            } catch (Exception | LinkageError e) {
                System.err.println("[local] scheduled " + functionId + " failed:");
                e.printStackTrace(System.err);
                respond(exchange, 500, jsonType, json(Map.of("message", functionId + " failed: " + e)));
            }
        } else {
            respond(exchange, 404, jsonType, json(Map.of("message", "Not Found")));
        }
    }

    /** Stands in for the web app's invitation page: shows the token from the link's fragment. */
    private String appPage(String path) {
        return """
                <!doctype html><meta charset="utf-8"><title>wsl local</title>
                <p>Local stand-in for the web app page <code>%s</code>.</p>
                <p>Invitation token from this link: <code id="t"></code></p>
                <p>Accept it with a token of the invited user:</p>
                <pre>curl -s -X POST -H "Authorization: Bearer $JANE" -H 'Content-Type: application/json' \\
                  -d '{"token":"<span id="t2"></span>"}' http://127.0.0.1:%d/invitations/accept</pre>
                <script>
                  const t = new URLSearchParams(location.hash.slice(1)).get("token") || "";
                  document.getElementById("t").textContent = t;
                  document.getElementById("t2").textContent = t;
                </script>
                """.formatted(path.replace("<", "&lt;"), port);
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return headers;
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d+") && Long.parseLong(declared) > MAX_BODY_BYTES) {
            return null;
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    private static void respond(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        var out = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(out::set);
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(v -> out.add(name, v)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> out.add("Set-Cookie", c));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        send(exchange, response.getStatusCode(), bytes);
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = status == 204 || status == 304 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody || body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String json(Object value) {
        return Json.write(value);
    }

    /** The same email always gets the same {@code sub}, so a re-minted token is the same user. */
    static String stableSub(String email) {
        return UUID.nameUUIDFromBytes(("wsl-local|" + email.trim().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    // ------------------------------------------------------------------ mail and demo

    private void printNewMail() {
        int printed = 0;
        String lastProblem = null;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<SentEmail> emails = runtime.sentEmails();
                if (emails.size() < printed) {
                    printed = 0; // the emulator was reset
                }
                for (SentEmail e : emails.subList(printed, emails.size())) {
                    System.out.println();
                    System.out.println("==> email to " + e.to() + ": " + e.subject());
                    e.links().forEach(link -> System.out.println("   " + link));
                }
                printed = emails.size();
                lastProblem = null;
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!e.toString().equals(lastProblem)) {
                    System.err.println("[local] cannot read sent mail: " + e);
                    lastProblem = e.toString();
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void seedDemo() {
        String api = "http://127.0.0.1:" + port;
        String adminEmail = "admin@example.com";
        String token = runtime.token(stableSub(adminEmail), adminEmail, "Demo Admin", TOKEN_TTL);
        APIGatewayV2HTTPResponse created = runtime.gateway().dispatch("POST", "/workspaces", "",
                Map.of("authorization", "Bearer " + token, "content-type", "application/json", "host", "127.0.0.1:" + port),
                "{\"name\":\"Demo workspace\"}");
        String workspaceId = workspaceId(created);
        PrintStream out = System.out;
        out.println();
        out.println("Local API on " + api + "  (AWS emulator: " + runtime.endpoint()
                + (runtime.ownsEmulator() ? ", moto" : "") + "; table " + runtime.tableName() + ")");
        if (workspaceId == null) {
            out.println("Could not seed the demo workspace: POST /workspaces answered " + created.getStatusCode()
                    + " " + created.getBody() + " (see the log above). Set WS yourself after creating one.");
            workspaceId = "<workspace id>";
        } else {
            out.println("Seeded \"Demo workspace\" owned by " + adminEmail + ". Paste into a shell:");
        }
        out.println();
        out.printf("""
                  export API=%s
                  export TOKEN=%s
                  export WS=%s

                  # list the members
                  curl -s -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/members
                  # invite Jane
                  curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                       -d '{"name":"Jane Doe","email":"jane@example.com"}' $API/workspaces/$WS/members
                  # the emails sent so far (the invitation link carries #token=...)
                  curl -s $API/local/emails
                  export INVITE=$(curl -s $API/local/emails | grep -o 'token=[A-Za-z0-9_.~%%-]*' | tail -1 | cut -d= -f2)
                  # a token for Jane (or: java -jar infra/local/target/local-runtime.jar token jane@example.com)
                  export JANE=$(curl -s -X POST -d '{"email":"jane@example.com","name":"Jane Doe"}' $API/local/token \\
                       | sed -E 's/.*"token":"([^"]+)".*/\\1/')
                  # Jane accepts the invitation
                  curl -s -X POST -H "Authorization: Bearer $JANE" -H 'Content-Type: application/json' \\
                       -d "{\\"token\\":\\"$INVITE\\"}" $API/invitations/accept
                """, api, token, workspaceId);
        for (SamTemplate.ScheduledFunction s : runtime.scheduler().scheduled()) {
            out.printf("  # run %s (%s) now instead of waiting%n  curl -s -X POST $API/local/scheduled/%s%n",
                    s.functionLogicalId(), s.scheduleExpression(), s.functionLogicalId());
        }
        out.println();
        out.println("Emails are printed here as they are sent. Ctrl-C stops everything.");
    }

    private static String workspaceId(APIGatewayV2HTTPResponse created) {
        if (created.getStatusCode() != 201 || created.getBody() == null) {
            return null;
        }
        try {
            JsonNode body = Json.read(created.getBody());
            JsonNode id = body.has("id") ? body.get("id") : body.findValue("id");
            return id == null ? null : id.asText();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ CLI

    private static String requestToken(int port, String email, String name) throws IOException, InterruptedException {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("email", email);
        if (name != null) {
            request.put("name", name);
        }
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/local/token"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(request)))
                .build();
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(post, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/local/token answered " + response.statusCode() + ": " + response.body());
        }
        return Json.read(response.body()).path("token").asText();
    }
}
