package dev.wsl.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.wsl.core.failure.InvalidInput;

/**
 * The ObjectMapper, for the local runtime and the tests (data binding). No function reaches it: the management API
 * reads and writes with jackson-core's streaming classes ({@link JsonBody}, {@link JsonWriter}), SCIM its documents'
 * trees through {@link JsonNodes}, which keeps the ObjectMapper's construction off their cold start. Built once,
 * immutable and thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20).build()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // NON_NULL for values and contents alike: what the deprecated serializationInclusion(NON_NULL) set
            .defaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Value.construct(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL,
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .build();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** @throws InvalidInput when the text is not one well-formed JSON value */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw JsonTree.malformed(e.getLocation());
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
