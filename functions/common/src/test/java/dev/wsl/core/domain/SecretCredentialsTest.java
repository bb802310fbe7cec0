package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one way a secret credential is made, issued and rotated ({@link Secret}, {@link SecretCredentials}). */
class SecretCredentialsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final SecretCredentials secrets = new SecretCredentials(Clock.fixed(NOW, ZoneOffset.UTC),
            RetryPolicy.withoutPauses(3));

    @ParameterizedTest
    @EnumSource(Secret.Kind.class)
    void aSecret_shouldBeInItsKindsFormat_withItsHashAndHint_andNeverShowItsPlaintext(Secret.Kind kind) {
        Secret secret = Secret.issue(kind);

        assertThat(secret.hash()).isEqualTo(Secrets.sha256Hex(secret.plaintext()));
        assertThat(secret.hint()).isEqualTo(Masks.hint(secret.plaintext()));
        assertThat(secret.toString()).doesNotContain(secret.plaintext()).contains(secret.hint());
        assertThat(Secret.issue(kind).plaintext()).isNotEqualTo(secret.plaintext());
        switch (kind) {
            case AUTH_TOKEN -> assertThat(secret.plaintext()).startsWith("ls-")
                    .matches(AuthTokens::isWellFormed, "well formed");
            case CI_KEY -> assertThat(secret.plaintext()).startsWith("lsci-")
                    .matches(AuthTokens::isWellFormed, "well formed");
            case SCIM_TOKEN -> assertThat(secret.plaintext()).matches(ScimToken::isWellFormed, "well formed");
        }
    }

    @Test
    void issue_shouldWriteANewSecretInEveryAttempt_andAnswerWhatTheLandedWriteAnswered() {
        List<Secret> written = new ArrayList<>();

        Issued<String> issued = secrets.issue(Secret.Kind.CI_KEY, (secret, now) -> {
            written.add(secret);
            assertThat(now).isEqualTo(NOW);
            if (written.size() < 3) {
                throw new Busy("lost the race", null);
            }
            return new Issued<>(secret.hash(), secret.plaintext());
        });

        assertThat(written).hasSize(3).extracting(Secret::plaintext).doesNotHaveDuplicates();
        assertThat(issued.credential()).isEqualTo(written.get(2).hash()).isEqualTo(Secrets.sha256Hex(issued.plaintext()));
        assertThat(issued.toString()).doesNotContain(issued.plaintext()).contains("String");
    }

    @Test
    void change_shouldRunTheStepAgainAfterALostRace_atTheClocksTime() {
        List<Instant> attempts = new ArrayList<>();

        String answer = secrets.change(now -> {
            attempts.add(now);
            if (attempts.size() == 1) {
                throw new Busy("lost the race", null);
            }
            return "done";
        });

        assertThat(answer).isEqualTo("done");
        assertThat(attempts).containsExactly(NOW, NOW);
        assertThat(secrets.now()).isEqualTo(NOW);
    }

    @Test
    void anOverlap_shouldBeNoneOrUpToSevenDays() {
        assertThat(SecretCredentials.requireOverlap(Duration.ZERO, "key")).isZero();
        assertThat(SecretCredentials.requireOverlap(Overlap.MAX, "key")).isEqualTo(Overlap.MAX);
        assertThatThrownBy(() -> SecretCredentials.requireOverlap(Overlap.MAX.plusSeconds(1), "token"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e.slug()).isEqualTo("invalid-overlap");
                    assertThat(e.detail()).isEqualTo("The old token may stay valid for at most 168 hours.");
                });
        assertThatThrownBy(() -> SecretCredentials.requireOverlap(Duration.ofSeconds(-1), "key"))
                .isInstanceOf(InvalidInput.class);

        assertThat(SecretCredentials.keepOldUntil(NOW, Duration.ZERO)).isNull();
        assertThat(SecretCredentials.keepOldUntil(NOW, Duration.ofHours(2))).isEqualTo(NOW.plus(Duration.ofHours(2)));
    }

    @Test
    void aPersonalToken_shouldBeTheSecretSealedForItsOwner() {
        Secret secret = Secret.issue(Secret.Kind.AUTH_TOKEN);
        TokenSealer sealer = new TokenSealer() {
            @Override
            public String seal(String userId, String token) {
                return userId + "|" + new StringBuilder(token).reverse();
            }

            @Override
            public String open(String userId, String sealed) {
                throw new UnsupportedOperationException();
            }
        };

        PersonalToken token = PersonalToken.of(secret, "u-1", sealer, NOW);

        assertThat(token.token()).isEqualTo(secret.plaintext());
        assertThat(token.hash()).isEqualTo(secret.hash());
        assertThat(token.hint()).isEqualTo(secret.hint());
        assertThat(token.sealed()).isEqualTo("u-1|" + new StringBuilder(secret.plaintext()).reverse());
        assertThat(token.issuedAt()).isEqualTo(NOW);
        assertThat(token.toString()).doesNotContain(secret.plaintext());
    }
}
