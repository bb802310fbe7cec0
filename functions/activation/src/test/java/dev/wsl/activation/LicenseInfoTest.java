package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LicenseInfoTest {
    private static final Instant NOW = Instant.parse("2027-02-01T15:00:00Z");
    private final LicenseInfo info = new LicenseInfo(ws -> ws.equals("ws_a") ? Optional.of("Demo \"workspace\"")
            : Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24));

    @Test
    void theAuthorizersContext_shouldBeAnsweredWithTheWorkspacesName_andReactivateAfterAsActivationSetsIt() {
        String json = info.json(Map.of("credentialKind", "auth-token", "userId", "u-1", "memberId", "m_a",
                "workspaceId", "ws_a", "plan", "Team", "licenseType", "Team", "expiresAt", "2027-03-03T15:00:00Z"));

        assertThat(json).isEqualTo("{\"credential_kind\":\"auth-token\",\"user_id\":\"u-1\",\"member_id\":\"m_a\","
                + "\"workspace_id\":\"ws_a\",\"workspace_name\":\"Demo \\\"workspace\\\"\",\"plan\":\"Team\","
                + "\"license_type\":\"Team\",\"license_status\":\"ACTIVE\",\"expiry_date\":\"2027-03-03T15:00:00+00:00\","
                + "\"reactivate_after\":\"2027-02-02T15:00:00+00:00\"}");
    }

    @Test
    void reactivateAfter_shouldNotOutliveTheSubscription_andAKeyShowsItsId() {
        String json = info.json(Map.of("credentialKind", "ci-key", "keyId", "ci_1", "workspaceId", "ws_gone",
                "plan", "Team", "licenseType", "CI", "expiresAt", "2027-02-01T18:00:00Z"));

        assertThat(json).contains("\"key_id\":\"ci_1\"").doesNotContain("workspace_name").doesNotContain("user_id")
                .contains("\"reactivate_after\":\"2027-02-01T18:00:00+00:00\"");
    }

    @Test
    void withoutTheAuthorizersContext_shouldNeverAnswer() {
        assertThatThrownBy(() -> info.json(null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> info.json(Map.of("workspaceId", "ws_a"))).isInstanceOf(IllegalStateException.class);
    }
}
