package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.ReclaimRules;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.SeatStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Idle seats and the reclaim policy (issue 21): the Licenses section with the idle count, an admin's change of the
 * policy (audited), the preview of the next reclaim run, and the reclaim of one seat for the job. Thread-safe.
 */
public final class SeatService {
    /** Who reclaims: the workspace's policy, as the audit trail names it. */
    static final Actor POLICY = new Actor("reclaim-policy", "reclaim-policy");

    private final WorkspaceStore workspaces;
    private final LicenseStore licenses;
    private final SeatStore seats;
    private final ReclaimRules rules;
    private final LocalTime dailyRunAt;
    private final Authorization authorization;
    private final Clock clock;
    private final RetryPolicy retry;

    /** @param dailyRunAt when (UTC) the scheduled job runs each day: the preview shows that run */
    public SeatService(WorkspaceStore workspaces, LicenseStore licenses, SeatStore seats, ReclaimRules rules,
                       LocalTime dailyRunAt, Clock clock, RetryPolicy retry) {
        this.workspaces = Objects.requireNonNull(workspaces);
        this.licenses = Objects.requireNonNull(licenses);
        this.seats = Objects.requireNonNull(seats);
        this.rules = Objects.requireNonNull(rules);
        this.dailyRunAt = Objects.requireNonNull(dailyRunAt);
        this.authorization = new Authorization(workspaces);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    /** The Licenses section: the pool (unassigned keys named for those who manage them, else counted), with the policy and its idle count. */
    public record Summary(LicensePool pool, SeatPolicy policy, boolean namesKeys, int noticeDays) {}

    /** Any member: one read of the grant, one of the pool and policy together. */
    public Summary summary(Caller caller, String workspaceId) {
        return retry.run(() -> {
            Grant grant = authorization.member(caller, workspaceId);
            SeatStore.Overview overview = seats.overview(workspaceId);
            return new Summary(overview.pool(), overview.policy(), grant.access().allows(Permission.LEGACY_KEYS_MANAGE),
                    rules.noticeDays());
        });
    }

    /**
     * An admin's policy: idle after {@code idleDays}, reclaim on or off, after {@code reclaimDays} (null: as they
     * are). Asking for what is there changes nothing and writes nothing.
     *
     * @throws Forbidden for anyone but an admin (no advanced permission covers it: it decides about everyone's seat)
     */
    public SeatPolicy setPolicy(Caller caller, String workspaceId, Integer idleDays, Boolean reclaim,
                                Integer reclaimDays) {
        requireAdmin(caller, workspaceId);
        Actor actor = Actor.of(caller);
        return retry.run(() -> {
            SeatPolicy read = seats.policy(workspaceId);
            int idle = idleDays == null ? read.idleDays() : idleDays;
            boolean on = reclaim == null ? read.reclaim() : reclaim;
            int days = reclaimDays == null ? read.reclaimDays() : reclaimDays;
            if (read.version() > 0 && idle == read.idleDays() && on == read.reclaim() && days == read.reclaimDays()) {
                return read;
            }
            Instant now = clock.instant();
            SeatPolicy next = read.changedTo(idle, on, days, actor, now);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("idleDays", Integer.toString(idle));
            details.put("reclaim", Boolean.toString(on));
            details.put("reclaimDays", Integer.toString(days));
            details.put("before", "idleDays=" + read.idleDays() + ", reclaim=" + read.reclaim() + ", reclaimDays="
                    + read.reclaimDays());
            seats.savePolicy(read, next, actor.audit(workspaceId, now, "seat-policy.changed", workspaceId, details));
            return next;
        });
    }

    /** One seat of the preview: its holder, the seat, and what the run would do with it. */
    public record PreviewItem(Member holder, Seat seat, ReclaimRules.Decision decision) {}

    /**
     * What the next scheduled run would do with the workspace's idle seats, longest idle first: notice, wait,
     * reclaim, or keep (a legacy key holds the seat). With reclaim off it shows what the run would do if it were on.
     */
    public record Preview(SeatPolicy policy, Instant runAt, List<PreviewItem> items, String nextCursor) {}

    /** Admins only; a page of the seat index from the policy's candidates on, each holder read again. */
    public Preview preview(Caller caller, String workspaceId, int limit, String cursor) {
        requireAdmin(caller, workspaceId);
        return retry.run(() -> {
            SeatPolicy policy = seats.policy(workspaceId);
            Instant runAt = nextRun(clock.instant());
            SeatStore.SeatPage page = seats.idleSeats(workspaceId, rules.candidatesBefore(policy, runAt), limit, cursor);
            Map<String, Member> holders = page.seats().isEmpty() ? Map.of()
                    : workspaces.findMembers(workspaceId, page.seats().stream().map(Seat::memberId).toList());
            List<PreviewItem> items = new ArrayList<>();
            for (Seat seat : page.seats()) {
                Member holder = holders.get(seat.memberId());
                ReclaimRules.Decision decision = rules.decide(seat, holder, policy, runAt);
                if (holder != null && holder.holdings().licensed()) {
                    items.add(new PreviewItem(holder, seat, decision));
                }
            }
            return new Preview(policy, runAt, items, page.next());
        });
    }

    /** The scheduled run's next start after {@code now}. */
    Instant nextRun(Instant now) {
        Instant today = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(dailyRunAt).toInstant(ZoneOffset.UTC);
        return today.isAfter(now) ? today : today.plus(Duration.ofDays(1));
    }

    /** How a reclaim of one seat ended. */
    public enum Reclaimed { RECLAIMED, USED_MEANWHILE, NOT_RECLAIMABLE }

    /**
     * Takes back the license of an idle seat for the policy, audited with the policy as actor: only while the seat
     * is still the one read (nobody activated since the notice), its holder still holds the license and no legacy
     * key, and the rules still say reclaim. Read again and decided again under the retry policy, so a lost race
     * with an activation ends as {@code USED_MEANWHILE}, never as a reclaim.
     */
    public Reclaimed reclaim(String workspaceId, Seat read, SeatPolicy policy) {
        return retry.run(() -> {
            Instant now = clock.instant();
            Seat seat = seats.seats(workspaceId, List.of(read.memberId())).get(read.memberId());
            if (seat == null || !seat.lastActivity().equals(read.lastActivity())) {
                return Reclaimed.USED_MEANWHILE;
            }
            Member holder = workspaces.findMember(workspaceId, read.memberId()).orElse(null);
            ReclaimRules.Decision decision = rules.decide(seat, holder, policy, now);
            if (decision.action() != ReclaimRules.Action.RECLAIM) {
                return Reclaimed.NOT_RECLAIMABLE;
            }
            Member after = holder.withHoldings(holder.holdings().withLicense(false));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("idleSince", seat.lastActivity().toString());
            details.put("idleDays", Long.toString(seat.idleDays(now)));
            details.put("noticedAt", seat.notice().noticedAt().toString());
            details.put("deadline", decision.deadline().toString());
            details.put("policy", "reclaim seats idle for " + policy.reclaimDays() + " days");
            details.put("subscription", holder.holdings().subscriptionId() == null ? ""
                    : holder.holdings().subscriptionId());
            AuditEntry audit = POLICY.audit(workspaceId, now, "license.reclaimed", holder.memberId(), details);
            // Conditioned on the member's version and on the seat's last activity as read: an activation (or any
            // change of the member) meanwhile fails it, and the retry policy's next attempt reads and decides again.
            licenses.apply(new SeatChange(workspaceId, List.of(new SeatChange.MemberChange(holder, after,
                    seat.lastActivity())), List.of(), List.of(audit)), licenses.pool(workspaceId));
            return Reclaimed.RECLAIMED;
        });
    }

    private Grant requireAdmin(Caller caller, String workspaceId) {
        Grant grant = authorization.member(caller, workspaceId);
        if (!grant.access().isAdmin()) {
            throw new Forbidden("missing-permission", "This needs the ADMIN role: the seat policy decides about"
                    + " everyone's license.");
        }
        return grant;
    }

    ReclaimRules rules() {
        return rules;
    }

    Clock clock() {
        return clock;
    }
}
