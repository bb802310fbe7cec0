package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.type.TypeReference;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * functions in-process against moto (or {@code $AWS_ENDPOINT_URL}), the stream, schedules and the
 * default event bus driven locally, plus development-only routes under {@code /local/} (tokens,
 * the JWKS, sent mail, running a schedule now, publishing an event). {@code token <email> [name]}
 * asks a running server for a token; {@code purchase <workspaceId> <plan> <seats> [email]}
 * publishes a billing purchase on it.
 */
public final class LocalMain {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final Duration TOKEN_TTL = Duration.ofHours(12);
    /** The billing system's events, as the template's {@code BillingEventsFunction} rule selects them. */
    static final String BILLING_SOURCE = "wsl.billing";
    static final String SUBSCRIPTION_PURCHASED = "Subscription Purchased";
    static final Duration SUBSCRIPTION_TERM = Duration.ofDays(365);
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
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
                notRunning(port);
            }
        } else if (args[0].equals("params") && java.util.Arrays.stream(args).skip(1).allMatch(a -> a.indexOf('=') > 0)) {
            try {
                System.out.println(params(port, java.util.Arrays.copyOfRange(args, 1, args.length)));
            } catch (ConnectException e) {
                notRunning(port);
            } catch (IllegalStateException refused) {
                // The server's own 400 says what is wrong; no stack trace for a typo.
                System.err.println(refused.getMessage());
                System.exit(1);
            }
        } else if (args[0].equals("purchase") && args.length >= 4 && args.length <= 5 && args[3].matches("-?\\d{1,9}")) {
            try {
                System.out.println(purchase(port, args[1], args[2], Integer.parseInt(args[3]), args.length == 5 ? args[4] : null));
            } catch (ConnectException e) {
                notRunning(port);
            }
        } else {
            System.err.println("""
                    usage: local-runtime.jar [run]              serve the API on 127.0.0.1:$PORT (default 3000; $BIND overrides the address)
                           local-runtime.jar token EMAIL [NAME] print a token from the running server
                           local-runtime.jar purchase WORKSPACE_ID PLAN SEATS [PURCHASER_EMAIL]
                                                                publish a "Subscription Purchased" billing event
                                                                to the running server; prints the deliveries
                           local-runtime.jar params [NAME=VALUE ...]
                                                                show (or change) the running server's template
                                                                parameters; changed functions restart, state stays""");
            System.exit(2);
        }
    }

    private static void notRunning(int port) {
        System.err.println("no local runtime answers on port " + port
                + ": start it with infra/run-local.sh (PORT selects the port)");
        System.exit(1);
    }

    private static int port() {
        String value = System.getenv("PORT");
        return value == null || value.isBlank() ? LocalStackRuntime.DEFAULT_PORT : Integer.parseInt(value.trim());
    }

    // ------------------------------------------------------------------ serving

    private static void serve(int port) throws IOException, InterruptedException {
        // Bind first: a busy port should fail before an emulator is started for nothing.
        // Loopback unless BIND says otherwise (e.g. 0.0.0.0, so that a LocalStack container reaches it).
        String bind = System.getenv("BIND");
        InetAddress address = bind == null || bind.isBlank() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(bind.trim());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (java.net.BindException e) {
            System.err.println("port " + port + " is in use (another local runtime?): stop that one, or start this one"
                    + " with PORT=<another port>");
            System.exit(1);
            return;
        }
        LocalStackRuntime runtime = LocalStackRuntime.start(LocalStackRuntime.Options.fromEnvironment().withPort(port));
        runtime.closeInOrderOnShutdown();
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
                refuseTooLarge(exchange);
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
        } else if (path.equals("/local/parameters") && (method.equals("GET") || method.equals("POST"))) {
            LocalResponse response = parameters(runtime, method, body);
            respond(exchange, response.status(), jsonType, response.body());
        } else if (method.equals("POST") && path.equals("/local/events")) {
            LocalResponse response = publish(runtime.eventBus(), body);
            respond(exchange, response.status(), jsonType, response.body());
        } else if (method.equals("POST") && path.startsWith(scheduledPrefix)) {
            String functionId = path.substring(scheduledPrefix.length());
            if (runtime.scheduler().scheduled().stream().noneMatch(s -> s.functionLogicalId().equals(functionId))) {
                respond(exchange, 404, jsonType, json(Map.of("message", functionId + " is not a scheduled function")));
                return;
            }
            try {
                Map<String, Object> input = body.isBlank() ? Map.of() : Json.MAPPER.convertValue(Json.read(body), MAP);
                respond(exchange, 200, jsonType, json(runtime.scheduler().invoke(functionId, input)));
            } catch (Exception | LinkageError e) {
                System.err.println("[local] scheduled " + functionId + " failed:");
                e.printStackTrace(System.err);
                respond(exchange, 500, jsonType, json(Map.of("message", functionId + " failed: " + e)));
            }
        } else {
            respond(exchange, 404, jsonType, json(Map.of("message", "Not Found")));
        }
    }

    /** A response of a {@code /local/} route, built apart from the exchange so that it can be tested. */
    record LocalResponse(int status, String body) {}

    /**
     * {@code POST /local/events}: the body is an event as a publisher gives it to EventBridge (at
     * least {@code source}, {@code detail-type} and {@code detail}; see {@link EventBus#complete}).
     * 200 with the completed event and one entry per invoked function, {@code {"function",
     * "result"}} plus {@code "failed": true} if it threw (the bus does not fail for that); 400
     * {@code {"message"}} for a body that is not JSON or not an acceptable event.
     */
    static LocalResponse publish(EventBus bus, String body) {
        JsonNode json;
        try {
            json = Json.read(body);
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", "body must be JSON: " + e.getMessage())));
        }
        if (!json.isObject()) {
            return new LocalResponse(400, json(Map.of("message",
                    "body must be an event: a JSON object with source, detail-type and detail")));
        }
        Map<String, Object> event;
        try {
            event = bus.complete(Json.MAPPER.convertValue(json, MAP));
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", e.getMessage())));
        }
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (EventBus.Delivery d : bus.put(event)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("function", d.functionLogicalId());
            entry.put("result", d.result());
            if (d.failed()) {
                entry.put("failed", true);
            }
            deliveries.add(entry);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("event", event);
        response.put("deliveries", deliveries);
        return new LocalResponse(200, json(response));
    }

    /**
     * {@code GET /local/parameters}: the template's parameters and their values here.
     * {@code POST /local/parameters} with {@code {"Name": "value", ...}}: changes them as a redeployment
     * with {@code --parameter-overrides} would, keeping every item of the emulator; the functions whose
     * environment changes start afresh ({@code recreated}). 400 {@code {"message"}} for an unknown
     * parameter, a value that is no string, or a value a function refuses (nothing changes then).
     */
    static LocalResponse parameters(LocalStackRuntime runtime, String method, String body) {
        if (method.equals("GET")) {
            return new LocalResponse(200, json(Map.of("parameters", runtime.parameters())));
        }
        JsonNode json;
        try {
            json = Json.read(body.isBlank() ? "{}" : body);
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", "body must be JSON: " + e.getMessage())));
        }
        Map<String, String> changes = new LinkedHashMap<>();
        if (!json.isObject()) {
            return new LocalResponse(400, json(Map.of("message", "body must be an object of parameter names to values")));
        }
        for (var field : json.properties()) {
            if (!field.getValue().isTextual()) {
                return new LocalResponse(400, json(Map.of("message", field.getKey() + " must be a string")));
            }
            changes.put(field.getKey(), field.getValue().asText());
        }
        try {
            LocalStackRuntime.ParameterChange change = runtime.setParameters(changes);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("parameters", change.parameters());
            answer.put("recreated", change.recreated());
            return new LocalResponse(200, json(answer));
        } catch (IllegalArgumentException e) {
            return new LocalResponse(400, json(Map.of("message", e.getMessage())));
        }
    }

    /**
     * A billing {@code Subscription Purchased} event for a new subscription ({@code sub_} and 12
     * random lowercase alphanumerics) of one year from {@code now}, as the billing system would
     * publish it; {@code purchaserEmail} is left out when null.
     */
    static Map<String, Object> subscriptionPurchased(String workspaceId, String plan, int seats, String purchaserEmail,
                                                     Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workspaceId", workspaceId);
        detail.put("subscriptionId", "sub_" + randomId(12));
        detail.put("plan", plan);
        detail.put("seats", seats);
        detail.put("periodStart", start.toString());
        detail.put("periodEnd", start.plus(SUBSCRIPTION_TERM).toString());
        if (purchaserEmail != null) {
            detail.put("purchaserEmail", purchaserEmail);
        }
        detail.put("sequence", 1);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("source", BILLING_SOURCE);
        event.put("detail-type", SUBSCRIPTION_PURCHASED);
        event.put("detail", detail);
        return event;
    }

    private static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
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
        String memberId = callerMemberId(created);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PrintStream out = System.out;
        out.println();
        out.println("Local API on " + api + "  (AWS emulator: " + runtime.endpoint()
                + (runtime.ownsEmulator() ? ", moto" : "") + "; table " + runtime.tableName() + ")");
        if (workspaceId == null) {
            out.println("Could not seed the demo workspace: POST /workspaces answered " + created.getStatusCode()
                    + " " + created.getBody() + " (see the log above). Set WS yourself after creating one.");
            workspaceId = "'<workspace id>'";
        } else {
            out.println("Seeded \"Demo workspace\" owned by " + adminEmail + ".");
            seedSubscription(workspaceId, adminEmail, out);
            out.println("Paste into a shell:");
        }
        out.println();
        out.printf("""
                  export API=%s
                  export TOKEN=%s
                  export WS=%s
                  export ME=%s

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

                  # licenses: the seeded Team subscription (5 seats) and who holds them
                  curl -s -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/licenses
                  # assign a license to a member ($ME is the admin; or Jane's id from the member list), then take it back
                  curl -s -X POST -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/members/$ME/license
                  curl -s -X DELETE -H "Authorization: Bearer $TOKEN" $API/workspaces/$WS/members/$ME/license
                  # billing records another purchase: an EventBridge event on the local default bus
                  infra/run-local.sh purchase $WS Enterprise 10
                  #   or with curl (any event: source, detail-type, detail; answers what each function returned)
                  curl -s -X POST $API/local/events -d '{"source":"%s","detail-type":"%s","detail":{"workspaceId":"'$WS'",
                       "subscriptionId":"sub_%s","plan":"Enterprise","seats":10,"periodStart":"%s","periodEnd":"%s","sequence":1}}'
                """, api, token, workspaceId, memberId == null ? "'<member id>'" : memberId,
                BILLING_SOURCE, SUBSCRIPTION_PURCHASED, randomId(12), now, now.plus(SUBSCRIPTION_TERM));
        for (SamTemplate.ScheduledFunction s : runtime.scheduler().scheduled()) {
            out.printf("  # run %s (%s) now instead of waiting%n  curl -s -X POST $API/local/scheduled/%s%n",
                    s.functionLogicalId(), s.scheduleExpression(), s.functionLogicalId());
        }
        out.println();
        out.println("Emails are printed here as they are sent. Ctrl-C stops everything.");
    }

    /**
     * Records the demo workspace's first purchase through the event bus, as billing would. The
     * license functions may not exist yet or may refuse it; that is reported, not fatal.
     */
    private void seedSubscription(String workspaceId, String purchaserEmail, PrintStream out) {
        String problem;
        try {
            List<EventBus.Delivery> deliveries = runtime.eventBus()
                    .put(subscriptionPurchased(workspaceId, "Team", 5, purchaserEmail, Instant.now()));
            problem = deliveries.isEmpty() ? "no rule of the template matches it"
                    : deliveries.stream()
                            .filter(d -> d.failed() || d.result() == null || Boolean.FALSE.equals(d.result().get("accepted")))
                            .map(d -> d.functionLogicalId() + (d.failed() ? " failed: " : " answered ") + json(d.result()))
                            .reduce((a, b) -> a + "; " + b)
                            .orElse(null);
        } catch (RuntimeException e) {
            problem = e.toString();
        }
        if (problem == null) {
            out.println("Seeded a Team subscription with 5 seats for it (a " + SUBSCRIPTION_PURCHASED + " billing event).");
        } else {
            out.println("WARNING the seeded " + SUBSCRIPTION_PURCHASED + " event (Team, 5 seats) was not accepted: "
                    + problem + ". The demo workspace has no licenses until a purchase is accepted.");
        }
    }

    /** The caller's member id in a created workspace ({@code you.memberId}), or null. */
    private static String callerMemberId(APIGatewayV2HTTPResponse created) {
        if (created.getStatusCode() != 201 || created.getBody() == null) {
            return null;
        }
        try {
            JsonNode id = Json.read(created.getBody()).path("you").path("memberId");
            return id.isTextual() ? id.asText() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
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
        return Json.read(postLocal(port, "/local/token", request)).path("token").asText();
    }

    /** Shows, or with NAME=VALUE arguments changes, the running server's parameters; pretty-printed. */
    private static String params(int port, String[] assignments) throws IOException, InterruptedException {
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

    /** Publishes a purchase on the running server; returns its answer (the deliveries), pretty-printed. */
    private static String purchase(int port, String workspaceId, String plan, int seats, String purchaserEmail)
            throws IOException, InterruptedException {
        String answer = postLocal(port, "/local/events",
                subscriptionPurchased(workspaceId, plan, seats, purchaserEmail, Instant.now()));
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.read(answer));
    }

    /** POSTs JSON to a {@code /local/} route of the running server and returns the 200 answer's body. */
    private static String postLocal(int port, String path, Object body) throws IOException, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body)))
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
