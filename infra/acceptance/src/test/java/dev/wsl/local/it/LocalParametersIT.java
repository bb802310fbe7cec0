package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Changing a template parameter while the runtime runs ({@code POST /local/parameters}, {@code
 * infra/run-local.sh params}): the functions whose environment changes start afresh with the new
 * values, and every item in the emulator stays, so a sunset plan can be tried on the state at hand.
 */
@ExtendWith(LocalRuntimeExtension.class)
class LocalParametersIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;

    LocalParametersIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @AfterEach
    void noPlan() {
        runtime.setParameters(Map.of("SunsetAnnouncement", "", "SunsetCutoff", "", "SunsetBrownouts", ""));
    }

    private static JsonNode post(LocalStackRuntime runtime, String body) throws Exception {
        return JSON.readTree(dev.wsl.local.LocalMainAccess.parameters(runtime, "POST", body).body());
    }

    @Test
    void aSunsetPlanSetWhileRunning_shouldApplyAtOnce_andKeepEveryItem() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("params-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Params");
        licenses.purchase(ws, "sub_" + suffix, 3, null);
        String key = "paramkey" + suffix;
        licenses.importKey(admin, ws, key, null).expect(201);
        assertThat(Activations.requestWithApiKey(api, key, false).status()).isEqualTo(200);

        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        JsonNode changed = post(runtime, "{\"SunsetAnnouncement\":\"2020-01-01\",\"SunsetCutoff\":\"" + yesterday + "\"}");

        assertThat(changed.path("recreated").toString()).contains("ActivationFunction").contains("SunsetFunction");
        assertThat(changed.path("parameters").path("SunsetCutoff").asText()).isEqualTo(yesterday);
        Api.Response refused = Activations.requestWithApiKey(api, key, false);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("message")).contains("stopped working on " + yesterday);
        assertThat(runtime.scheduler().invoke("SunsetFunction", Map.of("dryRun", true))).containsEntry("complete", true)
                .containsKey("phase.CUT_OFF");
        assertThat(licenses.summary(admin, ws).get("seats").asLong()).as("the workspace is still there").isEqualTo(3);
    }

    @Test
    void aValueAFunctionRefuses_orAnUnknownName_shouldChangeNothing() throws Exception {
        var before = runtime.parameters();

        var refused = dev.wsl.local.LocalMainAccess.parameters(runtime, "POST",
                "{\"SunsetAnnouncement\":\"2027-05-01\",\"SunsetCutoff\":\"2027-01-01\"}");
        var unknown = dev.wsl.local.LocalMainAccess.parameters(runtime, "POST", "{\"TableName\":\"other\"}");
        var fixed = dev.wsl.local.LocalMainAccess.parameters(runtime, "POST", "{\"JwtIssuer\":\"https://evil\"}");
        var noAudience = dev.wsl.local.LocalMainAccess.parameters(runtime, "POST", "{\"ConsoleClientId\":\"other\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("announcement must come before");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(fixed.status()).isEqualTo(400);
        assertThat(noAudience.status()).as("the template's rule: ConsoleClientId is one of JwtAudience").isEqualTo(400);
        assertThat(JSON.readTree(noAudience.body()).path("message").asText()).contains("ConsoleClientIdIsAnAudience");
        assertThat(runtime.parameters()).isEqualTo(before);
        assertThat(runtime.environment().get("SUNSET_CUTOFF")).isEmpty();
    }
}
