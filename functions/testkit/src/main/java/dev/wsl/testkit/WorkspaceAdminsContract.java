package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.LastAdmin;
import org.junit.jupiter.api.Test;

/** Who may be in a workspace (PRODUCT.md section 11): a SCIM token lives only while its creator is an admin. */
public abstract class WorkspaceAdminsContract extends StoreContract {
    @Test
    void removingTheScimTokensCreator_shouldStopTheToken_inTheSameStep() {
        Arrange.Ws ws = arrange.workspace();
        Member eve = arrange.activeAdmin(ws, email("eve"));
        var eveCaller = Arrange.caller(email("eve"));
        ScimToken token = arrange.scimToken(ws, eveCaller);
        Member removed = eve.removedBy(Actor.of(ws.caller()), NOW);

        stores.workspaces().remove(eve, removed, -1, arrange.audit(ws.id(), ws.caller(), "member.removed"), null, null);

        assertThat(stores.scim().findToken(token.hash())).as("the lookup is gone: refused").isEmpty();
        ScimToken stopped = stores.scim().token(ws.id()).orElseThrow();
        assertThat(stopped.works()).isFalse();
        assertThat(stopped.stopped().reason()).isEqualTo(ScimToken.Reason.CREATOR_REMOVED);
        assertThat(stopped.stopped().creator()).isEqualTo(email("eve"));
        assertThat(stopped.stopped().by().id()).isEqualTo(ws.caller().userId());
        assertThat(stopped.createdByEmail()).isEqualTo(email("eve"));
        assertThat(stores.workspaces().listAudit(ws.id(), 100, null).items()).extracting(e -> e.action())
                .contains("scim-token.stopped", "member.removed");
        assertThat(member(eve).removedBy()).isEqualTo(Actor.of(ws.caller()));
        assertThat(member(eve).removalSticks()).isTrue();
    }

    @Test
    void demotingTheScimTokensCreator_shouldStopTheToken_butChangingAnotherAdminShouldNot() {
        Arrange.Ws ws = arrange.workspace();
        Member eve = arrange.activeAdmin(ws, email("eve"));
        Member bob = arrange.activeAdmin(ws, email("bob"));
        ScimToken token = arrange.scimToken(ws, Arrange.caller(email("eve")));

        stores.workspaces().changeAccess(bob, bob.withAccess(Access.MEMBER), -1, arrange.audit(ws.id(), ws.caller(), "a"));
        assertThat(stores.scim().findToken(token.hash())).as("another admin's demotion").isPresent();
        Member bobNow = member(bob);
        stores.workspaces().remove(bobNow, bobNow.removedBy(Actor.of(ws.caller()), NOW), 0,
                arrange.audit(ws.id(), ws.caller(), "r"), null, null);
        assertThat(stores.scim().findToken(token.hash())).as("another member's removal").isPresent();

        stores.workspaces().changeAccess(eve, eve.withAccess(Access.MEMBER), -1, arrange.audit(ws.id(), ws.caller(), "a"));
        assertThat(stores.scim().findToken(token.hash())).isEmpty();
        assertThat(stores.scim().token(ws.id()).orElseThrow().stopped().reason())
                .isEqualTo(ScimToken.Reason.CREATOR_NOT_ADMIN);
    }

    @Test
    void aRemovalOfTheCreatorThatFails_shouldLeaveTheTokenWorking() {
        Arrange.Ws ws = arrange.workspace();
        Member admin = member(ws.admin());
        ScimToken token = arrange.scimToken(ws, ws.caller());

        assertThatThrownBy(() -> stores.workspaces().remove(admin, admin.removedBy(Actor.of(ws.caller()), NOW), -1,
                arrange.audit(ws.id(), ws.caller(), "member.removed"), null, null)).isInstanceOf(LastAdmin.class);

        assertThat(stores.scim().findToken(token.hash())).isPresent();
        assertThat(stores.scim().token(ws.id()).orElseThrow().works()).isTrue();
    }

