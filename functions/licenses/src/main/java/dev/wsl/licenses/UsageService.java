package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.UsageDay;
import dev.wsl.core.domain.UsageHistory;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.UsageStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * A workspace's use over the last days (issue 21, "usage over time, as a picture"), for those who hand out seats
 * (admins, {@code licenses:assign}): per UTC day, the seats in use, the distinct members who activated, and the
 * seats that activated by kind of credential. Reads one Query of day items and the pool; writes nothing.
 * Thread-safe.
 */
public final class UsageService {
    private final UsageStore usage;
    private final LicenseStore licenses;
    private final Authorization authorization;
    private final Clock clock;
    private final RetryPolicy retry;

    public UsageService(UsageStore usage, LicenseStore licenses, WorkspaceStore workspaces, Clock clock,
                        RetryPolicy retry) {
        this.usage = Objects.requireNonNull(usage);
        this.licenses = Objects.requireNonNull(licenses);
        this.authorization = new Authorization(workspaces);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    /**
     * The last {@code days} UTC days, today included.
     *
     * @throws InvalidInput {@code invalid-days} unless 1 ≤ days ≤ {@value UsageHistory#MAX_DAYS}
     */
    public UsageHistory history(Caller caller, String workspaceId, int days) {
        authorization.withPermission(caller, workspaceId, Permission.LICENSES_ASSIGN);
        if (days < 1 || days > UsageHistory.MAX_DAYS) {
            throw new InvalidInput("invalid-days", "'days' must be a whole number from 1 to " + UsageHistory.MAX_DAYS + ".");
        }
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1L);
        return retry.run(() -> {
            List<UsageDay> stored = usage.days(workspaceId, from, to);
            LicensePool pool = licenses.pool(workspaceId);
            return UsageHistory.of(from, to, stored, pool.tally().inUse(), pool.seats());
        });
    }
}
