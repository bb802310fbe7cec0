package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthTokensTest {
    @Test
    void checksum_shouldMatchTheClientsWorkedExample() {
        // From the real client (docs/localstack-licensing-client.md): md5 of the 32-character payload.
        assertThat(AuthTokens.checksum("ABCDabcd-1234-5678-9012-34567890")).isEqualTo("1b59");
        assertThat(AuthTokens.isWellFormed("ls-ABCDabcd-1234-5678-9012-345678901b59")).isTrue();
    }

    @Test
    void generated_shouldBeWellFormedUniqueAndCarryTheirPrefix() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String developer = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
            String ci = AuthTokens.generate(AuthTokens.CI_PREFIX);
            assertThat(AuthTokens.isWellFormed(developer)).as(developer).isTrue();
            assertThat(AuthTokens.isWellFormed(ci)).as(ci).isTrue();
            assertThat(AuthTokens.isCiKey(ci)).isTrue();
            assertThat(AuthTokens.isCiKey(developer)).isFalse();
            assertThat(developer).hasSize(39);
            seen.add(developer);
        }
        assertThat(seen).hasSize(2000);
    }

    @Test
    void malformedOrTamperedTokens_shouldBeRefusedWithoutStorage() {
        String good = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        char last = good.charAt(good.length() - 1);
        String badChecksum = good.substring(0, good.length() - 1) + (last == 'a' ? 'b' : 'a');
        String badPayload = good.substring(0, 3) + (good.charAt(3) == 'A' ? 'B' : 'A') + good.substring(4);

        assertThat(AuthTokens.isWellFormed(badChecksum)).isFalse();
        assertThat(AuthTokens.isWellFormed(badPayload)).isFalse();
        assertThat(AuthTokens.isWellFormed("test")).isFalse();
        assertThat(AuthTokens.isWellFormed("4e4ef4f3a2")).isFalse();
        assertThat(AuthTokens.isWellFormed(null)).isFalse();
        assertThat(AuthTokens.isWellFormed("xx-ABCDabcd-1234-5678-9012-345678901b59")).isFalse();
    }
}
