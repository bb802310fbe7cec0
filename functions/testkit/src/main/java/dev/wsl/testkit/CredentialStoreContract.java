package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.CredentialStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Auth tokens and CI keys: stale reads throw, a new token replaces the old link, a revocation happens once. */
public abstract class CredentialStoreContract extends StoreContract {
    @Test
    void rotatingFromAStaleRead_shouldThrowChangedMeanwhile_andKeepTheFirstRotation() {
        Arrange.Ws ws = arrange.workspace();
        CredentialStore.StoredToken current = stores.credentials().personalToken(ws.caller().userId()).orElseThrow();
        PersonalToken next = PersonalToken.issue(ws.caller().userId(), new FakeSealer(), NOW);
        stores.credentials().rotate(current, next);

        assertThatThrownBy(() -> stores.credentials().rotate(current,
                PersonalToken.issue(ws.caller().userId(), new FakeSealer(), NOW))).isInstanceOf(ChangedMeanwhile.class);
        assertThat(stores.credentials().personalToken(ws.caller().userId()).orElseThrow().hash()).isEqualTo(next.hash());
    }

    @Test
    void revokingTwice_shouldThrowAlreadyRevoked() {
        Arrange.Ws ws = arrange.workspace();
        CiKey key = new CiKey(ws.id(), Ids.newId("ci", NOW.toEpochMilli()), "CI", Secrets.sha256Hex("x" + suffix),
                "lsci-…abcd", NOW, ws.caller().userId(), null);
        stores.credentials().createCiKey(key, arrange.audit(ws.id(), ws.caller(), "ci-key.created"));
        stores.credentials().revokeCiKey(key, NOW, arrange.audit(ws.id(), ws.caller(), "ci-key.revoked"));

        assertThatThrownBy(() -> stores.credentials().revokeCiKey(key, NOW,
                arrange.audit(ws.id(), ws.caller(), "ci-key.revoked")))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("already-revoked"));
        assertThat(stores.credentials().findCiKey(ws.id(), key.keyId()).orElseThrow().revoked()).isTrue();
    }

    @Test
    void creators_shouldTellActiveAdminsMembersAndFormerMembersApart_withTheirUserRecords() {
        Arrange.Ws ws = arrange.workspace();
        Member jane = arrange.activeMember(ws, email("jane"));
        Member gone = arrange.activeAdmin(ws, email("gone"));
        stores.workspaces().remove(gone, gone.removedBy(Actor.of(ws.caller()), NOW), -1,
                arrange.audit(ws.id(), ws.caller(), "r"), null, null);

        Map<String, CredentialStore.Creator> creators = stores.credentials().creators(ws.id(),
                List.of(ws.caller().userId(), jane.userId(), gone.userId(), "sub-nobody"));

        assertThat(creators.get(ws.caller().userId()).isAdmin()).isTrue();
        assertThat(creators.get(ws.caller().userId()).email()).isEqualTo(ws.caller().email().value());
        assertThat(creators.get(jane.userId()).isAdmin()).isFalse();
        assertThat(creators.get(jane.userId()).isMember()).isTrue();
        assertThat(creators.get(gone.userId()).isMember()).isFalse();
        assertThat(creators.get(gone.userId()).email()).as("their user record stays").isEqualTo(email("gone"));
        assertThat(creators.get("sub-nobody").isMember()).isFalse();
        assertThat(creators.get("sub-nobody").email()).isNull();
    }

    @Test
    void aCiKeyOfAMissingWorkspace_shouldThrowNotFound() {
        CiKey key = new CiKey(Ids.newId("ws", NOW.toEpochMilli()), Ids.newId("ci", NOW.toEpochMilli()), "CI",
                Secrets.sha256Hex("y" + suffix), "lsci-…abcd", NOW, "someone", null);

        assertThatThrownBy(() -> stores.credentials().createCiKey(key,
                arrange.audit(key.workspaceId(), Arrange.caller(email("a")), "c"))).isInstanceOf(NotFound.class);
    }
}
