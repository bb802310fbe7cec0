package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wsl.core.access.Principal;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NoFreeSeat;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** The seat rules of {@link LicenseService} (PRODUCT.md section 4) for every principal, against the in-memory stores. */
class LicenseServiceTest extends SeatFixture {
    @Test
    void assigning_shouldTakeASeat_onlyOnce_andUnassigningFreeIt() {
        arrange.seats(ws.id(), 2);
        String jane = invited("jane");

        assertThat(licenses.assign(person(admin), ws.id(), jane, null).holdings().licensed()).isTrue();
        licenses.assign(person(admin), ws.id(), jane, null);
        assertThat(inUse()).isEqualTo(1);

        licenses.unassign(person(admin), ws.id(), jane, null);
        assertThat(inUse()).isZero();
        assertThatThrownBy(() -> licenses.unassign(person(admin), ws.id(), jane, null))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("no-license"));
    }

    @Test
    void unassigning_shouldAnswerTheStoredMember_andAuditWhetherASeatWasFreed() {
        arrange.seats(ws.id(), 3);
        String jane = invited("jane");
        String bob = invited("bob");
        licenses.assign(person(admin), ws.id(), jane, null);
        licenses.assign(person(admin), ws.id(), bob, null);
        importKey("bobs-own-key-1", bob);

        Member janeAfter = licenses.unassign(person(admin), ws.id(), jane, null);
        licenses.unassign(person(admin), ws.id(), bob, null);

        assertThat(janeAfter.holdings().licensed()).isFalse();
        assertThat(janeAfter).isEqualTo(stores.workspaces().findMember(ws.id(), jane).orElseThrow());
        assertThat(stores.auditOf(ws.id())).filteredOn(e -> e.action().equals("license.unassigned"))
                .extracting(e -> e.target() + "=" + e.details().get("seatFreed"))
                .containsExactlyInAnyOrder(jane + "=true", bob + "=false");
        assertThat(inUse()).as("Bob's key still holds his seat").isEqualTo(1);
    }

    @Test
    void aFullPool_shouldRefuseWithTheReason_namingTheUnassignedKeys_andChangeNothing() {
        arrange.seats(ws.id(), 2);
        LegacyKey k1 = importKey("first-key-1", null);
        importKey("second-key-2", null);
        String carol = invited("carol");

        assertThatThrownBy(() -> licenses.assign(person(admin), ws.id(), carol, null)).isInstanceOfSatisfying(NoFreeSeat.class, e -> {
            assertThat(e.detail()).contains("2 unassigned legacy keys hold seats").contains(k1.keyId());
            assertThat(e.extensions()).containsEntry("seats", 2L).containsEntry("inUse", 2L);
        });
        assertThat(stores.workspaces().findMember(ws.id(), carol).orElseThrow().holdings().licensed()).isFalse();
        assertThat(inUse()).isEqualTo(2);
    }

    @Test
    void aFullPool_shouldCountTheUnassignedKeys_withoutNamingThem_forAnAssignerWhoDoesNotManageKeys() {
        arrange.seats(ws.id(), 2);
        Caller assigner = memberWith("assigner", dev.wsl.core.domain.Permission.LICENSES_ASSIGN);
        LegacyKey k1 = importKey("first-key-1", null);
        importKey("second-key-2", null);
        String carol = invited("carol");

        assertThatThrownBy(() -> licenses.assign(person(assigner), ws.id(), carol, null)).isInstanceOfSatisfying(NoFreeSeat.class, e -> {
            assertThat(e.detail()).contains("2 unassigned legacy keys hold seats").doesNotContain(k1.keyId())
                    .doesNotContain("…");
            assertThat(e.extensions()).containsEntry("unassignedLegacyKeyCount", 2L).doesNotContainKey("unassignedLegacyKeys");
        });
        assertThatThrownBy(() -> licenses.assign(person(admin), ws.id(), carol, null)).isInstanceOfSatisfying(NoFreeSeat.class,
                e -> assertThat(e.extensions().get("unassignedLegacyKeys")).asInstanceOf(InstanceOfAssertFactories.LIST)
                        .containsExactlyInAnyOrder("…-1 (" + k1.keyId() + ")", stores.licenses().pool(ws.id())
                                .unassignedKeysShown().stream().filter(k -> !k.contains(k1.keyId())).findFirst().orElseThrow()));
    }

    @Test
    void theSummary_shouldNameUnassignedKeys_onlyToThoseWhoManageLegacyKeys() {
        arrange.seats(ws.id(), 1);
        Caller plain = memberWith("plain");
        Caller keeper = memberWith("keeper", dev.wsl.core.domain.Permission.LEGACY_KEYS_MANAGE);
        LegacyKey k = importKey("short-k8", null);

        SeatService summaries = new SeatService(stores.workspaces(), stores.licenses(), stores.seats(),
                new dev.wsl.core.domain.ReclaimRules(7), java.time.LocalTime.of(5, 45), new MutableClock(NOW),
                RetryPolicy.withoutPauses(4));
        SeatService.Summary forPlain = summaries.summary(plain, ws.id());
        SeatService.Summary forKeeper = summaries.summary(keeper, ws.id());

        assertThat(k.masked()).isEqualTo("…k8");
        assertThat(forPlain.namesKeys()).isFalse();
        assertThat(LicenseViews.summary(forPlain.pool(), forPlain.namesKeys(), NOW).legacyKeys().unassignedKeys()).isNull();
        assertThat(LicenseViews.summary(forPlain.pool(), forPlain.namesKeys(), NOW).reason())
                .contains("1 unassigned legacy key holds a seat").doesNotContain("…k8");
        assertThat(forKeeper.namesKeys()).isTrue();
        assertThat(LicenseViews.summary(forKeeper.pool(), forKeeper.namesKeys(), NOW).legacyKeys().unassignedKeys())
                .containsExactly("…k8 (" + k.keyId() + ")");
        assertThat(LicenseViews.summary(forKeeper.pool(), forKeeper.namesKeys(), NOW).reason()).contains("…k8");
    }

    @Test
    void aKeyHolder_shouldGetALicenseWithoutASeat_andKeepTheSeatWhenItIsUnassigned() {
        arrange.seats(ws.id(), 1);
        String bob = invited("bob");
        importKey("bobs-old-key", bob);

        licenses.assign(person(admin), ws.id(), bob, null);
        assertThat(inUse()).isEqualTo(1);
        assertThat(stores.licenses().pool(ws.id()).tally().both()).isEqualTo(1);
        licenses.unassign(person(admin), ws.id(), bob, null);
        assertThat(inUse()).as("the key still holds the seat").isEqualTo(1);
    }

    @Test
    void seatsTakenBetweenReadAndWrite_shouldBeReadAgain_andAnsweredWithWhy() {
        arrange.seats(ws.id(), 1);
        String jane = invited("jane");
        String bob = invited("bob");
        stores.beforeNextWrite(() -> arrange.license(stores.workspaces().findMember(ws.id(), bob).orElseThrow()));

        assertThatThrownBy(() -> licenses.assign(person(admin), ws.id(), jane, null)).isInstanceOfSatisfying(NoFreeSeat.class,
                e -> assertThat(e.detail()).contains("all 1 seats are in use"));
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void aSeatFreedBetweenReadAndWrite_orABusyTable_shouldNotStopTheChange() {
        arrange.seats(ws.id(), 2);
        String jane = invited("jane");
        Member bob = stores.workspaces().findMember(ws.id(), invited("bob")).orElseThrow();
        stores.beforeNextWrite(() -> arrange.license(bob));
        stores.beforeNextWrite(() -> {
            throw new Busy("collided", null);
        });

        licenses.assign(person(admin), ws.id(), jane, null);

        assertThat(inUse()).isEqualTo(2);
    }

    @Test
    void aRemovedMember_shouldHoldNothing_andMembersWithoutThePermissionChangeNothing() {
        arrange.seats(ws.id(), 2);
        Member jane = arrange.activeMember(ws, "jane@example.com");
        Caller janeCaller = Arrange.caller("jane@example.com");
        String bob = invited("bob");

        assertThatThrownBy(() -> licenses.assign(person(janeCaller), ws.id(), bob, null)).isInstanceOf(Forbidden.class);
        stores.workspaces().remove(jane, jane.removed(NOW), 0, arrange.audit(ws.id(), admin, "member.removed"), null, null);
        assertThatThrownBy(() -> licenses.assign(person(admin), ws.id(), jane.memberId(), null))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("member-removed"));
        assertThat(inUse()).isZero();
    }

    @Test
    void aRemovedMember_shouldGetNoKeyAndNoLicenseFromASubscription_throughAnyDoor() {
        arrange.seats(ws.id(), 3);
        Member jane = arrange.activeMember(ws, "jane@example.com");
        LegacyKey spare = importKey("spare-key-1", null);
        stores.workspaces().remove(jane, jane.removed(NOW), 0, arrange.audit(ws.id(), admin, "member.removed"), null, null);
        long before = inUse();

        assertThatThrownBy(() -> keys.assignKey(person(admin), ws.id(), spare.keyId(), jane.memberId()))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("member-removed"));
        assertThatThrownBy(() -> importKey("jane-key-22", jane.memberId()))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("member-removed"));
        assertThatThrownBy(() -> licenses.assign(idp(), ws.id(), jane.memberId(), "sub_" + ws.id()))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("member-removed"));

        Member after = stores.workspaces().findMember(ws.id(), jane.memberId()).orElseThrow();
        assertThat(after.holdings().licensed()).isFalse();
        assertThat(after.holdings().holdsKey()).isFalse();
        assertThat(stores.licenses().listKeys(ws.id())).extracting(LegacyKey::keyId).containsExactly(spare.keyId());
        assertThat(stores.licenses().listKeys(ws.id()).getFirst().assigned()).isFalse();
        assertThat(inUse()).isEqualTo(before);
    }

    @Test
    void aSubscriptionWhoseSeatsAreAllGiven_shouldTakeNobodyMore_whileAnotherStillHasRoom() {
        LicensePool read = stores.licenses().pool(ws.id());
        Subscription small = new Subscription("sub_small", "Starter", 1, NOW.minusSeconds(86_400),
                NOW.plusSeconds(86_400 * 365L), Subscription.Status.ACTIVE, read.version() + 1);
        Subscription large = new Subscription("sub_large", "Team", 2, NOW.minusSeconds(86_400),
                NOW.plusSeconds(86_400 * 365L), Subscription.Status.ACTIVE, read.version() + 1);
        stores.licenses().saveSubscriptions(read, Map.of(small.subscriptionId(), small, large.subscriptionId(), large), 3,
                arrange.audit(ws.id(), admin, "subscription.purchased"));
        String bob = invited("bob");
        String carol = invited("carol");

        assertThat(licenses.assign(idp(), ws.id(), bob, "sub_small").holdings().subscriptionId())
                .isEqualTo("sub_small");
        assertThatThrownBy(() -> licenses.assign(idp(), ws.id(), carol, "sub_small"))
                .isInstanceOfSatisfying(NoFreeSeat.class, e -> assertThat(e.detail())
                        .isEqualTo("No free license in Starter (sub_small): all 1 of its seats are given."));
        assertThat(stores.workspaces().findMember(ws.id(), carol).orElseThrow().holdings().licensed()).isFalse();
        assertThat(stores.licenses().pool(ws.id()).licensedFrom("sub_small")).isEqualTo(1);

        assertThat(licenses.assign(idp(), ws.id(), carol, "sub_large").holdings().subscriptionId())
                .isEqualTo("sub_large");
        assertThat(licenses.assign(idp(), ws.id(), carol, "sub_large").holdings().subscriptionId())
                .as("idempotent").isEqualTo("sub_large");
        assertThat(inUse()).isEqualTo(2);
        assertThat(stores.licenses().pool(ws.id()).licensedFrom("sub_large")).isEqualTo(1);
    }

    @Test
    void theIdentityProvidersUnassignment_shouldTakeOnlyALicenseOfItsGroup_andFreeASeatUnlessAKeyHoldsIt() {
        twoSubscriptions(2, 2);
        String bob = invited("bob");
        String carol = invited("carol");
        String dana = invited("dana");
        licenses.assign(idp(), ws.id(), bob, "sub_small");
        licenses.assign(idp(), ws.id(), carol, "sub_large");
        importKey("carols-key-1", carol);
        long before = inUse();
        assertThat(audit("license.assigned")).extracting(e -> e.details().get("seatTaken")).containsExactly("true", "true");

        // Bob is licensed from the other group, Dana from none: both are left as they are, and nothing is audited.
        assertThat(licenses.unassign(idp(), ws.id(), bob, "sub_large").holdings().subscriptionId())
                .isEqualTo("sub_small");
        assertThat(licenses.unassign(idp(), ws.id(), dana, null).holdings().licensed()).isFalse();
        assertThat(audit("license.unassigned")).isEmpty();
        assertThat(stored(bob).holdings().licensed()).isTrue();
        assertThat(inUse()).isEqualTo(before);

        Member bobAfter = licenses.unassign(idp(), ws.id(), bob, "sub_small");
        Member carolAfter = licenses.unassign(idp(), ws.id(), carol, null);

        assertThat(bobAfter.holdings().licensed()).isFalse();
        assertThat(stored(bob).holdings().licensed()).isFalse();
        assertThat(carolAfter.holdings().licensed()).as("null: whatever it is counted against").isFalse();
        assertThat(carolAfter.holdings().holdsKey()).isTrue();
        assertThat(inUse()).as("bob's seat is free; carol's key still holds hers").isEqualTo(before - 1);
        assertThat(stores.licenses().pool(ws.id()).licensedFrom("sub_small")).isZero();
        assertThat(stores.licenses().pool(ws.id()).licensedFrom("sub_large")).isZero();
        assertThat(audit("license.unassigned")).extracting(AuditEntry::target, e -> e.details().get("seatFreed"),
                e -> e.details().get("subscription"), AuditEntry::actorId)
                .containsExactly(tuple(bob, "true", "sub_small", Actor.SCIM.id()),
                        tuple(carol, "false", "sub_large", Actor.SCIM.id()));
    }

    @Test
    void everyPrincipalsUnassignment_shouldAuditTheSubscriptionTheLicenseWasCountedAgainst() {
        twoSubscriptions(1, 2);
        String bob = invited("bob");
        String carol = invited("carol");
        licenses.assign(person(admin), ws.id(), bob, null);
        licenses.assign(idp(), ws.id(), carol, "sub_small");
        String bobsSubscription = stored(bob).holdings().subscriptionId();

        licenses.unassign(person(admin), ws.id(), bob, null);
        licenses.unassign(idp(), ws.id(), carol, null);

        assertThat(bobsSubscription).as("the one with most room").isEqualTo("sub_large");
        assertThat(audit("license.unassigned")).extracting(AuditEntry::target, AuditEntry::actorId,
                e -> e.details().get("subscription"), e -> e.details().get("seatFreed"))
                .containsExactly(tuple(bob, admin.userId(), "sub_large", "true"),
                        tuple(carol, Actor.SCIM.id(), "sub_small", "true"));
        assertThat(inUse()).isZero();
    }

    @Test
    void everyPrincipalsAssignment_shouldAuditTheSubscription_andWhereTheLicenseCameFrom() {
        twoSubscriptions(1, 2);
        String bob = invited("bob");
        String carol = invited("carol");

        licenses.assign(person(admin), ws.id(), bob, null);
        licenses.assign(idp(), ws.id(), carol, "sub_small");
        licenses.assign(idp(), ws.id(), carol, "sub_large");

        assertThat(audit("license.assigned")).extracting(AuditEntry::target, AuditEntry::actorId,
                e -> e.details().get("subscription"), e -> e.details().get("from"), e -> e.details().get("seatTaken"))
                .containsExactly(tuple(bob, admin.userId(), "sub_large", "", "true"),
                        tuple(carol, Actor.SCIM.id(), "sub_small", "", "true"),
                        tuple(carol, Actor.SCIM.id(), "sub_large", "sub_small", "false"));
        assertThat(inUse()).isEqualTo(2);
    }

    @Test
    void unassigningAMemberWithoutALicense_shouldBeAConflictForAPerson_andNothingToDoForTheIdentityProvider() {
        String dana = invited("dana");

        assertThatThrownBy(() -> licenses.unassign(person(admin), ws.id(), dana, null))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("no-license"));
        assertThat(licenses.unassign(idp(), ws.id(), dana, null)).isEqualTo(stored(dana));
        assertThat(licenses.unassign(LicenseService.BILLING, ws.id(), dana, null)).isEqualTo(stored(dana));
        assertThat(audit("license.unassigned")).isEmpty();
    }

    @Test
    void theIdentityProviderOfAnotherWorkspace_andAPersonWithAnotherWorkspacesGrant_shouldFindNothing() {
        arrange.seats(ws.id(), 2);
        String bob = invited("bob");
        Arrange.Ws other = arrange.workspace();
        Principal.Person otherAdmin = new Authorization(stores.workspaces()).person(other.caller(), other.id());

        assertThatThrownBy(() -> licenses.assign(new Principal.IdentityProvider(other.id()), ws.id(), bob, null))
                .isInstanceOf(dev.wsl.core.failure.NotFound.class);
        assertThatThrownBy(() -> licenses.assign(otherAdmin, ws.id(), bob, null))
                .isInstanceOf(dev.wsl.core.failure.NotFound.class);
        assertThatThrownBy(() -> keys.deleteKey(otherAdmin, ws.id(), importKey("bobs-key-99", bob).keyId(),
                LegacyKeyService.DELETED)).isInstanceOf(dev.wsl.core.failure.NotFound.class);
        assertThat(stored(bob).holdings().licensed()).isFalse();
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void billingsAssignment_shouldCountAgainstTheSubscriptionWithMostRoom_andTakeNoSeatForAKeyHolder() {
        twoSubscriptions(1, 2);
        String bob = invited("bob");
        String erin = invited("erin");
        importKey("erins-key-12", erin);

        Member bobAfter = licenses.assign(LicenseService.BILLING, ws.id(), bob, null);
        Member erinAfter = licenses.assign(LicenseService.BILLING, ws.id(), erin, null);

        assertThat(bobAfter.holdings().subscriptionId()).as("2 free in Team, 1 in Starter").isEqualTo("sub_large");
        assertThat(stored(bob).holdings().licensed()).isTrue();
        assertThat(erinAfter.holdings().licensed()).isTrue();
        assertThat(erinAfter.holdings().subscriptionId()).isNotNull();
        assertThat(licenses.assign(LicenseService.BILLING, ws.id(), bob, null)).as("idempotent").isEqualTo(stored(bob));
        assertThat(audit("license.assigned")).hasSize(2).allSatisfy(e -> assertThat(e.actorId()).isEqualTo("billing"))
                .extracting(AuditEntry::target, e -> e.details().get("seatTaken"), e -> e.details().get("subscription"))
                .containsExactly(tuple(bob, "true", "sub_large"),
                        tuple(erin, "false", erinAfter.holdings().subscriptionId()));
        assertThat(inUse()).as("bob's license and erin's key").isEqualTo(2);
    }

    @Test
    void assigningThroughTheConsole_shouldFillASubscriptionToItsLastSeat() {
        twoSubscriptions(1, 1);
        String bob = invited("bob");
        String carol = invited("carol");
        String dana = invited("dana");

        licenses.assign(person(admin), ws.id(), bob, null);
        licenses.assign(person(admin), ws.id(), carol, null);

        assertThat(List.of(stored(bob).holdings().subscriptionId(), stored(carol).holdings().subscriptionId()))
                .containsExactlyInAnyOrder("sub_small", "sub_large");
        assertThatThrownBy(() -> licenses.assign(person(admin), ws.id(), dana, null)).isInstanceOf(NoFreeSeat.class);
        assertThat(stored(dana).holdings().licensed()).isFalse();
        assertThat(inUse()).isEqualTo(2);
    }

    @Test
    void aPoolFilledByAnUnassignedKey_shouldRefuse_thoughItsSubscriptionStillHasRoom() {
        arrange.seats(ws.id(), 2);
        importKey("nobodys-key-1", null);
        String bob = invited("bob");
        String carol = invited("carol");
        licenses.assign(person(admin), ws.id(), bob, null);

        assertThat(stores.licenses().pool(ws.id()).licensedFrom("sub_" + ws.id())).as("1 of its 2 seats given")
                .isEqualTo(1);
        assertThatThrownBy(() -> licenses.assign(person(admin), ws.id(), carol, null)).isInstanceOf(NoFreeSeat.class);
        assertThat(stored(carol).holdings().licensed()).isFalse();
        assertThat(inUse()).isEqualTo(2);
    }
}
