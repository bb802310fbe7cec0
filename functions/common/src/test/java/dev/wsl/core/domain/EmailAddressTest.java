package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.InvalidInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
    @ParameterizedTest
    @ValueSource(strings = {"jane@example.com", " Jane.Doe+ws@Example.COM ", "a@b.co", "o'brien@mail.example.org"})
    void parse_shouldNormalise_whenAddressIsValid(String raw) {
        EmailAddress email = EmailAddress.parse(raw);

        assertThat(email.value()).isEqualTo(raw.strip().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jane", "jane@", "@example.com", "jane@example", "jane@@example.com",
            "ja ne@example.com", "jane@exa_mple.com", ".jane@example.com", "ja..ne@example.com",
            "jane.@example.com", "jane@example.com\r\nBcc: x@y.z", "jane@-example.com"})
    void parse_shouldRefuseWith400_whenAddressIsInvalid(String raw) {
        assertThatThrownBy(() -> EmailAddress.parse(raw))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e).isInstanceOf(InvalidInput.class);
                    assertThat(e.slug()).isEqualTo("invalid-email");
                });
    }

    @org.junit.jupiter.api.Test
    void parse_shouldRefuse_whenLongerThan254() {
        String raw = "a".repeat(64) + "@" + ("b".repeat(60) + ".").repeat(4) + "com";

        assertThat(raw.length()).isGreaterThan(254);
        assertThatThrownBy(() -> EmailAddress.parse(raw)).isInstanceOf(InvalidInput.class);
    }
}
