package dev.wsl.core;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What every function's composition root reads from its environment ({@link Env}), in one place, so that no
 * table name or lifetime is written anywhere else: {@code TABLE_NAME} (required); {@code INVITATION_TTL_DAYS},
 * how long an invitation link stays valid when the admin names no lifetime (the template's InvitationTtlDays,
 * 7 by default); {@code REACTIVATE_AFTER}, how long an activation's license stays valid before the client must
 * come back (an ISO-8601 duration, {@code PT24H} by default).
 */
public record FunctionConfig(String table, Duration invitationTtl, Duration reactivateAfter) {
    public static final Duration DEFAULT_INVITATION_TTL = Duration.ofDays(7);
    public static final Duration DEFAULT_REACTIVATE_AFTER = Duration.ofHours(24);

    /** @throws IllegalStateException when {@code TABLE_NAME} is not set */
    public static FunctionConfig fromEnvironment() {
        return from(Env::optional);
    }

    /** The configuration that {@code variables} (name → value, empty when unset) give. */
    static FunctionConfig from(Function<String, Optional<String>> variables) {
        return new FunctionConfig(variables.apply("TABLE_NAME")
                .orElseThrow(() -> new IllegalStateException("configuration TABLE_NAME is not set")),
                variables.apply("INVITATION_TTL_DAYS").map(d -> Duration.ofDays(Integer.parseInt(d)))
                        .orElse(DEFAULT_INVITATION_TTL),
                variables.apply("REACTIVATE_AFTER").map(Duration::parse).orElse(DEFAULT_REACTIVATE_AFTER));
    }
}
