package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.WorkspaceStore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Members and invitations: every member write conditioned on the version read; a lost race changes nothing. */
public abstract class WorkspaceStoreContract extends StoreContract {
    @Test
    void aMemberWrite_shouldThrowChangedMeanwhile_whenTheVersionChangedSinceRead() {
        Arrange.Ws ws = arrange.workspace();
        Member read = arrange.invite(ws, email("jane"));
        Access permissions = new Access(dev.wsl.core.domain.Role.MEMBER, Set.of(dev.wsl.core.domain.Permission.AUDIT_READ));
        stores.workspaces().changeAccess(read, read.withAccess(permissions), 0, arrange.audit(ws.id(), ws.caller(), "a"));

        assertThatThrownBy(() -> stores.workspaces().changeAccess(read, read.withAccess(Access.ADMIN), 0,
                arrange.audit(ws.id(), ws.caller(), "b"))).isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(read).access()).isEqualTo(permissions);
    }

    @Test
    void invitingAnEmailTwice_shouldThrowAlreadyExists_andKeepOneMember() {
        Arrange.Ws ws = arrange.workspace();
        arrange.invite(ws, email("jane"));

        assertThatThrownBy(() -> arrange.invite(ws, email("jane")))
                .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("member-exists"));
        assertThat(stores.workspaces().listMembers(ws.id(), true, 100, null).items()).hasSize(2);
    }

    @Test
    void theInvitationSubject_shouldBeWhatTheSeparateReadsFind_inOneRead() {
        Arrange.Ws ws = arrange.workspace();
        Member jane = arrange.invite(ws, email("jane"));
        arrange.seats(ws.id(), 3);

        WorkspaceStore.InvitationSubject invited = stores.workspaces().invitationSubject(ws.id(), jane.email().value());
        WorkspaceStore.InvitationSubject fresh = stores.workspaces().invitationSubject(ws.id(), email("john"));
        WorkspaceStore.InvitationSubject unknown = stores.workspaces().invitationSubject(
                Ids.newId("ws", NOW.toEpochMilli()), email("jane"));

        assertThat(invited.workspace()).isEqualTo(stores.workspaces().findWorkspace(ws.id())).isPresent();
        assertThat(invited.memberIdByEmail()).contains(jane.memberId());
        assertThat(invited.pool()).isEqualTo(stores.licenses().pool(ws.id()));
        assertThat(invited.pool().seats()).isEqualTo(3);
        assertThat(fresh.workspace()).isEqualTo(invited.workspace());
        assertThat(fresh.memberIdByEmail()).isEmpty();
        assertThat(unknown.workspace()).isEmpty();
        assertThat(unknown.memberIdByEmail()).isEmpty();
        assertThat(unknown.pool().seats()).isZero();
    }

    @Test
    void invitingIntoAMissingWorkspace_shouldThrowNotFound() {
        Arrange.Ws ws = new Arrange.Ws(Ids.newId("ws", NOW.toEpochMilli()), null, Arrange.caller(email("a")));

        assertThatThrownBy(() -> arrange.invite(ws, email("jane"))).isInstanceOf(NotFound.class);
    }

    @Test
    void removingTheLastAdmin_shouldThrowLastAdmin_andChangeNothing() {
        Arrange.Ws ws = arrange.workspace();
        Member admin = member(ws.admin());

        assertThatThrownBy(() -> stores.workspaces().remove(admin, admin.removed(NOW), -1,
                arrange.audit(ws.id(), ws.caller(), "member.removed"), null, null)).isInstanceOf(LastAdmin.class);
        assertThat(member(admin).status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(stores.workspaces().findGrant(ws.id(), admin.userId())).isPresent();
        assertThat(stores.workspaces().findWorkspace(ws.id()).orElseThrow().activeAdmins()).isEqualTo(1);
    }

    @Test
    void twoAcceptancesOfOneLink_shouldLetExactlyOneWin() {
        Arrange.Ws ws = arrange.workspace();
        String token = Secrets.newInvitationToken();
        Member invited = arrange.issueToken(arrange.invite(ws, email("jane")), token);
        var jane = Arrange.caller(email("jane"));
        var first = invited.accepted(jane.userId(), "jane", NOW);
        PersonalToken newToken = PersonalToken.issue(jane.userId(), new FakeSealer(), NOW);
        stores.workspaces().accept(invited, first, Secrets.sha256Hex(token), Arrange.profile(jane), null, newToken, 0,
                arrange.audit(ws.id(), jane, "invitation.accepted"));

        assertThatThrownBy(() -> stores.workspaces().accept(invited, invited.accepted("someone-else", "x", NOW),
                Secrets.sha256Hex(token), Arrange.profile(Arrange.caller(email("x"))), null,
                PersonalToken.issue("someone-else", new FakeSealer(), NOW), 0,
                arrange.audit(ws.id(), jane, "invitation.accepted"))).isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(invited).userId()).isEqualTo(jane.userId());
        assertThat(stores.workspaces().findInvitation(Secrets.sha256Hex(token))).isEmpty();
        assertThat(stores.workspaces().findGrant(ws.id(), "someone-else")).isEmpty();
    }

    @Test
    void aSecondFirstSignIn_shouldThrowChangedMeanwhile_insteadOfIssuingASecondToken() {
        Arrange.Ws ws = arrange.workspace();
        Arrange.Ws other = arrange.workspace();
        String token = Secrets.newInvitationToken();
        Member invited = arrange.issueToken(arrange.invite(other, ws.caller().email().value()), token);

        // The admin has a token already (from creating ws); pretending they have none must fail.
        assertThatThrownBy(() -> stores.workspaces().accept(invited,
                invited.accepted(ws.caller().userId(), "admin", NOW), Secrets.sha256Hex(token),
                Arrange.profile(ws.caller()), null, PersonalToken.issue(ws.caller().userId(), new FakeSealer(), NOW),
                0, arrange.audit(other.id(), ws.caller(), "invitation.accepted"))).isInstanceOf(ChangedMeanwhile.class);
        assertThat(member(invited).status()).isEqualTo(MemberStatus.INVITED);
    }

    @Test
    void aUsersWorkspaces_shouldBeTheActiveMemberships_oldestFirst() {
        Arrange.Ws first = arrange.workspace();
        Arrange.Ws second = arrange.workspace();
        Arrange.Ws third = arrange.workspace();
        arrange.activeMember(first, email("jane"));
        Member removed = arrange.activeMember(second, email("jane"));
        arrange.activeMember(third, email("jane"));
        arrange.invite(arrange.workspace(), email("jane"));
        stores.workspaces().remove(removed, removed.removed(NOW), 0, arrange.audit(second.id(), second.caller(), "r"),
                null, null);

        var memberships = stores.workspaces().workspacesOf(Arrange.caller(email("jane")).userId());

        // Ids are time-ordered; these were made in the same instant, so their random part orders them.
        assertThat(memberships).extracting(m -> m.workspaceId())
                .containsExactlyElementsOf(java.util.stream.Stream.of(first.id(), third.id()).sorted().toList());
        assertThat(memberships.getFirst().workspaceName()).startsWith("Workspace ");
        assertThat(memberships.getFirst().access()).isEqualTo(Access.MEMBER);
    }

    @Test
    void provisioning_shouldLockTheUserNameWithoutCase_theExternalIdAndTheEmail() {
        Arrange.Ws ws = arrange.workspace();
        Member ada = provisioned(ws, "Ada@Example.com", "ext-1", email("ada"));
        stores.workspaces().provision(ada, arrange.audit(ws.id(), ws.caller(), "member.provisioned"));

        assertThat(stores.workspaces().findMemberIdByUserName(ws.id(), "ada@example.com")).contains(ada.memberId());
        assertThat(stores.workspaces().findMemberIdByExternalId(ws.id(), "ext-1")).contains(ada.memberId());
        assertThat(stores.workspaces().findMemberIdByExternalId(ws.id(), "EXT-1")).isEmpty();
        for (Member twin : List.of(provisioned(ws, "ADA@example.com", null, email("other")),
                provisioned(ws, "someone", "ext-1", email("other2")), provisioned(ws, "someone2", null, email("ada")))) {
            assertThatThrownBy(() -> stores.workspaces().provision(twin, arrange.audit(ws.id(), ws.caller(), "p")))
                    .isInstanceOf(AlreadyExists.class);
        }
        assertThat(stores.workspaces().listMembers(ws.id(), true, 100, null).items()).hasSize(2);
        assertThat(stores.workspaces().awaitingSignIn(new dev.wsl.core.domain.EmailAddress(email("ada"))))
                .extracting(Member::memberId).containsExactly(ada.memberId());
    }

    @Test
    void reprovisioning_shouldMoveTheLocks_andDeprovisioningShouldFreeThem() {
        Arrange.Ws ws = arrange.workspace();
        Member ada = provisioned(ws, "ada", "ext-1", email("ada"));
        stores.workspaces().provision(ada, arrange.audit(ws.id(), ws.caller(), "p"));
        Member renamed = ada.reprovisioned("Ada", new dev.wsl.core.domain.EmailAddress(email("ada2")),
                new dev.wsl.core.domain.Provisioning("ada2", "ext-2", null, null));
        stores.workspaces().reprovision(ada, renamed, arrange.audit(ws.id(), ws.caller(), "r"));

        assertThat(stores.workspaces().findMemberIdByUserName(ws.id(), "ada")).isEmpty();
        assertThat(stores.workspaces().findMemberIdByUserName(ws.id(), "ada2")).contains(ada.memberId());
        assertThat(stores.workspaces().findMemberIdByExternalId(ws.id(), "ext-1")).isEmpty();
        assertThat(stores.workspaces().findMemberIdByEmail(ws.id(), email("ada"))).isEmpty();
        assertThat(stores.workspaces().findMemberIdByEmail(ws.id(), email("ada2"))).contains(ada.memberId());
        assertThatThrownBy(() -> stores.workspaces().reprovision(ada, renamed, arrange.audit(ws.id(), ws.caller(), "x")))
                .isInstanceOf(ChangedMeanwhile.class);

        Member gone = renamed.withProvisioning(null).removed(NOW);
        stores.workspaces().remove(renamed, gone, 0, arrange.audit(ws.id(), ws.caller(), "d"), null, null);
        assertThat(stores.workspaces().findMemberIdByUserName(ws.id(), "ada2")).isEmpty();
        assertThat(stores.workspaces().findMemberIdByExternalId(ws.id(), "ext-2")).isEmpty();
        assertThat(stores.workspaces().awaitingSignIn(new dev.wsl.core.domain.EmailAddress(email("ada2")))).isEmpty();
    }

    @Test
    void aFirstSignIn_shouldActivateAProvisionedMember_once() {
        Arrange.Ws ws = arrange.workspace();
        Member ada = provisioned(ws, "ada", null, email("ada"));
        stores.workspaces().provision(ada, arrange.audit(ws.id(), ws.caller(), "p"));
        var caller = Arrange.caller(email("ada"));
        Member active = ada.accepted(caller.userId(), ada.name(), NOW);
        stores.workspaces().activate(ada, active, Arrange.profile(caller), null,
                PersonalToken.issue(caller.userId(), new FakeSealer(), NOW), 0, arrange.audit(ws.id(), caller, "s"));

        assertThat(member(ada).status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(stores.workspaces().findGrant(ws.id(), caller.userId())).isPresent();
        assertThat(stores.workspaces().authTokenHash(caller.userId())).isPresent();
        assertThat(stores.workspaces().awaitingSignIn(caller.email())).isEmpty();
        assertThatThrownBy(() -> stores.workspaces().activate(ada, active, null,
                stores.workspaces().authTokens(caller.userId()).orElseThrow(), null, 0,
                arrange.audit(ws.id(), caller, "s2"))).isInstanceOf(ChangedMeanwhile.class);
    }
}
