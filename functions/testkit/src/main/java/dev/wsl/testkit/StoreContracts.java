package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.domain.ScimToken;

import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.Invitation;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.SeatsChanged;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.port.SunsetStore;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the stores, as the services rely on it: which condition fails with which typed
 * failure, and that a failed step changes nothing. Each nested contract is abstract; the fakes pass it
 * in {@code functions/testkit} ({@code FakeStoresContractTest}), the DynamoDB stores against the
 * emulator in {@code infra/local} ({@code DynamoStoresContractIT}), so a fake cannot be kinder than the
 * real thing without a test failing.
 */
public final class StoreContracts {
    private StoreContracts() {}

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    /** Common ground: the stores under test and an arranger over them. */
    abstract static class Base {
        protected StoreSet stores;
        protected Arrange arrange;
        protected String suffix;

        /** The stores under test; the same instance for the whole test. */
        protected abstract StoreSet stores();

        @BeforeEach
        void arrange() {
            stores = stores();
            arrange = new Arrange(stores, NOW);
            suffix = UUID.randomUUID().toString().substring(0, 8);
        }

        protected String email(String name) {
            return name + "-" + suffix + "@example.com";
        }

        protected Member member(Member m) {
            return stores.workspaces().findMember(m.workspaceId(), m.memberId()).orElseThrow();
        }

        protected void assertCountersEqualRecount(String workspaceId) {
            assertThat(stores.licenses().pool(workspaceId).tally()).as("stored counters vs recount")
                    .isEqualTo(stores.recount(workspaceId));
        }
    }

    public abstract static class Workspaces extends Base {
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

        // ------------------------------------------------------------ who may be in a workspace (PRODUCT.md section 11)

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

        private Member provisioned(Arrange.Ws ws, String userName, String externalId, String email) {
            return Member.builder().workspaceId(ws.id()).memberId(Ids.newId("m", NOW.toEpochMilli()))
                    .email(new dev.wsl.core.domain.EmailAddress(email)).name("Provisioned")
                    .status(MemberStatus.INVITED).access(Access.MEMBER).invitedAt(NOW).invitedBy("scim")
                    .provisioning(new dev.wsl.core.domain.Provisioning(userName, externalId, null, null)).build();
        }

        @Test
        void membersList_shouldPageInIdOrder_hideRemoved_andRefuseForeignCursors() {
            Arrange.Ws ws = arrange.workspace();
            Arrange.Ws other = arrange.workspace();
            List<Member> invited = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                invited.add(arrange.invite(ws, email("m" + i)));
            }
            Member gone = invited.get(1);
            stores.workspaces().remove(gone, gone.removed(NOW), 0, arrange.audit(ws.id(), ws.caller(), "r"), null, null);

            var first = stores.workspaces().listMembers(ws.id(), false, 2, null);
            var second = stores.workspaces().listMembers(ws.id(), false, 2, first.nextCursor());
            List<String> ids = new ArrayList<>(first.items().stream().map(Member::memberId).toList());
            ids.addAll(second.items().stream().map(Member::memberId).toList());

            assertThat(ids).doesNotContain(gone.memberId()).hasSize(4).isSorted();
            assertThat(stores.workspaces().listMembers(ws.id(), true, 100, null).items()).hasSize(5);
            assertThatThrownBy(() -> stores.workspaces().listMembers(other.id(), false, 2, first.nextCursor()))
                    .isInstanceOf(InvalidInput.class);
        }

        @Test
        void invitationEmails_shouldCountPerRecipientAndWorkspaceAndDay_andWriteNothingBeyondALimit() {
            Arrange.Ws ws = arrange.workspace();
            Arrange.Ws other = arrange.workspace();
            InvitationLimits limits = new InvitationLimits(2, 3, 3);
            String jane = email("jane");
            Member first = arrange.invite(ws, jane, limits, NOW);
            Member read = member(first);
            Member resent = read.reinvited(ws.caller().userId(), NOW, NOW.plus(Duration.ofDays(7)));
            stores.workspaces().reinvite(read, resent, Arrange.message(resent),
                    limits.quota(resent.email(), ws.id(), false, NOW), arrange.audit(ws.id(), ws.caller(), "resent"));

            // The recipient's third email of the day, from another workspace: refused whole.
            assertThatThrownBy(() -> arrange.invite(other, jane, limits, NOW))
                    .isInstanceOfSatisfying(TooManyRequests.class, e -> {
                        assertThat(e.slug()).isEqualTo("recipient-invitation-limit");
                        assertThat(e.retryAfterSeconds()).isEqualTo(12 * 3600);
                    });
            assertThat(stores.workspaces().findMemberIdByEmail(other.id(), jane)).isEmpty();
            // A resend over the limit changes nothing either: the member keeps its invitation, no message is added.
            Member current = member(first);
            Member tooMany = current.reinvited(ws.caller().userId(), NOW, NOW.plus(Duration.ofDays(7)));
            assertThatThrownBy(() -> stores.workspaces().reinvite(current, tooMany, Arrange.message(tooMany),
                    limits.quota(tooMany.email(), ws.id(), false, NOW), arrange.audit(ws.id(), ws.caller(), "again")))
                    .isInstanceOf(TooManyRequests.class);
            assertThat(member(first)).isEqualTo(current);
            assertThat(stores.outbox().state(Arrange.message(tooMany).id())).isEmpty();

            // The workspace's third email fills it; its fourth is refused for the workspace.
            arrange.invite(ws, email("a"), limits, NOW);
            assertThatThrownBy(() -> arrange.invite(ws, email("b"), limits, NOW))
                    .isInstanceOfSatisfying(TooManyRequests.class,
                            e -> assertThat(e.slug()).isEqualTo("workspace-invitation-limit"));
            assertThat(stores.workspaces().findMemberIdByEmail(ws.id(), email("b"))).isEmpty();

            // A new UTC day counts from zero.
            Instant tomorrow = NOW.plus(Duration.ofDays(1));
            arrange.invite(other, jane, limits, tomorrow);
            arrange.invite(ws, email("b"), limits, tomorrow);
            assertThat(stores.workspaces().findMemberIdByEmail(other.id(), jane)).isPresent();
        }

        /**
         * SCIM listings (issue 18): the SCIM users are the members not REMOVED and the REMOVED ones an identity
         * provider still knows, counted; each fixed group's members a set of its own, paged by cursors that
         * only their workspace accepts, and skipped by keys to the same place paging reaches.
         */
        @Test
        void scimSets_shouldHoldTheScimUsersAndTheFixedGroups_countTheUsers_andPageOrSkipAlike() {
            Arrange.Ws ws = arrange.workspace();
            Arrange.Ws other = arrange.workspace();
            List<Member> invited = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                invited.add(arrange.invite(ws, email("s" + i)));
            }
            Member byHand = invited.get(0);
            stores.workspaces().remove(byHand, byHand.removed(NOW), 0, arrange.audit(ws.id(), ws.caller(), "r1"), null, null);
            Member known = provisioned(ws, "known@idp", null, email("known"));
            stores.workspaces().provision(known, arrange.audit(ws.id(), ws.caller(), "p1"));
            stores.workspaces().remove(known, known.removed(NOW), 0, arrange.audit(ws.id(), ws.caller(), "r2"), null, null);

            // The creator (an admin), three invited, and the deactivated one the IdP knows; not the one removed by hand.
            assertThat(stores.workspaces().scimUserCount(ws.id())).isEqualTo(5);
            List<String> users = new ArrayList<>();
            String cursor = null;
            do {
                var page = stores.workspaces().memberSet(ws.id(), WorkspaceStore.MemberSet.SCIM_USERS, 2, cursor);
                page.items().forEach(m -> users.add(m.memberId()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(users).hasSize(5).doesNotHaveDuplicates().contains(known.memberId())
                    .doesNotContain(byHand.memberId());
            assertThat(stores.workspaces().memberSet(ws.id(), WorkspaceStore.MemberSet.MEMBERS, 100, null).items())
                    .extracting(Member::memberId).hasSize(4).doesNotContain(known.memberId(), byHand.memberId());
            assertThat(stores.workspaces().memberSet(ws.id(), WorkspaceStore.MemberSet.ADMINS, 100, null).items())
                    .singleElement().satisfies(m -> assertThat(m.access().isAdmin()).isTrue());
            assertThat(stores.workspaces().memberSet(ws.id(), WorkspaceStore.MemberSet.licensedFrom("sub_none"), 100,
                    null).items()).isEmpty();

            String skipped = stores.workspaces().skipInSet(ws.id(), WorkspaceStore.MemberSet.SCIM_USERS, 3, null);
            assertThat(stores.workspaces().memberSet(ws.id(), WorkspaceStore.MemberSet.SCIM_USERS, 100, skipped).items())
                    .extracting(Member::memberId).as("skipping 3 lands where paging does").isEqualTo(users.subList(3, 5));
            assertThat(stores.workspaces().skipInSet(ws.id(), WorkspaceStore.MemberSet.SCIM_USERS, 5, null))
                    .as("past the end").satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(stores.workspaces()
                            .memberSet(ws.id(), WorkspaceStore.MemberSet.SCIM_USERS, 100, c).items()).isEmpty());
            String first = stores.workspaces().memberSet(ws.id(), WorkspaceStore.MemberSet.SCIM_USERS, 2, null).nextCursor();
            assertThatThrownBy(() -> stores.workspaces().memberSet(other.id(), WorkspaceStore.MemberSet.SCIM_USERS, 2, first))
                    .isInstanceOf(InvalidInput.class);
        }
    }

