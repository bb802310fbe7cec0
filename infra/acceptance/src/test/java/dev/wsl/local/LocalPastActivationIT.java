package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.local.harness.WithLocalRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The development helper {@code POST /local/past-activation} (issue 21's walk in docs/walks.md): the real activation
 * handler on a clock set back gives a seat the past a fresh runtime lacks; bad input is a 400 that activates nothing.
 */
@WithLocalRuntime
class LocalPastActivationIT {

    @Test
    void aPastActivation_shouldLeaveTheSeatIdleSinceThen(LocalStackRuntime runtime) {
        String email = "past-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String jwt = runtime.token(LocalServer.stableSub(email), email, "Past Admin", Duration.ofMinutes(10));
        Map<String, String> auth = Map.of("authorization", "Bearer " + jwt, "content-type", "application/json");
        JsonNode created = json(runtime.gateway().dispatch("POST", "/workspaces", "", auth, "{\"name\":\"Past\"}"));
        String ws = created.get("id").asText();
        String me = created.get("you").get("memberId").asText();
        runtime.eventBus().put("BillingEventBus", Map.of("source", "wsl.billing", "detail-type", "Subscription Purchased",
                "detail", Map.of("workspaceId", ws, "subscriptionId", "sub_past", "plan", "Team", "seats", 2,
                        "periodStart", "2020-01-01T00:00:00Z", "periodEnd", "2099-01-01T00:00:00Z", "sequence", 1)));
        assertThat(runtime.gateway().dispatch("POST", "/workspaces/" + ws + "/members/" + me + "/license", "", auth, null)
                .getStatusCode()).isEqualTo(200);
        String token = json(runtime.gateway().dispatch("GET", "/me/auth-token", "", auth, null)).get("token").asText();

        assertThat(LocalHelpers.pastActivation(runtime, "{\"token\":\"" + token + "\"}").status()).isEqualTo(400);
        assertThat(LocalHelpers.pastActivation(runtime, "{\"token\":\"" + token + "\",\"daysAgo\":400}").status())
                .isEqualTo(400);
        LocalHelpers.LocalResponse answer = LocalHelpers.pastActivation(runtime, "{\"token\":\"" + token
                + "\",\"daysAgo\":45}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode members = json(runtime.gateway().dispatch("GET", "/workspaces/" + ws + "/members", "", auth, null));
        assertThat(members.get("items").get(0).get("idleDays").asLong()).isEqualTo(45);
        JsonNode idle = json(runtime.gateway().dispatch("GET", "/workspaces/" + ws + "/members", "idle=true", auth, null));
        assertThat(idle.get("items")).hasSize(1);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isBetween(200, 299);
        return Json.read(response.getBody());
    }
}
