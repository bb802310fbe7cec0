package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class FilterPatternTest {

    /** The outbox relay's pattern, straight from the project's template. */
    private final FilterPattern outbox = FilterPattern.parse(
            TestTemplates.real().streamConsumers().getFirst().filterPatterns().getFirst());

    private static JsonNode record(String eventName, String sk) {
        return Json.read("""
                {"eventName": "%s", "eventSource": "aws:dynamodb",
                 "dynamodb": {"Keys": {"PK": {"S": "WS#1"}, "SK": {"S": "%s"}},
                              "NewImage": {"PK": {"S": "WS#1"}, "SK": {"S": "%s"}, "n": {"N": "5"}}}}
                """.formatted(eventName, sk, sk));
    }

    @Test
    void theOutboxPatternAcceptsOnlyNewOutboxItems() {
        assertThat(outbox.matches(record("INSERT", "OUTBOX#2024#abc"))).isTrue();
        assertThat(outbox.matches(record("MODIFY", "OUTBOX#2024#abc"))).isFalse();
        assertThat(outbox.matches(record("REMOVE", "OUTBOX#2024#abc"))).isFalse();
        assertThat(outbox.matches(record("INSERT", "MEMBER#1"))).isFalse();
        assertThat(outbox.matches(record("INSERT", "outbox#lowercase"))).isFalse();
        assertThat(outbox.matches(Json.read("{\"eventName\": \"INSERT\"}"))).isFalse();
        assertThat(outbox.matches(Json.read("{\"eventName\": \"INSERT\", \"dynamodb\": \"flat\"}"))).isFalse();
    }

    @Test
    void alternativesInAnArrayAreOred() {
        FilterPattern p = FilterPattern.parse("{\"eventName\": [\"INSERT\", \"MODIFY\"]}");
        assertThat(p.matches(record("MODIFY", "x"))).isTrue();
        assertThat(p.matches(record("REMOVE", "x"))).isFalse();
    }

    @Test
    void numbersCompareNumericallyAndDynamoNumbersAreStrings() {
        assertThat(FilterPattern.parse("{\"a\": [5]}").matches(Json.read("{\"a\": 5.0}"))).isTrue();
        assertThat(FilterPattern.parse("{\"a\": [5]}").matches(Json.read("{\"a\": \"5\"}"))).isFalse();
        assertThat(FilterPattern.parse("{\"dynamodb\": {\"NewImage\": {\"n\": {\"N\": [\"5\"]}}}}")
                .matches(record("INSERT", "x"))).isTrue();
        FilterPattern range = FilterPattern.parse("{\"a\": [{\"numeric\": [\">\", 0, \"<=\", 10]}]}");
        assertThat(range.matches(Json.read("{\"a\": 10}"))).isTrue();
        assertThat(range.matches(Json.read("{\"a\": 0}"))).isFalse();
        assertThat(range.matches(Json.read("{\"a\": \"3\"}"))).isFalse();
    }

    @Test
    void operators() {
        assertThat(FilterPattern.parse("{\"a\": [{\"suffix\": \".png\"}]}").matches(Json.read("{\"a\": \"x.png\"}"))).isTrue();
        assertThat(FilterPattern.parse("{\"a\": [{\"equals-ignore-case\": \"ABC\"}]}").matches(Json.read("{\"a\": \"aBc\"}"))).isTrue();
        FilterPattern notRemove = FilterPattern.parse("{\"eventName\": [{\"anything-but\": [\"REMOVE\"]}]}");
        assertThat(notRemove.matches(record("INSERT", "x"))).isTrue();
        assertThat(notRemove.matches(record("REMOVE", "x"))).isFalse();
        assertThat(notRemove.matches(Json.read("{}"))).isFalse();
        FilterPattern notPrefixed = FilterPattern.parse("{\"a\": [{\"anything-but\": {\"prefix\": \"x\"}}]}");
        assertThat(notPrefixed.matches(Json.read("{\"a\": \"xy\"}"))).isFalse();
        assertThat(notPrefixed.matches(Json.read("{\"a\": \"yx\"}"))).isTrue();
    }

    @Test
    void existsLooksAtPresence() {
        FilterPattern hasOld = FilterPattern.parse("{\"dynamodb\": {\"OldImage\": [{\"exists\": true}]}}");
        FilterPattern noOld = FilterPattern.parse("{\"dynamodb\": {\"OldImage\": [{\"exists\": false}]}}");
        JsonNode insert = record("INSERT", "x");
        assertThat(hasOld.matches(insert)).isFalse();
        assertThat(noOld.matches(insert)).isTrue();
    }

    @Test
    void anArrayInTheEventMatchesIfAnyElementDoes() {
        FilterPattern p = FilterPattern.parse("{\"tags\": [\"b\"]}");
        assertThat(p.matches(Json.read("{\"tags\": [\"a\", \"b\"]}"))).isTrue();
        assertThat(p.matches(Json.read("{\"tags\": [\"a\"]}"))).isFalse();
    }

    @Test
    void patternsItCannotHonourAreRejected() {
        assertThatThrownBy(() -> FilterPattern.parse("{\"a\": [{\"wildcard\": \"*\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> FilterPattern.parse("{\"a\": \"INSERT\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arrays");
        assertThatThrownBy(() -> FilterPattern.parse("[1]")).isInstanceOf(IllegalArgumentException.class);
    }
}
