package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The local runtime's HTTP front: the template's HTTP API (through the runtime's {@link LocalGateway},
 * which serves the console too) plus the development-only routes under {@code /local/}: tokens and the
 * development issuer's sign-in ({@link DevSignIn}), sent mail, running a schedule now, publishing an
 * event. Used by the run command ({@link LocalMain}) and by tests that need real HTTP (a browser),
 * so both serve exactly the same. Bind first, then start the runtime with {@link #port()} (its
 * issuer and links name that port), then {@link #start}.
 *
 * <p>The {@code /local/} routes mint tokens for anyone, show every email sent (invitation links
 * included), publish billing events, change parameters and run schedules: they answer requests from
 * a loopback address only ({@link #servesDevelopmentHelpersTo}), whatever address the server is
 * bound to. Bound to all interfaces ({@code BIND=0.0.0.0}, so that a LocalStack container can
 * activate), the API and the console answer the network, and the helpers a {@code 404} as if they
 * did not exist. The decision is the connection's own peer address, never a header a client sets.
 */
public final class LocalServer implements AutoCloseable {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final Duration TOKEN_TTL = Duration.ofHours(12);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final HttpServer server;
    private LocalStackRuntime runtime;
    private DevSignIn signIn;

    private LocalServer(HttpServer server) {
        this.server = server;
    }

    /** Binds the address and port (0: any free port) without serving yet; fails at once if the port is taken. */
    public static LocalServer bind(InetAddress address, int port) throws IOException {
        return new LocalServer(HttpServer.create(new InetSocketAddress(address, port), 0));
    }

    /** The bound port (the chosen one when bound to 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves the runtime, which must have been started with this server's {@link #port()}. */
    public synchronized void start(LocalStackRuntime runtime) {
        if (this.runtime != null) {
            throw new IllegalStateException("already serving");
        }
        if (runtime.port() != port()) {
            throw new IllegalArgumentException("the runtime believes it is on port " + runtime.port()
                    + " but this server is bound to " + port() + ": its issuer and links would point elsewhere");
        }
        this.runtime = runtime;
        List<String> clients = runtime.template().jwtConfiguration(runtime.localValues())
                .map(SamTemplate.JwtConfiguration::audiences).orElse(List.of(runtime.issuer().audience()));
        this.signIn = new DevSignIn(runtime.issuer(), clients, Clock.systemUTC());
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            if (path.startsWith("/local/") && !servesDevelopmentHelpersTo(exchange.getRemoteAddress())) {
                // Before the body is read: a helper does not exist for a caller from the network.
                respond(exchange, 404, Map.of("content-type", "application/json"), json(Map.of("message", "Not Found")));
                return;
            }
            byte[] body = readBody(exchange);
            if (body == null) {
                refuseTooLarge(exchange);
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            if (path.startsWith("/local/")) {
                handleLocal(exchange, method, path, uri.getRawQuery(), text);
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

    private void handleLocal(HttpExchange exchange, String method, String path, String query, String body)
            throws IOException {
        Map<String, String> jsonType = Map.of("content-type", "application/json");
        String scheduledPrefix = "/local/scheduled/";
        String issuerPath = "/local/issuer";
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
        } else if (method.equals("GET") && path.equals(issuerPath + "/.well-known/jwks.json")) {
            respond(exchange, 200, Map.of("content-type", "application/json", "access-control-allow-origin", "*"),
                    runtime.issuer().jwks());
        } else if (method.equals("GET") && path.equals(issuerPath + "/.well-known/openid-configuration")) {
            respond(exchange, signIn.discovery());
        } else if (method.equals("GET") && path.equals(issuerPath + "/authorize")) {
            respond(exchange, signIn.authorizePage(DevSignIn.form(query)));
        } else if (method.equals("POST") && path.equals(issuerPath + "/authorize")) {
            respond(exchange, signIn.authorize(DevSignIn.form(body)));
        } else if (method.equals("POST") && path.equals(issuerPath + "/token")) {
            respond(exchange, signIn.token(DevSignIn.form(body)));
        } else if (method.equals("GET") && path.equals(issuerPath + "/authorize.css")) {
            respond(exchange, signIn.stylesheet());
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
        } else if (path.equals("/local/parameters") && (method.equals("GET") || method.equals("POST"))) {
            LocalHelpers.LocalResponse response = LocalHelpers.parameters(runtime, method, body);
            respond(exchange, response.status(), jsonType, response.body());
        } else if (path.equals("/local/dns") && (method.equals("GET") || method.equals("POST") || method.equals("DELETE"))) {
            LocalHelpers.LocalResponse response = LocalHelpers.dns(runtime.dns(), method, body);
            respond(exchange, response.status(), jsonType, response.body());
        } else if (method.equals("POST") && path.equals("/local/past-activation")) {
            LocalHelpers.LocalResponse response = LocalHelpers.pastActivation(runtime, body);
            respond(exchange, response.status(), jsonType, response.body());
        } else if (method.equals("POST") && path.equals("/local/events")) {
            LocalHelpers.LocalResponse response = LocalHelpers.publish(runtime.eventBus(), body);
            respond(exchange, response.status(), jsonType, response.body());
        } else if (method.equals("POST") && path.startsWith("/local/invoke/")) {
            String functionId = path.substring("/local/invoke/".length());
            if (!runtime.template().operatorFunctions().contains(functionId)) {
                respond(exchange, 404, jsonType,
                        json(Map.of("message", functionId + " is not a function an operator invokes")));
                return;
            }
            invoke(exchange, functionId, functionId, body, input -> runtime.invoke(functionId, input));
        } else if (method.equals("POST") && path.startsWith(scheduledPrefix)) {
            String functionId = path.substring(scheduledPrefix.length());
            if (runtime.scheduler().scheduled().stream().noneMatch(s -> s.functionLogicalId().equals(functionId))) {
                respond(exchange, 404, jsonType, json(Map.of("message", functionId + " is not a scheduled function")));
                return;
            }
            invoke(exchange, "scheduled " + functionId, functionId, body, input -> runtime.scheduler().invoke(functionId, input));
        } else {
            respond(exchange, 404, jsonType, json(Map.of("message", "Not Found")));
        }
    }

    /** Runs a function with the body as its input (empty: {@code {}}); its failure is a 500 that names it. */
    private static void invoke(HttpExchange exchange, String label, String functionId, String body,
                               FunctionCall call) throws IOException {
        Map<String, String> jsonType = Map.of("content-type", "application/json");
        try {
            Map<String, Object> input = body.isBlank() ? Map.of() : Json.MAPPER.convertValue(Json.read(body), MAP);
            respond(exchange, 200, jsonType, json(call.invoke(input)));
        } catch (Exception | LinkageError e) {
            System.err.println("[local] " + label + " failed:");
            e.printStackTrace(System.err);
            respond(exchange, 500, jsonType, json(Map.of("message", functionId + " failed: " + e)));
        }
    }

    private interface FunctionCall {
        Map<String, Object> invoke(Map<String, Object> input) throws Exception;
    }

    /**
     * Whether a request from this peer may use the {@code /local/} development helpers: only from a loopback
     * address (127.0.0.0/8, ::1, and IPv4-mapped loopback, which Java reads as IPv4).
     */
    static boolean servesDevelopmentHelpersTo(InetSocketAddress peer) {
        return peer != null && peer.getAddress() != null && peer.getAddress().isLoopbackAddress();
    }

    /** The same email always gets the same {@code sub}, so a re-minted token is the same user. */
    public static String stableSub(String email) {
        return UUID.nameUUIDFromBytes(("wsl-local|" + email.trim().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return headers;
    }

    /**
     * A body over {@link #MAX_BODY_BYTES}, on any route: answered as the management API answers every
     * refusal, RFC 9457 problem+json with the same type as the handlers' own 413; {@code message} stays
     * for clients that read API Gateway's own answers.
     */
    static void refuseTooLarge(HttpExchange exchange) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:problem:wsl:body-too-large");
        problem.put("title", "Payload too large");
        problem.put("status", 413);
        problem.put("detail", "The request body exceeds " + MAX_BODY_BYTES + " bytes, the local gateway's limit.");
        problem.put("message", "Request Entity Too Large");
        respond(exchange, 413, Map.of("content-type", "application/problem+json"), json(problem));
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    static byte[] readBody(HttpExchange exchange) throws IOException {
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

    private static void respond(HttpExchange exchange, DevSignIn.Answer answer) throws IOException {
        respond(exchange, answer.status(), answer.headers(), answer.body());
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
}
