package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.Role;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.HeldForAdmin;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who may be in a workspace (PRODUCT.md section 11), the rules of {@link MemberService} against the in-memory
 * stores: a person's removal sticks against the identity provider, coming back starts from nothing, the SCIM
 * token stops with its creator's ADMIN, and the identity provider cannot lock the workspace's people out.
 */
class TrustRulesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(NOW);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), clock, Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final Caller admin = Arrange.caller("admin@example.com");
    private final String ws = members.workspaces().createWorkspace(admin, "Acme").workspace().workspaceId();
    private final String adminId = stores.workspaces().findGrant(ws, admin.userId()).orElseThrow().memberId();
    private final Arrange.Ws arranged = new Arrange.Ws(ws, stored(adminId), admin);

    {
        // The identity provider's people join at their first sign-in only in a verified domain (issue 17, consent).
        new Arrange(stores, NOW).verifiedDomain(ws, "example.com");
    }

    private Member stored(String memberId) {
        return stores.workspaces().findMember(ws, memberId).orElseThrow();
    }

    /** Invited by the admin, with this access, and accepted through the link. */
    private Member active(String email, Access access) {
        Member invited = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Placeholder",
                new EmailAddress(email), access, Optional.empty()));
        String token = Secrets.newInvitationToken();
        new Arrange(stores, NOW).issueToken(stored(invited.memberId()), token);
        return members.invitations().accept(Arrange.caller(email), token);
    }

    private static ProvisionedMembers.Provisioned user(String email, boolean active) {
        return new ProvisionedMembers.Provisioned(new Provisioning(email, null, "Eve", "E"), "Eve E", new EmailAddress(email),
                active);
    }

    private void license(String memberId) {
        new Arrange(stores, NOW).seats(ws, 10);
        new Arrange(stores, NOW).license(stored(memberId));
    }

    // ------------------------------------------------------------------ removal sticks

    @Test
    void aMemberAPersonRemoved_isRefusedToScim_withWhoRemovedThemAndWhen() {
        // given Eve, an admin, removed by the admin in the console
        Member eve = active("eve@example.com", Access.ADMIN);
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // when the identity provider provisions her email again, then it is refused, naming the removal
        assertThatThrownBy(() -> members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("eve@example.com", true)))
                .isInstanceOfSatisfying(Forbidden.class, e -> {
                    assertThat(e.slug()).isEqualTo("removed-by-person");
                    assertThat(e.detail()).contains("eve@example.com", "admin@example.com", NOW.toString())
                            .contains("invite them again", "allow provisioning again");
                });
        assertThat(stored(eve.memberId()).status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(stores.workspaces().findGrant(ws, eve.userId())).isEmpty();
    }

    @Test
    void aProvisionedMemberAPersonRemoved_isNotReactivatedByScim_norByItsMembersGroup() {
        // given a user the identity provider created, who signed in, then removed by the admin
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada@example.com", true)).member();
        members.firstSignIn().claimProvisioned(Arrange.caller("ada@example.com"));
        members.memberships().remove(members.person(admin, ws), ws, ada.memberId());

        // when the identity provider says active: true (PATCH/PUT, or putting them into the Members group)
        // then it is refused, and they stay removed
        assertThatThrownBy(() -> members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada@example.com", true)))
                .isInstanceOf(Forbidden.class).hasMessageContaining("admin@example.com");
        assertThatThrownBy(() -> members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada@example.com", true)))
                .as("created again under the userName it knows").isInstanceOf(Forbidden.class);
        assertThat(stored(ada.memberId()).status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(stored(ada.memberId()).removalSticks()).isTrue();
    }

    @Test
    void aRemovalRecordedBeforeRemovalsNamedTheirRemover_sticksAsAPersonsWould() {
        // given a member whose removal names nobody (as every removal written before this change)
        Member jane = active("jane@example.com", Access.MEMBER);
        stores.workspaces().remove(jane, jane.removed(NOW), 0, new Arrange(stores, NOW).audit(ws, admin, "member.removed"),
                null, null);

        // then the identity provider cannot bring her back, and is told so
        assertThatThrownBy(() -> members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("jane@example.com", true)))
                .isInstanceOfSatisfying(Forbidden.class, e -> assertThat(e.detail())
                        .contains("before removals recorded who removed them"));
    }

    @Test
    void aMemberTheIdentityProviderRemoved_mayBeBroughtBackByIt() {
        // given a member the identity provider deactivated
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada@example.com", true)).member();
        Member off = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada@example.com", false));
        assertThat(off.removalSticks()).isFalse();
        assertThat(off.removedBy()).isEqualTo(Actor.SCIM);

        // when it says active again, then they are back
        Member back = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada@example.com", true));
        assertThat(back.status()).isEqualTo(MemberStatus.INVITED);
    }

    @Test
    void allowingProvisioningAgain_letsTheIdentityProviderBringThemBack_asAMemberHoldingNothing() {
        // given Eve, an admin with a license, removed by the admin
        Member eve = active("eve@example.com", Access.ADMIN);
        license(eve.memberId());
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // when the admin allows provisioning again, and the identity provider provisions her
        Member allowed = members.memberships().allowProvisioning(members.person(admin, ws), ws, eve.memberId());
        ProvisionedMembers.ProvisionOutcome back = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("eve@example.com", true));

        // then she is ACTIVE at once (she had signed in), as a MEMBER with nothing
        assertThat(allowed.status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(allowed.removalSticks()).isFalse();
        Member now = back.member();
        assertThat(now.memberId()).isEqualTo(eve.memberId());
        assertThat(now.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(now.access()).isEqualTo(Access.MEMBER);
        assertThat(now.holdings()).isEqualTo(Holdings.NONE);
        assertThat(stores.workspaces().findGrant(ws, eve.userId()).orElseThrow().access()).isEqualTo(Access.MEMBER);
        assertThat(stores.licensedIn(eve.userId())).isEmpty();
        assertThat(stores.auditOf(ws)).extracting(e -> e.action() + " by " + e.actorId())
                .contains("member.provisioning-allowed by " + admin.userId(), "member.reactivated by scim");
    }

    @Test
    void invitingARemovedMemberAgain_liftsTheRemoval_andKeepsTheRoleTheInvitationNames() {
        // given Eve removed by the admin
        Member eve = active("eve@example.com", Access.MEMBER);
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // when the admin invites her again as an admin: a new decision
        Member again = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Eve", new EmailAddress("eve@example.com"),
                Access.ADMIN, Optional.empty()));

        // then her removal no longer sticks, and the role is the one the invitation names
        assertThat(again.status()).isEqualTo(MemberStatus.INVITED);
        assertThat(again.removedBy()).isNull();
        assertThat(again.access()).isEqualTo(Access.ADMIN);
    }

    @Test
    void resendingToARemovedAdmin_invitesThemAgainAsAMember() {
        // given Eve, an admin, removed
        Member eve = active("eve@example.com", Access.ADMIN);
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // when the admin resends her invitation (a resend names no role)
        Member resent = members.invitations().resend(members.person(admin, ws), ws, eve.memberId(), Optional.empty());

        // then she is invited as a MEMBER without permissions
        assertThat(resent.access()).isEqualTo(Access.MEMBER);
        assertThat(resent.removalSticks()).isFalse();
    }

    @Test
    void allowingProvisioning_isAuthorizedLikeARemoval_andOnlyForARemovalThatSticks() {
        // given a plain member, a holder of members:remove, and two removed members (an admin, a member)
        Member plain = active("plain@example.com", Access.MEMBER);
        Member remover = active("remover@example.com", new Access(Role.MEMBER, Set.of(Permission.MEMBERS_REMOVE)));
        Member goneAdmin = active("gone-admin@example.com", Access.ADMIN);
        Member goneMember = active("gone@example.com", Access.MEMBER);
        members.memberships().remove(members.person(admin, ws), ws, goneAdmin.memberId());
        members.memberships().remove(members.person(admin, ws), ws, goneMember.memberId());

        // then: a plain member may not; the holder may for a member but not for an admin; the removed admin's JWT
        // sees no workspace
        assertThatThrownBy(() -> members.memberships().allowProvisioning(members.person(Arrange.caller("plain@example.com"), ws), ws, goneMember.memberId()))
                .isInstanceOfSatisfying(Forbidden.class, e -> assertThat(e.slug()).isEqualTo("missing-permission"));
        assertThatThrownBy(() -> members.memberships().allowProvisioning(members.person(Arrange.caller("remover@example.com"), ws), ws, goneAdmin.memberId()))
                .isInstanceOfSatisfying(Forbidden.class, e -> assertThat(e.slug()).isEqualTo("admin-target"));
        assertThatThrownBy(() -> members.memberships().allowProvisioning(members.person(Arrange.caller("gone-admin@example.com"), ws), ws,
                goneAdmin.memberId())).isInstanceOf(dev.wsl.core.failure.NotFound.class);
        assertThat(members.memberships().allowProvisioning(members.person(Arrange.caller("remover@example.com"), ws), ws, goneMember.memberId())
                .removalSticks()).isFalse();
        // and only a removal that sticks: twice, or for an active member, is a conflict
        assertThatThrownBy(() -> members.memberships().allowProvisioning(members.person(admin, ws), ws, goneMember.memberId()))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("provisioning-allowed"));
        assertThatThrownBy(() -> members.memberships().allowProvisioning(members.person(admin, ws), ws, plain.memberId()))
                .isInstanceOf(Conflict.class);
        assertThat(remover.status()).isEqualTo(MemberStatus.ACTIVE);
    }

    // ------------------------------------------------------------------ coming back starts from nothing

    @Test
    void anAdminTheIdentityProviderBringsBack_comesBackAsAMember_withoutPermissionsLicenseOrKey() {
        // given a second admin (so that the first stays), provisioned, signed in, licensed, holding a legacy key
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada@example.com", true)).member();
        members.firstSignIn().claimProvisioned(Arrange.caller("ada@example.com"));
        members.memberships().setAccess(members.person(admin, ws), ws, ada.memberId(), Access.ADMIN);
        license(ada.memberId());
        Member licensed = stored(ada.memberId());
        var key = new Arrange(stores, NOW).key(ws, "k" + "eyofada1", ada.memberId(), NOW);
        stores.licenses().apply(new SeatChange(ws, List.of(new SeatChange.MemberChange(licensed,
                licensed.withHoldings(licensed.holdings().withKey(key.keyId())))), List.of(new SeatChange.KeyChange(null,
                key)), List.of()), stores.licenses().pool(ws));

        // when the identity provider deactivates and reactivates her
        members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada@example.com", false));
        Member back = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada@example.com", true));

        // then she is ACTIVE again, a MEMBER holding nothing
        assertThat(back.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(back.access()).isEqualTo(Access.MEMBER);
        assertThat(back.holdings()).isEqualTo(Holdings.NONE);
        assertThat(stores.licenses().listKeys(ws)).isEmpty();
        assertThat(stores.workspaces().findGrant(ws, back.userId()).orElseThrow().access()).isEqualTo(Access.MEMBER);
        assertThat(stores.workspaces().findWorkspace(ws).orElseThrow().activeAdmins()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ the SCIM token carries its creator's authority

    @Test
    void removingTheTokensCreator_stopsTheToken_inTheSameStep_andItsViewSaysWhy() {
        // given Eve, an admin, created the SCIM token
        Member eve = active("eve@example.com", Access.ADMIN);
        ScimToken token = new Arrange(stores, NOW).scimToken(arranged, Arrange.caller("eve@example.com"));

        // when the admin removes Eve
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // then the token no longer authenticates, says why, and the stop is audited as the admin's
        assertThat(stores.scim().findToken(token.hash())).isEmpty();
        ScimToken.Stopped stopped = stores.scim().token(ws).orElseThrow().stopped();
        assertThat(stopped.reason()).isEqualTo(ScimToken.Reason.CREATOR_REMOVED);
        assertThat(stopped.creator()).isEqualTo("eve@example.com");
        assertThat(stopped.by().email()).isEqualTo("admin@example.com");
        assertThat(stopped.at()).isEqualTo(NOW);
        assertThat(stores.auditOf(ws)).extracting(e -> e.action() + " by " + e.actorEmail())
                .contains("scim-token.stopped by admin@example.com");
    }

    @Test
    void demotingTheTokensCreator_stopsTheToken_butRemovingAnotherAdminDoesNot() {
        // given Eve and Bob, admins; Eve created the token
        Member eve = active("eve@example.com", Access.ADMIN);
        Member bob = active("bob@example.com", Access.ADMIN);
        ScimToken token = new Arrange(stores, NOW).scimToken(arranged, Arrange.caller("eve@example.com"));

        // when Bob is removed, then the token works
        members.memberships().remove(members.person(admin, ws), ws, bob.memberId());
        assertThat(stores.scim().findToken(token.hash())).isPresent();
        assertThat(stores.scim().token(ws).orElseThrow().works()).isTrue();

        // when Eve is made a member with permissions (no longer an admin), then it stops
        members.memberships().setAccess(members.person(admin, ws), ws, eve.memberId(), new Access(Role.MEMBER, Set.of(Permission.MEMBERS_INVITE)));
        assertThat(stores.scim().findToken(token.hash())).isEmpty();
        assertThat(stores.scim().token(ws).orElseThrow().stopped().reason()).isEqualTo(ScimToken.Reason.CREATOR_NOT_ADMIN);
    }

    @Test
    void aTokenItsCreatorMadeWhileTheirRemovalWasDecided_isStoppedByTheRemovalAnyway() {
        // given Eve, an admin, without a token when the admin's removal of her reads the state
        Member eve = active("eve@example.com", Access.ADMIN);
        // when Eve creates the token after that read, before the removal is written (a request that got there first)
        String[] hash = new String[1];
        stores.beforeNextWrite(() -> hash[0] = new Arrange(stores, NOW).scimToken(arranged,
                Arrange.caller("eve@example.com")).hash());
        members.memberships().remove(members.person(admin, ws), ws, eve.memberId());

        // then the removal was decided again and stopped it
        assertThat(hash[0]).isNotNull();
        assertThat(stores.scim().findToken(hash[0])).isEmpty();
        assertThat(stores.scim().token(ws).orElseThrow().works()).isFalse();
        assertThat(stored(eve.memberId()).status()).isEqualTo(MemberStatus.REMOVED);
    }

    // ------------------------------------------------------------------ no lock-out through SCIM

    @Test
    void theIdentityProvider_cannotTakeAdminFromTheLastAdminAPersonAppointed() {
        // given the admin (appointed) and Ada, whom the identity provider made an admin
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada@example.com", true)).member();
        members.firstSignIn().claimProvisioned(Arrange.caller("ada@example.com"));
        members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, ada.memberId(), Access.ADMIN);
        assertThat(stored(ada.memberId()).isAppointedAdmin()).isFalse();

        // when the identity provider demotes, deactivates or removes the appointed admin, then it is refused
        assertThatThrownBy(() -> members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, adminId, Access.MEMBER))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("last-appointed-admin"));
        assertThatThrownBy(() -> members.memberships().remove(new Principal.IdentityProvider(ws), ws, adminId))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("last-appointed-admin"));
        assertThat(stored(adminId).isAppointedAdmin()).isTrue();
        // but it may take ADMIN from the admin it made
        members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, ada.memberId(), Access.MEMBER);
        assertThat(stored(ada.memberId()).access()).isEqualTo(Access.MEMBER);
        // and a person may still do what they decide (the last-admin rule only)
        assertThatThrownBy(() -> members.memberships().setAccess(members.person(admin, ws), ws, adminId, Access.MEMBER)).isInstanceOf(LastAdmin.class);
    }

    @Test
    void aSecondAdminLossByTheIdentityProviderWithinAnHour_isHeld_andOneAfterTheHourIsApplied() {
        // given three appointed admins besides the creator
        Member a = active("a@example.com", Access.ADMIN);
        Member b = active("b@example.com", Access.ADMIN);
        Member c = active("c@example.com", Access.ADMIN);

        // when the identity provider demotes one, then another within the hour
        members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, a.memberId(), Access.MEMBER);
        clock.advance(Duration.ofMinutes(59));
        assertThatThrownBy(() -> members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, b.memberId(), user("b@example.com", false)))
                .isInstanceOf(HeldForAdmin.class);
        assertThatThrownBy(() -> members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, c.memberId(), Access.MEMBER))
                .isInstanceOf(HeldForAdmin.class);

        // then the second is not applied; a person may still demote; after the hour the identity provider may again
        assertThat(stored(b.memberId()).isActiveAdmin()).isTrue();
        members.memberships().setAccess(members.person(admin, ws), ws, c.memberId(), Access.MEMBER);
        clock.advance(Duration.ofMinutes(2));
        members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, b.memberId(), Access.MEMBER);
        assertThat(stored(b.memberId()).isActiveAdmin()).isFalse();
        assertThat(stores.workspaces().lastIdpAdminLoss(ws)).contains(NOW.plus(Duration.ofMinutes(61)));
    }

    @Test
    void anAdminConfirmingAnAdminLoss_isAPersonsDecision_outsideTheWindow() {
        // given one admin loss by the identity provider a minute ago
        Member a = active("a@example.com", Access.ADMIN);
        Member b = active("b@example.com", Access.ADMIN);
        members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, a.memberId(), Access.MEMBER);
        clock.advance(Duration.ofMinutes(1));

        // when an admin applies the held change (as themselves), then it is applied, and the window is unchanged
        members.memberships().setAccess(new Principal.Job(Actor.of(admin)), ws, b.memberId(), Access.MEMBER);
        assertThat(stored(b.memberId()).access()).isEqualTo(Access.MEMBER);
        assertThat(stores.workspaces().lastIdpAdminLoss(ws)).contains(NOW);
    }
}
