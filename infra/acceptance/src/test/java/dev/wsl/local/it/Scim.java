package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.local.LocalStackRuntime;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** SCIM requests through the local API Gateway with a workspace's SCIM token, and the token's admin routes. */
final class Scim {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCIM_JSON = "application/scim+json";
    static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

    private final LocalStackRuntime runtime;
    private final Api api;

    Scim(LocalStackRuntime runtime, Api api) {
        this.runtime = runtime;
        this.api = api;
    }

    /** Creates (or regenerates) the workspace's SCIM token as its admin; answers the plaintext. */
    String newToken(Api.User admin, String ws) {
        Api.Response created = api.call(admin, "POST", "/workspaces/" + ws + "/scim/token", null).expect(201);
        String token = created.text("token");
        assertThat(token).startsWith("scim-");
        return token;
    }

    Api.Response call(String token, String method, String path, String body) {
        return call(token == null ? Map.of() : Map.of("authorization", "Bearer " + token), method, path, body);
    }

    Api.Response call(Map<String, String> extraHeaders, String method, String path, String body) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("host", "scim.test");
        if (body != null) {
            headers.putIfAbsent("content-type", SCIM_JSON);
        }
        int q = path.indexOf('?');
        APIGatewayV2HTTPResponse response = runtime.gateway().dispatch(method, q < 0 ? path : path.substring(0, q),
                q < 0 ? "" : path.substring(q + 1), headers, body);
        String contentType = response.getHeaders() == null ? null : response.getHeaders().get("content-type");
        JsonNode json;
        try {
            json = response.getBody() == null || response.getBody().isEmpty() ? null : JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("response is not JSON: " + response.getBody(), e);
        }
        return new Api.Response(response.getStatusCode(), contentType, json, response.getBody());
    }

    /** Asserts a SCIM error: status, schemas, status as a string, the scimType (null: none) and a detail. */
    static void assertError(Api.Response r, int status, String scimType) {
        assertThat(r.status()).as("status of %s", r.raw()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo(SCIM_JSON);
        assertThat(r.json().get("schemas").get(0).asText()).isEqualTo(ERROR);
        assertThat(r.json().get("status").isTextual()).as("status is a string").isTrue();
        assertThat(r.json().get("status").asText()).isEqualTo(Integer.toString(status));
        if (scimType == null) {
            assertThat(r.json().has("scimType")).as("no scimType in %s", r.raw()).isFalse();
        } else {
            assertThat(r.json().path("scimType").asText()).as("scimType of %s", r.raw()).isEqualTo(scimType);
        }
        assertThat(r.json().path("detail").asText()).isNotBlank();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A minimal Okta-style user: the email as userName, name parts, one work email, active. */
    static String user(String userName, String email, String externalId) {
        return "{\"schemas\":[\"" + USER + "\"],\"userName\":\"" + userName + "\",\"name\":{\"givenName\":\"Ada\","
                + "\"familyName\":\"Lovelace\"},\"emails\":[{\"primary\":true,\"value\":\"" + email + "\",\"type\":\"work\"}],"
                + (externalId == null ? "" : "\"externalId\":\"" + externalId + "\",") + "\"active\":true}";
    }

    static String patch(String operations) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}";
    }
}
