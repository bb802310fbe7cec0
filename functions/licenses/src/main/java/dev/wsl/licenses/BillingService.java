package dev.wsl.licenses;

import dev.wsl.core.api.ApiException;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Subscription;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies billing's subscription events to a workspace's pool. Events may arrive twice or
 * out of order: an event whose sequence is not newer than the one applied for that
 * subscription changes nothing. Seats are the sum over active, unexpired subscriptions.
 */
final class BillingService {
    private final LicenseService licenses;

    BillingService(LicenseService licenses) {
        this.licenses = licenses;
    }

    /** The answer recorded by the handler (and returned to EventBridge's invocation). */
    record Outcome(boolean applied, String note, String purchaserLicense) {}

    Outcome apply(BillingEvent event) {
        if (licenses.workspaces().findWorkspace(event.workspaceId()).isEmpty()) {
            throw new BillingEvent.Rejected("workspace does not exist");
        }
        for (int attempt = 0; attempt < 5; attempt++) {
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
                    "subscription." + event.kind().name().toLowerCase(java.util.Locale.ROOT), next.subscriptionId(),
                    details);
            if (licenses.licenses().saveSubscriptions(pool, subscriptions, seats, audit)) {
                return new Outcome(true, "seats now " + seats, purchaserLicense(event));
            }
        }
        throw new IllegalStateException("license pool kept changing; the event will be retried");
    }

    /** The purchaser gets a license if they are a member and a seat is free; otherwise the event still applies. */
    private String purchaserLicense(BillingEvent event) {
        if (event.kind() != BillingEvent.Kind.PURCHASED || event.purchaserEmail() == null) {
            return null;
        }
        var memberId = licenses.workspaces().findMemberIdByEmail(event.workspaceId(), event.purchaserEmail().value());
        if (memberId.isEmpty()) {
            return "purchaser is not a member of the workspace";
        }
        try {
            licenses.assignAs(LicenseService.BILLING, event.workspaceId(), memberId.get());
            return "assigned to " + memberId.get();
        } catch (ApiException e) {
            return "not assigned: " + e.type();
        }
    }
}
