package dev.wsl.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.InvalidInput;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonBodyTest {
    private static final Set<String> FIELDS = Set.of("name", "days", "tags");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                          | missing-body",
            "'{\"name\": '                | malformed-json",
            "'[1,2]'                     | invalid-body",
            "'{\"name\":\"a\"} trailing'  | malformed-json",
            "'{\"name\":\"a\",\"name\":\"b\"}' | malformed-json",
            "'{\"nam\":\"a\"}'            | unknown-field",
    })
    void parse_shouldRefuseWith400(String body, String type) {
        assertThatThrownBy(() -> JsonBody.parse(body, FIELDS))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e).isInstanceOf(InvalidInput.class);
                    assertThat(e.slug()).isEqualTo(type);
                });
    }

    @Test
    void accessors_shouldRefuseWrongTypes_namingTheField() {
        JsonBody body = JsonBody.parse("{\"name\": 5, \"days\": \"7\", \"tags\": [1]}", FIELDS);

        assertThatThrownBy(() -> body.requiredString("name")).hasMessageContaining("'name'");
        assertThatThrownBy(() -> body.optionalInt("days", 1, 30)).hasMessageContaining("'days'");
        assertThatThrownBy(() -> body.optionalStringList("tags", 5)).hasMessageContaining("'tags'");
    }

    @Test
    void optionalInt_shouldRefuseOutOfRangeAndFractions() {
        assertThatThrownBy(() -> JsonBody.parse("{\"days\": 31}", FIELDS).optionalInt("days", 1, 30))
                .isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> JsonBody.parse("{\"days\": 1.5}", FIELDS).optionalInt("days", 1, 30))
                .isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> JsonBody.parse("{\"days\": 99999999999}", FIELDS).optionalInt("days", 1, 30))
                .isInstanceOf(InvalidInput.class);
        assertThat(JsonBody.parse("{\"days\": 30}", FIELDS).optionalInt("days", 1, 30)).contains(30);
    }

    @Test
    void requiredString_shouldRefuseMissingAndNull() {
        assertThatThrownBy(() -> JsonBody.parse("{}", FIELDS).requiredString("name"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("missing-field"));
        assertThatThrownBy(() -> JsonBody.parse("{\"name\": null}", FIELDS).requiredString("name"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("missing-field"));
    }

    @Test
    void deepNesting_shouldBeRefusedAsMalformed() {
        String deep = "{\"tags\":" + "[".repeat(50) + "]".repeat(50) + "}";
        assertThatThrownBy(() -> JsonBody.parse(deep, FIELDS))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e).isInstanceOf(InvalidInput.class));
    }

    @Test
    void node_andHas_shouldTellAbsentAndNullFromAValue() {
        JsonBody body = JsonBody.parse("{\"name\": null, \"tags\": [\"a\", \"b\"]}", FIELDS);

        assertThat(body.node("days")).isNull();
        assertThat(body.node("name")).isEqualTo(JsonValue.Null.NULL);
        assertThat(body.has("name")).isFalse();
        assertThat(body.has("days")).isFalse();
        assertThat(body.has("tags")).isTrue();
        assertThat(body.optionalStringList("tags", 2)).contains(java.util.List.of("a", "b"));
        assertThat(body.optionalStringList("name", 2)).isEmpty();
        assertThatThrownBy(() -> body.optionalStringList("tags", 1)).hasMessageContaining("at most 1");
        assertThat(JsonBody.parse("{\"name\": \"n\"}", FIELDS).optionalString("name")).contains("n");
    }
}
