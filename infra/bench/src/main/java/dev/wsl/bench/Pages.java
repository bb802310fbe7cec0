package dev.wsl.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.console.ConsoleHandler;
import dev.wsl.scim.ScimHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@link ColdStartProbe} for the console's and the SCIM function's first request, in a main class of its
 * own: the console's jar has no AWS SDK, which ColdStartProbe's other cases name. {@code console} builds
 * the console handler and serves its page once; {@code scim <scimToken>} builds the SCIM handler and lists
 * one user. Prints the same line as ColdStartProbe; a refusal exits 1.
 */
public final class Pages {
    private Pages() {}

    public static void main(String[] args) {
        String outcome = args[0].equals("console") ? console() : scim(args[1]);
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        System.out.println(args[0] + " " + outcome + " first response after "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    /** {@code GET /} through a new console handler: the page, as a browser's first request gets it. */
    static String console() {
        var event = APIGatewayV2HTTPEvent.builder().withRouteKey("GET /").withRawPath("/")
                .withHeaders(Map.of("accept-encoding", "gzip"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("probe").build())
                .build();
        return expect(new ConsoleHandler().handleRequest(event, null), "console page");
    }

    /** {@code GET /scim/v2/Users?count=1} through a new SCIM handler with the workspace's SCIM token. */
    static String scim(String token) {
        var event = APIGatewayV2HTTPEvent.builder().withRouteKey("GET /scim/v2/Users").withRawPath("/scim/v2/Users")
                .withQueryStringParameters(Map.of("count", "1"))
                .withHeaders(Map.of("authorization", "Bearer " + token))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("probe").build())
                .build();
        return expect(new ScimHandler().handleRequest(event, null), "SCIM listing");
    }

    private static String expect(APIGatewayV2HTTPResponse response, String what) {
        if (response.getStatusCode() != 200) {
            System.err.println(what + " refused: status " + response.getStatusCode() + " " + response.getBody());
            System.exit(1);
        }
        return "status " + response.getStatusCode();
    }
}
