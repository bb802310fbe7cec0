package dev.wsl.local.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy between the functions' AWS SDK clients and the emulator, on a loopback port, that reads
 * each request as AWS would route it and answers with a fault where a test asked for one; everything
 * else is forwarded unchanged. The functions' clients are the real ones, built exactly as in Lambda:
 * the local runtime points their endpoint ({@code aws.endpointUrl}) here instead of at the emulator,
 * while its own clients (the tests' table dumps, the stream pump, the queues) talk to the emulator directly.
 *
 * <p><b>What a request is</b>: its service from the SigV4 credential scope of its {@code Authorization}
 * header ({@code dynamodb}, {@code kms}, {@code ses}); its operation from {@code X-Amz-Target}
 * (the JSON protocols of DynamoDB and KMS: {@code DynamoDB_20120810.GetItem}, {@code TrentService.Encrypt})
 * or from the form's {@code Action} (SES's query protocol: {@code SendEmail}). A {@link Rule} names a service,
 * optionally operations, and optionally a <em>marker</em>: text the request's body must contain (a workspace
 * id, a token's hash, an email address), so that each test's faults hit only its own requests and tests
 * can run in parallel.
 *
 * <p><b>Faults</b>, as AWS sends them ({@link Fault}): an error answer in the service's protocol (JSON
 * {@code __type} for DynamoDB and KMS, an XML {@code ErrorResponse} for SES), e.g. DynamoDB's
 * {@code ProvisionedThroughputExceededException}, a {@code TransactionCanceledException} whose reasons name a
 * {@code TransactionConflict}, a bare 500 or 503; a connection reset (TCP RST) before the request reaches the
 * emulator or after it was applied there; an answer that comes late, after the request was applied.
 *
 * <p><b>One DynamoDB behaviour moto lacks</b>: a {@code TransactWriteItems} repeated with the same
 * {@code ClientRequestToken} within 10 minutes is answered as the commit it repeats, not applied again
 * (DynamoDB's documented idempotency, which the stores rely on when the SDK repeats a transaction whose answer
 * was lost). moto ignores the token, so the proxy keeps each committed transaction's answer by its token
 * and answers a repeat with it; without that, a reset after a commit would show failures DynamoDB never gives.
 *
 * <p>Every request a rule matches is counted ({@link Rule#matched()}), faulted or not, which is how the
 * tests bound retries: each SDK attempt is one request here. Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "proxy-authorization");
    private static final Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);

    private final URI upstream;
    private final ServerSocket server;
    private final HttpClient http;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final Map<String, Committed> committed = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger forwarded = new AtomicInteger();
    private volatile boolean closed;

    private record Committed(Answer answer, long atNanos) {}

    private FaultProxy(URI upstream, ServerSocket server) {
        this.upstream = upstream;
        this.server = server;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).executor(connections).build();
        Thread accept = new Thread(this::acceptLoop, "fault-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy in front of {@code upstream} (the emulator), on a free loopback port. */
    public static FaultProxy start(URI upstream) {
        try {
            ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            return new FaultProxy(upstream, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the fault proxy's port", e);
        }
    }

    /** Where the functions' clients send their requests. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public URI upstream() {
        return upstream;
    }

    /** Requests forwarded to the emulator since start (faulted ones that never reached it not counted). */
    public int forwarded() {
        return forwarded.get();
    }

    // ------------------------------------------------------------------ rules

    /** What a rule does to a request it matches. */
    public sealed interface Fault {
        /** An answer in the service's protocol, without reaching the emulator. */
        record Error(int status, String code, String contentType, String body) implements Fault {}

        /** A TCP reset: before the request reaches the emulator, or after it was applied there. */
        record Reset(boolean afterApplying) implements Fault {}

        /** The request is applied, and its answer comes {@code delay} late (or never, if the client gave up). */
        record Late(Duration delay) implements Fault {}

        /**
         * DynamoDB's {@code TransactionCanceledException}, its reasons parallel to the request's items: {@code reason}
         * (e.g. {@code TransactionConflict}, {@code ThrottlingError}) on the first, {@code None} on the others.
         */
        record TransactionCanceled(String reason) implements Fault {}

        /** DynamoDB (JSON 1.0): an error of type {@code code}, e.g. {@code ProvisionedThroughputExceededException}. */
        static Fault dynamoDb(int status, String code, String message) {
            String type = status >= 500 ? "com.amazon.coral.service#" + code : "com.amazonaws.dynamodb.v20120810#" + code;
            return new Error(status, code, "application/x-amz-json-1.0",
                    "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
        }

        /** KMS (JSON 1.1). */
        static Fault kms(int status, String code, String message) {
            return new Error(status, code, "application/x-amz-json-1.1",
                    "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
        }

        /** SES (query protocol): an XML {@code ErrorResponse}; {@code Sender} faults are the caller's (4xx). */
        static Fault ses(int status, String code, String message) {
            return new Error(status, code, "text/xml", "<ErrorResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">"
                    + "<Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code + "</Code><Message>"
                    + message + "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>");
        }
    }

    /**
     * Injects a fault into the requests of {@code service} (SigV4 name: {@code dynamodb}, {@code kms},
     * {@code ses}) whose operation is one of {@code operations} (none: any). Refine with {@link Rule#marker},
     * {@link Rule#times}, {@link Rule#skip}; {@link Rule#close()} removes it.
     */
    public Rule inject(Fault fault, String service, String... operations) {
        Rule rule = new Rule(this, fault, service, Set.of(operations));
        rules.add(rule);
        return rule;
    }

    /** Removes every rule (between tests). */
    public void clear() {
        rules.clear();
    }

    /** A fault on some requests, counting every request it matches. */
    public static final class Rule implements AutoCloseable {
        private final FaultProxy proxy;
        private final Fault fault;
        private final String service;
        private final Set<String> operations;
        private volatile List<String> markers = List.of();
        private volatile int skip;
        private volatile int times = Integer.MAX_VALUE;
        private final AtomicInteger matched = new AtomicInteger();
        private final AtomicInteger faulted = new AtomicInteger();
        private final Map<String, AtomicInteger> byOperation = new ConcurrentHashMap<>();

        private Rule(FaultProxy proxy, Fault fault, String service, Set<String> operations) {
            this.proxy = proxy;
            this.fault = fault;
            this.service = service;
            this.operations = operations;
        }

        /** Only requests whose body holds one of these texts (also matched against a form body decoded). */
        public Rule marker(String... anyOf) {
            this.markers = List.of(anyOf);
            return this;
        }

        /** Lets the first {@code n} matching requests pass before faulting. */
        public Rule skip(int n) {
            this.skip = n;
            return this;
        }

        /** Faults at most {@code n} requests (then passes them); by default every matching request. */
        public Rule times(int n) {
            this.times = n;
            return this;
        }

        /** Requests this rule matched so far, faulted or passed. */
        public int matched() {
            return matched.get();
        }

        /** Requests this rule answered with its fault so far. */
        public int faulted() {
            return faulted.get();
        }

        /** Matched requests per operation. */
        public Map<String, Integer> matchedByOperation() {
            Map<String, Integer> out = new TreeMap<>();
            byOperation.forEach((op, n) -> out.put(op, n.get()));
            return out;
        }

        boolean matches(Exchange request) {
            return request.service().equals(service) && (operations.isEmpty() || operations.contains(request.operation()))
                    && (markers.isEmpty() || markers.stream().anyMatch(request::contains));
        }

        /** Counts a matching request and says whether it is to be faulted. */
        boolean take(Exchange request) {
            int n = matched.incrementAndGet();
            byOperation.computeIfAbsent(request.operation(), k -> new AtomicInteger()).incrementAndGet();
            if (n <= skip) {
                return false;
            }
            while (true) {
                int done = faulted.get();
                if (done >= times) {
                    return false;
                }
                if (faulted.compareAndSet(done, done + 1)) {
                    return true;
                }
            }
        }

        @Override
        public void close() {
            proxy.rules.remove(this);
        }

        @Override
        public String toString() {
            return fault + " on " + service + operations + (markers.isEmpty() ? "" : " marked " + markers)
                    + ", matched " + matched + ", faulted " + faulted;
        }
    }

    /** Counts every request (of any service) whose body holds a marker, by service and operation, while open. */
    public Watch watch(String marker) {
        Watch watch = new Watch(this, marker);
        watches.add(watch);
        return watch;
    }

    /** What {@link #watch} counted: {@code "dynamodb.GetItem" → 2}. */
    public static final class Watch implements AutoCloseable {
        private final FaultProxy proxy;
        private final String marker;
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        private Watch(FaultProxy proxy, String marker) {
            this.proxy = proxy;
            this.marker = marker;
        }

        public Map<String, Integer> counts() {
            Map<String, Integer> out = new TreeMap<>();
            counts.forEach((op, n) -> out.put(op, n.get()));
            return out;
        }

        public int total() {
            return counts.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        void see(Exchange request) {
            if (marker == null || request.contains(marker)) {
                counts.computeIfAbsent(request.service() + "." + request.operation(), k -> new AtomicInteger())
                        .incrementAndGet();
            }
        }

        @Override
        public void close() {
            proxy.watches.remove(this);
        }
    }

    // ------------------------------------------------------------------ serving

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                connections.submit(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("[fault-proxy] accept failed: " + e);
                }
            }
        }
    }

    /** One client connection: requests one after another (keep-alive), until it closes or is reset. */
    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            while (true) {
                Exchange request = Exchange.read(in, out);
                if (request == null) {
                    return;
                }
                Answer answer = answer(request, client);
                if (answer == null) {
                    return; // reset
                }
                answer.write(out);
                out.flush();
            }
        } catch (IOException e) {
            // The client went away (e.g. its attempt timed out): nothing to answer.
        }
    }

    private Answer answer(Exchange request, Socket client) throws IOException {
        watches.forEach(w -> w.see(request));
        Fault fault = null;
        for (Rule rule : rules) {
            if (rule.matches(request) && rule.take(request)) {
                fault = rule.fault;
                break;
            }
        }
        switch (fault) {
            case null -> {
                return forward(request);
            }
            case Fault.Error e -> {
                return Answer.error(e.status(), e.code(), e.contentType(), e.body());
            }
            case Fault.TransactionCanceled c -> {
                return transactionCanceled(request, c.reason());
            }
            case Fault.Reset r -> {
                if (r.afterApplying()) {
                    forward(request);
                }
                reset(client);
                return null;
            }
            case Fault.Late late -> {
                Answer answer = forward(request);
                sleep(late.delay());
                return answer;
            }
        }
    }

    private Answer forward(Exchange request) throws IOException {
        String token = request.clientRequestToken();
        if (token == null) {
            return send(request);
        }
        Committed earlier = committed.get(token);
        if (earlier != null && System.nanoTime() - earlier.atNanos() < IDEMPOTENCY_WINDOW.toNanos()) {
            return earlier.answer();
        }
        if (!inFlight.add(token)) {
            // DynamoDB's answer to a repeat while the first is still being applied (the SDK retries it, as throttling).
            return Answer.error(400, "TransactionInProgressException", "application/x-amz-json-1.0",
                    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionInProgressException\","
                            + "\"message\":\"The transaction with the given request token is already in progress.\"}");
        }
        try {
            Answer answer = send(request);
            if (answer.status() == 200) {
                committed.put(token, new Committed(answer, System.nanoTime()));
                if (committed.size() > 50_000) {
                    long now = System.nanoTime();
                    committed.values().removeIf(c -> now - c.atNanos() > IDEMPOTENCY_WINDOW.toNanos());
                }
            }
            return answer;
        } finally {
            inFlight.remove(token);
        }
    }

    private Answer send(Exchange request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(upstream.resolve(request.target()))
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        forwarded.incrementAndGet();
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new Answer(response.statusCode(), headers, response.body());
    }

    /** A cancellation whose reasons parallel the request's items: {@code reason} on the first, none on the others. */
    private static Answer transactionCanceled(Exchange request, String reason) throws IOException {
        JsonNode items = JSON.readTree(request.body()).path("TransactItems");
        StringBuilder reasons = new StringBuilder();
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < Math.max(1, items.size()); i++) {
            reasons.append(i == 0 ? "" : ",").append(i == 0
                    ? "{\"Code\":\"" + reason + "\",\"Message\":\"" + reason + "\"}"
                    : "{\"Code\":\"None\"}");
            summary.append(i == 0 ? reason : ", None");
        }
        return Answer.error(400, "TransactionCanceledException", "application/x-amz-json-1.0",
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"Message\":"
                        + "\"Transaction cancelled, please refer cancellation reasons for specific reasons [" + summary
                        + "]\",\"CancellationReasons\":[" + reasons + "]}");
    }

    private static void reset(Socket client) throws IOException {
        client.setSoLinger(true, 0);
        client.close();
    }

    private static void sleep(Duration delay) throws IOException {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.shutdownNow();
        http.close();
    }

    // ------------------------------------------------------------------ HTTP/1.1 on the client side

    /** One request as the client sent it. */
    record Exchange(String method, String target, Map<String, String> headers, byte[] body, String service,
                    String operation, String text) {

        boolean contains(String marker) {
            return text.contains(marker);
        }

        /** A DynamoDB transaction's idempotency token, if it carries one. */
        String clientRequestToken() {
            if (!"dynamodb".equals(service) || !"TransactWriteItems".equals(operation)) {
                return null;
            }
            Matcher m = Pattern.compile("\"ClientRequestToken\"\\s*:\\s*\"([^\"]+)\"").matcher(text);
            return m.find() ? m.group(1) : null;
        }

        /** Reads the next request; null when the client closed the connection between requests. */
        static Exchange read(InputStream in, OutputStream out) throws IOException {
            String requestLine = line(in);
            while (requestLine != null && requestLine.isEmpty()) {
                requestLine = line(in);
            }
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ", 3);
            if (parts.length < 3) {
                throw new IOException("not an HTTP request: " + requestLine);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.merge(header.substring(0, colon).trim(), header.substring(colon + 1).trim(), (a, b) -> a + "," + b);
                }
            }
            if ("100-continue".equalsIgnoreCase(header(headers, "expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body;
            String length = header(headers, "content-length");
            if ("chunked".equalsIgnoreCase(header(headers, "transfer-encoding"))) {
                body = chunked(in);
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else {
                body = new byte[0];
            }
            String text = new String(body, StandardCharsets.UTF_8);
            String auth = header(headers, "authorization");
            Matcher scope = auth == null ? null : SCOPE.matcher(auth);
            String service = scope != null && scope.find() ? scope.group(1) : "unknown";
            String target = header(headers, "x-amz-target");
            String operation;
            if (target != null) {
                operation = target.substring(target.indexOf('.') + 1);
            } else {
                operation = formValue(text, "Action");
            }
            String decoded = target == null && text.contains("=") ? text + "\n" + decode(text) : text;
            return new Exchange(parts[0], parts[1], headers, body, service, operation == null ? "unknown" : operation,
                    decoded);
        }

        private static String decode(String form) {
            try {
                return URLDecoder.decode(form, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return form;
            }
        }

        private static String formValue(String form, String name) {
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return decode(pair.substring(eq + 1));
                }
            }
            return null;
        }

        private static String header(Map<String, String> headers, String name) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }

        private static byte[] chunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                if (size == null) {
                    throw new IOException("connection closed inside a chunked body");
                }
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                        // trailers are dropped
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        }

        /** A CRLF-terminated line, or null at the end of the stream. */
        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    byte[] bytes = line.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                line.write(c);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** An answer to write back: the emulator's, or a fault's. */
    private record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer error(int status, String code, String contentType, String body) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", contentType);
            headers.put("x-amzn-RequestId", "fault-proxy");
            if (!contentType.contains("xml")) {
                headers.put("x-amzn-ErrorType", code);
            }
            return new Answer(status, headers, body.getBytes(StandardCharsets.UTF_8));
        }

        void write(OutputStream out) throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }

    /** For messages: the rules now active. */
    @Override
    public String toString() {
        List<String> active = new ArrayList<>();
        rules.forEach(r -> active.add(r.toString()));
        return "FaultProxy " + endpoint() + " → " + upstream + " " + active;
    }
}
