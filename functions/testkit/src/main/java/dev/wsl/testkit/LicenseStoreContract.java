package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.SeatsChanged;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seats, subscriptions and legacy keys: every seat-taking change conditioned on the pool as read, written whole or
 * not at all; the stored counters equal a recount.
 */
public abstract class LicenseStoreContract extends StoreContract {
    @Test
    void aSeatTakingChange_shouldThrowSeatsChanged_whenTheSeatsWereTakenSinceRead() {
        Arrange.Ws ws = arrange.workspace();
        LicensePool read = arrange.seats(ws.id(), 1);
        Member jane = arrange.invite(ws, email("jane"));
        Member bob = arrange.invite(ws, email("bob"));
        stores.licenses().apply(licensed(jane), read);

        assertThatThrownBy(() -> stores.licenses().apply(licensed(bob), read)).isInstanceOf(SeatsChanged.class);
        assertThat(member(bob).holdings().licensed()).isFalse();
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isEqualTo(1);
        assertCountersEqualRecount(ws.id());
    }

    @Test
    void licensesFromASubscription_shouldNeverExceedItsSeats_andBeCountedPerSubscription() {
        Arrange.Ws ws = arrange.workspace();
        // Two subscriptions: "small" gives 1 seat, "large" 5; the pool has 6.
        var small = new dev.wsl.core.domain.Subscription("sub_small", "Small", 1, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30)), dev.wsl.core.domain.Subscription.Status.ACTIVE, 1);
        var large = new dev.wsl.core.domain.Subscription("sub_large", "Large", 5, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30)), dev.wsl.core.domain.Subscription.Status.ACTIVE, 1);
        stores.licenses().saveSubscriptions(stores.licenses().pool(ws.id()),
                Map.of(small.subscriptionId(), small, large.subscriptionId(), large), 6,
                arrange.audit(ws.id(), ws.caller(), "subscription.purchased"));
        LicensePool read = stores.licenses().pool(ws.id());
        Member jane = arrange.invite(ws, email("jane"));
        Member bob = arrange.invite(ws, email("bob"));
        stores.licenses().apply(from(jane, "sub_small"), read);

        // The pool has room, the small subscription has none.
        assertThatThrownBy(() -> stores.licenses().apply(from(bob, "sub_small"), read))
                .isInstanceOf(SeatsChanged.class);
        assertThat(member(bob).holdings().licensed()).isFalse();
        stores.licenses().apply(from(bob, "sub_large"), stores.licenses().pool(ws.id()));
        LicensePool after = stores.licenses().pool(ws.id());
        assertThat(after.licensedFrom("sub_small")).isEqualTo(1);
        assertThat(after.licensedFrom("sub_large")).isEqualTo(1);
        assertThat(after.tally().inUse()).isEqualTo(2);
        assertCountersEqualRecount(ws.id());
    }

    private SeatChange from(Member m, String subscription) {
        Member read = member(m);
        return new SeatChange(m.workspaceId(), List.of(new SeatChange.MemberChange(read,
                read.withHoldings(read.holdings().withLicenseFrom(subscription)))), List.of(),
                List.of(arrange.audit(m.workspaceId(), Arrange.caller(email("admin")), "license.assigned")));
    }

    @Test
    void aSeatTakingChange_shouldThrowSeatsChanged_whenTheSeatsDroppedSinceRead() {
        Arrange.Ws ws = arrange.workspace();
        LicensePool read = arrange.seats(ws.id(), 2);
        arrange.seats(ws.id(), 0);
        Member jane = arrange.invite(ws, email("jane"));

        assertThatThrownBy(() -> stores.licenses().apply(licensed(jane), read)).isInstanceOf(SeatsChanged.class);
        assertCountersEqualRecount(ws.id());
    }

    @Test
    void applyingAChangeTwice_shouldThrowChangedMeanwhile_andCountOnce() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 3);
        Member jane = arrange.invite(ws, email("jane"));
        SeatChange change = licensed(jane);
        stores.licenses().apply(change, stores.licenses().pool(ws.id()));

        assertThatThrownBy(() -> stores.licenses().apply(change, stores.licenses().pool(ws.id())))
                .isInstanceOf(ChangedMeanwhile.class);
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isEqualTo(1);
        assertCountersEqualRecount(ws.id());
    }

    @Test
    void savingSubscriptionsOnAStaleRead_shouldThrowChangedMeanwhile() {
        Arrange.Ws ws = arrange.workspace();
        LicensePool stale = stores.licenses().pool(ws.id());
        arrange.seats(ws.id(), 3);

        assertThatThrownBy(() -> stores.licenses().saveSubscriptions(stale, Map.of(), 9,
                arrange.audit(ws.id(), ws.caller(), "s"))).isInstanceOf(ChangedMeanwhile.class);
        assertThat(stores.licenses().pool(ws.id()).seats()).isEqualTo(3);
    }

    @Test
    void savingSubscriptionsWithASeatChange_shouldWriteBothInOneStep_orNeither() {
        Arrange.Ws ws = arrange.workspace();
        Member jane = arrange.invite(ws, email("jane"));
        Member bob = arrange.invite(ws, email("bob"));
        LicensePool none = stores.licenses().pool(ws.id());

        stores.licenses().saveSubscriptions(none, Map.of("sub_1", subscription(1, 1)), 1,
                arrange.audit(ws.id(), ws.caller(), "s"), licensed(jane));

        LicensePool saved = stores.licenses().pool(ws.id());
        assertThat(saved.seats()).isEqualTo(1);
        assertThat(saved.tally().inUse()).isEqualTo(1);
        assertThat(member(jane).holdings().licensed()).isTrue();
        assertCountersEqualRecount(ws.id());
        assertThatThrownBy(() -> stores.licenses().saveSubscriptions(none, Map.of("sub_1", subscription(1, 2)), 2,
                arrange.audit(ws.id(), ws.caller(), "s"), licensed(bob))).as("a stale read")
                .isInstanceOf(ChangedMeanwhile.class);
        assertThatThrownBy(() -> stores.licenses().saveSubscriptions(saved, Map.of("sub_1", subscription(1, 2)), 1,
                arrange.audit(ws.id(), ws.caller(), "s"), licensed(bob))).as("no room in the seats saved")
                .isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(bob).holdings().licensed()).isFalse();
        assertThat(stores.licenses().pool(ws.id())).isEqualTo(saved);
        assertCountersEqualRecount(ws.id());
    }

    @Test
    void aChangeThatBothFreesAndTakesUnassignedKeys_shouldWriteTheList_andFailOnAStaleOne() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 5);
        Member mo = arrange.invite(ws, email("mo"));
        LegacyKey k1 = arrange.key(ws.id(), "k1" + suffix + "x", mo.memberId(), NOW);
        giveKey(mo, k1, mo.holdings().withKey(k1.keyId()));
        LegacyKey k2 = arrange.importKey(ws.id(), "k2" + suffix + "x", NOW);
        LicensePool read = stores.licenses().pool(ws.id());
        Member holder = member(mo);
        // The swap: mo's key goes to nobody, the unassigned one to mo.
        SeatChange swap = new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(holder,
                holder.withHoldings(holder.holdings().withKey(k2.keyId())))), List.of(
                new SeatChange.KeyChange(stored(k1), stored(k1).assignedTo(null)),
                new SeatChange.KeyChange(stored(k2), stored(k2).assignedTo(mo.memberId()))), List.of());
        LegacyKey k3 = arrange.importKey(ws.id(), "k3" + suffix + "x", NOW); // the list read is stale now

        assertThatThrownBy(() -> stores.licenses().apply(swap, read)).isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(mo).holdings().legacyKeyId()).isEqualTo(k1.keyId());
        stores.licenses().apply(swap, stores.licenses().pool(ws.id()));

        assertThat(member(mo).holdings().legacyKeyId()).isEqualTo(k2.keyId());
        assertThat(stores.licenses().pool(ws.id()).unassignedKeys())
                .containsExactlyInAnyOrder(SeatChange.display(k1), SeatChange.display(k3));
        assertCountersEqualRecount(ws.id());
    }

    @Test
    void aKeyImportedByASecondWorkspace_shouldWait_andTakeOverWhenTheFirstImportIsDeleted() {
        Arrange.Ws first = arrange.workspace();
        Arrange.Ws second = arrange.workspace();
        arrange.seats(first.id(), 5);
        arrange.seats(second.id(), 5);
        String plaintext = "k" + suffix + "x";
        LegacyKey held = arrange.importKey(first.id(), plaintext, NOW);
        LegacyKey waiting = arrange.importKey(second.id(), plaintext, NOW.plusSeconds(1));

        KeyClaim claim = stores.claim(held.hash()).orElseThrow();
        assertThat(claim.holder().workspaceId()).isEqualTo(first.id());
        assertThat(claim.waiting()).containsOnlyKeys(second.id());
        assertThat(stores.licenses().listKeys(second.id())).extracting(LegacyKey::keyId).containsExactly(waiting.keyId());
        assertThat(stores.licenses().pool(second.id()).tally().inUse()).as("the waiting import holds a seat").isEqualTo(1);

        stores.licenses().apply(deleted(stored(held)), stores.licenses().pool(first.id()));

        KeyClaim handedOver = stores.claim(held.hash()).orElseThrow();
        assertThat(handedOver.holder().workspaceId()).isEqualTo(second.id());
        assertThat(handedOver.holder().keyId()).isEqualTo(waiting.keyId());
        assertThat(handedOver.waiting()).isEmpty();
        stores.licenses().apply(deleted(stored(waiting)), stores.licenses().pool(second.id()));
        assertThat(stores.claim(held.hash())).isEmpty();
        assertCountersEqualRecount(first.id());
        assertCountersEqualRecount(second.id());
    }

    @Test
    void deletingAWaitingImport_shouldLeaveTheHolderAlone() {
        Arrange.Ws first = arrange.workspace();
        Arrange.Ws second = arrange.workspace();
        Arrange.Ws third = arrange.workspace();
        for (Arrange.Ws ws : List.of(first, second, third)) {
            arrange.seats(ws.id(), 5);
        }
        String plaintext = "k" + suffix + "y";
        LegacyKey held = arrange.importKey(first.id(), plaintext, NOW);
        LegacyKey waiting = arrange.importKey(second.id(), plaintext, NOW.plusSeconds(1));
        arrange.importKey(third.id(), plaintext, NOW.plusSeconds(2));

        stores.licenses().apply(deleted(stored(waiting)), stores.licenses().pool(second.id()));

        KeyClaim claim = stores.claim(held.hash()).orElseThrow();
        assertThat(claim.holder().keyId()).isEqualTo(held.keyId());
        assertThat(claim.waiting()).containsOnlyKeys(third.id());
    }

    @Test
    void importingAKeyTwiceIntoOneWorkspace_shouldThrowKeyExists_andImportNothing() {
        Arrange.Ws first = arrange.workspace();
        Arrange.Ws second = arrange.workspace();
        arrange.seats(first.id(), 5);
        arrange.seats(second.id(), 5);
        String plaintext = "k" + suffix + "z";
        arrange.importKey(first.id(), plaintext, NOW);
        arrange.importKey(second.id(), plaintext, NOW);

        for (Arrange.Ws ws : List.of(first, second)) {
            assertThatThrownBy(() -> arrange.importKey(ws.id(), plaintext, NOW.plusSeconds(5)))
                    .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("key-exists"));
            assertThat(stores.licenses().listKeys(ws.id())).hasSize(1);
            assertCountersEqualRecount(ws.id());
        }
    }

    @Test
    void removingAMember_shouldFreeTheirSeatAndDeleteTheirKey_inTheSameStep() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 3);
        Member jane = arrange.invite(ws, email("jane"));
        LegacyKey key = arrange.key(ws.id(), "k" + suffix + "r", jane.memberId(), NOW);
        giveKey(jane, key, new Holdings(true, key.keyId()));
        Member holder = member(jane);
        Member removed = holder.removed(NOW);

        stores.workspaces().remove(holder, removed, 0, arrange.audit(ws.id(), ws.caller(), "member.removed"),
                new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(holder, removed)),
                        List.of(new SeatChange.KeyChange(stored(key), null)), List.of()),
                stores.licenses().pool(ws.id()));

        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isZero();
        assertThat(stores.licenses().listKeys(ws.id())).isEmpty();
        assertThat(stores.claim(key.hash())).isEmpty();
        assertCountersEqualRecount(ws.id());
    }

    private SeatChange licensed(Member m) {
        return new SeatChange(m.workspaceId(), List.of(new SeatChange.MemberChange(m,
                m.withHoldings(m.holdings().withLicense(true)))), List.of(), List.of());
    }

    private static dev.wsl.core.domain.Subscription subscription(long seats, long sequence) {
        return new dev.wsl.core.domain.Subscription("sub_1", "Team", seats, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(365)), dev.wsl.core.domain.Subscription.Status.ACTIVE, sequence);
    }

    private SeatChange deleted(LegacyKey key) {
        return new SeatChange(key.workspaceId(), List.of(), List.of(new SeatChange.KeyChange(key, null)), List.of());
    }

    private LegacyKey stored(LegacyKey key) {
        return stores.licenses().findKey(key.workspaceId(), key.keyId()).orElseThrow();
    }
}
