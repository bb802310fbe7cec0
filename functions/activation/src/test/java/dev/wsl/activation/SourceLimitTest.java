package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.store.ActivationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-source limit on the activation routes: a burst, then the rate; other sources untouched; before any read. */
class SourceLimitTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final SourceLimit limit = new SourceLimit(2, 5, nanos::get);

    @Test
    void aSource_mayBurst_thenKeepTheRate_whileOthersAreUntouched() {
        for (int i = 0; i < 5; i++) {
            assertThat(limit.take("198.51.100.7")).as("request %d of the burst", i + 1).isZero();
        }
        assertThat(limit.take("198.51.100.7")).as("seconds until the next token").isEqualTo(1);
        assertThat(limit.take("203.0.113.9")).as("another address has its own bucket").isZero();

        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limit.take("198.51.100.7")).as("2 per second: one token after half a second").isZero();
        assertThat(limit.take("198.51.100.7")).isEqualTo(1);
        assertThat(limit.take(null)).as("no source known: not limited").isZero();
    }

    @Test
    void aRequestOverTheLimit_shouldBe429BeforeAnyRead_withRetryAfter() {
        Table table = new Table(Instant.parse("2027-02-01T15:00:00Z"));
        ActivationHandler handler = new ActivationHandler(new ActivationService(new LicenseDecision(
                new ActivationStore(table.dynamo, "t"), Clock.fixed(Instant.parse("2027-02-01T15:00:00Z"), ZoneOffset.UTC),
                null), Duration.ofHours(24)), new SourceLimit(1, 1, nanos::get));
        String body = ActivationHandlerTest.Activations.body(AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX), false);

        APIGatewayV2HTTPResponse first = handler.handleRequest(from("192.0.2.1", body), null);
        int readsOfTheFirst = table.dynamo.calls.size();
        APIGatewayV2HTTPResponse second = handler.handleRequest(from("192.0.2.1", body), null);

        assertThat(first.getStatusCode()).as("an unknown token, refused as such").isEqualTo(401);
        assertThat(second.getStatusCode()).isEqualTo(429);
        assertThat(second.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(second.getBody()).contains("licensing.rate_limited");
        assertThat(table.dynamo.calls).as("no read for the refused one").hasSize(readsOfTheFirst);
        assertThat(handler.handleRequest(from("192.0.2.2", body), null).getStatusCode()).isEqualTo(401);
    }

    private static APIGatewayV2HTTPEvent from(String sourceIp, String body) {
        return APIGatewayV2HTTPEvent.builder().withRawPath("/v1/license/request").withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(
                        APIGatewayV2HTTPEvent.RequestContext.Http.builder().withSourceIp(sourceIp).build()).build())
                .withHeaders(Map.of()).build();
    }
}
