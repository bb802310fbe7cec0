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

/** The seat rules of {@link LicenseService} (PRODUCT.md section 4), against the in-memory stores. */
class LicenseServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, NOW);
    private final SeatPlanner planner = new SeatPlanner(stores.workspaces(), stores.licenses(), new MutableClock(NOW),
            RetryPolicy.withoutPauses(4));
    private final LicenseService licenses = new LicenseService(planner);
    private final LegacyKeyService keys = new LegacyKeyService(planner, stores.credentials());
    private final SunsetKeys sunset = new SunsetKeys(keys);
    private final Arrange.Ws ws = arrange.workspace();
    private final Caller admin = ws.caller();

    private Principal.Person person(Caller caller) {
        return new Authorization(stores.workspaces()).person(caller, ws.id());
    }

    private Principal idp() {
        return new Principal.IdentityProvider(ws.id());
    }

    private long inUse() {
        LicensePool pool = stores.licenses().pool(ws.id());
        assertThat(pool.tally()).as("stored counters vs recount").isEqualTo(stores.recount(ws.id()));
        assertThat(pool.unassignedKeys()).isEqualTo(stores.unassignedKeys(ws.id()));
        return pool.tally().inUse();
    }

    private String invited(String name) {
        return arrange.invite(ws, name + "@example.com").memberId();
    }

    private LegacyKey importKey(String key, String memberId) {
        return keys.importKeys(person(admin), ws.id(), List.of(new LegacyKeyService.KeyImport(key, memberId))).getFirst();
    }

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

    /** An ACTIVE member with these advanced permissions, as the caller they sign in as. */
    private Caller memberWith(String name, dev.wsl.core.domain.Permission... permissions) {
        Member active = arrange.activeMember(ws, name + "@example.com");
        stores.workspaces().changeAccess(active, active.withAccess(new dev.wsl.core.domain.Access(
                dev.wsl.core.domain.Role.MEMBER, java.util.Set.of(permissions))), 0, arrange.audit(ws.id(), admin, "a"));
        return Arrange.caller(name + "@example.com");
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
    void keysImportedUnderTheEarlierMask_shouldBeShownWithTheirLastTwoCharactersOnly() {
        arrange.seats(ws.id(), 2);
        LegacyKey old = new LegacyKey(ws.id(), dev.wsl.core.domain.Ids.newId("lk", NOW.toEpochMilli()),
                Secrets.sha256Hex("4e4ef4f3a2"), "4e4…a2", null, NOW, 0);
        stores.licenses().apply(new dev.wsl.core.domain.SeatChange(ws.id(), List.of(),
                List.of(new dev.wsl.core.domain.SeatChange.KeyChange(null, old)), List.of()), stores.licenses().pool(ws.id()));

        assertThat(keys.listKeys(person(admin), ws.id()).keys()).singleElement()
                .satisfies(k -> assertThat(LicenseViews.key(k).masked()).isEqualTo("…a2"));
        assertThat(LicenseViews.summary(stores.licenses().pool(ws.id()), true, NOW).legacyKeys().unassignedKeys())
                .containsExactly("…a2 (" + old.keyId() + ")");
        keys.deleteKey(person(admin), ws.id(), old.keyId(), LegacyKeyService.DELETED);
        assertThat(stores.auditOf(ws.id()).getLast().details()).containsEntry("masked", "…a2");
        assertThat(inUse()).isZero();
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
    void givingAKeyToAMemberWhoHoldsAnother_shouldSwapThemInOneSeatNeutralChange_evenWhenThePoolIsFull() {
        arrange.seats(ws.id(), 2);
        String mo = invited("mo");
        licenses.assign(person(admin), ws.id(), mo, null);
        LegacyKey k1 = importKey("mos-old-key-1", mo);
        LegacyKey k2 = importKey("spare-key-22", null);
        assertThat(stores.licenses().pool(ws.id()).free()).as("the pool is full").isZero();
        int audits = stores.auditOf(ws.id()).size();

        LegacyKey given = keys.assignKey(person(admin), ws.id(), k2.keyId(), mo);

        assertThat(given.assigneeMemberId()).isEqualTo(mo);
        assertThat(stores.workspaces().findMember(ws.id(), mo).orElseThrow().holdings().legacyKeyId()).isEqualTo(k2.keyId());
        assertThat(stores.licenses().findKey(ws.id(), k1.keyId()).orElseThrow().assigned()).as("the old key, to nobody")
                .isFalse();
        assertThat(inUse()).isEqualTo(2);
        assertThat(stores.licenses().pool(ws.id()).unassignedKeys()).containsExactly(k1.masked() + " (" + k1.keyId() + ")");
        assertThat(stores.auditOf(ws.id()).subList(audits, stores.auditOf(ws.id()).size()))
                .extracting(AuditEntry::target, AuditEntry::details).containsExactlyInAnyOrder(
                        tuple(k1.keyId(), Map.of("masked", k1.masked(), "from", mo, "to", "")),
                        tuple(k2.keyId(), Map.of("masked", k2.masked(), "from", "", "to", mo)));
    }

    @Test
    void anImport_shouldBeAllOrNothing() {
        arrange.seats(ws.id(), 10);
        String bob = invited("bob");
        importKey("bobs-old-key", bob);

        assertThatThrownBy(() -> keys.importKeys(person(admin), ws.id(), List.of(new LegacyKeyService.KeyImport("fine-key-1", null),
                new LegacyKeyService.KeyImport("second-for-bob", bob)))).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> keys.importKeys(person(admin), ws.id(), List.of(new LegacyKeyService.KeyImport("fine-key-1", null),
                new LegacyKeyService.KeyImport("no!", null)))).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> keys.importKeys(person(admin), ws.id(), List.of(new LegacyKeyService.KeyImport("fine-key-1", null),
                new LegacyKeyService.KeyImport("fine-key-1", null)))).isInstanceOf(InvalidInput.class);
        assertThat(stores.licenses().listKeys(ws.id())).hasSize(1);
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void aKeyAnotherWorkspaceHolds_shouldImportExactlyLikeAFreshOne_andTakeOverWhenTheirsIsDeleted() {
        Arrange.Ws other = arrange.workspace();
        arrange.seats(other.id(), 5);
        arrange.seats(ws.id(), 5);
        LegacyKey theirs = keys.importKeys(new Authorization(stores.workspaces()).person(other.caller(), other.id()), other.id(),
                List.of(new LegacyKeyService.KeyImport("shared-key-9", null))).getFirst();

        LegacyKey ours = importKey("shared-key-9", null);
        LegacyKey fresh = importKey("never-seen-1", null);

        assertThat(ours.masked()).isEqualTo(LegacyKey.mask("shared-key-9"));
        assertThat(ours.assigned()).isEqualTo(fresh.assigned());
        assertThat(inUse()).as("both imports hold a seat here, like any import").isEqualTo(2);
        assertThat(stores.claim(Secrets.sha256Hex("shared-key-9")).orElseThrow().holder().workspaceId()).isEqualTo(other.id());
        assertThatThrownBy(() -> importKey("shared-key-9", null)).as("twice into one workspace")
                .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("key-exists"));

        keys.deleteKey(new Authorization(stores.workspaces()).person(other.caller(), other.id()), other.id(), theirs.keyId(), LegacyKeyService.DELETED);

        assertThat(stores.claim(Secrets.sha256Hex("shared-key-9")).orElseThrow().holder().keyId()).isEqualTo(ours.keyId());
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
    void theSunsetsBatchDelete_shouldFallBackToOneKeyAtATime_whenThePageChangedMeanwhile() {
        arrange.seats(ws.id(), 5);
        String bob = invited("bob");
        LegacyKey a = importKey("sunset-key-a", bob);
        LegacyKey b = importKey("sunset-key-b", null);
        Map<String, Member> holders = Map.of(bob, stores.workspaces().findMember(ws.id(), bob).orElseThrow());
        // The holder changes after the job read the page: the batch fails its version check.
        licenses.assign(person(admin), ws.id(), bob, null);

        int deleted = sunset.deleteKeys(ws.id(), List.of(a, b), holders, "legacy-key.deleted-by-sunset");

        assertThat(deleted).isEqualTo(2);
        assertThat(stores.licenses().listKeys(ws.id())).isEmpty();
        assertThat(stores.workspaces().findMember(ws.id(), bob).orElseThrow().holdings().holdsKey()).isFalse();
        assertThat(inUse()).as("bob's license still holds his seat").isEqualTo(1);
    }
    private Member stored(String memberId) {
        return stores.workspaces().findMember(ws.id(), memberId).orElseThrow();
    }

    private List<AuditEntry> audit(String action) {
        return stores.auditOf(ws.id()).stream().filter(e -> e.action().equals(action)).toList();
    }

    private void twoSubscriptions(long smallSeats, long largeSeats) {
        LicensePool read = stores.licenses().pool(ws.id());
        Subscription small = new Subscription("sub_small", "Starter", smallSeats, NOW.minusSeconds(86_400),
                NOW.plusSeconds(86_400 * 365L), Subscription.Status.ACTIVE, read.version() + 1);
        Subscription large = new Subscription("sub_large", "Team", largeSeats, NOW.minusSeconds(86_400),
                NOW.plusSeconds(86_400 * 365L), Subscription.Status.ACTIVE, read.version() + 1);
        stores.licenses().saveSubscriptions(read, Map.of(small.subscriptionId(), small, large.subscriptionId(), large),
                smallSeats + largeSeats, arrange.audit(ws.id(), admin, "subscription.purchased"));
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

    @Test
    void anImport_shouldHoldOneToTwentyKeys_eachWellFormed_andAtMostOnePerMember() {
        arrange.seats(ws.id(), 30);
        String bob = invited("bob");
        String carol = invited("carol");
        List<LegacyKeyService.KeyImport> twentyOne = java.util.stream.IntStream.rangeClosed(1, 21)
                .mapToObj(n -> new LegacyKeyService.KeyImport("bulk-key-" + n, null)).toList();

        assertThatThrownBy(() -> keys.importKeys(person(admin), ws.id(), List.of())).isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> keys.importKeys(person(admin), ws.id(), twentyOne))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.detail()).contains("1 to 20"));
        assertThatThrownBy(() -> keys.importKeys(person(admin), ws.id(), List.of(new LegacyKeyService.KeyImport(null, bob))))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-key"));
        assertThatThrownBy(() -> keys.importKeys(person(admin), ws.id(), List.of(new LegacyKeyService.KeyImport("bobs-key-1", bob),
                new LegacyKeyService.KeyImport("bobs-key-2", bob))))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("duplicate-member"));
        assertThat(stores.licenses().listKeys(ws.id())).isEmpty();

        List<LegacyKeyService.KeyImport> nineteenAndCarols = new java.util.ArrayList<>(twentyOne.subList(0, 19));
        nineteenAndCarols.add(new LegacyKeyService.KeyImport("carols-key-1", carol));
        List<LegacyKey> twenty = keys.importKeys(person(admin), ws.id(), nineteenAndCarols);

        assertThat(twenty).hasSize(20);
        assertThat(stores.licenses().listKeys(ws.id())).hasSize(20);
        assertThat(stored(carol).holdings().legacyKeyId()).isEqualTo(twenty.getLast().keyId());
        assertThat(audit("legacy-key.imported")).hasSize(20).last().satisfies(e -> assertThat(e.details())
                .containsEntry("assignee", carol).containsEntry("masked", twenty.getLast().shown()));
        assertThat(audit("legacy-key.imported").getFirst().details()).containsEntry("assignee", "");
        assertThatThrownBy(() -> importKey("carols-key-2", carol))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("member-has-key"));
        assertThat(inUse()).isEqualTo(20);

        // The sunset deletes a whole batch of twenty in one step.
        assertThat(sunset.deleteKeys(ws.id(), stores.licenses().listKeys(ws.id()), Map.of(carol, stored(carol)),
                "legacy-key.retired")).isEqualTo(SunsetKeys.BATCH);
        assertThat(stores.licenses().listKeys(ws.id())).isEmpty();
        assertThat(stored(carol).holdings().holdsKey()).isFalse();
        assertThat(inUse()).isZero();
    }

    @Test
    void theSunset_shouldDeleteAPageOfKeysInOneStep_andEachKeyOnlyOnce() {
        arrange.seats(ws.id(), 5);
        String bob = invited("bob");
        licenses.assign(person(admin), ws.id(), bob, null);
        LegacyKey a = importKey("sunset-key-a", bob);
        LegacyKey b = importKey("sunset-key-b", null);
        LegacyKey c = importKey("sunset-key-c", null);
        Map<String, Member> holders = Map.of(bob, stored(bob));
        List<LegacyKey> tooMany = java.util.Collections.nCopies(SunsetKeys.BATCH + 1, b);

        assertThat(sunset.deleteKeys(ws.id(), List.of(), holders, "legacy-key.retired")).isZero();
        assertThatThrownBy(() -> sunset.deleteKeys(ws.id(), tooMany, holders, "legacy-key.retired"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stores.licenses().listKeys(ws.id())).hasSize(3);

        int deleted = sunset.deleteKeys(ws.id(), List.of(a, b), holders, "legacy-key.retired");

        assertThat(deleted).isEqualTo(2);
        assertThat(stores.licenses().listKeys(ws.id())).extracting(LegacyKey::keyId).containsExactly(c.keyId());
        assertThat(stored(bob).holdings().holdsKey()).isFalse();
        assertThat(stored(bob).holdings().licensed()).isTrue();
        assertThat(audit("legacy-key.retired")).extracting(AuditEntry::target, AuditEntry::actorId,
                e -> e.details().get("holder")).containsExactlyInAnyOrder(tuple(a.keyId(), "sunset-job", bob),
                tuple(b.keyId(), "sunset-job", ""));
        assertThat(inUse()).as("bob's license, and key c").isEqualTo(2);

        assertThat(sunset.keysOf(ws.id())).extracting(LegacyKey::keyId).containsExactly(c.keyId());
        assertThat(keys.deleteKey(SunsetKeys.SUNSET, ws.id(), c.keyId(), "legacy-key.deleted-by-sunset")).isTrue();
        assertThat(keys.deleteKey(SunsetKeys.SUNSET, ws.id(), c.keyId(), "legacy-key.deleted-by-sunset"))
                .as("a re-run deletes nothing twice").isFalse();
        assertThat(audit("legacy-key.deleted-by-sunset")).singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo(c.keyId()));
        assertThat(stores.licenses().listKeys(ws.id())).isEmpty();
        assertThat(inUse()).isEqualTo(1);
    }

    @Test
    void anUnknownMemberOrKey_shouldBeNotFound_andGivingAKeyToItsHolderAgainChangesNothing() {
        arrange.seats(ws.id(), 3);
        String bob = invited("bob");
        LegacyKey key = importKey("bobs-key-77", bob);
        int auditBefore = stores.auditOf(ws.id()).size();

        assertThatThrownBy(() -> licenses.assign(person(admin), ws.id(), "m_" + "0".repeat(26), null))
                .isInstanceOfSatisfying(dev.wsl.core.failure.NotFound.class,
                        e -> assertThat(e.slug()).isEqualTo("member-not-found"));
        assertThatThrownBy(() -> keys.deleteKey(person(admin), ws.id(), "lk_" + "0".repeat(26), LegacyKeyService.DELETED))
                .isInstanceOfSatisfying(dev.wsl.core.failure.NotFound.class,
                        e -> assertThat(e.slug()).isEqualTo("key-not-found"));
        assertThat(keys.assignKey(person(admin), ws.id(), key.keyId(), bob))
                .extracting(LegacyKey::keyId, LegacyKey::assigneeMemberId).containsExactly(key.keyId(), bob);
        assertThat(stores.auditOf(ws.id())).hasSize(auditBefore);
    }

    @Test
    void theKeyList_shouldCarryEachKeysLastActivation() {
        arrange.seats(ws.id(), 3);
        LegacyKey used = importKey("used-key-01", null);
        LegacyKey idle = importKey("idle-key-01", null);
        stores.recordUsage(ws.id(), new dev.wsl.core.domain.Usage(used.keyId(), NOW.minusSeconds(60), "machine-1",
                "Linux", "legacy-key", Map.of()));

        LegacyKeyService.ListedKeys listed = keys.listKeys(person(admin), ws.id());

        assertThat(listed.keys()).extracting(LegacyKey::keyId).containsExactlyInAnyOrder(used.keyId(), idle.keyId());
        assertThat(listed.usage()).containsOnlyKeys(used.keyId());
        assertThat(listed.usage().get(used.keyId()).at()).isEqualTo(NOW.minusSeconds(60));
    }
}
