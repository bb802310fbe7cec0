package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.JsonTree;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One entry of a legacy key import, read from the streaming parser's tree. */
class KeyImportsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "{\"key\":\"ls-abc-123\"}                        | ls-abc-123 | none",
            "{\"key\":\"ls-abc-123\",\"memberId\":null}      | ls-abc-123 | none",
            "{\"memberId\":\"m_1\",\"key\":\"ls-abc-123\"}   | ls-abc-123 | m_1",
    })
    void parse_shouldReadTheKeyAndTheOptionalMember(String entry, String key, String memberId) {
        var parsed = KeyImports.parse(JsonTree.parse(entry));

        assertThat(parsed.key()).isEqualTo(key);
        assertThat(parsed.memberId()).isEqualTo(memberId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"ls-abc-123\"", "[]", "{}", "{\"key\":5}", "{\"key\":null}",
            "{\"key\":\"k\",\"memberId\":7}", "{\"key\":\"k\",\"memberId\":{}}"})
    void parse_shouldRefuseAnythingButAnObjectWithAStringKey(String entry) {
        assertThatThrownBy(() -> KeyImports.parse(JsonTree.parse(entry)))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-field"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"key\":\"k\",\"owner\":\"m_1\"}", "{\"Key\":\"k\"}"})
    void parse_shouldRefuseOtherFields(String entry) {
        assertThatThrownBy(() -> KeyImports.parse(JsonTree.parse(entry)))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("unknown-field"));
    }
}
