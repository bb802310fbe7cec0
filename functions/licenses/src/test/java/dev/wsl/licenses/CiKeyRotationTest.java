package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Issued;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A CI key's rotation (issue 21) on the fakes: the key keeps its id and name and gets a new secret, shown once; the
 * old secret's lookup stays for the chosen overlap (or goes at once); "End now" ends it; a revoked key is not
 * rotated; bad overlaps and callers without {@code ci-keys:manage} change nothing; each step is audited.
 */
class CiKeyRotationTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, NOW);
    private final Arrange.Ws ws = arrange.workspace();
    private final MutableClock clock = new MutableClock(NOW);
    private final CiKeyService keys = new CiKeyService(stores.credentials(), new Authorization(stores.workspaces()),
            clock, RetryPolicy.withoutPauses(3));

    @Test
    void aRotationWithAnOverlap_shouldKeepTheOldSecretUntilThen_andShowOnlyItsHint() {
        Issued<CiKey> created = keys.create(ws.caller(), ws.id(), "GitHub Actions");

        Issued<CiKey> rotated = keys.rotate(ws.caller(), ws.id(), created.credential().keyId(), Duration.ofHours(24));

        assertThat(rotated.credential().keyId()).isEqualTo(created.credential().keyId());
        assertThat(rotated.credential().name()).isEqualTo("GitHub Actions");
        assertThat(rotated.plaintext()).startsWith("lsci-").isNotEqualTo(created.plaintext());
        assertThat(rotated.credential().hash()).isEqualTo(Secrets.sha256Hex(rotated.plaintext()));
        assertThat(rotated.credential().rotatedAt()).isEqualTo(NOW);
        assertThat(rotated.credential().previous().until()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(rotated.credential().previous().hint()).isEqualTo(created.credential().hint());
        assertThat(stores.lookup(created.credential().hash()).orElseThrow().expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(stores.lookup(rotated.credential().hash()).orElseThrow().owner()).isEqualTo(created.credential().keyId());
        assertThat(keys.list(ws.caller(), ws.id()).getFirst().key().previous()).isNotNull();
        AuditEntry audit = stores.auditOf(ws.id()).getLast();
        assertThat(audit.action()).isEqualTo("ci-key.rotated");
        assertThat(audit.details()).containsEntry("oldKeyUntil", NOW.plus(Duration.ofHours(24)).toString());
        assertThat(audit.toString()).doesNotContain(rotated.plaintext()).doesNotContain(created.plaintext());

        clock.advance(Duration.ofHours(24));
        assertThat(keys.list(ws.caller(), ws.id()).getFirst().key().previous()).as("ran out: shown as none").isNull();
    }

    @Test
    void aRotationWithoutAnOverlap_shouldStopTheOldSecretAtOnce_andEndAnEarlierOverlap() {
        CiKey key = keys.create(ws.caller(), ws.id(), "Nightly").credential();
        CiKey second = keys.rotate(ws.caller(), ws.id(), key.keyId(), Duration.ofHours(2)).credential();

        CiKey third = keys.rotate(ws.caller(), ws.id(), key.keyId(), Duration.ZERO).credential();

        assertThat(stores.lookup(key.hash())).as("the earlier overlap ended").isEmpty();
        assertThat(stores.lookup(second.hash())).isEmpty();
        assertThat(stores.lookup(third.hash())).isPresent();
        assertThat(third.previous()).isNull();
    }

    @Test
    void endNow_shouldStopTheOldSecret_onceAndForAll() {
        CiKey key = keys.create(ws.caller(), ws.id(), "Release").credential();
        keys.rotate(ws.caller(), ws.id(), key.keyId(), Duration.ofDays(7));

        CiKey ended = keys.endOverlap(ws.caller(), ws.id(), key.keyId());

        assertThat(ended.previous()).isNull();
        assertThat(stores.lookup(key.hash())).isEmpty();
        assertThat(stores.auditOf(ws.id()).getLast().action()).isEqualTo("ci-key.overlap-ended");
        int audits = stores.auditOf(ws.id()).size();
        assertThat(keys.endOverlap(ws.caller(), ws.id(), key.keyId()).previous()).as("nothing left to end").isNull();
        assertThat(stores.auditOf(ws.id())).hasSize(audits);
    }

    @Test
    void badOverlaps_revokedKeys_andCallersWithoutThePermission_shouldChangeNothing() {
        CiKey key = keys.create(ws.caller(), ws.id(), "Kept").credential();
        arrange.activeMember(ws, "plain@example.com");

        for (Duration bad : new Duration[] {Duration.ofHours(169), Duration.ofHours(-1)}) {
            assertThatThrownBy(() -> keys.rotate(ws.caller(), ws.id(), key.keyId(), bad))
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-overlap"));
        }
        assertThatThrownBy(() -> keys.rotate(Arrange.caller("plain@example.com"), ws.id(), key.keyId(), Duration.ZERO))
                .isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> keys.rotate(Arrange.caller("stranger@example.com"), ws.id(), key.keyId(), Duration.ZERO))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> keys.rotate(ws.caller(), ws.id(), "ci_nope", Duration.ZERO))
                .isInstanceOfSatisfying(NotFound.class, e -> assertThat(e.slug()).isEqualTo("ci-key-not-found"));
        assertThat(stores.credentials().findCiKey(ws.id(), key.keyId())).contains(key);

        keys.revoke(ws.caller(), ws.id(), key.keyId());
        assertThatThrownBy(() -> keys.rotate(ws.caller(), ws.id(), key.keyId(), Duration.ZERO))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("ci-key-revoked"));
    }
}
