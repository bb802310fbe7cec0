package dev.wsl.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wsl.core.failure.InvalidInput;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming tree against the ObjectMapper's tree the API parsed with before ({@link Json#parse}). */
class JsonTreeTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\": ", "{\"a\":1} trailing", "{\"a\":1} {}", "{\"a\":1}]", "{\"a\":\"x\",\"a\":\"y\"}",
            "{\"o\":{\"b\":1,\n \"b\":2}}", "[1,2", "{'a':1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":tru}",
            "\"unterminated", "{\"a\":\"\u0001\"}", "{\"a\":1,}", "{a:1}", "// c\n{}", "{\"x\":[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    })
    void parse_shouldRefuseAsTheObjectMapperDid(String text) {
        InvalidInput before = catchThrowableOfType(InvalidInput.class, () -> Json.parse(text));
        InvalidInput now = catchThrowableOfType(InvalidInput.class, () -> JsonTree.parse(text));

        assertThat(before).as("the ObjectMapper refused it").isNotNull();
        assertThat(now).as("the streaming tree refused it").isNotNull();
        assertThat(now.getMessage()).isEqualTo(before.getMessage());
        assertThat(now.slug()).isEqualTo(before.slug());
        assertThat(now.kind()).isEqualTo(before.kind());
    }

    @Test
    void parse_shouldAcceptTwentyLevels_andReadEveryKindOfValue() {
        String twenty = "[".repeat(19) + "{}" + "]".repeat(19);
        assertThat(JsonTree.parse(twenty)).isInstanceOf(JsonValue.Arr.class);

        JsonValue value = JsonTree.parse(" {\"s\":\"é\\n\",\"i\":12345678901234567890,\"f\":1.5e3,\"t\":true,"
                + "\"n\":null,\"a\":[false,{}],\"o\":{\"k\":-1}} ");

        assertThat(value).isEqualTo(new JsonValue.Obj(Map.of(
                "s", new JsonValue.Str("é\n"), "i", new JsonValue.Num(new BigInteger("12345678901234567890")),
                "f", new JsonValue.Num(null), "t", new JsonValue.Bool(true), "n", JsonValue.Null.NULL,
                "a", new JsonValue.Arr(List.of(new JsonValue.Bool(false), new JsonValue.Obj(Map.of()))),
                "o", new JsonValue.Obj(Map.of("k", new JsonValue.Num(BigInteger.ONE.negate()))))));
        assertThat(((JsonValue.Obj) value).fields().keySet()).containsExactly("s", "i", "f", "t", "n", "a", "o");
        assertThat(JsonTree.parse("  ")).isNull();
    }

    @Test
    void num_isInt_onlyForIntegersThatFitAnInt() {
        assertThat(new JsonValue.Num(BigInteger.valueOf(Integer.MAX_VALUE)).isInt()).isTrue();
        assertThat(new JsonValue.Num(BigInteger.valueOf(Integer.MIN_VALUE)).isInt()).isTrue();
        assertThat(new JsonValue.Num(BigInteger.valueOf(Integer.MAX_VALUE + 1L)).isInt()).isFalse();
        assertThat(new JsonValue.Num(BigInteger.valueOf(Integer.MIN_VALUE - 1L)).isInt()).isFalse();
        assertThat(new JsonValue.Num(null).isInt()).isFalse();
    }
}
