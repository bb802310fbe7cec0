package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalRuntimeExtension.class)
class ScimSmokeIT {
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;

    ScimSmokeIT(LocalStackRuntime runtime) {
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @Test
    void smoke() {
        Licenses.Licensed w = licenses.licensedWorkspace("Smoke");
        String token = scim.newToken(w.admin(), w.ws());
        System.out.println(scim.call(token, "GET", "/scim/v2/ServiceProviderConfig", null).raw());
        Api.Response created = scim.call(token, "POST", "/scim/v2/Users", Scim.user("ada-" + w.suffix() + "@example.com",
                "ada-" + w.suffix() + "@example.com", "ext-" + w.suffix()));
        System.out.println(created.raw());
        String id = created.expect(201).text("id");
        System.out.println(scim.call(token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22ada-" + w.suffix() + "@example.com%22", null).raw());
        System.out.println(scim.call(token, "GET", "/scim/v2/Groups", null).raw());
        Api.Response p = scim.call(token, "PATCH", "/scim/v2/Groups/license_sub_" + w.suffix(), Scim.patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}"));
        System.out.println(p.status() + " " + p.raw());
        System.out.println(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/licenses", null).raw());
        Api.Response d = scim.call(token, "PATCH", "/scim/v2/Users/" + id, Scim.patch(
                "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}"));
        System.out.println(d.status() + " " + d.raw());
        System.out.println(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/licenses", null).raw());
        assertThat(p.status()).isEqualTo(204);
    }
}
