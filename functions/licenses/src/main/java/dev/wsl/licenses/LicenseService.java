package dev.wsl.licenses;

import static dev.wsl.licenses.SeatPlanner.nullToEmpty;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NoFreeSeat;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A member's license, one door per use case for every principal: an admin or holder of {@code licenses:assign}
 * in the console, the identity provider through its license groups (a given subscription), billing for the
 * purchaser. Each change is planned and applied by the {@link SeatPlanner} (one conditioned step, planned again
 * after a lost race). Thread-safe.
 */
public final class LicenseService {
    /** Billing, as it assigns the purchaser's license with their subscription. */
    static final Principal.Job BILLING = new Principal.Job(new Actor("billing", "billing"));

    private final SeatPlanner seats;

    public LicenseService(WorkspaceStore workspaces, LicenseStore licenses, Clock clock, RetryPolicy retry) {
        this(new SeatPlanner(workspaces, licenses, clock, retry));
    }

    LicenseService(SeatPlanner seats) {
        this.seats = Objects.requireNonNull(seats);
    }

    /**
     * Gives the member a license, counted against {@code subscriptionId}, or (null) against the subscription with
     * the most room ({@link LicensePool#subscriptionWithRoom()}): when none has room, a member whose legacy key
     * holds a seat already still gets one, counted against no subscription (it takes no seat). Idempotent: a
     * member licensed as asked is answered as they are. A member licensed from another subscription moves to
     * the one asked for (the identity provider's license groups: a member is in at most one).
     *
     * @param subscriptionId null: any (the console's and billing's assignment)
     * @throws NoFreeSeat when the pool, or the subscription asked for, has no free seat; a person who manages
     *                    legacy keys is told which unassigned keys hold seats
     */
    public Member assign(Principal who, String workspaceId, String memberId, String subscriptionId) {
        Authorization.require(who, workspaceId, Permission.LICENSES_ASSIGN);
        boolean namesKeys = who instanceof Principal.Person person
                && person.grant().access().allows(Permission.LEGACY_KEYS_MANAGE);
        return seats.seatChange(workspaceId, namesKeys, pool -> {
            Member before = seats.member(workspaceId, memberId);
            SeatPlanner.requireHolder(before);
            seats.requireJoined(before);
            SeatChange assignment = assignment(who, before, pool, subscriptionId);
            return new SeatPlanner.Planned<>(assignment, assignment == null ? before
                    : assignment.members().getFirst().after());
        });
    }

    /**
     * The change that gives a member (read now, not REMOVED, joined) a license, with its audit entry; null when
     * they hold it as asked already. It takes a seat unless the member occupies one (a legacy key, or a license
     * from another subscription).
     *
     * @param subscriptionId null: the subscription of {@code pool} with the most room (none when none has room)
     */
    SeatChange assignment(Principal who, Member before, LicensePool pool, String subscriptionId) {
        if (subscriptionId == null ? before.holdings().licensed() : before.holdings().licensedFrom(subscriptionId)) {
            return null;
        }
        String subscription = subscriptionId != null ? subscriptionId : pool.subscriptionWithRoom().orElse(null);
        Member after = before.withHoldings(before.holdings().withLicenseFrom(subscription));
        return SeatPlanner.change(before.workspaceId(), List.of(new SeatChange.MemberChange(before, after)), List.of(),
                who.actor().audit(before.workspaceId(), seats.clock().instant(), "license.assigned", before.memberId(),
                        Map.of("seatTaken", Boolean.toString(!before.holdings().occupiesSeat()),
                                "subscription", nullToEmpty(subscription),
                                "from", nullToEmpty(before.holdings().subscriptionId()))));
    }

    /**
     * Takes the member's license, if it is counted against {@code subscriptionId} (null: whatever it is counted
     * against); the seat is freed unless their legacy key still holds it. The audit entry names the subscription
     * the license was counted against, whoever took it.
     *
     * <p>A member licensed from another subscription is left as is. A member without a license is an error for a
     * person, who asked to take one that is not there ({@code no-license}); the identity provider and jobs state
     * the outcome they want, which holds already.
     *
     * @return the member, changed or not
     */
    public Member unassign(Principal who, String workspaceId, String memberId, String subscriptionId) {
        Authorization.require(who, workspaceId, Permission.LICENSES_ASSIGN);
        return seats.seatChange(workspaceId, false, pool -> {
            Member before = seats.member(workspaceId, memberId);
            if (!before.holdings().licensed() && who instanceof Principal.Person) {
                throw new Conflict("no-license", "The member holds no license.");
            }
            if (!before.holdings().licensed()
                    || (subscriptionId != null && !before.holdings().licensedFrom(subscriptionId))) {
                return new SeatPlanner.Planned<>(null, before);
            }
            Member after = before.withHoldings(before.holdings().withLicense(false));
            return new SeatPlanner.Planned<>(SeatPlanner.change(workspaceId,
                    List.of(new SeatChange.MemberChange(before, after)), List.of(),
                    who.actor().audit(workspaceId, seats.clock().instant(), "license.unassigned", memberId,
                            Map.of("seatFreed", Boolean.toString(!before.holdings().holdsKey()),
                                    "subscription", nullToEmpty(before.holdings().subscriptionId())))), after);
        });
    }

    /** The seats' planner, for billing, which saves the purchaser's license with the subscription. */
    SeatPlanner planner() {
        return seats;
    }
}