    public abstract static class Licenses extends Base {
        @Test
        void aSeatTakingChange_shouldThrowSeatsChanged_whenTheSeatsWereTakenSinceRead() {
            Arrange.Ws ws = arrange.workspace();
            LicensePool read = arrange.seats(ws.id(), 1);
            Member jane = arrange.invite(ws, email("jane"));
            Member bob = arrange.invite(ws, email("bob"));
            stores.licenses().apply(licensed(jane), read);

            assertThatThrownBy(() -> stores.licenses().apply(licensed(bob), read)).isInstanceOf(SeatsChanged.class);
            assertThat(member(bob).holdings().licensed()).isFalse();
            assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isEqualTo(1);
            assertCountersEqualRecount(ws.id());
        }

        @Test
        void licensesFromASubscription_shouldNeverExceedItsSeats_andBeCountedPerSubscription() {
            Arrange.Ws ws = arrange.workspace();
            // Two subscriptions: "small" gives 1 seat, "large" 5; the pool has 6.
            var small = new dev.wsl.core.domain.Subscription("sub_small", "Small", 1, NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(30)), dev.wsl.core.domain.Subscription.Status.ACTIVE, 1);
            var large = new dev.wsl.core.domain.Subscription("sub_large", "Large", 5, NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(30)), dev.wsl.core.domain.Subscription.Status.ACTIVE, 1);
            stores.licenses().saveSubscriptions(stores.licenses().pool(ws.id()),
                    Map.of(small.subscriptionId(), small, large.subscriptionId(), large), 6,
                    arrange.audit(ws.id(), ws.caller(), "subscription.purchased"));
            LicensePool read = stores.licenses().pool(ws.id());
            Member jane = arrange.invite(ws, email("jane"));
            Member bob = arrange.invite(ws, email("bob"));
            stores.licenses().apply(from(jane, "sub_small"), read);

