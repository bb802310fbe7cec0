package dev.wsl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.InvitationLimits;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

    private static FunctionConfig of(Map<String, String> env) {
        return FunctionConfig.from(name -> Optional.ofNullable(env.get(name)));
    }

    @Test
    void theEnvironmentsValues_areTheConfiguration() {
        FunctionConfig config = of(Map.ofEntries(Map.entry("TABLE_NAME", "t"), Map.entry("INVITATION_TTL_DAYS", "3"),
                Map.entry("REACTIVATE_AFTER", "PT2H"), Map.entry("INVITATIONS_PER_RECIPIENT_PER_DAY", "2"),
                Map.entry("INVITATIONS_PER_WORKSPACE_PER_DAY", "20"),
                Map.entry("INVITATIONS_PER_SUBSCRIBED_WORKSPACE_PER_DAY", "200"), Map.entry("RECLAIM_NOTICE_DAYS", "3"),
                Map.entry("RECLAIM_DAILY_AT", "06:30"), Map.entry("SCIM_GUARD_MINIMUM", "9"),
                Map.entry("SCIM_GUARD_PERCENT", "40"), Map.entry("RECLAIM_RESERVE_SECONDS", "11"),
                Map.entry("SUNSET_RESERVE_SECONDS", "12"), Map.entry("DOMAIN_CHECK_RESERVE_SECONDS", "13"),
                Map.entry("BACKFILL_RESERVE_SECONDS", "14"), Map.entry("SENDER_EMAIL", "no-reply@example.com"),
                Map.entry("APP_BASE_URL", "https://app.example.com"), Map.entry("LICENSE_SOURCE_RATE", "2.5"),
                Map.entry("LICENSE_SOURCE_BURST", "10"), Map.entry("DNS_RESOLVER", "10.0.0.2")));

        assertThat(config).isEqualTo(new FunctionConfig("t", Duration.ofDays(3), Duration.ofHours(2),
                new InvitationLimits(2, 20, 200), new FunctionConfig.Reclaim(3, LocalTime.of(6, 30)),
                new FunctionConfig.ScimGuard(9, 40), new FunctionConfig.Jobs(Duration.ofSeconds(11),
                        Duration.ofSeconds(12), Duration.ofSeconds(13), Duration.ofSeconds(14)),
                new FunctionConfig.Mail(Optional.of("no-reply@example.com"), Optional.of("https://app.example.com")),
                new FunctionConfig.SourceLimit(2.5, 10), Optional.of("10.0.0.2")));
        assertThat(config.mail().sender()).isEqualTo("no-reply@example.com");
        assertThat(config.mail().appUrl()).isEqualTo("https://app.example.com");
    }

    @Test
    void everythingButTheTableDefaults_theTableIsRequired() {
        FunctionConfig config = of(Map.of("TABLE_NAME", "t"));

        assertThat(config).isEqualTo(new FunctionConfig("t", Duration.ofDays(7), Duration.ofHours(24),
                InvitationLimits.DEFAULT, new FunctionConfig.Reclaim(7, LocalTime.of(5, 45)),
                new FunctionConfig.ScimGuard(5, 20), new FunctionConfig.Jobs(Duration.ofSeconds(60),
                        Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)),
                new FunctionConfig.Mail(Optional.empty(), Optional.empty()), new FunctionConfig.SourceLimit(0, 1),
                Optional.empty()));
        assertThatThrownBy(() -> of(Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TABLE_NAME");
    }

    @Test
    void mailSettings_areRequiredOnlyWhenRead() {
        FunctionConfig.Mail mail = of(Map.of("TABLE_NAME", "t")).mail();

        assertThatThrownBy(mail::sender).isInstanceOf(IllegalStateException.class).hasMessageContaining("SENDER_EMAIL");
        assertThatThrownBy(mail::appUrl).isInstanceOf(IllegalStateException.class).hasMessageContaining("APP_BASE_URL");
    }
}
