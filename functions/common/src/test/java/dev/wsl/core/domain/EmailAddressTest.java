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

    /**
     * Non-ASCII letters that case folding would turn into ASCII ones (U+212A KELVIN SIGN into k, U+0130 into
     * i and a combining dot, U+017F LONG S upper-cases to S), and look-alikes: refused, never folded into
     * another person's address.
     */
    @ParameterizedTest
    @ValueSource(strings = {"admin\u212A@example.com", "\u212Aate@example.com", "jane@exampl\u212A.com",
            "\u0130nge@example.com", "ro\u017Fe@example.com", "j\u0430ne@example.com", "jane\uFF20example.com",
            "jane@example.\u0441om", "zo\u00EB@example.com"})
    void parse_shouldRefuseNonAscii_beforeAnyCaseFolding(String raw) {
        assertThatThrownBy(() -> EmailAddress.parse(raw))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-email"));
        assertThat(EmailAddress.tryParse(raw)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theKelvinSign_shouldNotBecomeTheAddressItLooksLike() {
        assertThat("admin\u212A@example.com".toLowerCase(java.util.Locale.ROOT)).as("what folding first would do")
                .isEqualTo("admink@example.com");
        assertThat(EmailAddress.tryParse("adminK@example.com")).contains(new EmailAddress("admink@example.com"));
        assertThat(EmailAddress.tryParse("admin\u212A@example.com")).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void parse_shouldRefuse_whenLongerThan254() {
        String raw = "a".repeat(64) + "@" + ("b".repeat(60) + ".").repeat(4) + "com";

        assertThat(raw.length()).isGreaterThan(254);
        assertThatThrownBy(() -> EmailAddress.parse(raw)).isInstanceOf(InvalidInput.class);
    }
}
