package dev.wsl.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.Json;
import dev.wsl.members.Invitations;
import dev.wsl.members.MemberService;
import dev.wsl.members.ProvisionedMembers;
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
        ProvisionedMembers.Provisioned p = user.provisioned();
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
        assertThat(scimType(() -> ScimFilter.parse("userName eq"))).isEqualTo("invalidFilter");
        assertThat(scimType(() -> Json.parse("{\"userName\":"))).isEqualTo("invalidSyntax");
        assertThat(scimType(() -> {
            throw new InvalidInput("invalid-value", "A value that breaks a rule.");
        })).isEqualTo("invalidValue");
        assertThat(scimType(() -> ScimPatch.parse(json(patch("{\"op\":\"remove\"}"))))).isEqualTo("noTarget");
    }

    @Test
    void theEmail_isTheWorkOne_elseThePrimary_elseTheOnlyOne_andSeveralWithNeitherAreRefused() {
        assertThat(email("[{\"value\":\"h@x.co\",\"type\":\"home\",\"primary\":true},{\"value\":\"w@x.co\","
                + "\"type\":\"work\"}]")).as("work first").isEqualTo("w@x.co");
        assertThat(email("[{\"value\":\"h@x.co\",\"type\":\"home\"},{\"value\":\"o@x.co\",\"type\":\"other\","
                + "\"primary\":true}]")).as("then primary").isEqualTo("o@x.co");
        assertThat(email("[{\"value\":\"h@x.co\",\"type\":\"home\"}]")).as("the only one, of any type").isEqualTo("h@x.co");
        assertThatThrownBy(() -> email("[{\"value\":\"h@x.co\",\"type\":\"home\"},{\"value\":\"o@x.co\",\"type\":\"other\"}]"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e.slug()).isEqualTo("invalid-value");
                    assertThat(e.detail()).contains("primary").contains("work");
                });
        UserState u = UserState.fromResource(json("{\"userName\":\"x\",\"emails\":[{\"value\":\"h@x.co\",\"type\":\"home\"}]}"));
        assertThat(u.provisioned().provisioning().emailType()).as("kept as sent").isEqualTo("home");
        assertThatThrownBy(() -> u.apply(ScimPatch.parse(json(patch("{\"op\":\"remove\",\"path\":\"emails\"}")))))
                .as("required").isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("mutability"));
        u.apply(ScimPatch.parse(json(patch("{\"op\":\"remove\",\"path\":\"displayName\"},{\"op\":\"remove\",\"path\":\"name\"}"))));
        assertThat(u.provisioned().provisioning().displayName()).isNull();
    }

    @Test
    void attributes_keepOnlyWhatIsAsked_neverDroppingIdAndSchemas_andExcludeWhatIsNot() {
        String resource = "{\"schemas\":[\"s\"],\"id\":\"m_1\",\"userName\":\"u\",\"name\":{\"givenName\":\"G\","
                + "\"familyName\":\"F\"},\"emails\":[{\"value\":\"a@b.co\",\"type\":\"work\"}],\"meta\":{\"x\":1}}";
        var only = ScimAttributes.of("urn:ietf:params:scim:schemas:core:2.0:User:NAME.givenName,id", null)
                .apply((com.fasterxml.jackson.databind.node.ObjectNode) json(resource));
        assertThat(only.toString()).isEqualTo("{\"schemas\":[\"s\"],\"id\":\"m_1\",\"name\":{\"givenName\":\"G\"}}");
        var without = ScimAttributes.of(null, "name,emails.type,id,schemas")
                .apply((com.fasterxml.jackson.databind.node.ObjectNode) json(resource));
        assertThat(without.has("name")).isFalse();
        assertThat(without.has("id")).as("id is always returned").isTrue();
        assertThat(without.has("schemas")).isTrue();
        assertThat(without.get("emails").get(0).has("type")).isFalse();
        assertThat(without.get("emails").get(0).get("value").asText()).isEqualTo("a@b.co");
        assertThatThrownBy(() -> ScimAttributes.of("name", "emails")).isInstanceOf(InvalidInput.class);
    }

    @Test
    void paths_nameTheirEndpoint_fromAnExplicitRoute_orTheCatchAllOne() {
        assertThat(ScimApi.target(request("GET /scim/v2/Users/{id}", java.util.Map.of("id", "m_1"))))
                .isEqualTo(new ScimApi.Target(ScimApi.Endpoint.USER, "m_1"));
        assertThat(ScimApi.target(request("ANY /scim/v2/{proxy+}", java.util.Map.of("proxy", "Users/.search"))).endpoint())
                .isEqualTo(ScimApi.Endpoint.USERS_SEARCH);
        assertThat(ScimApi.target(request("ANY /scim/v2/{proxy+}", java.util.Map.of("proxy", "ServiceProviderConfig")))
                .endpoint()).isEqualTo(ScimApi.Endpoint.SERVICE_PROVIDER_CONFIG);
        assertThat(ScimApi.target(request("ANY /scim/v2/{proxy+}", java.util.Map.of("proxy", ".search"))).endpoint())
                .isEqualTo(ScimApi.Endpoint.SEARCH);
        for (String unknown : List.of("Nothing", "Users/m_1/more", "ServiceProviderConfig/x", "users")) {
            assertThatThrownBy(() -> ScimApi.target(request("ANY /scim/v2/{proxy+}", java.util.Map.of("proxy", unknown))))
                    .as(unknown).isInstanceOf(dev.wsl.core.failure.NotFound.class);
        }
    }

    private static ScimApi.Request request(String routeKey, java.util.Map<String, String> path) {
        return new ScimApi.Request(routeKey, path, java.util.Map.of(), null, "https://h/scim/v2", "ws_1", "POST");
    }

    private static String email(String emails) {
        return UserState.fromResource(json("{\"userName\":\"not-an-email\",\"emails\":" + emails + "}")).email().value();
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

    /** The scimType SCIM answers for what {@code call} throws: decided by the failure's declared kind. */
    private static String scimType(Runnable call) {
        try {
            call.run();
        } catch (InvalidInput e) {
            return ScimErrors.scimType(e);
        }
        throw new AssertionError("nothing was refused");
    }
}
