package dev.wsl.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.json.Json;
import dev.wsl.testkit.Events;
import dev.wsl.testkit.FakeStores;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * SCIM's answers (RFC 7644 section 3.12) through the real handler, from the JSON event API Gateway sends
 * ({@code src/test/resources/events}), and what the renderer decides by the failure's type and declared kind.
 */
class ScimEdgeTest {
    private final FakeStores stores = new FakeStores();
    private final ScimHandler handler = new ScimHandler(new ScimTokenService(stores.scim(),
            new Authorization(stores.workspaces()), Clock.systemUTC(), RetryPolicy.withoutPauses(1)), null);

    @Test
    void aRequestWithoutAToken_shouldBeA401ScimError_withWwwAuthenticate() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("scim-list-users-no-token"), null);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/scim+json")
                .containsEntry("www-authenticate", "Bearer realm=\"scim\"");
        JsonNode body = Json.parse(response.getBody());
        assertThat(body.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(body.path("status").asText()).isEqualTo("401");
        assertThat(body.has("scimType")).isFalse();
    }

    @Test
    void theStatusAndScimType_shouldFollowTheFailuresTypeAndKind_notItsSlug() {
        assertThat(scim(new Gone("invitation-expired", "ended"))).isEqualTo("404 null");
        assertThat(scim(new AlreadyExists("member-exists", "there"))).isEqualTo("409 uniqueness");
        assertThat(scim(new Conflict("member-removed", "removed"))).isEqualTo("409 null");
        assertThat(scim(new Busy("busy", null))).isEqualTo("503 null");
        // Same slug, other kinds: the kind decides.
        assertThat(scim(new InvalidInput("invalid-filter", "x"))).isEqualTo("400 invalidValue");
        assertThat(scim(new InvalidInput(InvalidInput.Kind.PATH, "any-slug", "x"))).isEqualTo("400 invalidPath");
        assertThat(scim(new InvalidInput(InvalidInput.Kind.TOO_MANY, "any-slug", "x"))).isEqualTo("400 tooMany");
        assertThat(scim(new InvalidInput(InvalidInput.Kind.MUTABILITY, "any-slug", "x"))).isEqualTo("400 mutability");
    }

    @Test
    void whatDidNotAnswer_is503WithRetryAfter_andABug500WithTheRequestIdOnly() {
        APIGatewayV2HTTPResponse unavailable = ScimErrors.RENDERER.unavailable("req-1");
        APIGatewayV2HTTPResponse internal = ScimErrors.RENDERER.internal("req-1");

        assertThat(unavailable.getStatusCode()).isEqualTo(503);
        assertThat(unavailable.getHeaders()).containsEntry("retry-after", "2");
        assertThat(internal.getStatusCode()).isEqualTo(500);
        assertThat(Json.parse(internal.getBody()).path("detail").asText()).endsWith("quote request id req-1.");
    }

    private static String scim(dev.wsl.core.failure.Failure failure) {
        APIGatewayV2HTTPResponse response = ScimErrors.RENDERER.failure(failure, "req-1");
        JsonNode body = Json.parse(response.getBody());
        assertThat(body.path("status").asText()).isEqualTo(Integer.toString(response.getStatusCode()));
        return response.getStatusCode() + " " + (body.has("scimType") ? body.path("scimType").asText() : "null");
    }
}
