package dev.wsl.licenses;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.failure.NoFreeSeat;
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
 * A lost race for the pool is decided again on a fresh read (the retry policy); what still
 * fails is thrown, so that EventBridge delivers the event again. Thread-safe.
 */
final class BillingService {
    private final LicenseService licenses;
    private final RetryPolicy retry;

    BillingService(LicenseService licenses, RetryPolicy retry) {
        this.licenses = Objects.requireNonNull(licenses);
        this.retry = Objects.requireNonNull(retry);
    }

    /** The answer recorded by the handler (and returned to EventBridge's invocation). */
    record Outcome(boolean applied, String note, String purchaserLicense) {}

    Outcome apply(BillingEvent event) {
        if (licenses.workspaces().findWorkspace(event.workspaceId()).isEmpty()) {
            throw new BillingEvent.Rejected("workspace does not exist");
        }
        Outcome saved = retry.run(() -> save(event));
        return saved.applied() ? new Outcome(true, saved.note(), purchaserLicense(event)) : saved;
    }

    /** Saves the subscription unless the event is not newer than the one applied; no purchaser license yet. */
    private Outcome save(BillingEvent event) {
        LicensePool pool = licenses.licenses().pool(event.workspaceId());
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
        Instant now = licenses.clock().instant();
        long seats = subscriptions.values().stream().mapToLong(s -> s.seatsAt(now)).sum();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("subscriptionId", next.subscriptionId());
        details.put("plan", next.plan());
        details.put("seats", Long.toString(next.seats()));
        details.put("status", next.status().name());
        details.put("workspaceSeats", Long.toString(seats));
        AuditEntry audit = LicenseService.BILLING.audit(event.workspaceId(), now,
                "subscription." + event.kind().name().toLowerCase(Locale.ROOT), next.subscriptionId(), details);
        licenses.licenses().saveSubscriptions(pool, subscriptions, seats, audit);
        return new Outcome(true, "seats now " + seats, null);
    }

    /**
     * The purchaser gets a license if they are a member and a seat is free; otherwise the event still
     * applies and the outcome says why not. Only those two answers are expected here; anything else
     * (the pool kept changing, the table failed) is thrown, so that the failed invocation shows — a
     * redelivery finds the subscription applied and assigns nothing, so an admin assigns the license.
     */
    private String purchaserLicense(BillingEvent event) {
        if (event.kind() != BillingEvent.Kind.PURCHASED || event.purchaserEmail() == null) {
            return null;
        }
        var memberId = licenses.workspaces().findMemberIdByEmail(event.workspaceId(), event.purchaserEmail().value());
        Optional<Member> member = memberId.flatMap(id -> licenses.workspaces().findMember(event.workspaceId(), id));
        if (member.isEmpty() || member.get().status() == MemberStatus.REMOVED) {
            return "purchaser is not a member of the workspace";
        }
        try {
            licenses.assignAs(LicenseService.BILLING, event.workspaceId(), member.get().memberId());
            return "assigned to " + member.get().memberId();
        } catch (NoFreeSeat full) {
            return "not assigned: no free seat (" + full.detail() + ")";
        }
    }
}
