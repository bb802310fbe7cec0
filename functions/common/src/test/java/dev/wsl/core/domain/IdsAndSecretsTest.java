package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsAndSecretsTest {
    @Test
    void newId_shouldBeWellFormedAndSortByTime() {
        String earlier = Ids.newId("m", 1_700_000_000_000L);
        String later = Ids.newId("m", 1_700_000_000_001L);

        assertThat(Ids.isWellFormed("m", earlier)).isTrue();
        assertThat(earlier).isLessThan(later);
        assertThat(Ids.isWellFormed("ws", earlier)).isFalse();
        assertThat(Ids.isWellFormed("m", "m_../../etc")).isFalse();
        assertThat(Ids.isWellFormed("m", earlier.toUpperCase())).isFalse();
    }

    @Test
    void invitationTokens_shouldBeUniqueUrlSafeAnd256Bits() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = Secrets.newInvitationToken();
            assertThat(Secrets.looksLikeInvitationToken(token)).isTrue();
            tokens.add(token);
        }
        assertThat(tokens).hasSize(1000);
        assertThat(java.util.Base64.getUrlDecoder().decode(tokens.iterator().next())).hasSize(32);
    }

    @Test
    void sha256Hex_shouldMatchKnownVector() {
        assertThat(Secrets.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
