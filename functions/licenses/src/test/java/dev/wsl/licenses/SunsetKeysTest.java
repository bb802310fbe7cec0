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

/** The sunset job's batch deletions of legacy keys ({@link SunsetKeys}). */
class SunsetKeysTest extends SeatFixture {
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
}
