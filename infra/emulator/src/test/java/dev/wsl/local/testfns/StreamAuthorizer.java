package dev.wsl.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Lambda authorizer as a stream handler (JSON in, JSON out): allows a request whose event
 * mentions {@code "x-pass":"yes"}, fails on {@code "x-pass":"boom"}; counts its invocations.
 */
public final class StreamAuthorizer implements RequestStreamHandler {
    public static final AtomicInteger INVOCATIONS = new AtomicInteger();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        INVOCATIONS.incrementAndGet();
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        if (event.contains("\"x-pass\":\"boom\"")) {
            throw new IllegalStateException("authorizer failure (expected by the test)");
        }
        boolean allowed = event.contains("\"x-pass\":\"yes\"");
        output.write(("{\"isAuthorized\":" + allowed + (allowed ? ",\"context\":{\"via\":\"stream\"}" : "") + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
