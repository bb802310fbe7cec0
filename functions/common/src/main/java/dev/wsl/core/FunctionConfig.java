package dev.wsl.core;

import dev.wsl.core.domain.InvitationLimits;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Optional;
import java.util.function.Function;

/**
 * What every function's composition root reads from its environment ({@link Env}), in one place, so that no table
 * name, lifetime or limit is read or written anywhere else. One record for all functions, with a part per concern;
 * a function reads the parts it uses (each variable is set by {@code template.yaml} only where it matters, and
 * every one but {@code TABLE_NAME} has a default or is required only when read).
 *
 * @param table           {@code TABLE_NAME} (required)
 * @param invitationTtl   {@code INVITATION_TTL_DAYS}: how long an invitation link stays valid when the admin names no
 *                        lifetime (the template's InvitationTtlDays, 7 by default)
 * @param reactivateAfter {@code REACTIVATE_AFTER}: how long an activation's license stays valid before the client
 *                        must come back (an ISO-8601 duration, {@code PT24H} by default)
 * @param invitations     the daily invitation limits ({@code INVITATIONS_PER_RECIPIENT_PER_DAY},
 *                        {@code INVITATIONS_PER_WORKSPACE_PER_DAY}, {@code INVITATIONS_PER_SUBSCRIBED_WORKSPACE_PER_DAY};
 *                        {@link InvitationLimits#DEFAULT} for each one unset)
 * @param reclaim         the reclaim policy's settings
 * @param scimGuard       the SCIM mass-revocation guard's threshold
 * @param jobs            how long before their time limit the scheduled jobs stop
 * @param mail            the sender and the console's address, for the functions that send mail
 * @param sourceLimit     the activation routes' limit per source address
 * @param dnsResolver     {@code DNS_RESOLVER}: the DNS server the domain checks ask (empty: the system's)
 */
public record FunctionConfig(String table, Duration invitationTtl, Duration reactivateAfter,
                             InvitationLimits invitations, Reclaim reclaim, ScimGuard scimGuard, Jobs jobs, Mail mail,
                             SourceLimit sourceLimit, Optional<String> dnsResolver) {
    public static final Duration DEFAULT_INVITATION_TTL = Duration.ofDays(7);
    public static final Duration DEFAULT_REACTIVATE_AFTER = Duration.ofHours(24);

    /**
     * @param noticeDays {@code RECLAIM_NOTICE_DAYS}: how long before reclaiming a license its holder is told (the
     *                   template's ReclaimNoticeDays, 7 by default)
     * @param dailyAt    {@code RECLAIM_DAILY_AT}: when the scheduled run starts each day (UTC, as its schedule says;
     *                   05:45 by default), which the preview shows
     */
    public record Reclaim(int noticeDays, LocalTime dailyAt) {}

    /**
     * @param minimum {@code SCIM_GUARD_MINIMUM} (5 by default)
     * @param percent {@code SCIM_GUARD_PERCENT} (20 by default)
     */
    public record ScimGuard(int minimum, int percent) {}

    /**
     * The reserve of each job: {@code RECLAIM_RESERVE_SECONDS}, {@code SUNSET_RESERVE_SECONDS},
     * {@code DOMAIN_CHECK_RESERVE_SECONDS}, {@code BACKFILL_RESERVE_SECONDS} (60 seconds by default).
     */
    public record Jobs(Duration reclaimReserve, Duration sunsetReserve, Duration domainCheckReserve,
                       Duration backfillReserve) {}

    /** {@code SENDER_EMAIL} and {@code APP_BASE_URL}: required by the functions that send mail, when they read them. */
    public record Mail(Optional<String> senderEmail, Optional<String> appBaseUrl) {
        public String sender() {
            return senderEmail.orElseThrow(() -> missing("SENDER_EMAIL"));
        }

        public String appUrl() {
            return appBaseUrl.orElseThrow(() -> missing("APP_BASE_URL"));
        }
    }

    /**
     * @param perSecond {@code LICENSE_SOURCE_RATE}: requests per second and source address (0 by default: no limit)
     * @param burst     {@code LICENSE_SOURCE_BURST} (1 by default)
     */
    public record SourceLimit(double perSecond, int burst) {}

    /** @throws IllegalStateException when {@code TABLE_NAME} is not set */
    public static FunctionConfig fromEnvironment() {
        return from(Env::optional);
    }

    /** The configuration that {@code variables} (name → value, empty when unset) give. */
    static FunctionConfig from(Function<String, Optional<String>> variables) {
        InvitationLimits d = InvitationLimits.DEFAULT;
        Function<String, Integer> number = name -> variables.apply(name).map(Integer::parseInt).orElse(null);
        Function<String, Duration> reserve = name -> Duration.ofSeconds(
                variables.apply(name).map(Long::parseLong).orElse(60L));
        return new FunctionConfig(variables.apply("TABLE_NAME").orElseThrow(() -> missing("TABLE_NAME")),
                variables.apply("INVITATION_TTL_DAYS").map(days -> Duration.ofDays(Integer.parseInt(days)))
                        .orElse(DEFAULT_INVITATION_TTL),
                variables.apply("REACTIVATE_AFTER").map(Duration::parse).orElse(DEFAULT_REACTIVATE_AFTER),
                new InvitationLimits(or(number.apply("INVITATIONS_PER_RECIPIENT_PER_DAY"), d.perRecipient()),
                        or(number.apply("INVITATIONS_PER_WORKSPACE_PER_DAY"), d.perWorkspace()),
                        or(number.apply("INVITATIONS_PER_SUBSCRIBED_WORKSPACE_PER_DAY"), d.perSubscribedWorkspace())),
                new Reclaim(or(number.apply("RECLAIM_NOTICE_DAYS"), 7),
                        variables.apply("RECLAIM_DAILY_AT").map(LocalTime::parse).orElse(LocalTime.of(5, 45))),
                new ScimGuard(or(number.apply("SCIM_GUARD_MINIMUM"), 5), or(number.apply("SCIM_GUARD_PERCENT"), 20)),
                new Jobs(reserve.apply("RECLAIM_RESERVE_SECONDS"), reserve.apply("SUNSET_RESERVE_SECONDS"),
                        reserve.apply("DOMAIN_CHECK_RESERVE_SECONDS"), reserve.apply("BACKFILL_RESERVE_SECONDS")),
                new Mail(variables.apply("SENDER_EMAIL"), variables.apply("APP_BASE_URL")),
                new SourceLimit(variables.apply("LICENSE_SOURCE_RATE").map(Double::parseDouble).orElse(0.0),
                        or(number.apply("LICENSE_SOURCE_BURST"), 1)),
                variables.apply("DNS_RESOLVER"));
    }

    private static int or(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }

    private static IllegalStateException missing(String name) {
        return new IllegalStateException("configuration " + name + " is not set");
    }
}
