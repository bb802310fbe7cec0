package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayNameTest {
    @Test
    void parse_shouldStripAndKeepUnicode() {
        assertThat(DisplayName.parse("name", "  Zoë Ølsen 山田  ")).isEqualTo("Zoë Ølsen 山田");
    }

    @Test
    void parse_shouldAccept100CodePoints_andRefuse101() {
        assertThat(DisplayName.parse("name", "😀".repeat(100))).hasSize(200);
        assertThatThrownBy(() -> DisplayName.parse("name", "x".repeat(101))).isInstanceOf(InvalidInput.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Jane\nDoe", "Jane\u0000", "Jane\u202EDoe", "Tab\tbed", "Bell\u0007"})
    void parse_shouldRefuseWith400NamingTheField_whenEmptyOrControlCharacters(String raw) {
        assertThatThrownBy(() -> DisplayName.parse("name", raw))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e).isInstanceOf(InvalidInput.class);
                    assertThat(e.detail()).startsWith("name ");
                });
    }
}
