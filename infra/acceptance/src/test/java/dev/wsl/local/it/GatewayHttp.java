package dev.wsl.local.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wsl.local.LocalStackRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The runtime's gateway on a loopback port, for clients that must speak real HTTP (the LocalStack
 * licensing client). Headers and body pass through as the run command's server passes them.
 */
final class GatewayHttp implements AutoCloseable {
    private static final Map<LocalStackRuntime, GatewayHttp> SHARED = new ConcurrentHashMap<>();

    private final HttpServer server;
    private final Dispatcher dispatcher;

    /** What answers the requests: the runtime's gateway, or a handler under test. */
    interface Dispatcher {
        APIGatewayV2HTTPResponse dispatch(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                          String body);
    }

    GatewayHttp(LocalStackRuntime runtime) {
        this(runtime.gateway()::dispatch);
    }

    /** One server in front of the runtime's gateway for the whole test JVM; it lives as long as the runtime. */
    static GatewayHttp shared(LocalStackRuntime runtime) {
        return SHARED.computeIfAbsent(runtime, GatewayHttp::new);
    }

    GatewayHttp(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> serve(dispatcher, exchange));
        server.start();
    }

    /** What answers this server's requests (to put another server in front of it). */
    Dispatcher dispatcher() {
        return dispatcher;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void serve(Dispatcher dispatcher, HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            APIGatewayV2HTTPResponse response = dispatcher.dispatch(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(), headers, body);
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            }
            byte[] out = response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.getStatusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
