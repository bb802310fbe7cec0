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

/** Legacy keys through {@link LegacyKeyService}: import, swap, claims, listing (PRODUCT.md sections 4 and 5). */
class LegacyKeyServiceTest extends SeatFixture {
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

    @Test
    void aMemberWithoutThePermission_shouldChangeNoKeyAndNoLicense_andSeeNoKeys() {
        arrange.seats(ws.id(), 3);
        String bob = invited("bob");
        licenses.assign(person(admin), ws.id(), bob, null);
        LegacyKey key = importKey("bobs-own-key-1", null);
        Caller assigner = memberWith("assigner", dev.wsl.core.domain.Permission.LICENSES_ASSIGN);
        long before = inUse();

        assertThatThrownBy(() -> keys.listKeys(person(assigner), ws.id())).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> keys.importKeys(person(assigner), ws.id(),
                List.of(new LegacyKeyService.KeyImport("another-key-2", null)))).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> keys.assignKey(person(assigner), ws.id(), key.keyId(), bob))
                .isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> keys.deleteKey(person(assigner), ws.id(), key.keyId(), LegacyKeyService.DELETED))
                .isInstanceOf(Forbidden.class);
        Caller plain = memberWith("plain");
        assertThatThrownBy(() -> licenses.unassign(person(plain), ws.id(), bob, null)).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> licenses.assign(person(plain), ws.id(), bob, null)).isInstanceOf(Forbidden.class);

        assertThat(stores.licenses().listKeys(ws.id())).singleElement().satisfies(k -> assertThat(k.assigned()).isFalse());
        assertThat(stored(bob).holdings().licensed()).isTrue();
        assertThat(inUse()).isEqualTo(before);
    }
}
