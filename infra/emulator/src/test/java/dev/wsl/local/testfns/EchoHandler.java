package dev.wsl.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Records the event it got (by request id) and answers 200 with the request id as body. */
public final class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    public static final Map<String, APIGatewayV2HTTPEvent> EVENTS = new ConcurrentHashMap<>();
    public static final Map<String, Context> CONTEXTS = new ConcurrentHashMap<>();
    public static final AtomicInteger INSTANCES = new AtomicInteger();
    public static final AtomicInteger INVOCATIONS = new AtomicInteger();

    public EchoHandler() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        INVOCATIONS.incrementAndGet();
        String id = event.getRequestContext().getRequestId();
        EVENTS.put(id, event);
        CONTEXTS.put(id, context);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of("content-type", "text/plain"))
                .withCookies(java.util.List.of("seen=1"))
                .withBody(id)
                .build();
    }
}