    @Test
    void savingATokenForACreatorWhoIsNoLongerAnAdmin_shouldThrowChangedMeanwhile_andSaveNothing() {
        Arrange.Ws ws = arrange.workspace();
        Member eve = arrange.activeAdmin(ws, email("eve"));
        stores.workspaces().changeAccess(eve, eve.withAccess(Access.MEMBER), -1, arrange.audit(ws.id(), ws.caller(), "a"));

        assertThatThrownBy(() -> arrange.scimToken(ws, Arrange.caller(email("eve"))))
                .isInstanceOf(ChangedMeanwhile.class);
        assertThat(stores.scim().token(ws.id())).isEmpty();
    }

    @Test
    void anAdminLossByTheIdentityProvider_shouldMoveTheWindowOnlyFromTheValueRead_andNeedItsWitnessStillAppointed() {
        Arrange.Ws ws = arrange.workspace();
        Member a = arrange.activeAdmin(ws, email("a"));
        Member b = arrange.activeAdmin(ws, email("b"));
        Member c = arrange.activeAdmin(ws, email("c"));
        assertThat(stores.workspaces().lastIdpAdminLoss(ws.id())).isEmpty();

        stores.workspaces().changeAccess(a, a.withAccessFromScim(Access.MEMBER), -1,
                arrange.audit(ws.id(), ws.caller(), "a"), new IdpAdminLoss(null, NOW, ws.admin().memberId()));
        assertThat(stores.workspaces().lastIdpAdminLoss(ws.id())).contains(NOW);
        assertThat(member(a).roleFromScim()).isTrue();

        // A second one decided on the same read (none) loses: nothing of it is written.
        assertThatThrownBy(() -> stores.workspaces().remove(b, b.removedByIdentityProvider(Actor.SCIM, NOW), -1,
                arrange.audit(ws.id(), ws.caller(), "r"), null, null, new IdpAdminLoss(null, NOW.plusSeconds(1),
                        ws.admin().memberId()))).isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(b).isActiveAdmin()).isTrue();
        // A witness who is no longer an appointed admin fails it too.
        assertThatThrownBy(() -> stores.workspaces().changeAccess(b, b.withAccessFromScim(Access.MEMBER), -1,
                arrange.audit(ws.id(), ws.caller(), "a"), new IdpAdminLoss(NOW, NOW.plusSeconds(2), a.memberId())))
                .isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(b).isActiveAdmin()).isTrue();
        assertThat(stores.workspaces().lastIdpAdminLoss(ws.id())).contains(NOW);
        // From the value read, with an appointed witness: applied.
        stores.workspaces().remove(b, b.removedByIdentityProvider(Actor.SCIM, NOW), -1,
                arrange.audit(ws.id(), ws.caller(), "r"), null, null, new IdpAdminLoss(NOW, NOW.plusSeconds(3),
                        c.memberId()));
        assertThat(member(b).status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(member(b).removalSticks()).as("the identity provider's removal").isFalse();
        assertThat(stores.workspaces().lastIdpAdminLoss(ws.id())).contains(NOW.plusSeconds(3));
        assertThat(stores.workspaces().findWorkspace(ws.id()).orElseThrow().activeAdmins()).isEqualTo(2);
    }

    @Test
    void aRemovalAllowedAgain_shouldReadBackAsWritten() {
        Arrange.Ws ws = arrange.workspace();
        Member jane = arrange.activeMember(ws, email("jane"));
        Member removed = jane.removedBy(Actor.of(ws.caller()), NOW);
        stores.workspaces().remove(jane, removed, 0, arrange.audit(ws.id(), ws.caller(), "r"), null, null);
        assertThat(member(jane)).isEqualTo(removed);

        Member allowed = removed.provisioningAllowed();
        stores.workspaces().reprovision(removed, allowed, arrange.audit(ws.id(), ws.caller(), "member.provisioning-allowed"));

        assertThat(member(jane)).isEqualTo(allowed);
        assertThat(member(jane).removedBy()).isEqualTo(Actor.of(ws.caller()));
        assertThat(member(jane).removalSticks()).isFalse();
        assertThatThrownBy(() -> stores.workspaces().reprovision(removed, allowed, arrange.audit(ws.id(),
                ws.caller(), "x"))).isInstanceOf(ChangedMeanwhile.class);
    }
}
