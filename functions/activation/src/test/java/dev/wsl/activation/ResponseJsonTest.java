package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LicenseDocument LICENSE = new LicenseDocument("license_1", "Team \"Gold\"",
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
            ActivationService.PRODUCTS, "ACTIVE", Instant.parse("2026-11-27T10:00:00.5Z"),
            Instant.parse("2026-11-28T10:00:00Z"));

    @Test
    void license_shouldHoldExactlyTheSpecFields_withTheSignatureOfTheCredential() throws Exception {
        JsonNode json = JSON.readTree(ResponseJson.license(LICENSE, "ls-credential", "4.0\n\"x\""));

        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "license_format", "signature", "license_type", "issue_date",
                "expiry_date", "products", "license_status", "license_secret", "last_activated", "reactivate_after",
                "offline_data");
        assertThat(json.get("signature").asText()).isEqualTo(LICENSE.signature("ls-credential"));
        assertThat(json.get("license_type").asText()).isEqualTo("Team \"Gold\"");
        assertThat(json.get("last_activated").asText()).isEqualTo("2026-11-27T10:00:00+00:00");
        assertThat(json.get("license_secret").isNull()).isTrue();
        assertThat(json.get("offline_data").get("localstack_version").asText()).isEqualTo("4.0\n\"x\"");
    }

    @Test
    void license_shouldSendAnEmptyOfflineDataObject_onARequest() throws Exception {
        JsonNode json = JSON.readTree(ResponseJson.license(LICENSE, "k", null));

        assertThat(json.get("offline_data").isObject()).isTrue();
        assertThat(json.get("offline_data").size()).isZero();
    }

    @Test
    void error_shouldBeTheClientsShape() throws Exception {
        JsonNode json = JSON.readTree(ResponseJson.error("licensing.credentials.invalid", "a\u0001b"));

        assertThat(json.get("message").asText()).isEqualTo("licensing.credentials.invalid");
        assertThat(json.get("detail").asText()).isEqualTo("a\u0001b");
    }
}
