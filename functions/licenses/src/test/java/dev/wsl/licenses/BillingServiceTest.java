package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Billing's events against the pool: ordering, seats, the purchaser's license. */
class BillingServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, NOW);
    private final MutableClock clock = new MutableClock(NOW);
    private final LicenseService licenses = new LicenseService(stores.workspaces(), stores.licenses(),
            clock, RetryPolicy.withoutPauses(3));
    private final BillingService billing = new BillingService(licenses, RetryPolicy.withoutPauses(3));
    private final Arrange.Ws ws = arrange.workspace();

    private BillingEvent event(BillingEvent.Kind kind, long sequence, long seats, String purchaser) {
        return new BillingEvent(kind, ws.id(), "sub_1", sequence, "Team", seats, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(365)), purchaser == null ? null : new EmailAddress(purchaser));
    }

    private long seats() {
        return stores.licenses().pool(ws.id()).seats();
    }

    @Test
    void aPurchase_shouldGiveSeats_andTheMemberPurchaserALicense_once() {
        BillingService.Outcome outcome = billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, ws.caller().email().value()));

        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.purchaserLicense()).isEqualTo("assigned to " + ws.admin().memberId());
        assertThat(seats()).isEqualTo(5);
        assertThat(billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, ws.caller().email().value())).applied())
                .as("redelivery").isFalse();
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isEqualTo(1);
    }

    @Test
    void thePurchasersLicense_shouldBeCountedAgainstThePurchasedSubscription_itsLicenseGroup() {
        billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, ws.caller().email().value()));

        assertThat(stores.licenses().pool(ws.id()).licensedFrom("sub_1")).isEqualTo(1);
        assertThat(stores.workspaces().findMember(ws.id(), ws.admin().memberId()).orElseThrow().holdings().subscriptionId())
                .isEqualTo("sub_1");
    }

    @Test
    void anOlderEvent_shouldChangeNothing_afterANewerOne() {
        billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, null));
        billing.apply(event(BillingEvent.Kind.CHANGED, 3, 8, null));

        BillingService.Outcome late = billing.apply(event(BillingEvent.Kind.CHANGED, 2, 2, null));

        assertThat(late.applied()).isFalse();
        assertThat(late.note()).contains("sequence 3");
        assertThat(seats()).isEqualTo(8);
    }

    @Test
    void aDowngradeOrExpiry_shouldKeepEveryAssignment_andBlockNewOnes() {
        billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 2, null));
        arrange.license(arrange.invite(ws, "a@example.com"));
        arrange.license(arrange.invite(ws, "b@example.com"));

        billing.apply(event(BillingEvent.Kind.CHANGED, 2, 1, null));
        assertThat(seats()).isEqualTo(1);
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isEqualTo(2);
        billing.apply(event(BillingEvent.Kind.EXPIRED, 3, 0, null));
        assertThat(seats()).isZero();
        assertThat(stores.licenses().pool(ws.id()).blockedReason()).contains("no active subscription");
    }

    @Test
    void aPurchaserWithoutAFreeSeat_shouldBeToldWhy_andTheSubscriptionStillApply() {
        billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 1, null));
        arrange.license(arrange.invite(ws, "a@example.com"));

        BillingService.Outcome outcome = new BillingService(licenses, RetryPolicy.withoutPauses(3)).apply(
                new BillingEvent(BillingEvent.Kind.PURCHASED, ws.id(), "sub_2", 1, "Team", 0, NOW,
                        NOW.plus(Duration.ofDays(30)), ws.caller().email()));

        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.purchaserLicense()).startsWith("not assigned: no free seat");
        assertThat(stores.licenses().pool(ws.id()).subscriptions()).containsKey("sub_2");
    }

    @Test
    void aPurchaserWhoIsNoMember_orRemoved_shouldGetNothing() {
        Member gone = arrange.activeMember(ws, "gone@example.com");
        stores.workspaces().remove(gone, gone.removed(NOW), 0, arrange.audit(ws.id(), ws.caller(), "r"), null, null);

        assertThat(billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, "stranger@example.com")).purchaserLicense())
                .isEqualTo("purchaser is not a member of the workspace");
        assertThat(new BillingService(licenses, RetryPolicy.withoutPauses(3)).apply(new BillingEvent(
                BillingEvent.Kind.PURCHASED, ws.id(), "sub_3", 1, "Team", 5, NOW, NOW.plus(Duration.ofDays(30)),
                new EmailAddress("gone@example.com"))).purchaserLicense()).isEqualTo("purchaser is not a member of the workspace");
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isZero();
    }

    @Test
    void aPoolThatKeepsFailing_shouldBeThrown_soThatTheEventIsDeliveredAgain() {
        for (int i = 0; i < 3; i++) {
            stores.beforeNextWrite(() -> {
                throw new Busy("collided", null);
            });
        }

        assertThatThrownBy(() -> billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, null))).isInstanceOf(Busy.class);
        assertThat(seats()).isZero();
        assertThat(billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, null)).applied()).as("the redelivery").isTrue();
    }

    @Test
    void aPurchase_shouldSaveTheSubscriptionAndThePurchasersLicenseInOneWrite() {
        stores.beforeNextWrite(() -> { });
        stores.beforeNextWrite(() -> {
            throw new Busy("collided", null);
        });

        BillingService.Outcome outcome = billing.apply(event(BillingEvent.Kind.PURCHASED, 1, 5, ws.caller().email().value()));

        assertThat(stores.pendingInterleaved()).as("no second write: nothing left for a redelivery to finish").isEqualTo(1);
        assertThat(outcome.purchaserLicense()).isEqualTo("assigned to " + ws.admin().memberId());
        assertThat(seats()).isEqualTo(5);
        assertThat(adminLicensed()).isTrue();
    }

    @Test
    void aPurchaseWhoseWriteKeepsFailing_shouldBeThrown_withNothingHalfDone_andItsRedeliveryShouldLicenseThePurchaser() {
        for (int i = 0; i < 3; i++) {
            stores.beforeNextWrite(() -> {
                throw new Busy("collided", null);
            });
        }
        BillingEvent purchase = event(BillingEvent.Kind.PURCHASED, 1, 5, ws.caller().email().value());

        assertThatThrownBy(() -> billing.apply(purchase)).isInstanceOf(Busy.class);
        assertThat(seats()).isZero();
        assertThat(adminLicensed()).isFalse();

        BillingService.Outcome redelivered = billing.apply(purchase);

        assertThat(redelivered.applied()).isTrue();
        assertThat(redelivered.purchaserLicense()).isEqualTo("assigned to " + ws.admin().memberId());
        assertThat(adminLicensed()).isTrue();
        assertThat(seats()).isEqualTo(5);
        assertThat(stores.licenses().pool(ws.id()).tally()).isEqualTo(stores.recount(ws.id()));
        assertThat(billing.apply(purchase).applied()).as("a further redelivery").isFalse();
    }

    private boolean adminLicensed() {
        return stores.workspaces().findMember(ws.id(), ws.admin().memberId()).orElseThrow().holdings().licensed();
    }

    @Test
    void eventsForUnknownWorkspacesOrSubscriptions_shouldBeRejected() {
        assertThatThrownBy(() -> billing.apply(new BillingEvent(BillingEvent.Kind.PURCHASED, "ws_01m8f7ncqm6g6dwjq5x6a3cwyq",
                "sub_1", 1, "Team", 5, NOW, NOW.plusSeconds(60), null))).isInstanceOf(BillingEvent.Rejected.class);
        assertThatThrownBy(() -> billing.apply(event(BillingEvent.Kind.CHANGED, 1, 5, null)))
                .isInstanceOf(BillingEvent.Rejected.class);
    }
}
