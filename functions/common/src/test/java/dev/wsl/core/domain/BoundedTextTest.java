package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedTextTest {
    @Test
    void required_shouldStrip_andCountCodePointsNotUnits() {
        assertThat(BoundedText.required("name", "  Zoë 山田 👩🏽‍💻 ".replace("\u200D", ""), 10, "invalid-name"))
                .isEqualTo("Zoë 山田 👩🏽💻");
        assertThat(BoundedText.required("name", "😀".repeat(5), 5, "invalid-name")).hasSize(10);
        assertThatThrownBy(() -> BoundedText.required("name", "😀".repeat(6), 5, "invalid-name"))
                .isInstanceOf(InvalidInput.class);
    }

    /** Control (Cc), format (Cf), lone surrogates (Cs), line and paragraph separators (Zl, Zp). */
    @ParameterizedTest
    @ValueSource(strings = {"A\u0000B", "A\tB", "A\nB", "A\rB", "A\u0085B", "A\u009BB", "A\u2028B", "A\u2029B",
            "A\u202EB", "A\u2066B", "A\u200BB", "A\u200DB", "A\uFEFFB", "A\u00ADB", "A\uD800B", "A\uDC00",
            "A\uDB40\uDC41B"})
    void required_shouldRefuseEveryForbiddenCategory_namingFieldAndBound(String raw) {
        assertThatThrownBy(() -> BoundedText.required("'name.givenName'", raw, 100, "invalid-value"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e.slug()).isEqualTo("invalid-value");
                    assertThat(e.detail()).isEqualTo("'name.givenName' must be 1 to 100 characters without control "
                            + "or formatting characters.");
                });
    }

    @Test
    void required_shouldRefuseMissingAndBlank() {
        assertThatThrownBy(() -> BoundedText.required("name", null, 10, "invalid-name")).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> BoundedText.required("name", "   ", 10, "invalid-name")).isInstanceOf(InvalidInput.class);
    }

    @Test
    void optional_shouldMakeAbsentOrBlankNull_butStillRefuseWhatIsForbidden() {
        assertThat(BoundedText.optional("x", null, 10, "invalid-value")).isNull();
        assertThat(BoundedText.optional("x", "  ", 10, "invalid-value")).isNull();
        assertThat(BoundedText.optional("x", " Lin ", 10, "invalid-value")).isEqualTo("Lin");
        assertThatThrownBy(() -> BoundedText.optional("x", "\n", 10, "invalid-value")).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> BoundedText.optional("x", "\u200B", 10, "invalid-value")).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> BoundedText.optional("x", "x".repeat(11), 10, "invalid-value"))
                .isInstanceOf(InvalidInput.class);
    }

    @Test
    void everyDoorsNameRule_shouldBeThisOne() {
        String rlo = "\u202Eevil";
        assertThat(DisplayName.isValid(rlo)).isFalse();
        assertThatThrownBy(() -> Provisioning.name("'displayName'", rlo)).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> Provisioning.parse("lin", null, rlo, null))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.detail()).startsWith("'name.givenName'"));
        assertThatThrownBy(() -> Provisioning.parse("lin", "x".repeat(Provisioning.MAX_EXTERNAL_ID + 1), null, null))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.detail()).startsWith("'externalId'"));
        assertThatThrownBy(() -> Provisioning.parse("li\u0000n", null, null, null))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.detail()).startsWith("'userName'"));
        assertThatThrownBy(() -> Provisioning.parse("lin", null, null, "x".repeat(Provisioning.MAX_NAME + 1)))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.detail()).startsWith("'name.familyName'"));
        assertThat(Provisioning.parse(" lin ", " ", " Lin ", null)).isEqualTo(new Provisioning("lin", null, "Lin", null));
    }
}
