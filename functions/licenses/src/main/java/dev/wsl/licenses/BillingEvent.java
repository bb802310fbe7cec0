package dev.wsl.licenses;

import dev.wsl.core.domain.BoundedText;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Ids;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A subscription event from billing (EventBridge, source {@code wsl.billing}). The detail:
 * {@code workspaceId}, {@code subscriptionId}, {@code sequence} (billing's counter per
 * subscription, from 1), and except for expiry {@code plan}, {@code seats} (0–100000),
 * {@code periodStart}, {@code periodEnd} (ISO-8601 instants); a purchase may name the
 * {@code purchaserEmail}, who then gets a license if a seat is free.
 */
record BillingEvent(Kind kind, String workspaceId, String subscriptionId, long sequence, String plan, long seats,
                    Instant periodStart, Instant periodEnd, EmailAddress purchaserEmail) {

    enum Kind { PURCHASED, CHANGED, RENEWED, EXPIRED }

    static final long MAX_SEATS = 100_000;
    static final int MAX_PLAN = 40;
    private static final Pattern SUBSCRIPTION_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Set<String> FIELDS = Set.of("workspaceId", "subscriptionId", "sequence", "plan", "seats",
            "periodStart", "periodEnd", "purchaserEmail");

    /** Why an event is refused; it is logged and nothing is written. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    static BillingEvent parse(Map<String, Object> event) {
        Kind kind = switch (string(event, "detail-type")) {
            case "Subscription Purchased" -> Kind.PURCHASED;
            case "Subscription Changed" -> Kind.CHANGED;
            case "Subscription Renewed" -> Kind.RENEWED;
            case "Subscription Expired" -> Kind.EXPIRED;
            default -> throw new Rejected("unknown detail-type");
        };
        if (!(event.get("detail") instanceof Map<?, ?> raw)) {
            throw new Rejected("detail is missing");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) raw;
        for (String field : detail.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new Rejected("unknown field '" + field + "' in detail");
            }
        }
        String workspaceId = string(detail, "workspaceId");
        if (!Ids.isWellFormed("ws", workspaceId)) {
            throw new Rejected("workspaceId is not a workspace id");
        }
        String subscriptionId = string(detail, "subscriptionId");
        if (!SUBSCRIPTION_ID.matcher(subscriptionId).matches()) {
            throw new Rejected("subscriptionId must be 1 to 64 letters, digits, '-' or '_'");
        }
        long sequence = number(detail, "sequence", 1, Long.MAX_VALUE);
        if (kind == Kind.EXPIRED) {
            return new BillingEvent(kind, workspaceId, subscriptionId, sequence, null, 0, null, null, null);
        }
        String plan = string(detail, "plan").strip();
        if (!BoundedText.isValid(plan, MAX_PLAN)) {
            throw new Rejected("plan must be 1 to " + MAX_PLAN + " characters without control or formatting characters");
        }
        long seats = number(detail, "seats", 0, MAX_SEATS);
        Instant start = instant(detail, "periodStart");
        Instant end = instant(detail, "periodEnd");
        if (!end.isAfter(start)) {
            throw new Rejected("periodEnd must be after periodStart");
        }
        EmailAddress purchaser = null;
        if (detail.get("purchaserEmail") != null) {
            // Checked as ASCII before it is lower-cased, as at every door (EmailAddress).
            purchaser = EmailAddress.tryParse(string(detail, "purchaserEmail"))
                    .orElseThrow(() -> new Rejected("purchaserEmail is not a valid email address"));
        }
        return new BillingEvent(kind, workspaceId, subscriptionId, sequence, plan, seats, start, end, purchaser);
    }

    private static String string(Map<String, Object> map, String field) {
        if (!(map.get(field) instanceof String value) || value.isBlank()) {
            throw new Rejected(field + " is missing or not a string");
        }
        return value;
    }

    private static long number(Map<String, Object> map, String field, long min, long max) {
        Object value = map.get(field);
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < min || n.doubleValue() > max) {
            throw new Rejected(field + " must be an integer from " + min + " to " + max);
        }
        return n.longValue();
    }

    private static Instant instant(Map<String, Object> map, String field) {
        try {
            return Instant.parse(string(map, field));
        } catch (DateTimeParseException e) {
            throw new Rejected(field + " must be an ISO-8601 instant");
        }
    }
}
