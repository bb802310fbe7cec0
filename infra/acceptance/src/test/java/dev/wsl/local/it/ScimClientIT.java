package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real SCIM client library (scim2-client, from PyPI) drives the endpoint over HTTP, validating every
 * answer against the models it builds from this service's own discovery documents: discovery, create,
 * filter, patch, the license group's effect on seats, deactivation, reactivation, removal from the group,
 * deletion, and a uniqueness refusal as the client reads it.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ScimClientIT {
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimClientIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void theClientLibrary_provisionsLicensesDeactivatesReactivatesAndDeletes() {
        Licenses.Licensed w = licenses.licensedWorkspace("ScimClient");
        Domains.verify(licenses.runtime(), api, w.admin(), w.ws(), "example.com"); // the IdP licenses people before they sign in (issue 17)
        ScimClient idp = new ScimClient(LocalRuntimeExtension.baseUrl(), scim.newToken(w.admin(), w.ws()));

        JsonNode discovery = idp.step("discover");
        assertThat(discovery.get("ok").asBoolean()).as("%s", discovery).isTrue();
        assertThat(discovery.get("patch").asBoolean()).isTrue();
        assertThat(discovery.get("filter").asBoolean()).isTrue();
        assertThat(discovery.get("bulk").asBoolean()).isFalse();
        assertThat(discovery.get("sort").asBoolean()).isFalse();
        assertThat(discovery.get("etag").asBoolean()).isFalse();
        assertThat(discovery.get("max_results").asInt()).isEqualTo(100);
        assertThat(texts(discovery.get("resource_types"))).containsExactly("Group", "User");
        assertThat(texts(discovery.get("user_attributes"))).contains("user_name", "external_id", "emails", "active", "name");

        String email = "hopper-" + w.suffix() + "@example.com";
        JsonNode created = ok(idp.step("create", email, email));
        String id = created.get("id").asText();
        assertThat(created.get("active").asBoolean()).isTrue();
        assertThat(texts(ok(idp.step("find", email)).get("ids"))).containsExactly(id);
        assertThat(texts(ok(idp.step("find", email.toUpperCase())).get("ids"))).as("userName without case")
                .containsExactly(id);
        assertThat(texts(ok(idp.step("find-email", email)).get("ids"))).containsExactly(id);
        assertThat(ok(idp.step("rename", id, "Grace Hopper")).get("display_name").asText()).isEqualTo("Grace Hopper");

        String groupName = "Team (sub_" + w.suffix() + ")";
        JsonNode group = ok(idp.step("group", groupName));
        assertThat(group.get("members").asInt()).as("the purchaser's license").isEqualTo(1);
        long inUse = licenses.summary(w.admin(), w.ws()).get("inUse").asLong();
        ok(idp.step("add", group.get("id").asText(), id));
        assertThat(member(w, id).get("licensed").asBoolean()).isTrue();
        assertThat(licenses.summary(w.admin(), w.ws()).get("inUse").asLong()).isEqualTo(inUse + 1);
        assertThat(ok(idp.step("group", groupName)).get("members").asInt()).isEqualTo(2);

        assertThat(ok(idp.step("active", id, "false")).get("active").asBoolean()).isFalse();
        assertThat(member(w, id).get("status").asText()).isEqualTo("REMOVED");
        assertThat(licenses.summary(w.admin(), w.ws()).get("inUse").asLong()).as("seat freed").isEqualTo(inUse);
        assertThat(ok(idp.step("active", id, "true")).get("active").asBoolean()).isTrue();
        assertThat(member(w, id).get("status").asText()).isEqualTo("INVITED");
        ok(idp.step("add", group.get("id").asText(), id));
        ok(idp.step("remove", group.get("id").asText(), id));
        assertThat(member(w, id).get("licensed").asBoolean()).isFalse();

        JsonNode duplicate = idp.step("create", email.toUpperCase(), "other-" + email);
        assertThat(duplicate.get("ok").asBoolean()).isFalse();
        assertThat(duplicate.get("status").asInt()).isEqualTo(409);
        assertThat(duplicate.get("scimType").asText()).isEqualTo("uniqueness");

        ok(idp.step("delete", id));
        assertThat(ok(idp.step("find", email)).get("total").asInt()).isZero();
        licenses.assertCountersMatchRecount(w.ws());
    }

    private static JsonNode ok(JsonNode result) {
        assertThat(result.get("ok").asBoolean()).as("the client's step: %s", result).isTrue();
        return result;
    }

    private JsonNode member(Licenses.Licensed w, String id) {
        return api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/members/" + id, null).expect(200).json();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
