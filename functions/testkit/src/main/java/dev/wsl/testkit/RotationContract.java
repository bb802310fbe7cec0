package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.CredentialStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotation with an overlap (issue 21): the old auth token or CI key secret keeps its lookup item, with when it
 * ends, and activates the same as the new one meanwhile; writes that change where the token activates change
 * both; an end, a second rotation or a revocation stop it at once; every stale write throws.
 */
public abstract class RotationContract extends StoreContract {
    /** An overlap that lasts by the wall clock (the stores keep an old token in step only while it lasts). */
    private static Instant tomorrow() {
        return Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private CredentialStore.StoredToken token(String userId) {
        return stores.credentials().personalToken(userId).orElseThrow();
    }

    @Test
    void rotatingWithAnOverlap_shouldKeepTheOldLookupUntilThen_withTheSameIndexAndChoice_onTheRecordToo() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 5);
        arrange.license(ws.admin());
        String userId = ws.caller().userId();
        CredentialStore.StoredToken old = token(userId);
        PersonalToken next = PersonalToken.issue(userId, new FakeSealer(), NOW);
        Instant until = tomorrow();

        stores.credentials().rotate(old, next, until);

        StoreSet.Lookup oldLookup = stores.lookup(old.hash()).orElseThrow();
        StoreSet.Lookup newLookup = stores.lookup(next.hash()).orElseThrow();
        assertThat(oldLookup.expiresAt()).isEqualTo(until);
        assertThat(newLookup.expiresAt()).isNull();
        assertThat(oldLookup.licensedIn()).containsEntry(ws.id(), ws.admin().memberId())
                .isEqualTo(newLookup.licensedIn());
        assertThat(oldLookup.activatesIn()).isEqualTo(ws.id()).isEqualTo(newLookup.activatesIn());
        CredentialStore.StoredToken stored = token(userId);
        assertThat(stored.hash()).isEqualTo(next.hash());
        assertThat(stored.previous()).isEqualTo(new dev.wsl.core.domain.Overlap(old.hash(), old.hint(), until));
        assertThat(stores.workspaces().authTokens(userId)).contains(new TokenHashes(next.hash(), old.hash()));
    }

    @Test
    void licenseChangesAndTheChoice_shouldFollowOnBothTokens_whileTheOverlapLasts() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 5);
        Arrange.Ws other = arrange.workspace();
        arrange.seats(other.id(), 5);
        String userId = ws.caller().userId();
        CredentialStore.StoredToken old = token(userId);
        PersonalToken next = PersonalToken.issue(userId, new FakeSealer(), NOW);
        stores.credentials().rotate(old, next, tomorrow());

        // A license of the user's own workspace, and one given in another while they were invited there.
        arrange.license(ws.admin());
        Member invited = arrange.license(arrange.invite(other, ws.caller().email().value()));
        String link = Secrets.newInvitationToken();
        Member withLink = arrange.issueToken(invited, link);
        stores.workspaces().accept(withLink, withLink.accepted(userId, "admin", NOW), Secrets.sha256Hex(link),
                Arrange.profile(ws.caller()), stores.workspaces().authTokens(userId).orElseThrow(), null, 0,
                arrange.audit(other.id(), ws.caller(), "invitation.accepted"));
        stores.credentials().chooseWorkspace(userId, stores.credentials().tokenWorkspaces(userId).orElseThrow()
                .hashes(), other.id());

        for (String hash : List.of(old.hash(), next.hash())) {
            StoreSet.Lookup lookup = stores.lookup(hash).orElseThrow();
            assertThat(lookup.licensedIn()).as("index of the %s token", hash.equals(old.hash()) ? "old" : "new")
                    .containsOnlyKeys(ws.id(), other.id());
            assertThat(lookup.activatesIn()).isEqualTo(other.id());
        }
        // Unassigned: gone from both.
        Member licensed = member(ws.admin());
        stores.licenses().apply(new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(licensed,
                licensed.withHoldings(new Holdings(false, null)))), List.of(), List.of()), stores.licenses().pool(ws.id()));
        assertThat(stores.lookup(old.hash()).orElseThrow().licensedIn()).containsOnlyKeys(other.id());
        assertThat(stores.lookup(next.hash()).orElseThrow().licensedIn()).containsOnlyKeys(other.id());
    }

    @Test
    void endingTheOverlap_shouldDeleteTheOldLookup_andStaleEndsAndRotationsShouldThrow() {
        Arrange.Ws ws = arrange.workspace();
        String userId = ws.caller().userId();
        CredentialStore.StoredToken old = token(userId);
        PersonalToken next = PersonalToken.issue(userId, new FakeSealer(), NOW);
        stores.credentials().rotate(old, next, tomorrow());
        CredentialStore.StoredToken withOverlap = token(userId);

        stores.credentials().endOverlap(withOverlap);

        assertThat(stores.lookup(old.hash())).isEmpty();
        assertThat(stores.lookup(next.hash())).isPresent();
        assertThat(token(userId).previous()).isNull();
        assertThat(stores.workspaces().authTokens(userId)).contains(TokenHashes.of(next.hash()));
        assertThatThrownBy(() -> stores.credentials().endOverlap(withOverlap)).as("ended meanwhile")
                .isInstanceOf(ChangedMeanwhile.class);
        assertThatThrownBy(() -> stores.credentials().rotate(withOverlap, PersonalToken.issue(userId,
                new FakeSealer(), NOW), null)).as("rotating from a read that still had the overlap")
                .isInstanceOf(ChangedMeanwhile.class);
        assertThat(token(userId).hash()).isEqualTo(next.hash());
    }

    @Test
    void aSecondRotation_shouldEndTheFirstOverlap_soThatAtMostTwoTokensWork() {
        Arrange.Ws ws = arrange.workspace();
        String userId = ws.caller().userId();
        CredentialStore.StoredToken first = token(userId);
        PersonalToken second = PersonalToken.issue(userId, new FakeSealer(), NOW);
        stores.credentials().rotate(first, second, tomorrow());
        PersonalToken third = PersonalToken.issue(userId, new FakeSealer(), NOW);

        stores.credentials().rotate(token(userId), third, tomorrow());

        assertThat(stores.lookup(first.hash())).as("the first overlap ended").isEmpty();
        assertThat(stores.lookup(second.hash()).orElseThrow().expiresAt()).isNotNull();
        assertThat(stores.lookup(third.hash()).orElseThrow().expiresAt()).isNull();
        assertThat(token(userId).previous().hash()).isEqualTo(second.hash());

        // Without an overlap, the old one goes at once and the record forgets the earlier one.
        PersonalToken fourth = PersonalToken.issue(userId, new FakeSealer(), NOW);
        stores.credentials().rotate(token(userId), fourth, null);
        assertThat(stores.lookup(second.hash())).isEmpty();
        assertThat(stores.lookup(third.hash())).isEmpty();
        assertThat(token(userId).previous()).isNull();
    }

    @Test
    void aChangeReadBeforeARotationWithOverlap_shouldThrowChangedMeanwhile_notMissTheNewToken() {
        Arrange.Ws ws = arrange.workspace();
        arrange.seats(ws.id(), 5);
        String userId = ws.caller().userId();
        String hash = token(userId).hash();
        PersonalToken next = PersonalToken.issue(userId, new FakeSealer(), NOW);
        stores.credentials().rotate(token(userId), next, tomorrow());

        // Read before the rotation: names the old token as the current one, which now only overlaps.
        assertThatThrownBy(() -> stores.credentials().chooseWorkspace(userId, TokenHashes.of(hash), ws.id()))
                .isInstanceOf(ChangedMeanwhile.class);
    }

    @Test
    void rotatingACiKeyWithAnOverlap_shouldKeepBothSecrets_untilAnEndOrARevocationStopsTheOld() {
        Arrange.Ws ws = arrange.workspace();
        CiKey key = new CiKey(ws.id(), Ids.newId("ci", NOW.toEpochMilli()), "CI", Secrets.sha256Hex("a" + suffix),
                "lsci-…aaaa", NOW, ws.caller().userId(), null);
        stores.credentials().createCiKey(key, arrange.audit(ws.id(), ws.caller(), "ci-key.created"));
        Instant until = tomorrow();
        CiKey rotated = key.rotated(Secrets.sha256Hex("b" + suffix), "lsci-…bbbb", NOW, until);

        stores.credentials().rotateCiKey(key, rotated, arrange.audit(ws.id(), ws.caller(), "ci-key.rotated"));

        assertThat(stores.credentials().findCiKey(ws.id(), key.keyId())).contains(rotated);
        assertThat(stores.lookup(key.hash()).orElseThrow()).isEqualTo(new StoreSet.Lookup(key.keyId(), Map.of(),
                null, until));
        assertThat(stores.lookup(rotated.hash()).orElseThrow().expiresAt()).isNull();
        assertThatThrownBy(() -> stores.credentials().rotateCiKey(key, key.rotated(Secrets.sha256Hex("c" + suffix),
                "lsci-…cccc", NOW, null), arrange.audit(ws.id(), ws.caller(), "ci-key.rotated")))
                .as("a rotation from a stale read").isInstanceOf(ChangedMeanwhile.class);

        stores.credentials().endCiKeyOverlap(rotated, arrange.audit(ws.id(), ws.caller(), "ci-key.overlap-ended"));
        assertThat(stores.lookup(key.hash())).isEmpty();
        assertThat(stores.credentials().findCiKey(ws.id(), key.keyId()).orElseThrow().previous()).isNull();
        assertThatThrownBy(() -> stores.credentials().endCiKeyOverlap(rotated,
                arrange.audit(ws.id(), ws.caller(), "ci-key.overlap-ended"))).isInstanceOf(ChangedMeanwhile.class);

        // A second rotation with an overlap, then a revocation: both secrets stop.
        CiKey current = stores.credentials().findCiKey(ws.id(), key.keyId()).orElseThrow();
        CiKey again = current.rotated(Secrets.sha256Hex("d" + suffix), "lsci-…dddd", NOW, until);
        stores.credentials().rotateCiKey(current, again, arrange.audit(ws.id(), ws.caller(), "ci-key.rotated"));
        stores.credentials().revokeCiKey(again, NOW, arrange.audit(ws.id(), ws.caller(), "ci-key.revoked"));
        assertThat(stores.lookup(current.hash())).isEmpty();
        assertThat(stores.lookup(again.hash())).isEmpty();
        CiKey revoked = stores.credentials().findCiKey(ws.id(), key.keyId()).orElseThrow();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.previous()).isNull();
    }
}
