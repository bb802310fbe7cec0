package dev.wsl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

    @Test
    void theEnvironmentsValues_areTheConfiguration() {
        Map<String, String> env = Map.of("TABLE_NAME", "t", "INVITATION_TTL_DAYS", "3", "REACTIVATE_AFTER", "PT2H");

        FunctionConfig config = FunctionConfig.from(name -> Optional.ofNullable(env.get(name)));

        assertThat(config).isEqualTo(new FunctionConfig("t", Duration.ofDays(3), Duration.ofHours(2)));
    }

    @Test
    void lifetimesDefault_theTableIsRequired() {
        assertThat(FunctionConfig.from(name -> name.equals("TABLE_NAME") ? Optional.of("t") : Optional.empty()))
                .isEqualTo(new FunctionConfig("t", Duration.ofDays(7), Duration.ofHours(24)));
        assertThatThrownBy(() -> FunctionConfig.from(name -> Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TABLE_NAME");
    }
}
