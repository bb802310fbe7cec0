package dev.wsl.licenses;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.failure.RetryPolicy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies billing's subscription events to a workspace's pool. Events may arrive twice or
 * out of order: an event whose sequence is not newer than the one applied for that
 * subscription changes nothing. Seats are the sum over active, unexpired subscriptions.
 * The purchaser's license is written in the same step as the subscription, so that a purchase is
 * applied whole or not at all. A lost race for the pool is decided again on a fresh read (the retry
 * policy); what still fails is thrown, so that Lambda's asynchronous retry delivers the event again
 * (and then the function's on-failure queue). Thread-safe.
 */
final class BillingService {
    private final LicenseService licenses;
    private final SeatPlanner planner;
    private final RetryPolicy retry;

    BillingService(LicenseService licenses, RetryPolicy retry) {
        this.licenses = Objects.requireNonNull(licenses);
        this.planner = licenses.planner();
        this.retry = Objects.requireNonNull(retry);
    }

    /** The answer recorded by the handler (and returned to EventBridge's invocation). */
    record Outcome(boolean applied, String note, String purchaserLicense) {}

    Outcome apply(BillingEvent event) {
        if (planner.workspaces().findWorkspace(event.workspaceId()).isEmpty()) {
            throw new BillingEvent.Rejected("workspace does not exist");
        }
        return retry.run(() -> save(event));
    }

    /** Saves the subscription, with the purchaser's license, unless the event is not newer than the one applied. */
    private Outcome save(BillingEvent event) {
        LicensePool pool = planner.licenses().pool(event.workspaceId());
        Subscription current = pool.subscriptions().get(event.subscriptionId());
        if (current != null && current.sequence() >= event.sequence()) {
            return new Outcome(false, "already applied (sequence " + current.sequence() + ")", null);
        }
        if (current == null && event.kind() != BillingEvent.Kind.PURCHASED) {
            throw new BillingEvent.Rejected("unknown subscription; a purchase must come first");
        }
        Subscription next = switch (event.kind()) {
            case EXPIRED -> new Subscription(current.subscriptionId(), current.plan(), current.seats(),
                    current.periodStart(), current.periodEnd(), Subscription.Status.EXPIRED, event.sequence());
            default -> new Subscription(event.subscriptionId(), event.plan(), event.seats(), event.periodStart(),
                    event.periodEnd(), Subscription.Status.ACTIVE, event.sequence());
        };
        Map<String, Subscription> subscriptions = new TreeMap<>(pool.subscriptions());
        subscriptions.put(next.subscriptionId(), next);
        Instant now = planner.clock().instant();
        long seats = subscriptions.values().stream().mapToLong(s -> s.seatsAt(now)).sum();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("subscriptionId", next.subscriptionId());
        details.put("plan", next.plan());
        details.put("seats", Long.toString(next.seats()));
        details.put("status", next.status().name());
        details.put("workspaceSeats", Long.toString(seats));
        AuditEntry audit = LicenseService.BILLING.actor().audit(event.workspaceId(), now,
                "subscription." + event.kind().name().toLowerCase(Locale.ROOT), next.subscriptionId(), details);
        Purchaser purchaser = purchaser(event, pool, subscriptions, seats);
        planner.licenses().saveSubscriptions(pool, subscriptions, seats, audit, purchaser.license());
        return new Outcome(true, "seats now " + seats, purchaser.note());
    }

    /** The purchaser's license to write with the subscription (null: none), and what the outcome says of it. */
    private record Purchaser(SeatChange license, String note) {}

    /**
     * The purchaser gets a license if they are a member and a seat is free in the seats being saved;
     * otherwise the event still applies and the note says why not. Planned on the reads of this attempt,
     * like the subscription: a redelivery after a failure finds neither written and plans both again.
     */
    private Purchaser purchaser(BillingEvent event, LicensePool pool, Map<String, Subscription> subscriptions,
                                long seats) {
        if (event.kind() != BillingEvent.Kind.PURCHASED || event.purchaserEmail() == null) {
            return new Purchaser(null, null);
        }
        var memberId = planner.workspaces().findMemberIdByEmail(event.workspaceId(), event.purchaserEmail().value());
        Optional<Member> member = memberId.flatMap(id -> planner.workspaces().findMember(event.workspaceId(), id));
        if (member.isEmpty() || member.get().status() == MemberStatus.REMOVED) {
            return new Purchaser(null, "purchaser is not a member of the workspace");
        }
        if (planner.awaitsConsent(member.get())) {
            return new Purchaser(null, "not assigned: waiting for the person to join the workspace");
        }
        LicensePool saved = new LicensePool(pool.workspaceId(), subscriptions, seats, pool.tally(),
                pool.unassignedKeys(), pool.version(), pool.licensedFrom());
        SeatChange license = licenses.assignment(LicenseService.BILLING, member.get(), saved, null);
        if (license != null && pool.tally().inUse() + license.delta().inUse() > seats) {
            return new Purchaser(null, "not assigned: no free seat (" + saved.blockedReason() + ")");
        }
        return new Purchaser(license, "assigned to " + member.get().memberId());
    }
}
