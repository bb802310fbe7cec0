package dev.wsl.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.failure.InvalidInput;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming trees against the ObjectMapper's ({@link Json}), which SCIM read and wrote its documents with before. */
class JsonNodesTest {
    private static final String SCIM_USER = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"jane@example.com","externalId":"00u1\\u00e9\u4e2d","active":"False",
             "name":{"givenName":"Jane","familyName":"O'Neil \\"J\\""},
             "emails":[{"value":"jane@example.com","primary":true,"type":"work"}],
             "meta":{"version":null}, "count": 2147483647, "big": 2147483648, "huge": 123456789012345678901234567890,
             "neg": -9223372036854775808, "f": 1.5e3, "g": -0.000001, "z": 0, "e": [], "o": {}, "ctl": "\\u0001\\t/"}
            """;

    @ParameterizedTest
    @ValueSource(strings = {SCIM_USER, "[]", "{}", "\"text\"", "42", "-1.25", "true", "null", "[null,[{}],1e300]",
            "{\"Operations\":[{\"op\":\"Replace\",\"path\":\"members[value eq \\\"u_1\\\"]\",\"value\":[{\"value\":\"x\"}]}]}"})
    void parse_shouldBuildTheObjectMappersTree_andWriteItsBytes(String text) {
        JsonNode before = Json.parse(text);
        JsonNode now = JsonNodes.parse(text);

        assertThat(now).isEqualTo(before);
        assertThat(now.getNodeType()).isEqualTo(before.getNodeType());
        assertThat(JsonNodes.write(now)).isEqualTo(Json.write(before));
    }

    @Test
    void numbers_shouldKeepTheObjectMappersNodeTypes() {
        JsonNode before = Json.parse(SCIM_USER);
        JsonNode now = JsonNodes.parse(SCIM_USER);

        for (String field : new String[] {"count", "big", "huge", "neg", "f", "g", "z"}) {
            assertThat(now.get(field).getClass()).as(field).isEqualTo(before.get(field).getClass());
        }
    }

    @Test
    void write_shouldWriteBuiltDocumentsAsTheObjectMapper_nullPropertiesIncluded() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode doc = nodes.objectNode();
        doc.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        doc.put("totalResults", 3).put("long", 9_000_000_000L).put("float", 1.5f).put("double", 0.1)
                .put("decimal", new BigDecimal("12.50")).put("bigint", new BigInteger("-98765432109876543210"))
                .put("short", (short) 7).put("flag", false).put("text", "a\"b\\c\u00e9").putNull("gone");
        doc.putObject("meta").put("resourceType", "User").set("missing", nodes.missingNode());
        doc.putArray("Resources").addObject().putArray("empty");
        doc.putArray("escapes").add("\n\r\t\u007f\u0080/<>&'\ud83d\ude00\ud800 end").add("").add("\"\\\"");
        doc.putArray("odd numbers").add(Double.NaN).add(Double.POSITIVE_INFINITY).add(Float.NEGATIVE_INFINITY)
                .add(-0.0).add(1e-7).add(123456789.125f).add(new BigDecimal("1E+3")).add(Long.MIN_VALUE);
        doc.putObject("").put("key \"quoted\"\n", true);

        assertThat(JsonNodes.write(doc)).isEqualTo(Json.write(doc));
        assertThat(JsonNodes.write(doc)).contains("\"gone\":null");
    }

    @Test
    void write_shouldEscapeControlCharactersAndLineSeparators_asTheHandWrittenAnswersDo_intoTheSameValues() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("text", "\b\f\u0000\u001f\u2028\u2029 end").put("\u0001key", 1);

        String written = JsonNodes.write(doc);

        assertThat(written).isEqualTo("{\"text\":\"\\u0008\\u000c\\u0000\\u001f\\u2028\\u2029 end\",\"\\u0001key\":1}");
        assertThat(Json.parse(written)).isEqualTo(Json.parse(Json.write(doc))).isEqualTo(doc);
    }

    @Test
    void write_shouldRefuseANodeWithoutAJsonTextOfItsOwn() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.putPOJO("thing", new Object());

        assertThatThrownBy(() -> JsonNodes.write(doc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POJO");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\": ", "{\"a\":1} trailing", "{\"a\":1} {}", "{\"a\":1}]", "{\"a\":\"x\",\"a\":\"y\"}",
            "{\"o\":{\"b\":1,\n \"b\":2}}", "[1,2", "{'a':1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":tru}",
            "\"unterminated", "{\"a\":\"\u0001\"}", "{\"a\":1,}", "{a:1}", "// c\n{}",
            "{\"x\":[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}",
    })
    void parse_shouldRefuseAsTheObjectMapperDid(String text) {
        InvalidInput before = catchThrowableOfType(InvalidInput.class, () -> Json.parse(text));
        InvalidInput now = catchThrowableOfType(InvalidInput.class, () -> JsonNodes.parse(text));

        assertThat(before).as("the ObjectMapper refused it").isNotNull();
        assertThat(now).as("the streaming tree refused it").isNotNull();
        assertThat(now.getMessage()).isEqualTo(before.getMessage());
        assertThat(now.slug()).isEqualTo(before.slug());
    }

    @Test
    void parse_shouldAcceptTwentyLevels_andReadNothingFromWhitespace() {
        String twenty = "[".repeat(19) + "{}" + "]".repeat(19);

        assertThat(JsonNodes.parse(twenty)).isEqualTo(Json.parse(twenty));
        assertThat(JsonNodes.parse(" \n ")).isNull();
    }
}
