package dev.wsl.core;

import dev.wsl.core.domain.SunsetPlan;
import java.util.Optional;

/**
 * The sunset plan from the environment (the template's Sunset* parameters): SUNSET_ANNOUNCEMENT,
 * SUNSET_BROWNOUTS, SUNSET_CUTOFF, SUNSET_CLEANUP_DAYS, SUNSET_NOTICE_DAYS. Empty when no cut-off
 * is configured. A plan that is configured but invalid stops the function at start, rather than
 * letting keys be refused or deleted on a misread date.
 */
public final class SunsetSettings {
    private SunsetSettings() {}

    public static Optional<SunsetPlan> fromEnvironment() {
        Optional<String> cutoff = Env.optional("SUNSET_CUTOFF").filter(v -> !v.isBlank());
        if (cutoff.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(SunsetPlan.parse(Env.required("SUNSET_ANNOUNCEMENT"),
                Env.optional("SUNSET_BROWNOUTS").orElse(""), cutoff.get(),
                Env.optional("SUNSET_CLEANUP_DAYS").orElse("30"), Env.optional("SUNSET_NOTICE_DAYS").orElse("14")));
    }
}
