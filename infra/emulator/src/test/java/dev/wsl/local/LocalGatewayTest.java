package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.local.testfns.EchoHandler;
import dev.wsl.local.testfns.KeyAuthorizer;
import dev.wsl.local.testfns.StreamAuthorizer;
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

    /**
     * API Gateway's HTTP API selects the most specific route: a route of the request's method and a path of
     * literal segments or single-segment variables beats {@code ANY} with a greedy variable, which takes every
     * other method on those paths and every other path under it (how {@code /scim/v2} answers 405 and 404).
     */
    @Test
    void explicitRoutesBeatAnAnyGreedyRoute_whichTakesOtherMethodsAndPaths() {
        assertThat(eventOf(gateway.dispatch("GET", "/api/things", "", auth(token()), null)).getRouteKey())
                .isEqualTo("GET /api/things");
        assertThat(eventOf(gateway.dispatch("GET", "/api/things/7", "", auth(token()), null)).getRouteKey())
                .isEqualTo("GET /api/things/{id}");
        APIGatewayV2HTTPEvent post = eventOf(gateway.dispatch("POST", "/api/things", "", auth(token()), null));
        assertThat(post.getRouteKey()).as("a method the path's route does not have").isEqualTo("ANY /api/{proxy+}");
        assertThat(post.getPathParameters()).containsExactly(Map.entry("proxy", "things"));
        assertThat(post.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        APIGatewayV2HTTPEvent deep = eventOf(gateway.dispatch("DELETE", "/api/things/7/x/.search", "", auth(token()), null));
        assertThat(deep.getRouteKey()).isEqualTo("ANY /api/{proxy+}");
        assertThat(deep.getPathParameters()).containsExactly(Map.entry("proxy", "things/7/x/.search"));
        assertThat(gateway.dispatch("GET", "/api", "", auth(token()), null).getStatusCode())
                .as("a greedy variable needs a segment").isEqualTo(404);
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

    // ------------------------------------------------------------------ Lambda authorizers

    private static Map<String, String> headers(String... nameValue) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", "127.0.0.1:3000");
        for (int i = 0; i < nameValue.length; i += 2) {
            headers.put(nameValue[i], nameValue[i + 1]);
        }
        return headers;
    }

    @Test
    void aLambdaAuthorizerGetsThePayloadTwoEvent_andItsContextReachesTheRoute() {
        APIGatewayV2HTTPResponse response = gateway.dispatch("GET", "/keyed/7", "x=1",
                headers("X-Api-Key", "open-sesame", "User-Agent", "curl/8"), null);

        APIGatewayV2HTTPEvent route = eventOf(response);
        assertThat(route.getRequestContext().getAuthorizer().getLambda())
                .isEqualTo(Map.of("who", "tester", "n", 42, "admin", false));
        assertThat(route.getRequestContext().getAuthorizer().getJwt()).isNull();
        Map<String, Object> event = KeyAuthorizer.EVENTS.getLast();
        assertThat(event).containsEntry("version", "2.0").containsEntry("type", "REQUEST")
                .containsEntry("routeArn", "arn:aws:execute-api:us-east-1:" + route.getRequestContext().getAccountId()
                        + ":" + route.getRequestContext().getApiId() + "/$default/GET/keyed/7")
                .containsEntry("identitySource", List.of("open-sesame"))
                .containsEntry("routeKey", "GET /keyed/{id}").containsEntry("rawPath", "/keyed/7")
                .containsEntry("rawQueryString", "x=1").containsEntry("pathParameters", Map.of("id", "7"))
                .containsEntry("queryStringParameters", Map.of("x", "1"));
        assertThat(event.get("headers")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("x-api-key", "open-sesame").containsEntry("user-agent", "curl/8");
        Map<?, ?> context = (Map<?, ?>) event.get("requestContext");
        assertThat(context.get("requestId")).isEqualTo(route.getRequestContext().getRequestId());
        assertThat(context.get("routeKey")).isEqualTo("GET /keyed/{id}");
        assertThat(context.get("http")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("method", "GET").containsEntry("path", "/keyed/7");
    }

    @Test
    void aMissingIdentitySource_is401_withoutInvokingTheAuthorizer() {
        int authorizations = KeyAuthorizer.EVENTS.size();
        int invocations = EchoHandler.INVOCATIONS.get();
        for (Map<String, String> h : List.of(headers(), headers("X-Api-Key", ""),
                headers("Authorization", "Bearer " + token()))) {
            APIGatewayV2HTTPResponse r = gateway.dispatch("GET", "/keyed/7", "", h, null);
            assertThat(r.getStatusCode()).isEqualTo(401);
            assertThat(r.getBody()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
        assertThat(KeyAuthorizer.EVENTS).hasSize(authorizations);
        assertThat(EchoHandler.INVOCATIONS.get()).isEqualTo(invocations);
    }

    @Test
    void isAuthorizedFalse_is403_andAFailingOrSloppyAuthorizer_is500() {
        int invocations = EchoHandler.INVOCATIONS.get();
        APIGatewayV2HTTPResponse refused = gateway.dispatch("GET", "/keyed/7", "",
                headers("X-Api-Key", "wrong", "Authorization", "Bearer " + token()), null);
        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(refused.getBody()).isEqualTo("{\"message\":\"Forbidden\"}");

        for (APIGatewayV2HTTPResponse failed : List.of(
                gateway.dispatch("GET", "/keyed/7", "", headers("X-Api-Key", "sloppy"), null),
                gateway.dispatch("POST", "/open", "", headers("X-Pass", "boom"), "{}"))) {
            assertThat(failed.getStatusCode()).isEqualTo(500);
            assertThat(failed.getBody()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        }
        assertThat(EchoHandler.INVOCATIONS.get()).isEqualTo(invocations);
    }

    @Test
    void withoutIdentitySources_everyRequestInvokesTheAuthorizer_evenWithoutCredentials() {
        int before = StreamAuthorizer.INVOCATIONS.get();

        APIGatewayV2HTTPResponse none = gateway.dispatch("POST", "/open", "", headers(), "{}");
        APIGatewayV2HTTPEvent first = eventOf(gateway.dispatch("POST", "/open", "", headers("X-Pass", "yes"), "{}"));
        eventOf(gateway.dispatch("POST", "/open", "", headers("X-Pass", "yes"), "{}"));

        assertThat(none.getStatusCode()).as("no identity source to miss: the authorizer says no").isEqualTo(403);
        assertThat(first.getRequestContext().getAuthorizer().getLambda()).isEqualTo(Map.of("via", "stream"));
        assertThat(StreamAuthorizer.INVOCATIONS.get() - before).isEqualTo(3);
    }

    @Test
    void answersAreCachedPerIdentity_forReauthorizeEvery() {
        MovableClock clock = new MovableClock();
        LocalGateway cached = new LocalGateway(TEMPLATE, new JwtAuthorizer(ISSUER, List.of("wsl-local"), "authorization",
                DEV_ISSUER.keysById(), clock), new FunctionInvoker(TEMPLATE, clock), clock);
        int before = StreamAuthorizer.INVOCATIONS.get();

        eventOf(cached.dispatch("GET", "/cached", "tenant=a", headers("X-Pass", "yes"), null));
        eventOf(cached.dispatch("GET", "/cached", "tenant=a", headers("X-Pass", "yes"), null));
        assertThat(StreamAuthorizer.INVOCATIONS.get() - before).as("the second answer came from the cache").isEqualTo(1);
        eventOf(cached.dispatch("GET", "/cached", "tenant=b", headers("X-Pass", "yes"), null));
        assertThat(cached.dispatch("GET", "/cached", "", headers("X-Pass", "yes"), null).getStatusCode()).isEqualTo(401);
        assertThat(StreamAuthorizer.INVOCATIONS.get() - before).as("another identity is asked").isEqualTo(2);
        clock.advance(Duration.ofSeconds(301));
        eventOf(cached.dispatch("GET", "/cached", "tenant=a", headers("X-Pass", "yes"), null));
        assertThat(StreamAuthorizer.INVOCATIONS.get() - before).as("expired after ReauthorizeEvery").isEqualTo(3);
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
