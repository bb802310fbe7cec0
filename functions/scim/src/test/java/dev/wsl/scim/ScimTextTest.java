package dev.wsl.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an identity provider sends of a user is held to the one text rule ({@code BoundedText}) where SCIM
 * builds the member, and its email to the ASCII-first rule ({@code EmailAddress}): a SCIM {@code invalidValue}.
 */
class ScimTextTest {
    private static JsonNode json(String s) {
        return Json.parse(s);
    }

    /** Each a User whose one attribute breaks the rule (JSON escapes: the control characters arrive decoded). */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"userName\":\"lin@example.com\",\"name\":{\"givenName\":\"Lin\\u0000\"}}",
            "{\"userName\":\"lin@example.com\",\"name\":{\"familyName\":\"Provisioned\\u202E\"}}",
            "{\"userName\":\"lin@example.com\",\"name\":{\"givenName\":\"LONG\"}}",
            "{\"userName\":\"lin@example.com\",\"name\":{\"formatted\":\"Lin\\nBcc: x\"}}",
            "{\"userName\":\"lin@example.com\",\"displayName\":\"IT\\u200B support\"}",
            "{\"userName\":\"lin@example.com\",\"displayName\":\"LONG\"}",
            "{\"userName\":\"lin@example.com\",\"externalId\":\"00u\\u2028abc\"}",
            "{\"userName\":\"lin\\u202E@example.com\"}",
            "{\"userName\":\"lin@example.com\",\"emails\":[{\"value\":\"lin\\u212A@example.com\",\"primary\":true}]}",
            "{\"userName\":\"admin\\u212A@example.com\"}"})
    void aUserBreakingTheRule_shouldBeRefusedAsInvalidValue(String body) {
        String withLong = body.replace("LONG", "x".repeat(101));

        assertThatThrownBy(() -> UserState.fromResource(json(withLong)).provisioned())
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(ScimErrors.scimType(e)).isEqualTo("invalidValue");
                    assertThat(e.detail()).isNotBlank();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"name.givenName", "name.familyName", "displayName", "name.formatted"})
    void aPatchBreakingTheRule_shouldBeRefusedToo(String path) {
        UserState user = UserState.fromResource(json("{\"userName\":\"lin@example.com\"}"));

        assertThatThrownBy(() -> {
            user.apply(ScimPatch.parse(json("{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":["
                    + "{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":\"x\\u0007y\"}]}")));
            user.provisioned();
        }).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(ScimErrors.scimType(e)).isEqualTo("invalidValue"));
    }

    @org.junit.jupiter.api.Test
    void namesWithinTheRule_shouldBeKept() {
        var p = UserState.fromResource(json("{\"userName\":\"lin@example.com\",\"displayName\":\" Lín Yáng 林 \","
                + "\"name\":{\"givenName\":\"Lín\",\"familyName\":\"Yáng\",\"formatted\":\"Lín Yáng\"}}")).provisioned();

        assertThat(p.name()).isEqualTo("Lín Yáng 林");
        assertThat(p.provisioning().givenName()).isEqualTo("Lín");
        assertThat(p.provisioning().familyName()).isEqualTo("Yáng");
    }
}