            // The pool has room, the small subscription has none.
            assertThatThrownBy(() -> stores.licenses().apply(from(bob, "sub_small"), read))
                    .isInstanceOf(SeatsChanged.class);
            assertThat(member(bob).holdings().licensed()).isFalse();
            stores.licenses().apply(from(bob, "sub_large"), stores.licenses().pool(ws.id()));
            LicensePool after = stores.licenses().pool(ws.id());
            assertThat(after.licensedFrom("sub_small")).isEqualTo(1);
            assertThat(after.licensedFrom("sub_large")).isEqualTo(1);
            assertThat(after.tally().inUse()).isEqualTo(2);
            assertCountersEqualRecount(ws.id());
        }

        private SeatChange from(Member m, String subscription) {
            Member read = member(m);
            return new SeatChange(m.workspaceId(), List.of(new SeatChange.MemberChange(read,
                    read.withHoldings(read.holdings().withLicenseFrom(subscription)))), List.of(),
                    List.of(arrange.audit(m.workspaceId(), Arrange.caller(email("admin")), "license.assigned")));
        }

        @Test
        void aSeatTakingChange_shouldThrowSeatsChanged_whenTheSeatsDroppedSinceRead() {
            Arrange.Ws ws = arrange.workspace();
            LicensePool read = arrange.seats(ws.id(), 2);
            arrange.seats(ws.id(), 0);
            Member jane = arrange.invite(ws, email("jane"));

            assertThatThrownBy(() -> stores.licenses().apply(licensed(jane), read)).isInstanceOf(SeatsChanged.class);
            assertCountersEqualRecount(ws.id());
        }

        @Test
        void applyingAChangeTwice_shouldThrowChangedMeanwhile_andCountOnce() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 3);
            Member jane = arrange.invite(ws, email("jane"));
            SeatChange change = licensed(jane);
            stores.licenses().apply(change, stores.licenses().pool(ws.id()));

            assertThatThrownBy(() -> stores.licenses().apply(change, stores.licenses().pool(ws.id())))
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isEqualTo(1);
            assertCountersEqualRecount(ws.id());
        }

        @Test
        void savingSubscriptionsOnAStaleRead_shouldThrowChangedMeanwhile() {
            Arrange.Ws ws = arrange.workspace();
            LicensePool stale = stores.licenses().pool(ws.id());
            arrange.seats(ws.id(), 3);

            assertThatThrownBy(() -> stores.licenses().saveSubscriptions(stale, Map.of(), 9,
                    arrange.audit(ws.id(), ws.caller(), "s"))).isInstanceOf(ChangedMeanwhile.class);
            assertThat(stores.licenses().pool(ws.id()).seats()).isEqualTo(3);
        }

        @Test
        void savingSubscriptionsWithASeatChange_shouldWriteBothInOneStep_orNeither() {
            Arrange.Ws ws = arrange.workspace();
            Member jane = arrange.invite(ws, email("jane"));
            Member bob = arrange.invite(ws, email("bob"));
            LicensePool none = stores.licenses().pool(ws.id());

            stores.licenses().saveSubscriptions(none, Map.of("sub_1", subscription(1, 1)), 1,
                    arrange.audit(ws.id(), ws.caller(), "s"), licensed(jane));

            LicensePool saved = stores.licenses().pool(ws.id());
            assertThat(saved.seats()).isEqualTo(1);
            assertThat(saved.tally().inUse()).isEqualTo(1);
            assertThat(member(jane).holdings().licensed()).isTrue();
            assertCountersEqualRecount(ws.id());
            assertThatThrownBy(() -> stores.licenses().saveSubscriptions(none, Map.of("sub_1", subscription(1, 2)), 2,
                    arrange.audit(ws.id(), ws.caller(), "s"), licensed(bob))).as("a stale read")
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThatThrownBy(() -> stores.licenses().saveSubscriptions(saved, Map.of("sub_1", subscription(1, 2)), 1,
                    arrange.audit(ws.id(), ws.caller(), "s"), licensed(bob))).as("no room in the seats saved")
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThat(member(bob).holdings().licensed()).isFalse();
            assertThat(stores.licenses().pool(ws.id())).isEqualTo(saved);
            assertCountersEqualRecount(ws.id());
        }

        @Test
        void aChangeThatBothFreesAndTakesUnassignedKeys_shouldWriteTheList_andFailOnAStaleOne() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 5);
            Member mo = arrange.invite(ws, email("mo"));
            LegacyKey k1 = arrange.key(ws.id(), "k1" + suffix + "x", mo.memberId(), NOW);
            stores.licenses().apply(new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(mo,
                    mo.withHoldings(mo.holdings().withKey(k1.keyId())))), List.of(new SeatChange.KeyChange(null, k1)),
                    List.of()), stores.licenses().pool(ws.id()));
            LegacyKey k2 = arrange.importKey(ws.id(), "k2" + suffix + "x", NOW);
            LicensePool read = stores.licenses().pool(ws.id());
            Member holder = member(mo);
            // The swap: mo's key goes to nobody, the unassigned one to mo.
            SeatChange swap = new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(holder,
                    holder.withHoldings(holder.holdings().withKey(k2.keyId())))), List.of(
                    new SeatChange.KeyChange(stored(k1), stored(k1).assignedTo(null)),
                    new SeatChange.KeyChange(stored(k2), stored(k2).assignedTo(mo.memberId()))), List.of());
            LegacyKey k3 = arrange.importKey(ws.id(), "k3" + suffix + "x", NOW); // the list read is stale now

            assertThatThrownBy(() -> stores.licenses().apply(swap, read)).isInstanceOf(ChangedMeanwhile.class);
            assertThat(member(mo).holdings().legacyKeyId()).isEqualTo(k1.keyId());
            stores.licenses().apply(swap, stores.licenses().pool(ws.id()));

            assertThat(member(mo).holdings().legacyKeyId()).isEqualTo(k2.keyId());
            assertThat(stores.licenses().pool(ws.id()).unassignedKeys())
                    .containsExactlyInAnyOrder(SeatChange.display(k1), SeatChange.display(k3));
            assertCountersEqualRecount(ws.id());
        }

        @Test
        void aKeyImportedByASecondWorkspace_shouldWait_andTakeOverWhenTheFirstImportIsDeleted() {
            Arrange.Ws first = arrange.workspace();
            Arrange.Ws second = arrange.workspace();
            arrange.seats(first.id(), 5);
            arrange.seats(second.id(), 5);
            String plaintext = "k" + suffix + "x";
            LegacyKey held = arrange.importKey(first.id(), plaintext, NOW);
            LegacyKey waiting = arrange.importKey(second.id(), plaintext, NOW.plusSeconds(1));

            KeyClaim claim = stores.claim(held.hash()).orElseThrow();
            assertThat(claim.holder().workspaceId()).isEqualTo(first.id());
            assertThat(claim.waiting()).containsOnlyKeys(second.id());
            assertThat(stores.licenses().listKeys(second.id())).extracting(LegacyKey::keyId).containsExactly(waiting.keyId());
            assertThat(stores.licenses().pool(second.id()).tally().inUse()).as("the waiting import holds a seat").isEqualTo(1);

            stores.licenses().apply(deleted(stored(held)), stores.licenses().pool(first.id()));

            KeyClaim handedOver = stores.claim(held.hash()).orElseThrow();
            assertThat(handedOver.holder().workspaceId()).isEqualTo(second.id());
            assertThat(handedOver.holder().keyId()).isEqualTo(waiting.keyId());
            assertThat(handedOver.waiting()).isEmpty();
            stores.licenses().apply(deleted(stored(waiting)), stores.licenses().pool(second.id()));
            assertThat(stores.claim(held.hash())).isEmpty();
            assertCountersEqualRecount(first.id());
            assertCountersEqualRecount(second.id());
        }

        @Test
        void deletingAWaitingImport_shouldLeaveTheHolderAlone() {
            Arrange.Ws first = arrange.workspace();
            Arrange.Ws second = arrange.workspace();
            Arrange.Ws third = arrange.workspace();
            for (Arrange.Ws ws : List.of(first, second, third)) {
                arrange.seats(ws.id(), 5);
            }
            String plaintext = "k" + suffix + "y";
            LegacyKey held = arrange.importKey(first.id(), plaintext, NOW);
            LegacyKey waiting = arrange.importKey(second.id(), plaintext, NOW.plusSeconds(1));
            arrange.importKey(third.id(), plaintext, NOW.plusSeconds(2));

            stores.licenses().apply(deleted(stored(waiting)), stores.licenses().pool(second.id()));

            KeyClaim claim = stores.claim(held.hash()).orElseThrow();
            assertThat(claim.holder().keyId()).isEqualTo(held.keyId());
            assertThat(claim.waiting()).containsOnlyKeys(third.id());
        }

        @Test
        void importingAKeyTwiceIntoOneWorkspace_shouldThrowKeyExists_andImportNothing() {
            Arrange.Ws first = arrange.workspace();
            Arrange.Ws second = arrange.workspace();
            arrange.seats(first.id(), 5);
            arrange.seats(second.id(), 5);
            String plaintext = "k" + suffix + "z";
            arrange.importKey(first.id(), plaintext, NOW);
            arrange.importKey(second.id(), plaintext, NOW);

            for (Arrange.Ws ws : List.of(first, second)) {
                assertThatThrownBy(() -> arrange.importKey(ws.id(), plaintext, NOW.plusSeconds(5)))
                        .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("key-exists"));
                assertThat(stores.licenses().listKeys(ws.id())).hasSize(1);
                assertCountersEqualRecount(ws.id());
            }
        }

        @Test
        void removingAMember_shouldFreeTheirSeatAndDeleteTheirKey_inTheSameStep() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 3);
            Member jane = arrange.invite(ws, email("jane"));
            LegacyKey key = arrange.key(ws.id(), "k" + suffix + "r", jane.memberId(), NOW);
            stores.licenses().apply(new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(jane,
                    jane.withHoldings(new Holdings(true, key.keyId())))), List.of(new SeatChange.KeyChange(null, key)),
                    List.of()), stores.licenses().pool(ws.id()));
            Member holder = member(jane);
            Member removed = holder.removed(NOW);

            stores.workspaces().remove(holder, removed, 0, arrange.audit(ws.id(), ws.caller(), "member.removed"),
                    new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(holder, removed)),
                            List.of(new SeatChange.KeyChange(stored(key), null)), List.of()),
                    stores.licenses().pool(ws.id()));

            assertThat(stores.licenses().pool(ws.id()).tally().inUse()).isZero();
            assertThat(stores.licenses().listKeys(ws.id())).isEmpty();
            assertThat(stores.claim(key.hash())).isEmpty();
            assertCountersEqualRecount(ws.id());
        }

        private SeatChange licensed(Member m) {
            return new SeatChange(m.workspaceId(), List.of(new SeatChange.MemberChange(m,
                    m.withHoldings(m.holdings().withLicense(true)))), List.of(), List.of());
        }

        private static dev.wsl.core.domain.Subscription subscription(long seats, long sequence) {
            return new dev.wsl.core.domain.Subscription("sub_1", "Team", seats, NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(365)), dev.wsl.core.domain.Subscription.Status.ACTIVE, sequence);
        }

        private SeatChange deleted(LegacyKey key) {
            return new SeatChange(key.workspaceId(), List.of(), List.of(new SeatChange.KeyChange(key, null)), List.of());
        }

        private LegacyKey stored(LegacyKey key) {
            return stores.licenses().findKey(key.workspaceId(), key.keyId()).orElseThrow();
        }
    }

    public abstract static class Outbox extends Base {
        @Test
        void aMessage_shouldBeClaimedByOneWorkerAtATime_untilItsLeaseRunsOut() {
            Member jane = arrange.invite(arrange.workspace(), email("jane"));
            OutboxMessage.Id id = Arrange.message(jane).id();

            Optional<OutboxStore.Claimed> first = stores.outbox().claim(id, NOW, Duration.ofMinutes(2));
            assertThat(first).isPresent().get().extracting(OutboxStore.Claimed::attempt).isEqualTo(1);
            assertThat(stores.outbox().claim(id, NOW.plusSeconds(60), Duration.ofMinutes(2))).isEmpty();
            assertThat(stores.outbox().claim(id, NOW.plusSeconds(121), Duration.ofMinutes(2)))
                    .get().extracting(OutboxStore.Claimed::attempt).isEqualTo(2);
        }

        @Test
        void aSentMessage_shouldNeverBeClaimedAgain_norBeDue() {
            Member jane = arrange.invite(arrange.workspace(), email("jane"));
            OutboxMessage.Id id = Arrange.message(jane).id();
            OutboxStore.Claimed claimed = stores.outbox().claim(id, NOW, Duration.ofMinutes(2)).orElseThrow();

            stores.outbox().markSent(claimed, NOW);

            assertThat(stores.outbox().state(id)).contains(OutboxStore.State.SENT);
            assertThat(stores.outbox().claim(id, NOW.plus(Duration.ofHours(1)), Duration.ofMinutes(2))).isEmpty();
            assertThat(stores.outbox().due(NOW.plus(Duration.ofDays(1)), 1000)).doesNotContain(id);
            assertThat(member(jane).invitation().delivery()).isEqualTo(Invitation.Delivery.SENT);
        }

        @Test
        void aFailedSend_shouldBeDueAgainAtItsRetryTime_orDeadWithoutOne() {
            Member jane = arrange.invite(arrange.workspace(), email("jane"));
            OutboxMessage.Id id = Arrange.message(jane).id();
            OutboxStore.Claimed claimed = stores.outbox().claim(id, NOW, Duration.ofMinutes(2)).orElseThrow();

            stores.outbox().markFailed(claimed, "refused", NOW.plus(Duration.ofMinutes(4)));

            assertThat(stores.outbox().state(id)).contains(OutboxStore.State.FAILED);
            assertThat(stores.outbox().due(NOW.plus(Duration.ofMinutes(3)), 1000)).doesNotContain(id);
            assertThat(stores.outbox().due(NOW.plus(Duration.ofMinutes(5)), 1000)).contains(id);
            OutboxStore.Claimed again = stores.outbox().claim(id, NOW.plus(Duration.ofMinutes(5)), Duration.ofMinutes(2))
                    .orElseThrow();
            stores.outbox().markFailed(again, "refused", null);
            assertThat(stores.outbox().state(id)).contains(OutboxStore.State.DEAD);
            assertThat(stores.outbox().due(NOW.plus(Duration.ofDays(1)), 1000)).doesNotContain(id);
        }

        @Test
        void issuingATokenForAMemberReadBeforeAChange_shouldThrowChangedMeanwhile() {
            Arrange.Ws ws = arrange.workspace();
            Member jane = arrange.invite(ws, email("jane"));
            stores.workspaces().changeAccess(jane, jane.withAccess(Access.ADMIN), 0, arrange.audit(ws.id(), ws.caller(), "a"));

            assertThatThrownBy(() -> arrange.issueToken(jane, Secrets.newInvitationToken()))
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThat(member(jane).invitation().tokenHash()).isNull();
        }

        @Test
        void aNewToken_shouldReplaceTheOldLink() {
            Member jane = arrange.invite(arrange.workspace(), email("jane"));
            String old = Secrets.newInvitationToken();
            Member withOld = arrange.issueToken(jane, old);
            String fresh = Secrets.newInvitationToken();

            arrange.issueToken(withOld, fresh);

            assertThat(stores.workspaces().findInvitation(Secrets.sha256Hex(old))).isEmpty();
            assertThat(stores.workspaces().findInvitation(Secrets.sha256Hex(fresh))).get()
                    .extracting(r -> r.memberId()).isEqualTo(jane.memberId());
        }
    }

    public abstract static class Credentials extends Base {
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

    /**
     * Rotation with an overlap (issue 21): the old auth token or CI key secret keeps its lookup item, with when it
     * ends, and activates the same as the new one meanwhile; writes that change where the token activates change
     * both; an end, a second rotation or a revocation stop it at once; every stale write throws.
     */
    public abstract static class Rotation extends Base {
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

    /**
     * The daily usage items (issue 21): a seat counts once a day, a member once a day across their credentials,
     * the pool's day keeps its start and its end, and the window reads back oldest first.
     */
    public abstract static class UsageDays extends Base {
        private static final java.time.LocalDate DAY = java.time.LocalDate.of(2026, 11, 27);

        @Test
        void aSeat_shouldCountOncePerDay_andAMemberOnceAcrossTheirCredentials() {
            String ws = Ids.newId("ws", NOW.toEpochMilli());
            var usage = stores.usage();
            var token = new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "m_ada", dev.wsl.core.port.UsageStore.Credential.AUTH_TOKEN, "m_ada");
            var key = new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "lk_1", dev.wsl.core.port.UsageStore.Credential.LEGACY_KEY, "m_ada");
            var ci = new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "ci_1", dev.wsl.core.port.UsageStore.Credential.CI_KEY, null);

            assertThat(usage.countSeat(token)).isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);
            assertThat(usage.countSeat(token)).isEqualTo(dev.wsl.core.port.UsageStore.Count.SEAT_COUNTED_BEFORE);
            assertThat(usage.countSeat(key)).as("the same member with a legacy key")
                    .isEqualTo(dev.wsl.core.port.UsageStore.Count.MEMBER_COUNTED_BEFORE);
            assertThat(usage.countSeat(key.withoutMember())).isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);
            assertThat(usage.countSeat(ci)).isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);
            assertThat(usage.countSeat(ci)).isEqualTo(dev.wsl.core.port.UsageStore.Count.SEAT_COUNTED_BEFORE);
            assertThat(usage.countSeat(new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY.plusDays(1), "m_ada",
                    dev.wsl.core.port.UsageStore.Credential.AUTH_TOKEN, "m_ada"))).as("the next day")
                    .isEqualTo(dev.wsl.core.port.UsageStore.Count.COUNTED);

            assertThat(usage.days(ws, DAY, DAY)).containsExactly(
                    new dev.wsl.core.domain.UsageDay(DAY, 1, 1, 1, 1, null, null, null, null));
        }

        @Test
        void poolChanges_shouldKeepTheDaysFirstStartAndLastEnd_andTheWindowReadOldestFirst() {
            String ws = Ids.newId("ws", NOW.toEpochMilli());
            var usage = stores.usage();
            usage.recordPool(ws, DAY, 2, 5, 3, 5);
            usage.recordPool(ws, DAY, 3, 5, 4, 10);
            usage.recordPool(ws, DAY.minusDays(2), 0, 0, 2, 5);
            usage.countSeat(new dev.wsl.core.port.UsageStore.SeatDay(ws, DAY, "ci_9",
                    dev.wsl.core.port.UsageStore.Credential.CI_KEY, null));
            usage.recordPool(ws, DAY.plusDays(1), 4, 10, 1, 10);

            assertThat(usage.days(ws, DAY.minusDays(2), DAY)).containsExactly(
                    new dev.wsl.core.domain.UsageDay(DAY.minusDays(2), 0, 0, 0, 0, 0L, 2L, 0L, 5L),
                    new dev.wsl.core.domain.UsageDay(DAY, 0, 0, 1, 0, 2L, 4L, 5L, 10L));
            assertThat(usage.days(ws, DAY.minusDays(1), DAY.minusDays(1))).isEmpty();
            assertThat(usage.days(Ids.newId("ws", NOW.toEpochMilli()), DAY.minusDays(90), DAY)).isEmpty();
        }
    }

    /** The sunset job's items are global (one run at a time, every key): tests start from an empty table. */
    public abstract static class Sunset extends Base {
        @Test
        void keys_shouldPageInWorkspaceThenKeyOrder_andResumeAfterAPosition() {
            List<String> all = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Arrange.Ws ws = arrange.workspace();
                arrange.seats(ws.id(), 10);
                for (int k = 0; k < 3; k++) {
                    all.add(arrange.importKey(ws.id(), "k" + w + k + suffix, NOW).keyId());
                }
            }
            List<String> seen = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                SunsetStore.KeyPage page = stores.sunset().keys(after, 4);
                page.keys().forEach(k -> seen.add(k.keyId()));
                after = page.more() ? page.last() : null;
                pages++;
            } while (after != null && pages < 10);

            assertThat(seen).containsExactlyInAnyOrderElementsOf(all).doesNotHaveDuplicates();
            assertThat(pages).isEqualTo(2);
        }

        @Test
        void aRun_shouldStartOnce_andItsCheckpointMoveOnlyFromThePositionRead() {
            assertThat(stores.sunset().startRun("run-" + suffix, NOW, Map.of("cutoff", "x"))).isTrue();
            assertThat(stores.sunset().startRun("run-other-" + suffix, NOW, Map.of())).isFalse();
            SunsetStore.Checkpoint start = stores.sunset().currentRun().orElseThrow();

            assertThat(stores.sunset().checkpoint(start, "a#1", Map.of("keysDisabled", 2L), false, true, NOW)).isTrue();
            assertThat(stores.sunset().checkpoint(start, "a#2", Map.of("keysDisabled", 5L), false, false, NOW))
                    .as("a second invocation that read the same position").isFalse();
            SunsetStore.Checkpoint moved = stores.sunset().currentRun().orElseThrow();
            assertThat(moved.position()).isEqualTo("a#1");
            assertThat(stores.sunset().checkpoint(moved, "a#3", Map.of("keysDisabled", 1L), true, false, NOW)).isTrue();

            assertThat(stores.sunset().currentRun()).isEmpty();
            Map<String, Object> run = stores.sunset().run("run-" + suffix);
            assertThat(run).containsEntry("keysDisabled", 3L).containsEntry("status", "COMPLETE")
                    .containsEntry("invocations", 1L);
        }

        @Test
        void keyStatesAndDigests_shouldReadBackAsWritten() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 10);
            Member jane = arrange.activeMember(ws, email("jane"));
            LegacyKey key = arrange.key(ws.id(), "k" + suffix + "s", jane.memberId(), NOW);
            stores.licenses().apply(new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(jane,
                    jane.withHoldings(jane.holdings().withKey(key.keyId())))), List.of(new SeatChange.KeyChange(null, key)),
                    List.of()), stores.licenses().pool(ws.id()));
            var state = new SunsetStore.KeyState(Set.of("announcement"), NOW);
            stores.sunset().saveStates(List.of(new SunsetStore.StateWrite(key, state)));
            stores.sunset().recordDigest(ws.id(), "announcement", NOW);

            SunsetStore.PageContext context = stores.sunset().context(List.of(key));

            assertThat(context.states()).containsEntry(key.keyId(), state);
            assertThat(context.assignees()).containsKey(jane.memberId());
            assertThat(stores.sunset().digestsSent(ws.id())).containsExactly("announcement");
            assertThat(stores.sunset().admins(ws.id())).containsExactly(ws.caller().email());
            stores.sunset().saveStates(List.of(new SunsetStore.StateWrite(key, null)));
            assertThat(stores.sunset().context(List.of(key)).states()).isEmpty();
        }
    }

    /**
     * Consent, verified domains and the token's workspace (issue 17, part B). The daily check's items are
     * global (every domain of every workspace, one run at a time): tests start from an empty table.
     */
    public abstract static class ConsentAndDomains extends Base {
        private dev.wsl.core.port.DomainStore domains() {
            return stores.domains();
        }

        private EmailDomain added(String ws, String name) {
            return EmailDomain.added(ws, name, "admin@example.com", NOW);
        }

        private dev.wsl.core.domain.AuditEntry audit(String ws, String action) {
            return new dev.wsl.core.domain.AuditEntry(ws, NOW, "test", "admin@example.com", action, "x", Map.of());
        }

        @Test
        void aDomain_shouldBeAddedOnce_perWorkspace_withinItsLimit_andReadBackAsWritten() {
            Arrange.Ws ws = arrange.workspace();
            Arrange.Ws other = arrange.workspace();
            EmailDomain example = added(ws.id(), "example.com");
            domains().add(example, 2, audit(ws.id(), "domain.added"));

            assertThatThrownBy(() -> domains().add(added(ws.id(), "example.com"), 2, audit(ws.id(), "domain.added")))
                    .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("domain-exists"));
            domains().add(added(other.id(), "example.com"), 2, audit(other.id(), "domain.added"));
            domains().add(added(ws.id(), "second.example"), 2, audit(ws.id(), "domain.added"));
            assertThatThrownBy(() -> domains().add(added(ws.id(), "third.example"), 2, audit(ws.id(), "domain.added")))
                    .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("domain-limit"));
            assertThatThrownBy(() -> domains().add(added(Ids.newId("ws", NOW.toEpochMilli()), "x.example"), 2,
                    audit(ws.id(), "domain.added"))).isInstanceOf(NotFound.class);

            assertThat(domains().find(ws.id(), "example.com")).contains(example);
            assertThat(stores.workspaces().findDomain(ws.id(), "example.com")).contains(example);
            assertThat(domains().list(ws.id())).extracting(EmailDomain::name).containsExactly("example.com",
                    "second.example");
            assertThat(domains().list(other.id())).extracting(EmailDomain::recordValue)
                    .doesNotContain(example.recordValue());

            domains().remove(example, audit(ws.id(), "domain.removed"));
            domains().add(added(ws.id(), "third.example"), 2, audit(ws.id(), "domain.added"));
            assertThat(domains().find(ws.id(), "example.com")).isEmpty();
        }

        @Test
        void aCheck_shouldBeWrittenOnlyOverTheVersionRead() {
            Arrange.Ws ws = arrange.workspace();
            EmailDomain read = added(ws.id(), "example.com");
            domains().add(read, 50, audit(ws.id(), "domain.added"));
            Instant later = NOW.plus(Duration.ofDays(1));
            EmailDomain verified = read.checked(EmailDomain.CheckResult.FOUND, later);
            domains().saveCheck(read, verified, audit(ws.id(), "domain.checked"));

            assertThatThrownBy(() -> domains().saveCheck(read, read.checked(EmailDomain.CheckResult.MISSING, later), null))
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThatThrownBy(() -> domains().remove(read, audit(ws.id(), "domain.removed")))
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThat(domains().find(ws.id(), "example.com")).contains(verified);
        }

        @Test
        void domains_shouldPageInWorkspaceThenNameOrder_andTheRunMoveOnlyFromThePositionRead() {
            List<String> all = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Arrange.Ws ws = arrange.workspace();
                for (int d = 0; d < 3; d++) {
                    EmailDomain domain = added(ws.id(), "d" + d + ".example");
                    domains().add(domain, 50, audit(ws.id(), "domain.added"));
                    all.add(ws.id() + "/" + domain.name());
                }
            }
            List<String> seen = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                dev.wsl.core.port.DomainStore.Page page = domains().page(after, 4);
                page.domains().forEach(d -> seen.add(d.workspaceId() + "/" + d.name()));
                after = page.more() ? page.last() : null;
                pages++;
            } while (after != null && pages < 10);
            assertThat(seen).containsExactlyElementsOf(all.stream().sorted().toList());
            assertThat(pages).isEqualTo(2);

            assertThat(domains().startRun("run-" + suffix, NOW)).isTrue();
            assertThat(domains().startRun("other-" + suffix, NOW)).isFalse();
            var start = domains().currentRun().orElseThrow();
            assertThat(domains().advance(start, "a#1", false)).isTrue();
            assertThat(domains().advance(start, "a#2", false)).as("from a stale position").isFalse();
            var moved = domains().currentRun().orElseThrow();
            assertThat(moved.position()).isEqualTo("a#1");
            assertThat(domains().advance(moved, null, true)).isTrue();
            assertThat(domains().currentRun()).isEmpty();
        }

        @Test
        void theTokensChoice_shouldBeTheFirstWorkspaceJoined_equalOnRecordAndLookup_andSurviveRotation() {
            Arrange.Ws first = arrange.workspace();
            String userId = first.caller().userId();
            String hash = stores.workspaces().authTokenHash(userId).orElseThrow();
            assertThat(stores.tokenChoice(hash)).contains(first.id());
            assertThat(stores.credentials().tokenWorkspaces(userId).orElseThrow().chosen()).isEqualTo(first.id());

            // A second workspace of the same person does not move it.
            Member admin2 = Member.creator(Ids.newId("ws", NOW.toEpochMilli()), Ids.newId("m", NOW.toEpochMilli()),
                    first.caller(), NOW);
            stores.workspaces().createWorkspace(new dev.wsl.core.domain.Workspace(admin2.workspaceId(), "Second", NOW,
                    userId, 1), admin2, Arrange.profile(first.caller()), TokenHashes.of(hash), null,
                    arrange.audit(admin2.workspaceId(), first.caller(), "workspace.created"));
            assertThat(stores.tokenChoice(hash)).contains(first.id());

            stores.credentials().chooseWorkspace(userId, TokenHashes.of(hash), admin2.workspaceId());
            assertThat(stores.tokenChoice(hash)).contains(admin2.workspaceId());
            assertThat(stores.credentials().tokenWorkspaces(userId).orElseThrow().chosen()).isEqualTo(admin2.workspaceId());

            CredentialStore.StoredToken current = stores.credentials().personalToken(userId).orElseThrow();
            PersonalToken next = PersonalToken.issue(userId, new FakeSealer(), NOW);
            stores.credentials().rotate(current, next);
            assertThat(stores.tokenChoice(next.hash())).as("rotation copies it").contains(admin2.workspaceId());
            assertThatThrownBy(() -> stores.credentials().chooseWorkspace(userId, TokenHashes.of(hash), first.id()))
                    .as("the rotated token").isInstanceOf(ChangedMeanwhile.class);
            assertThat(stores.tokenChoice(next.hash())).contains(admin2.workspaceId());
        }

        @Test
        void join_shouldActivateTheWaitingMember_freeWhatItHeld_andRefuseAStaleRead() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 5);
            String email = email("pat");
            Member waiting = Member.builder().workspaceId(ws.id()).memberId(Ids.newId("m", NOW.toEpochMilli()))
                    .email(new dev.wsl.core.domain.EmailAddress(email)).name("Pat").status(MemberStatus.INVITED)
                    .access(Access.MEMBER).invitedAt(NOW).invitedBy("scim")
                    .provisioning(new dev.wsl.core.domain.Provisioning(email, null, null, null)).build();
            stores.workspaces().provision(waiting, audit(ws.id(), "member.provisioned"));
            Member licensed = arrange.license(waiting);
            var caller = Arrange.caller(email);
            Member joined = licensed.accepted(caller.userId(), "Pat", NOW);
            Member after = joined.withHoldings(joined.holdings().withLicense(false));
            SeatChange freed = new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(licensed, after)), List.of(),
                    List.of());
            PersonalToken token = PersonalToken.issue(caller.userId(), new FakeSealer(), NOW);

            assertThatThrownBy(() -> stores.workspaces().join(waiting, waiting.accepted(caller.userId(), "Pat", NOW),
                    Arrange.profile(caller), null, token, 0, audit(ws.id(), "member.joined"), null, null))
                    .as("a stale read").isInstanceOf(ChangedMeanwhile.class);
            stores.workspaces().join(licensed, after, Arrange.profile(caller), null, token, 0,
                    audit(ws.id(), "member.joined"), freed, stores.licenses().pool(ws.id()));

            assertThat(member(waiting).status()).isEqualTo(MemberStatus.ACTIVE);
            assertThat(member(waiting).holdings().licensed()).isFalse();
            assertThat(stores.workspaces().findGrant(ws.id(), caller.userId())).isPresent();
            assertThat(stores.tokenChoice(token.hash())).as("joined themselves").contains(ws.id());
            assertCountersEqualRecount(ws.id());
            assertThatThrownBy(() -> stores.workspaces().join(after, after, Arrange.profile(caller),
                    TokenHashes.of(token.hash()), null,
                    0, audit(ws.id(), "member.joined"), null, null)).as("joined already")
                    .isInstanceOf(ChangedMeanwhile.class);
        }

        /**
         * The SCIM users' counter and index (issue 18) through consent's Join and Decline and trust's removal by a
         * person and "allow provisioning again": the counter always equals the set it counts, each member sits in the
         * fixed group's range their state puts them in, and trust's fields ({@code removedBy}, {@code scimMayRestore},
         * {@code roleFromScim}) read back beside the index from every one of these writes.
         */
        @Test
        void scimUsers_shouldStayCountedAndIndexed_besideTrustsFields_throughJoinDeclineARemovalAndProvisioningAllowed() {
            Arrange.Ws ws = arrange.workspace();
            String sub = arrange.seats(ws.id(), 5).subscriptions().keySet().iterator().next();
            Member pat = waiting(ws, email("pat"));
            Member licensed = member(pat).withHoldings(member(pat).holdings().withLicenseFrom(sub));
            stores.licenses().apply(new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(member(pat), licensed)),
                    List.of(), List.of()), stores.licenses().pool(ws.id()));
            assertScimUsers(ws, 2);
            assertThat(inSet(ws, WorkspaceStore.MemberSet.licensedFrom(sub))).containsExactly(pat.memberId());

            // Join: ACTIVE, and the license given before the person joined is not kept.
            var patCaller = Arrange.caller(email("pat"));
            Member read = member(pat);
            Member joined = read.accepted(patCaller.userId(), "Pat", NOW);
            Member afterJoin = joined.withHoldings(joined.holdings().withLicense(false));
            stores.workspaces().join(read, afterJoin, Arrange.profile(patCaller), null,
                    PersonalToken.issue(patCaller.userId(), new FakeSealer(), NOW), 0, audit(ws.id(), "member.joined"),
                    new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(read, afterJoin)), List.of(), List.of()),
                    stores.licenses().pool(ws.id()));
            assertScimUsers(ws, 2);
            assertThat(inSet(ws, WorkspaceStore.MemberSet.licensedFrom(sub))).isEmpty();
            assertThat(inSet(ws, WorkspaceStore.MemberSet.MEMBERS)).contains(pat.memberId());
            // The identity provider's Admins group makes them an admin: the index moves, and the role is the IdP's.
            stores.workspaces().changeAccess(member(pat), member(pat).withAccessFromScim(Access.ADMIN), 1,
                    audit(ws.id(), "member.access-changed"), null);
            assertThat(inSet(ws, WorkspaceStore.MemberSet.ADMINS)).contains(pat.memberId());
            assertThat(member(pat).roleFromScim()).isTrue();
            assertScimUsers(ws, 2);

            // Decline: removed by the person, still a user the identity provider knows (inactive), in no group.
            Member quinn = waiting(ws, email("quinn"));
            assertScimUsers(ws, 3);
            Member declined = member(quinn).removedBy(new dev.wsl.core.domain.Actor("invitee", email("quinn")), NOW);
            stores.workspaces().remove(member(quinn), declined, 0, audit(ws.id(), "member.declined"), null, null);
            assertScimUsers(ws, 3);
            assertThat(inSet(ws, WorkspaceStore.MemberSet.MEMBERS)).doesNotContain(quinn.memberId());
            assertThat(member(quinn).removalSticks()).as("the person's decision sticks").isTrue();
            assertThat(member(quinn).removedBy().email()).isEqualTo(email("quinn"));

            // A person removes a member they invited: no SCIM user any more; allowing provisioning again changes that
            // only once the identity provider brings them back.
            Member rae = arrange.activeMember(ws, email("rae"));
            assertScimUsers(ws, 4);
            stores.workspaces().remove(rae, rae.removedBy(Actor.of(ws.caller()), NOW), 0, audit(ws.id(), "member.removed"),
                    null, null);
            assertScimUsers(ws, 3);
            Member allowed = member(rae).provisioningAllowed();
            stores.workspaces().reprovision(member(rae), allowed, audit(ws.id(), "member.provisioning-allowed"));
            assertScimUsers(ws, 3);
            assertThat(member(rae).scimMayRestore()).isTrue();
            assertThat(member(rae).removedBy()).isEqualTo(Actor.of(ws.caller()));
            Member back = allowed.reprovisioned("Rae", allowed.email(),
                    new dev.wsl.core.domain.Provisioning(email("rae"), null, null, null)).reactivated("scim", NOW);
            stores.workspaces().reprovision(allowed, back, audit(ws.id(), "member.reactivated"));
            assertScimUsers(ws, 4);
            assertThat(inSet(ws, WorkspaceStore.MemberSet.MEMBERS)).contains(rae.memberId());
            assertThat(member(rae).removedBy()).as("trust's fields beside the index").isNull();
        }

        private Member waiting(Arrange.Ws ws, String email) {
            Member m = Member.builder().workspaceId(ws.id()).memberId(Ids.newId("m", NOW.toEpochMilli()))
                    .email(new dev.wsl.core.domain.EmailAddress(email)).name("Waiting").status(MemberStatus.INVITED)
                    .access(Access.MEMBER).invitedAt(NOW).invitedBy("scim")
                    .provisioning(new dev.wsl.core.domain.Provisioning(email, null, null, null)).build();
            stores.workspaces().provision(m, audit(ws.id(), "member.provisioned"));
            return m;
        }

        private List<String> inSet(Arrange.Ws ws, WorkspaceStore.MemberSet set) {
            List<String> ids = new ArrayList<>();
            String cursor = null;
            do {
                var page = stores.workspaces().memberSet(ws.id(), set, 2, cursor);
                page.items().forEach(m -> ids.add(m.memberId()));
                cursor = page.nextCursor();
            } while (cursor != null);
            return ids;
        }

        private void assertScimUsers(Arrange.Ws ws, long expected) {
            assertThat(inSet(ws, WorkspaceStore.MemberSet.SCIM_USERS)).as("the index").hasSize((int) expected)
                    .doesNotHaveDuplicates();
            assertThat(stores.workspaces().scimUserCount(ws.id())).as("the counter").isEqualTo(expected);
        }
    }

    /**
     * The groups identity providers create (issue 18): a group with the locks of its name (without case) and its
     * externalId, moved by a rename; the workspace's list of mapped groups; membership items from both sides with
     * the group's count, each change conditioned on the group's version and on every membership as read; a delete
     * only of an empty group; pages and skips in id order; bookmarks of list walks.
     */
    public abstract static class IdpGroupStore extends Base {
        private dev.wsl.core.port.ScimStore scim() {
            return stores.scim();
        }

        private ScimGroup created(Arrange.Ws ws, String name, String externalId) {
            ScimGroup g = new ScimGroup(ws.id(), Ids.newId("g", NOW.toEpochMilli()), name, externalId, null, 0, 0, NOW, NOW);
            scim().createGroup(g, arrange.audit(ws.id(), ws.caller(), "scim.group-created"));
            return g;
        }

        private ScimGroup group(ScimGroup g) {
            return scim().group(g.workspaceId(), g.groupId()).orElseThrow();
        }

        private ScimGroup withMembers(ScimGroup read, List<String> add, List<String> remove) {
            ScimGroup after = read.withMembers(read.memberCount() + add.size() - remove.size(), NOW);
            scim().changeMembers(read, after, add, remove, arrange.audit(read.workspaceId(), Arrange.caller("x@example.com"),
                    "scim.group-members-changed"));
            return after;
        }

        private static List<String> memberIds(int n) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(Ids.newId("m", NOW.toEpochMilli()));
            }
            return ids.stream().sorted().toList();
        }

        @Test
        void aGroup_shouldBeCreatedWithTheLocksOfItsNameWithoutCaseAndItsExternalId_countedAndNothingOfATwinWritten() {
            Arrange.Ws ws = arrange.workspace();
            Arrange.Ws other = arrange.workspace();
            ScimGroup eng = created(ws, "Engineering", "ext-1");

            assertThat(group(eng)).isEqualTo(eng);
            assertThat(scim().groupIdByName(ws.id(), "engineering")).contains(eng.groupId());
            assertThat(scim().groupIdByExternalId(ws.id(), "ext-1")).contains(eng.groupId());
            assertThat(scim().groupIdByExternalId(ws.id(), "EXT-1")).as("externalId compared exactly").isEmpty();
            assertThat(scim().groupCount(ws.id())).isEqualTo(1);

            assertThatThrownBy(() -> created(ws, "ENGINEERING", null))
                    .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("group-exists"));
            assertThatThrownBy(() -> created(ws, "Design", "ext-1"))
                    .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("external-id-exists"));
            assertThat(scim().groupIdByName(ws.id(), "design")).as("the twin's name lock").isEmpty();
            assertThat(scim().groupCount(ws.id())).isEqualTo(1);
            assertThat(scim().groupPage(ws.id(), 10, null).items()).containsExactly(eng);
            assertThatThrownBy(() -> scim().createGroup(new ScimGroup(Ids.newId("ws", NOW.toEpochMilli()),
                    Ids.newId("g", NOW.toEpochMilli()), "X", null, null, 0, 0, NOW, NOW),
                    arrange.audit(ws.id(), ws.caller(), "x"))).isInstanceOf(NotFound.class);

            ScimGroup elsewhere = created(other, "Engineering", "ext-1");
            assertThat(scim().groupIdByName(other.id(), "engineering")).as("names are per workspace")
                    .contains(elsewhere.groupId());
        }

        @Test
        void aRenameOrMapping_shouldMoveTheLocksAndTheMappedList_inOneStep_andOnlyFromTheVersionRead() {
            Arrange.Ws ws = arrange.workspace();
            ScimGroup a = created(ws, "Alpha", "x");
            ScimGroup b = created(ws, "Beta", null);

            ScimGroup renamed = a.renamed("Alpha 2", "y", NOW);
            scim().updateGroup(a, renamed, arrange.audit(ws.id(), ws.caller(), "scim.group-changed"));
            assertThat(scim().groupIdByName(ws.id(), "alpha")).isEmpty();
            assertThat(scim().groupIdByName(ws.id(), "alpha 2")).contains(a.groupId());
            assertThat(scim().groupIdByExternalId(ws.id(), "x")).isEmpty();
            assertThat(scim().groupIdByExternalId(ws.id(), "y")).contains(a.groupId());
            assertThatThrownBy(() -> scim().updateGroup(a, a.renamed("Alpha 3", "x", NOW),
                    arrange.audit(ws.id(), ws.caller(), "stale"))).isInstanceOf(ChangedMeanwhile.class);
            assertThat(group(a)).isEqualTo(renamed);

            assertThatThrownBy(() -> scim().updateGroup(b, b.renamed("ALPHA 2", null, NOW),
                    arrange.audit(ws.id(), ws.caller(), "twin"))).isInstanceOfSatisfying(AlreadyExists.class,
                    e -> assertThat(e.slug()).isEqualTo("group-exists"));
            assertThatThrownBy(() -> scim().updateGroup(b, b.renamed("Beta", "y", NOW),
                    arrange.audit(ws.id(), ws.caller(), "twin"))).isInstanceOfSatisfying(AlreadyExists.class,
                    e -> assertThat(e.slug()).isEqualTo("external-id-exists"));
            assertThat(group(b)).isEqualTo(b);
            assertThat(scim().groupIdByName(ws.id(), "beta")).contains(b.groupId());
            created(ws, "Alpha", "x"); // what the rename freed

            ScimGroup aMapped = renamed.mappedTo(ScimGroup.MEMBERS, NOW);
            scim().updateGroup(renamed, aMapped, arrange.audit(ws.id(), ws.caller(), "scim.group-mapped"));
            ScimGroup bMapped = b.mappedTo(ScimGroup.license("sub_1"), NOW);
            scim().updateGroup(b, bMapped, arrange.audit(ws.id(), ws.caller(), "scim.group-mapped"));
            assertThat(scim().mappedGroups(ws.id())).isEqualTo(Map.of(a.groupId(), ScimGroup.MEMBERS,
                    b.groupId(), ScimGroup.license("sub_1")));
            scim().updateGroup(aMapped, aMapped.mappedTo(null, NOW), arrange.audit(ws.id(), ws.caller(), "unmapped"));
            assertThat(scim().mappedGroups(ws.id())).isEqualTo(Map.of(b.groupId(), ScimGroup.license("sub_1")));
            assertThat(group(a).mapping()).isNull();
        }

        @Test
        void memberChanges_shouldWriteBothSidesWithTheCount_andFailWholeOnAStaleGroupOrMembership() {
            Arrange.Ws ws = arrange.workspace();
            ScimGroup g = created(ws, "Engineering", null);
            ScimGroup h = created(ws, "Design", null);
            List<String> ids = memberIds(3);
            String m1 = ids.get(0);
            String m2 = ids.get(1);
            String m3 = ids.get(2);

            ScimGroup two = withMembers(g, List.of(m2, m1), List.of());
            withMembers(h, List.of(m1), List.of());
            assertThat(group(g).memberCount()).isEqualTo(2);
            assertThat(scim().groupMembers(ws.id(), g.groupId(), 10, null).items()).containsExactly(m1, m2);
            assertThat(scim().membersIn(ws.id(), g.groupId(), List.of(m1, m3))).containsExactly(m1);
            assertThat(scim().groupsOf(ws.id(), m1)).containsExactlyInAnyOrder(g.groupId(), h.groupId());

            assertThatThrownBy(() -> withMembers(g, List.of(m3), List.of())).as("a stale group")
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThatThrownBy(() -> withMembers(two, List.of(m3, m1), List.of())).as("one of them is in already")
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThatThrownBy(() -> withMembers(two, List.of(), List.of(m3))).as("one of them is out already")
                    .isInstanceOf(ChangedMeanwhile.class);
            assertThat(group(g)).as("nothing written").isEqualTo(two);
            assertThat(scim().membersIn(ws.id(), g.groupId(), List.of(m3))).isEmpty();
            assertThatThrownBy(() -> withMembers(two, memberIds(dev.wsl.core.port.ScimStore.MAX_MEMBERS_PER_CHANGE + 1),
                    List.of())).isInstanceOf(IllegalArgumentException.class);

            withMembers(two, List.of(m3), List.of(m2));
            assertThat(group(g).memberCount()).isEqualTo(2);
            assertThat(scim().groupMembers(ws.id(), g.groupId(), 10, null).items()).containsExactly(m1, m3);
            assertThat(scim().groupsOf(ws.id(), m2)).isEmpty();
        }

        @Test
        void aDelete_shouldNeedTheGroupEmptyAsRead_andFreeItsLocksItsCountAndItsMapping() {
            Arrange.Ws ws = arrange.workspace();
            ScimGroup g = created(ws, "Engineering", "ext-1");
            ScimGroup mapped = g.mappedTo(ScimGroup.ADMINS, NOW);
            scim().updateGroup(g, mapped, arrange.audit(ws.id(), ws.caller(), "scim.group-mapped"));
            String m1 = memberIds(1).getFirst();
            ScimGroup full = withMembers(mapped, List.of(m1), List.of());

            assertThatThrownBy(() -> scim().deleteGroup(full, arrange.audit(ws.id(), ws.caller(), "x")))
                    .as("not empty").isInstanceOf(ChangedMeanwhile.class);
            ScimGroup empty = withMembers(full, List.of(), List.of(m1));
            assertThatThrownBy(() -> scim().deleteGroup(mapped, arrange.audit(ws.id(), ws.caller(), "x")))
                    .as("a stale read that was empty").isInstanceOf(ChangedMeanwhile.class);
            assertThat(scim().groupCount(ws.id())).isEqualTo(1);

            scim().deleteGroup(empty, arrange.audit(ws.id(), ws.caller(), "scim.group-deleted"));
            assertThat(scim().group(ws.id(), g.groupId())).isEmpty();
            assertThat(scim().groupIdByName(ws.id(), "engineering")).isEmpty();
            assertThat(scim().groupIdByExternalId(ws.id(), "ext-1")).isEmpty();
            assertThat(scim().groupCount(ws.id())).isZero();
            assertThat(scim().mappedGroups(ws.id())).isEmpty();
            created(ws, "engineering", "ext-1");
        }

        @Test
        void groupsAndTheirMembers_shouldPageInIdOrder_skipToWherePagingGoes_andRefuseAnotherListsCursor() {
            Arrange.Ws ws = arrange.workspace();
            Arrange.Ws other = arrange.workspace();
            List<String> groupIds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                groupIds.add(created(ws, "Group " + i, null).groupId());
            }
            created(other, "Group 0", null);
            List<String> paged = new ArrayList<>();
            String cursor = null;
            do {
                var page = scim().groupPage(ws.id(), 2, cursor);
                page.items().forEach(g -> paged.add(g.groupId()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(paged).isEqualTo(groupIds.stream().sorted().toList());
            String skipped = scim().skipGroups(ws.id(), 3, null);
            assertThat(scim().groupPage(ws.id(), 10, skipped).items()).extracting(ScimGroup::groupId)
                    .isEqualTo(paged.subList(3, 5));
            String first = scim().groupPage(ws.id(), 2, null).nextCursor();
            assertThatThrownBy(() -> scim().groupPage(other.id(), 2, first)).isInstanceOf(InvalidInput.class);

            ScimGroup g = group(created(ws, "Big", null));
            ScimGroup h = created(ws, "Small", null);
            List<String> ids = memberIds(7);
            withMembers(g, ids, List.of());
            List<String> members = new ArrayList<>();
            cursor = null;
            do {
                var page = scim().groupMembers(ws.id(), g.groupId(), 3, cursor);
                members.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(members).isEqualTo(ids);
            String past4 = scim().skipGroupMembers(ws.id(), g.groupId(), 4, null);
            assertThat(scim().groupMembers(ws.id(), g.groupId(), 10, past4).items()).isEqualTo(ids.subList(4, 7));
            assertThat(scim().skipGroupMembers(ws.id(), g.groupId(), 7, null)).as("past the end").satisfiesAnyOf(
                    c -> assertThat(c).isNull(),
                    c -> assertThat(scim().groupMembers(ws.id(), g.groupId(), 10, c).items()).isEmpty());
            String ofG = scim().groupMembers(ws.id(), g.groupId(), 3, null).nextCursor();
            assertThatThrownBy(() -> scim().groupMembers(ws.id(), h.groupId(), 3, ofG)).as("another group's cursor")
                    .isInstanceOf(InvalidInput.class);
        }

        @Test
        void aBookmark_shouldBeTheNearestAtOrBelowTheIndexAsked_ofThatListAndWorkspace_theNewestWinning() {
            Arrange.Ws ws = arrange.workspace();
            Arrange.Ws other = arrange.workspace();
            var users = "users";
            scim().saveBookmark(ws.id(), users, new dev.wsl.core.port.ScimStore.Bookmark(101, "c101"), NOW);
            scim().saveBookmark(ws.id(), users, new dev.wsl.core.port.ScimStore.Bookmark(1001, "c1001"), NOW);

            assertThat(scim().bookmark(ws.id(), users, 150)).contains(new dev.wsl.core.port.ScimStore.Bookmark(101, "c101"));
            assertThat(scim().bookmark(ws.id(), users, 1001)).contains(
                    new dev.wsl.core.port.ScimStore.Bookmark(1001, "c1001"));
            assertThat(scim().bookmark(ws.id(), users, 5000)).as("index order, not text order").contains(
                    new dev.wsl.core.port.ScimStore.Bookmark(1001, "c1001"));
            assertThat(scim().bookmark(ws.id(), users, 100)).isEmpty();
            assertThat(scim().bookmark(ws.id(), "group:g_x", 150)).isEmpty();
            assertThat(scim().bookmark(other.id(), users, 150)).isEmpty();

            scim().saveBookmark(ws.id(), users, new dev.wsl.core.port.ScimStore.Bookmark(101, "newer"), NOW);
            assertThat(scim().bookmark(ws.id(), users, 101)).contains(new dev.wsl.core.port.ScimStore.Bookmark(101, "newer"));
        }
    }

    /** Idle seats, the seat policy and the reclaim job's own items (issue 21). */
    public abstract static class Seats extends Base {
        private static final java.time.Duration DAY = java.time.Duration.ofDays(1);

        private Member licensedAt(Arrange.Ws ws, String name, Instant at) {
            return arrange.license(arrange.invite(ws, email(name)), at);
        }

        private dev.wsl.core.domain.Seat seat(Member m) {
            return stores.seats().seats(m.workspaceId(), List.of(m.memberId())).get(m.memberId());
        }

        private SeatChange unassign(Member m, Instant unusedSince) {
            return new SeatChange(m.workspaceId(), List.of(new SeatChange.MemberChange(m,
                    m.withHoldings(m.holdings().withLicense(false)), unusedSince)), List.of(),
                    List.of(arrange.audit(m.workspaceId(), Arrange.caller("x@example.com"), "license.unassigned")));
        }

        @Test
        void aLicense_shouldPutItsSeatOnTheIndex_idleFromWhenItWasGiven_andItsEndShouldTakeItOff() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 10);
            Instant given = NOW.minus(DAY.multipliedBy(40));
            Member jane = licensedAt(ws, "jane", given);

            dev.wsl.core.domain.Seat seat = seat(jane);
            assertThat(seat.lastActivity()).isEqualTo(given.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertThat(seat.licensedAt()).isEqualTo(given);
            assertThat(seat.lastActivation()).as("no activation since the license").isNull();
            assertThat(seat.noticed()).isFalse();
            assertThat(stores.seats().idleSeats(ws.id(), NOW.minus(DAY.multipliedBy(30)), 10, null).seats())
                    .extracting(dev.wsl.core.domain.Seat::memberId).containsExactly(jane.memberId());
            assertThat(stores.credentials().usage(ws.id(), List.of(jane.memberId())).get(jane.memberId()).idleSince())
                    .isEqualTo(seat.lastActivity());

            stores.licenses().apply(unassign(jane, null), stores.licenses().pool(ws.id()));

            assertThat(seat(jane)).isNull();
            assertThat(stores.seats().idleSeats(ws.id(), NOW, 10, null).seats()).isEmpty();
            var usage = stores.credentials().usage(ws.id(), List.of(jane.memberId())).get(jane.memberId());
            assertThat(usage == null ? null : usage.idleSince()).as("no seat, no idle time").isNull();
        }

        @Test
        void idleSeats_shouldListLongestIdleFirst_pageByPage_andRefuseACursorItDidNotReturn() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 10);
            Member a = licensedAt(ws, "a", NOW.minus(DAY.multipliedBy(50)));
            Member b = licensedAt(ws, "b", NOW.minus(DAY.multipliedBy(35)));
            Member c = licensedAt(ws, "c", NOW.minus(DAY.multipliedBy(40)));
            licensedAt(ws, "recent", NOW.minus(DAY.multipliedBy(10)));

            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var page = stores.seats().idleSeats(ws.id(), NOW.minus(DAY.multipliedBy(30)), 2, cursor);
                page.seats().forEach(s -> seen.add(s.memberId()));
                cursor = page.next();
                pages++;
            } while (cursor != null && pages < 5);

            assertThat(seen).containsExactly(a.memberId(), c.memberId(), b.memberId());
            assertThat(pages).isBetween(2, 3);
            assertThatThrownBy(() -> stores.seats().idleSeats(ws.id(), NOW, 2, "not-a-cursor"))
                    .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("invalid-cursor"));
        }

        @Test
        void anActivation_shouldMoveTheSeat_andAnEndConditionedOnTheOldActivity_shouldThenChangeNothing() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 10);
            Instant given = NOW.minus(DAY.multipliedBy(40));
            Member jane = licensedAt(ws, "jane", given);
            dev.wsl.core.domain.Seat idle = seat(jane);

            stores.recordActivation(ws.id(), jane.memberId(), NOW.minus(DAY));

            dev.wsl.core.domain.Seat used = seat(jane);
            assertThat(used.lastActivity()).isEqualTo(NOW.minus(DAY));
            assertThat(used.lastActivation().at()).isEqualTo(NOW.minus(DAY));
            assertThat(stores.seats().idleSeats(ws.id(), NOW.minus(DAY.multipliedBy(30)), 10, null).seats()).isEmpty();
            assertThatThrownBy(() -> stores.licenses().apply(unassign(jane, idle.lastActivity()),
                    stores.licenses().pool(ws.id()))).isInstanceOf(ChangedMeanwhile.class);
            assertThat(member(jane).holdings().licensed()).as("nothing written").isTrue();
            assertThat(seat(jane)).isEqualTo(used);

            stores.licenses().apply(unassign(jane, used.lastActivity()), stores.licenses().pool(ws.id()));
            assertThat(member(jane).holdings().licensed()).isFalse();
            assertThat(seat(jane)).isNull();
            assertCountersEqualRecount(ws.id());
        }

        @Test
        void aNotice_shouldBeRecordedOncePerIdleStretch_withItsEmail() {
            Arrange.Ws ws = arrange.workspace();
            arrange.seats(ws.id(), 10);
            Member jane = licensedAt(ws, "jane", NOW.minus(DAY.multipliedBy(60)));
            dev.wsl.core.domain.Seat idle = seat(jane);
            OutboxMessage email = notice(jane, idle);
            var notice = new dev.wsl.core.domain.Seat.ReclaimNotice(idle.lastActivity(), NOW, NOW.plus(DAY.multipliedBy(7)));

            assertThat(stores.seats().recordNotice(idle, notice, email)).isTrue();
            assertThat(stores.seats().recordNotice(idle, notice, email)).as("the same stretch again").isFalse();
            assertThat(seat(jane).noticed()).isTrue();
            assertThat(seat(jane).notice()).isEqualTo(notice);
            assertThat(stores.outbox().state(email.id())).contains(OutboxStore.State.PENDING);

            stores.recordActivation(ws.id(), jane.memberId(), NOW.minus(DAY));
            assertThat(seat(jane).noticed()).as("an activation starts a new stretch").isFalse();
            assertThat(stores.seats().recordNotice(idle, notice, notice(jane, idle)))
                    .as("a notice for the stretch that ended").isFalse();
            dev.wsl.core.domain.Seat again = seat(jane);
            assertThat(stores.seats().recordNotice(again, new dev.wsl.core.domain.Seat.ReclaimNotice(
                    again.lastActivity(), NOW, NOW.plus(DAY.multipliedBy(60))), notice(jane, again))).isTrue();
        }

        private OutboxMessage notice(Member m, dev.wsl.core.domain.Seat seat) {
            return OutboxMessage.notice(OutboxMessage.Kind.RECLAIM_NOTICE, m.workspaceId(), m.memberId(),
                    seat.lastActivity().getEpochSecond(), m.email(), "Workspace", "Reclaim", "Text", NOW);
        }

        @Test
        void aMessage_shouldBeQueuedOnce() {
            Arrange.Ws ws = arrange.workspace();
            OutboxMessage digest = OutboxMessage.notice(OutboxMessage.Kind.RECLAIM_DIGEST, ws.id(),
                    ws.admin().memberId(), NOW.getEpochSecond(), ws.admin().email(), "Workspace", "Digest", "Text", NOW);

            assertThat(stores.seats().queue(digest)).isTrue();
            assertThat(stores.seats().queue(digest)).isFalse();
            assertThat(stores.outbox().state(digest.id())).contains(OutboxStore.State.PENDING);
            assertThat(stores.seats().admins(ws.id())).extracting(Member::memberId).containsExactly(ws.admin().memberId());
        }

        @Test
        void thePolicy_shouldDefault_changeOnlyFromTheVersionRead_andKeepTheJobsCounts() {
            Arrange.Ws ws = arrange.workspace();
            var overview = stores.seats().overview(ws.id());
            assertThat(overview.policy()).isEqualTo(dev.wsl.core.domain.SeatPolicy.defaults(ws.id()));
            assertThat(overview.pool().seats()).isZero();
            arrange.seats(ws.id(), 5);
            var counts = new dev.wsl.core.domain.SeatPolicy.IdleCounts(NOW, 3, 2, 1);
            stores.seats().saveCounts(ws.id(), counts);

            dev.wsl.core.domain.SeatPolicy read = stores.seats().policy(ws.id());
            var by = new dev.wsl.core.domain.Actor("sub-admin", "admin@example.com");
            dev.wsl.core.domain.SeatPolicy next = read.changedTo(60, true, 90, by, NOW);
            stores.seats().savePolicy(read, next, arrange.audit(ws.id(), ws.caller(), "seat-policy.changed"));

            assertThatThrownBy(() -> stores.seats().savePolicy(read, read.changedTo(90, false, 30, by, NOW),
                    arrange.audit(ws.id(), ws.caller(), "seat-policy.changed"))).isInstanceOf(ChangedMeanwhile.class);
            var stored = stores.seats().overview(ws.id());
            assertThat(stored.policy()).isEqualTo(next.withCounts(counts));
            assertThat(stored.pool().seats()).isEqualTo(5);
        }

        @Test
        void aPurchase_shouldPutTheWorkspaceOnTheJobsWorkList_andReclaimMoveItToTheReclaimPart() {
            Arrange.Ws ws = arrange.workspace();
            assertThat(policies(false)).doesNotContain(ws.id());
            arrange.seats(ws.id(), 5);
            assertThat(policies(false)).contains(ws.id());
            assertThat(policies(true)).doesNotContain(ws.id());

            dev.wsl.core.domain.SeatPolicy read = stores.seats().policy(ws.id());
            stores.seats().savePolicy(read, read.changedTo(30, true, 60,
                    new dev.wsl.core.domain.Actor("sub-admin", "admin@example.com"), NOW),
                    arrange.audit(ws.id(), ws.caller(), "seat-policy.changed"));
            arrange.seats(ws.id(), 6);

            assertThat(policies(true)).as("a later purchase keeps the admin's choice").contains(ws.id());
            assertThat(policies(false)).doesNotContain(ws.id());
            assertThat(stores.seats().policy(ws.id()).reclaim()).isTrue();
        }

        private List<String> policies(boolean reclaim) {
            List<String> out = new ArrayList<>();
            String after = null;
            for (int i = 0; i < 1000; i++) {
                var page = stores.seats().policies(reclaim, after, 50);
                page.policies().forEach(p -> out.add(p.workspaceId()));
                if (!page.more()) {
                    break;
                }
                after = page.last();
            }
            return out;
        }

        @Test
        void aRun_shouldStartOnce_andMoveOnlyFromTheStepRead() {
            String runId = NOW + "-" + suffix;
            assertThat(stores.seats().startRun(runId, NOW)).isTrue();
            try {
                assertThat(stores.seats().startRun(NOW + "-other" + suffix, NOW)).isFalse();
                var start = stores.seats().currentRun().orElseThrow();
                var next = new dev.wsl.core.port.SeatStore.Progress("on", null, "ws_x", "pos",
                        new dev.wsl.core.domain.SeatPolicy.IdleCounts(null, 4, 2, 1), 3, 1, List.of("Jane: reclaimed"));

                assertThat(stores.seats().checkpoint(start, next, Map.of("reclaimed", 1L), false, true, NOW)).isTrue();
                assertThat(stores.seats().checkpoint(start, next, Map.of("reclaimed", 5L), false, false, NOW))
                        .as("a second invocation that read the same step").isFalse();
                var moved = stores.seats().currentRun().orElseThrow();
                assertThat(moved.progress()).isEqualTo(next);
                assertThat(moved.step()).isEqualTo(start.step() + 1);
                assertThat(stores.seats().checkpoint(moved, next, Map.of("reclaimed", 2L), true, false, NOW)).isTrue();
            } finally {
                stores.seats().currentRun().ifPresent(c -> stores.seats().checkpoint(c, c.progress(), Map.of(), true,
                        false, NOW));
            }
            assertThat(stores.seats().currentRun()).isEmpty();
            assertThat(stores.seats().run(runId)).containsEntry("reclaimed", 3L).containsEntry("status", "COMPLETE")
                    .containsEntry("invocations", 1L);
        }
    }
}
