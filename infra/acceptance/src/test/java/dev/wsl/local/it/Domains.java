package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.LocalStackRuntime;

/**
 * Verified domains as an admin sets one up: add it, publish its TXT record on the runtime's DNS server on
 * loopback, verify (a real DNS lookup). A workspace whose identity provider licenses people before they sign
 * in needs their domain verified (issue 17, part B): else those memberships wait for the person's Join.
 */
final class Domains {
    private Domains() {}

    /** The workspace verifies the domain now; several workspaces may verify one domain, each with its own record. */
    static void verify(LocalStackRuntime runtime, Api api, Api.User admin, String ws, String domain) {
        JsonNode added = api.call(admin, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"" + domain + "\"}")
                .expect(201).json();
        runtime.dns().publishTxt(added.get("record").get("name").asText(), added.get("record").get("value").asText());
        assertThat(api.call(admin, "POST", "/workspaces/" + ws + "/domains/" + domain + "/verify", null).expect(200)
                .text("status")).isEqualTo("VERIFIED");
    }
}
