package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingEventTest {
    private static Map<String, Object> event(String type, Map<String, Object> detail) {
        return Map.of("detail-type", type, "source", "wsl.billing", "detail", detail);
    }

    private static Map<String, Object> purchase() {
        Map<String, Object> d = new HashMap<>();
        d.put("workspaceId", "ws_01m8f7ncqm6g6dwjq5x6a3cwyq");
        d.put("subscriptionId", "sub_1");
        d.put("sequence", 1);
        d.put("plan", "Team");
        d.put("seats", 10);
        d.put("periodStart", "2026-11-01T00:00:00Z");
        d.put("periodEnd", "2027-11-01T00:00:00Z");
        d.put("purchaserEmail", "Admin@Example.com");
        return d;
    }

    @Test
    void parse_shouldReadAPurchase() {
        BillingEvent e = BillingEvent.parse(event("Subscription Purchased", purchase()));

        assertThat(e.kind()).isEqualTo(BillingEvent.Kind.PURCHASED);
        assertThat(e.seats()).isEqualTo(10);
        assertThat(e.purchaserEmail().value()).isEqualTo("admin@example.com");
    }

    @Test
    void parse_shouldRejectMissingWrongOrAbsurdFields() {
        for (var broken : java.util.List.<java.util.function.Consumer<Map<String, Object>>>of(
                d -> d.remove("seats"),
                d -> d.put("seats", -1),
                d -> d.put("seats", 100_001),
                d -> d.put("seats", 2.5),
                d -> d.put("seats", "10"),
                d -> d.remove("workspaceId"),
                d -> d.put("workspaceId", "../other"),
                d -> d.put("sequence", 0),
                d -> d.put("periodEnd", "2026-10-01T00:00:00Z"),
                d -> d.put("periodStart", "yesterday"),
                d -> d.put("plan", "Team\u0000"),
                d -> d.put("plan", "Team\u202E"),
                d -> d.put("plan", "x".repeat(41)),
                d -> d.put("purchaserEmail", "admin\u212A@example.com"),
                d -> d.put("purchaserEmail", "\u0130nge@example.com"),
                d -> d.put("purchaserEmail", "not-an-email"),
                d -> d.put("extra", true))) {
            Map<String, Object> detail = purchase();
            broken.accept(detail);
            assertThatThrownBy(() -> BillingEvent.parse(event("Subscription Purchased", detail)))
                    .as("detail %s", detail).isInstanceOf(BillingEvent.Rejected.class);
        }
        assertThatThrownBy(() -> BillingEvent.parse(event("Subscription Stolen", purchase())))
                .isInstanceOf(BillingEvent.Rejected.class);
        assertThatThrownBy(() -> BillingEvent.parse(Map.of("detail-type", "Subscription Purchased")))
                .isInstanceOf(BillingEvent.Rejected.class);
    }

    @Test
    void thePurchasersEmail_shouldBeCheckedAsAsciiBeforeCaseFolding() {
        Map<String, Object> kelvin = purchase();
        kelvin.put("purchaserEmail", "admin\u212A@example.com");

        assertThat("admin\u212A@example.com".toLowerCase(java.util.Locale.ROOT)).isEqualTo("admink@example.com");
        assertThatThrownBy(() -> BillingEvent.parse(event("Subscription Purchased", kelvin)))
                .isInstanceOf(BillingEvent.Rejected.class).hasMessageContaining("purchaserEmail");
        Map<String, Object> spaced = purchase();
        spaced.put("purchaserEmail", "  AdminK@Example.com ");
        spaced.put("plan", "  Team  ");
        BillingEvent e = BillingEvent.parse(event("Subscription Purchased", spaced));
        assertThat(e.purchaserEmail().value()).isEqualTo("admink@example.com");
        assertThat(e.plan()).isEqualTo("Team");
    }

    @Test
    void expiry_shouldNeedOnlyTheSubscriptionAndSequence() {
        BillingEvent e = BillingEvent.parse(event("Subscription Expired", Map.of(
                "workspaceId", "ws_01m8f7ncqm6g6dwjq5x6a3cwyq", "subscriptionId", "sub_1", "sequence", 3)));
        assertThat(e.kind()).isEqualTo(BillingEvent.Kind.EXPIRED);
        assertThat(e.sequence()).isEqualTo(3);
    }
}
