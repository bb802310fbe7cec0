package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The auth token's rotation with an overlap (issue 21) on the fakes: the old token stays for the chosen time with
 * the same index, the owner sees until when (never the old token), "End now" stops it, a second rotation ends the
 * first overlap, a rotation racing with another is retried, and a bad overlap changes nothing.
 */
class AuthTokenRotationTest {
    // The stores keep an old token in step only while its overlap lasts by the wall clock (TTL's clock).
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final FakeStores stores = new FakeStores();
    private final Arrange.Ws ws = new Arrange(stores, NOW).workspace();
    private final MutableClock clock = new MutableClock(NOW);
    private final AuthTokenService tokens = new AuthTokenService(stores.credentials(), new FakeSealer(), clock,
            RetryPolicy.withoutPauses(3));

    @Test
    void aRotationWithAnOverlap_shouldKeepTheOldTokenUntilThen_andShowItsHintAndEndOnly() {
        AuthTokenService.Shown old = tokens.view(ws.caller());

        AuthTokenService.Shown fresh = tokens.rotate(ws.caller(), Duration.ofHours(24));

        assertThat(fresh.token()).isNotEqualTo(old.token());
        assertThat(fresh.previous().until()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(fresh.previous().hint()).isEqualTo(old.hint());
        AuthTokenService.Shown viewed = tokens.view(ws.caller());
        assertThat(viewed.token()).isEqualTo(fresh.token());
        assertThat(viewed.previous()).isEqualTo(fresh.previous());
        assertThat(viewed.toString()).doesNotContain(old.token()).doesNotContain(fresh.token());
        assertThat(stores.lookup(Secrets.sha256Hex(old.token())).orElseThrow().expiresAt())
                .isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(stores.lookup(Secrets.sha256Hex(old.token())).orElseThrow().activatesIn())
                .isEqualTo(stores.lookup(Secrets.sha256Hex(fresh.token())).orElseThrow().activatesIn()).isEqualTo(ws.id());

        clock.advance(Duration.ofHours(24));
        assertThat(tokens.view(ws.caller()).previous()).as("ran out: shown as none").isNull();
    }

    @Test
    void endNow_andASecondRotation_shouldStopTheOldToken_atOnce() {
        String first = tokens.view(ws.caller()).token();
        String second = tokens.rotate(ws.caller(), Duration.ofDays(7)).token();
        String third = tokens.rotate(ws.caller(), Duration.ofHours(1)).token();
        assertThat(stores.lookup(Secrets.sha256Hex(first))).as("the second rotation ended the first overlap").isEmpty();
        assertThat(stores.lookup(Secrets.sha256Hex(second))).isPresent();

        tokens.endOverlap(ws.caller());
        tokens.endOverlap(ws.caller());

        assertThat(stores.lookup(Secrets.sha256Hex(second))).isEmpty();
        assertThat(stores.lookup(Secrets.sha256Hex(third))).isPresent();
        assertThat(tokens.view(ws.caller()).previous()).isNull();
    }

    @Test
    void aRotationRacingWithAnother_shouldBeRetried_leavingOneCurrentAndOneOverlappingToken() {
        String before = tokens.view(ws.caller()).token();
        List<String> raced = new ArrayList<>();
        stores.beforeNextWrite(() -> raced.add(tokens.rotate(ws.caller(), Duration.ofHours(24)).token()));

        String fresh = tokens.rotate(ws.caller(), Duration.ofHours(24)).token();

        assertThat(raced).hasSize(1);
        assertThat(tokens.view(ws.caller()).token()).isEqualTo(fresh);
        assertThat(stores.lookup(Secrets.sha256Hex(fresh)).orElseThrow().expiresAt()).isNull();
        assertThat(stores.lookup(Secrets.sha256Hex(raced.getFirst())).orElseThrow().expiresAt()).isNotNull();
        assertThat(stores.lookup(Secrets.sha256Hex(before))).as("at most two tokens work").isEmpty();
    }

    @Test
    void aBadOverlap_shouldChangeNothing() {
        String token = tokens.view(ws.caller()).token();
        for (Duration bad : new Duration[] {Duration.ofDays(7).plusSeconds(1), Duration.ofHours(-1)}) {
            assertThatThrownBy(() -> tokens.rotate(ws.caller(), bad))
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-overlap"));
        }
        assertThat(tokens.view(ws.caller()).token()).isEqualTo(token);
    }
}
