package dev.wsl.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.Json;
import dev.wsl.members.MemberService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the SCIM parsers make of identity providers' requests, without storage. */
class ScimRequestsTest {

    @Test
    void filters_shouldReadEqualityTermsJoinedByAnd_inAnyCase_withTheSchemaUrn() {
        ScimFilter f = ScimFilter.parse("UserName Eq \"ada@example.com\" and "
                + "urn:ietf:params:scim:schemas:core:2.0:User:externalId eq \"x\\\"1\"");
        assertThat(f.terms()).containsExactly(new ScimFilter.Term("username", null, "ada@example.com"),
                new ScimFilter.Term("externalid", null, "x\"1"));
        assertThat(ScimFilter.parse("emails[type eq \"Work\"].value eq \"a@b.co\"").terms().getFirst())
                .isEqualTo(new ScimFilter.Term("emails.value", "work", "a@b.co"));
        assertThat(ScimFilter.parse("id eq \"g\" and members[value eq \"m_1\"]").terms())
                .contains(new ScimFilter.Term("members.value", null, "m_1"));
    }

    @Test
    void filters_shouldRefuseWhatHasNoLookup_asInvalidFilter() {
        for (String bad : List.of("userName co \"a\"", "userName eq \"a\" or userName eq \"b\"", "not (userName eq \"a\")",
                "userName eq", "userName eq \"open", "emails[value eq \"x\"].type eq \"work\"", "(userName eq \"a\")", "")) {
            assertThatThrownBy(() -> ScimFilter.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-filter"));
        }
    }

    @Test
    void patches_shouldAcceptOktasAndEntrasShapes() {
        UserState user = UserState.fromResource(json("{\"userName\":\"upn@contoso.onmicrosoft.com\","
                + "\"emails\":[{\"value\":\"jane@contoso.com\",\"type\":\"work\"}]}"));
        user.apply(ScimPatch.parse(json("{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":["
                + "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"},"
                + "{\"op\":\"Add\",\"value\":{\"name.givenName\":\"Jane\",\"NAME.familyName\":\"Doe\",\"title\":\"x\"}},"
                + "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"doe@contoso.com\"}]}")));
        MemberService.Provisioned p = user.provisioned();
        assertThat(p.active()).isFalse();
        assertThat(p.email().value()).as("the work email, not the UPN").isEqualTo("doe@contoso.com");
        assertThat(p.name()).isEqualTo("Jane Doe");
        assertThat(p.provisioning().userName()).isEqualTo("upn@contoso.onmicrosoft.com");

        UserState okta = UserState.fromResource(json("{\"userName\":\"Bob@Example.com\",\"password\":\"x\"}"));
        okta.apply(ScimPatch.parse(json("{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":["
                + "{\"op\":\"replace\",\"value\":{\"active\":false}}]}")));
        assertThat(okta.provisioned().email().value()).as("the email as userName").isEqualTo("bob@example.com");
        assertThat(okta.provisioned().active()).isFalse();
    }

    @Test
    void patches_shouldRefuseWhatTheyCannotDo_withTheRightScimType() {
        assertThat(slug("{\"Operations\":[{\"op\":\"add\",\"path\":\"userName\",\"value\":\"x\"}]}"))
                .isEqualTo("invalid-syntax");
        assertThat(slug(patch("{\"op\":\"remove\"}"))).isEqualTo("no-target");
        assertThat(slug(patch("{\"op\":\"copy\",\"path\":\"userName\",\"value\":\"x\"}"))).isEqualTo("invalid-syntax");
        assertThat(slug(patch("{\"op\":\"replace\",\"path\":\"userName\"}"))).isEqualTo("invalid-value");
        UserState u = UserState.fromResource(json("{\"userName\":\"a@b.co\"}"));
        assertThatThrownBy(() -> u.apply(ScimPatch.parse(json(patch("{\"op\":\"remove\",\"path\":\"userName\"}")))))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("mutability"));
        assertThatThrownBy(() -> UserState.fromResource(json("{\"userName\":\"not-an-email\"}")).provisioned())
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.detail()).contains("needs an email"));
        assertThat(ScimHandler.scimType("invalid-filter")).isEqualTo("invalidFilter");
        assertThat(ScimHandler.scimType("malformed-json")).isEqualTo("invalidSyntax");
        assertThat(ScimHandler.scimType("invalid-value")).isEqualTo("invalidValue");
    }

    @Test
    void theGuard_holdsRequestsOverBothLimits() {
        ScimGroups.Guard guard = new ScimGroups.Guard(5, 20);
        assertThat(guard.holds(30, 30)).isTrue();
        assertThat(guard.holds(6, 30)).as("6 of 30 is not more than 20 %").isFalse();
        assertThat(guard.holds(7, 30)).isTrue();
        assertThat(guard.holds(5, 5)).as("not more than 5").isFalse();
        assertThatThrownBy(() -> new ScimGroups.Guard(1, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String slug(String body) {
        try {
            ScimPatch.parse(json(body));
            return null;
        } catch (InvalidInput e) {
            return e.slug();
        }
    }

    private static String patch(String op) {
        return "{\"schemas\":[\"" + ScimSchemas.PATCH_OP + "\"],\"Operations\":[" + op + "]}";
    }

    private static JsonNode json(String s) {
        return Json.parse(s);
    }
}
