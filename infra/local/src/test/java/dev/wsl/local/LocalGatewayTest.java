package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.local.testfns.EchoHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalGatewayTest {

    private static final String ISSUER = "http://127.0.0.1:3000/local/issuer";
    private static final SamTemplate TEMPLATE = TestTemplates.test();
    private static final DevIssuer DEV_ISSUER = new DevIssuer(ISSUER, "wsl-local");
    private static LocalGateway gateway;

    @BeforeAll
    static void gateway() {
        JwtAuthorizer authorizer = new JwtAuthorizer(ISSUER, List.of("wsl-local"), "authorization",
                DEV_ISSUER.keysById(), Clock.systemUTC());
        gateway = new LocalGateway(TEMPLATE, authorizer, new FunctionInvoker(TEMPLATE, Clock.systemUTC()), Clock.systemUTC());
    }

    private static String token() {
        return DEV_ISSUER.mint("u-1", "ann@example.com", "Ann", Duration.ofMinutes(5));
    }

    private static Map<String, String> auth(String token) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Host", "127.0.0.1:3000");
        headers.put("User-Agent", "curl/8");
        headers.put("X-Custom", "Yes");
        return headers;
    }

    private static APIGatewayV2HTTPEvent eventOf(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).isEqualTo(200);
        return EchoHandler.EVENTS.get(response.getBody());
    }

    @Test
    void aRequestBecomesAPayloadTwoEvent() {
        Instant before = Instant.now();
        APIGatewayV2HTTPResponse response = gateway.dispatch("GET", "/items/a%20b+c%2Fd", "x=1&x=2&y=%2B&z=a+b&flag",
                auth(token()), "");

        APIGatewayV2HTTPEvent e = eventOf(response);
        assertThat(e.getVersion()).isEqualTo("2.0");
        assertThat(e.getRouteKey()).isEqualTo("GET /items/{itemId}");
        assertThat(e.getRawPath()).isEqualTo("/items/a%20b+c%2Fd");
        assertThat(e.getRawQueryString()).isEqualTo("x=1&x=2&y=%2B&z=a+b&flag");
        assertThat(e.getPathParameters()).containsExactly(Map.entry("itemId", "a b+c/d"));
        assertThat(e.getQueryStringParameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("x", "1,2", "y", "+", "z", "a b", "flag", ""));
        assertThat(e.getHeaders()).containsEntry("x-custom", "Yes").containsEntry("user-agent", "curl/8")
                .containsKey("authorization").containsKey("x-forwarded-for");
        assertThat(e.getBody()).isNull();
        assertThat(e.getIsBase64Encoded()).isFalse();

        APIGatewayV2HTTPEvent.RequestContext rc = e.getRequestContext();
        assertThat(rc.getRouteKey()).isEqualTo("GET /items/{itemId}");
        assertThat(rc.getStage()).isEqualTo("$default");
        assertThat(rc.getAccountId()).isNotBlank();
        assertThat(rc.getApiId()).isNotBlank();
        assertThat(rc.getDomainName()).isEqualTo("127.0.0.1");
        assertThat(rc.getDomainPrefix()).isNotBlank();
        assertThat(rc.getRequestId()).isEqualTo(response.getBody()).isEqualTo(response.getHeaders().get("apigw-requestid"));
        assertThat(rc.getHttp().getMethod()).isEqualTo("GET");
        assertThat(rc.getHttp().getPath()).isEqualTo("/items/a%20b+c%2Fd");
        assertThat(rc.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(rc.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(rc.getHttp().getUserAgent()).isEqualTo("curl/8");
        assertThat(rc.getTimeEpoch()).isBetween(before.toEpochMilli(), Instant.now().toEpochMilli());
        assertThat(rc.getTime()).matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000");
        assertThat(rc.getAuthorizer().getJwt().getClaims())
                .containsEntry("sub", "u-1").containsEntry("email", "ann@example.com").containsEntry("email_verified", "true");

        Context context = EchoHandler.CONTEXTS.get(response.getBody());
        assertThat(context.getFunctionName()).isEqualTo("EchoFunction");
        assertThat(context.getAwsRequestId()).isEqualTo(rc.getRequestId());
        assertThat(context.getRemainingTimeInMillis()).isBetween(1, 10_000);
        assertThat(context.getMemoryLimitInMB()).isEqualTo(512);
    }

    @Test
    void bodiesAndCookiesPassThrough() {
        Map<String, String> headers = auth(token());
        headers.put("Cookie", "a=1; b=2");
        APIGatewayV2HTTPEvent e = eventOf(gateway.dispatch("GET", "/items/1", null, headers, "{\"k\":1}"));
        assertThat(e.getBody()).isEqualTo("{\"k\":1}");
        assertThat(e.getCookies()).containsExactly("a=1", "b=2");
        assertThat(e.getHeaders()).doesNotContainKey("cookie");
        assertThat(e.getQueryStringParameters()).isNull();
        assertThat(e.getRawQueryString()).isEmpty();
    }

    @Test
    void literalSegmentsBeatVariablesAndGreedyVariablesTakeTheRest() {
        assertThat(eventOf(gateway.dispatch("GET", "/items/special", "", auth(token()), null)).getRouteKey())
                .isEqualTo("GET /items/special");
        APIGatewayV2HTTPEvent files = eventOf(gateway.dispatch("GET", "/files/a/b/c.txt", "", auth(token()), null));
        assertThat(files.getRouteKey()).isEqualTo("GET /files/{path+}");
        assertThat(files.getPathParameters()).containsExactly(Map.entry("path", "a/b/c.txt"));
    }

    @Test
    void unknownPathsAndMethodsAreNotFound() {
        for (APIGatewayV2HTTPResponse r : List.of(
                gateway.dispatch("GET", "/nothing", "", auth(token()), null),
                gateway.dispatch("DELETE", "/items/1", "", auth(token()), null),
                gateway.dispatch("GET", "/items/1/extra", "", auth(token()), null),
                gateway.dispatch("GET", "/items/", "", auth(token()), null))) {
            assertThat(r.getStatusCode()).isEqualTo(404);
            assertThat(r.getBody()).isEqualTo("{\"message\":\"Not Found\"}");
        }
    }

    @Test
    void unauthorizedRequestsNeverReachTheHandler() {
        Map<String, Object> expired = new HashMap<>();
        expired.put("iss", ISSUER);
        expired.put("aud", "wsl-local");
        expired.put("sub", "u");
        expired.put("exp", Instant.now().minusSeconds(10).getEpochSecond());
        int invocations = EchoHandler.INVOCATIONS.get();
        List<Map<String, String>> attempts = List.of(
                Map.of(),
                Map.of("authorization", "Bearer garbage"),
                Map.of("authorization", "Bearer " + DEV_ISSUER.mintRaw(expired)),
                Map.of("authorization", new DevIssuer(ISSUER, "wsl-local").mint("u", "e@x.io", "E", Duration.ofMinutes(1))));
        for (Map<String, String> headers : attempts) {
            APIGatewayV2HTTPResponse r = gateway.dispatch("GET", "/items/1", "", headers, null);
            assertThat(r.getStatusCode()).isEqualTo(401);
            assertThat(r.getBody()).isEqualTo("{\"message\":\"Unauthorized\"}");
            assertThat(r.getHeaders()).containsKey("www-authenticate");
        }
        assertThat(EchoHandler.INVOCATIONS.get()).isEqualTo(invocations);
    }

    @Test
    void openRoutesNeedNoToken() {
        APIGatewayV2HTTPEvent e = eventOf(gateway.dispatch("GET", "/public", "", Map.of(), null));
        assertThat(e.getRequestContext().getAuthorizer()).isNull();
        assertThat(e.getRouteKey()).isEqualTo("GET /public");
    }

    @Test
    void aThrowingHandlerIsA500() {
        APIGatewayV2HTTPResponse r = gateway.dispatch("POST", "/boom", "", auth(token()), "{}");
        assertThat(r.getStatusCode()).isEqualTo(500);
        assertThat(r.getBody()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void parallelRequestsShareOneHandlerInstance() throws Exception {
        gateway.dispatch("GET", "/public", "", Map.of(), null);
        int instances = EchoHandler.INSTANCES.get();
        String token = token();
        List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 64; i++) {
                String id = Integer.toString(i);
                futures.add(pool.submit(() -> gateway.dispatch("GET", "/items/" + id, "", auth(token), null)));
            }
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(eventOf(futures.get(i).get()).getPathParameters()).containsEntry("itemId", Integer.toString(i));
        }
        assertThat(EchoHandler.INSTANCES.get()).isEqualTo(instances);
    }
}
