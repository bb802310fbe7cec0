package dev.wsl.licenses;

import dev.wsl.core.access.VerifiedDomains;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NoFreeSeat;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.failure.SeatsChanged;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way a workspace's seats change, for licenses ({@link LicenseService}), legacy keys
 * ({@link LegacyKeyService}), billing and the sunset job: every operation reads the current state, describes
 * the change as a {@link SeatChange} and lets the store apply it in one conditioned step; when a concurrent
 * request got there first the operation reads again and plans again under the {@link RetryPolicy}, so callers
 * see either success or a 409 with the reason, never a lost update. With the reads and refusals the plans
 * share. Thread-safe.
 */
final class SeatPlanner {
    private final WorkspaceStore workspaces;
    private final LicenseStore licenses;
    private final Clock clock;
    private final RetryPolicy retry;
    private final VerifiedDomains domains;

    SeatPlanner(WorkspaceStore workspaces, LicenseStore licenses, Clock clock, RetryPolicy retry) {
        this.workspaces = Objects.requireNonNull(workspaces);
        this.licenses = Objects.requireNonNull(licenses);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
        this.domains = new VerifiedDomains(workspaces);
    }

    /** A change to apply (null: nothing to do) and what the operation answers. */
    record Planned<T>(SeatChange change, T result) {}

    /**
     * Reads the pool, plans against fresh reads and applies, under the retry policy: a lost race (a member
     * or key changed, or the seats changed under a seat-taking write) is planned again. A pool that really
     * is full is answered with why; when every attempt lost the seats to concurrent requests, too.
     *
     * @param namesKeys whether a full pool's refusal names the unassigned keys (the caller manages legacy keys)
     */
    <T> T seatChange(String workspaceId, boolean namesKeys, Function<LicensePool, Planned<T>> plan) {
        try {
            return retry.run(() -> {
                LicensePool pool = licenses.pool(workspaceId);
                Planned<T> planned = plan.apply(pool);
                if (planned.change() == null) {
                    return planned.result();
                }
                long needed = planned.change().delta().inUse();
                if (needed > 0 && pool.tally().inUse() + needed > pool.seats()) {
                    throw noFreeSeat(pool, namesKeys);
                }
                planned.change().subscriptionDelta().forEach((subscription, given) -> {
                    if (given > 0 && pool.licensedFrom(subscription) + given > pool.seatsOf(subscription)) {
                        throw subscriptionFull(pool, subscription);
                    }
                });
                licenses.apply(planned.change(), pool);
                return planned.result();
            });
        } catch (SeatsChanged lostEveryRace) {
            throw noFreeSeat(licenses.pool(workspaceId), namesKeys);
        }
    }

    /**
     * A key's deletion, as an admin's and the sunset job's alike: its holder (as read) loses it, the key
     * (with its claim, in the store) goes, and the audit entry says who held it.
     */
    SeatChange deletion(LegacyKey key, Optional<Member> holder, Actor actor, String action) {
        List<SeatChange.MemberChange> members = holder.map(h -> List.of(new SeatChange.MemberChange(h,
                h.withHoldings(h.holdings().withKey(null))))).orElse(List.of());
        return new SeatChange(key.workspaceId(), members, List.of(new SeatChange.KeyChange(key, null)),
                List.of(actor.audit(key.workspaceId(), clock.instant(), action, key.keyId(),
                        Map.of("masked", key.shown(), "holder", nullToEmpty(key.assigneeMemberId())))));
    }

    /** A subscription whose seats are all given: its license group takes nobody more. */
    static NoFreeSeat subscriptionFull(LicensePool pool, String subscriptionId) {
        var s = pool.subscriptions().get(subscriptionId);
        String name = s == null ? subscriptionId : s.plan() + " (" + subscriptionId + ")";
        return new NoFreeSeat("No free license in " + name + ": all " + pool.seatsOf(subscriptionId)
                + " of its seats are given.", pool.seats(), pool.tally().inUse(), pool.unassignedKeys().size());
    }

    /** @param namesKeys whether the refusal names the unassigned keys holding seats, or counts them */
    private static NoFreeSeat noFreeSeat(LicensePool pool, boolean namesKeys) {
        String reason = pool.blockedReason(namesKeys);
        String detail = reason == null ? "The seats were taken by concurrent requests; retry." : reason;
        return namesKeys ? new NoFreeSeat(detail, pool.seats(), pool.tally().inUse(), pool.unassignedKeysShown())
                : new NoFreeSeat(detail, pool.seats(), pool.tally().inUse(), pool.unassignedKeys().size());
    }

    Member member(String workspaceId, String memberId) {
        if (memberId == null || !Ids.isWellFormed("m", memberId)) {
            throw memberNotFound();
        }
        return workspaces.findMember(workspaceId, memberId).orElseThrow(SeatPlanner::memberNotFound);
    }

    LegacyKey key(String workspaceId, String keyId) {
        if (!Ids.isWellFormed("lk", keyId)) {
            throw keyNotFound();
        }
        return licenses.findKey(workspaceId, keyId).orElseThrow(SeatPlanner::keyNotFound);
    }

    private static NotFound memberNotFound() {
        return new NotFound("member-not-found", "No member with this id exists in this workspace.");
    }

    private static NotFound keyNotFound() {
        return new NotFound("key-not-found", "No legacy key with this id exists in this workspace.");
    }

    static void requireHolder(Member member) {
        if (member.status() == MemberStatus.REMOVED) {
            throw new Conflict("member-removed", "A removed member cannot hold a license or a legacy key.");
        }
    }

    /**
     * A membership an identity provider created holds no license until the person joins, unless the workspace
     * verified the domain of their email (then they join at their first sign-in, licensed as assigned).
     */
    void requireJoined(Member member) {
        if (awaitsConsent(member)) {
            throw new Conflict("awaiting-join", "Waiting for the person to join: " + member.email().value()
                    + " was provisioned by the identity provider and has not chosen to join the workspace yet"
                    + " (their email's domain is not verified by this workspace). A license can be assigned once"
                    + " they join.");
        }
    }

    /** Whether the member waits for the person's consent (see {@link VerifiedDomains#awaitsConsent}). */
    boolean awaitsConsent(Member member) {
        return domains.awaitsConsent(member, clock.instant());
    }

    static SeatChange change(String workspaceId, List<SeatChange.MemberChange> members,
                             List<SeatChange.KeyChange> keys, AuditEntry audit) {
        return new SeatChange(workspaceId, members, keys, List.of(audit));
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    WorkspaceStore workspaces() {
        return workspaces;
    }

    LicenseStore licenses() {
        return licenses;
    }

    Clock clock() {
        return clock;
    }

    RetryPolicy retry() {
        return retry;
    }
}
