package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Role;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NotFound;
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

/** The rules of {@link MemberService}, against the in-memory stores (the contract tests hold them to DynamoDB's). */
class MemberServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(NOW);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), clock, Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final Caller admin = Arrange.caller("admin@example.com");
    private final Caller jane = Arrange.caller("jane@example.com");
    private final String ws = members.workspaces().createWorkspace(admin, "Acme").workspace().workspaceId();

    private Member invite(String email) {
        return members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Placeholder", new EmailAddress(email),
                Access.MEMBER, Optional.empty()));
    }

    /** What the mailer does: a fresh link token bound to the member's invitation. */
    private String deliver(Member invited) {
        String token = Secrets.newInvitationToken();
        new Arrange(stores, NOW).issueToken(stores.workspaces().findMember(ws, invited.memberId()).orElseThrow(), token);
        return token;
    }

    private Member stored(Member m) {
        return stores.workspaces().findMember(m.workspaceId(), m.memberId()).orElseThrow();
    }

    @Test
    void createWorkspace_shouldMakeTheCreatorItsActiveAdmin_andIssueOneAuthTokenPerUser() {
        String second = members.workspaces().createWorkspace(admin, "Second").workspace().workspaceId();

        assertThat(stores.workspaces().findGrant(ws, admin.userId())).get().extracting(g -> g.access().isAdmin()).isEqualTo(true);
        assertThat(stores.workspaces().findWorkspace(ws).orElseThrow().activeAdmins()).isEqualTo(1);
        assertThat(stores.workspaces().findGrant(second, admin.userId())).isPresent();
        assertThat(stores.credentials().personalToken(admin.userId())).isPresent();
        assertThat(stores.auditOf(ws)).extracting(e -> e.action()).containsExactly("workspace.created");
    }

    @Test
    void theIdentityProvidersUseCases_shouldBeTheServicesOwn_onItsStores() {
        Member invited = invite("jane@example.com");
        ProvisioningUseCases scim = members.identityProvider();
        ProvisioningUseCases alone = new ProvisioningUseCases(stores.workspaces(), stores.licenses(),
                stores.credentials(), clock, Duration.ofDays(7), RetryPolicy.withoutPauses(3));

        assertThat(scim.provisioning()).isSameAs(members.provisioning());
        assertThat(scim.memberships()).isSameAs(members.memberships());
        assertThat(scim.directory()).isSameAs(members.directory());
        assertThat(alone.directory().findByEmail(ws, invited.email())).map(Member::memberId)
                .as("built without a sealer, on the same stores").contains(invited.memberId());
    }

    @Test
    void invite_shouldCreateAnInvitedMember_withItsEmailInTheOutbox() {
        Member invited = invite("jane@example.com");

        assertThat(invited.status()).isEqualTo(MemberStatus.INVITED);
        assertThat(invited.invitation().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(stores.outboxMessages()).singleElement().satisfies(m -> {
            assertThat(m.to().value()).isEqualTo("jane@example.com");
            assertThat(m.workspaceName()).isEqualTo("Acme");
            assertThat(m.sequence()).isEqualTo(1);
        });
    }

    @Test
    void invitingAnInvitedEmail_shouldSayResend_butAnActiveMember_shouldNot() {
        Member invited = invite("jane@example.com");
        activeMember("bob@example.com");

        assertThatThrownBy(() -> invite("jane@example.com")).isInstanceOfSatisfying(AlreadyExists.class, e -> {
            assertThat(e.slug()).isEqualTo("member-exists");
            assertThat(e.detail()).contains("resend");
            assertThat(e.extensions()).containsEntry("memberId", invited.memberId());
        });
        assertThatThrownBy(() -> invite("bob@example.com")).isInstanceOfSatisfying(AlreadyExists.class, e -> {
            assertThat(e.slug()).isEqualTo("member-exists");
            assertThat(e.detail()).contains("active member").doesNotContain("resend");
        });
        assertThat(stores.outboxMessages()).hasSize(2);
    }

    @Test
    void invitingARemovedMemberAgain_shouldReuseTheirRecord_withoutTheOldAcceptance() {
        Member bob = activeMember("bob@example.com");
        members.memberships().remove(members.person(admin, ws), ws, bob.memberId());

        Member again = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Robert", new EmailAddress("bob@example.com"),
                new Access(Role.MEMBER, Set.of(Permission.AUDIT_READ)), Optional.of(3)));

        assertThat(again.memberId()).isEqualTo(bob.memberId());
        assertThat(again.status()).isEqualTo(MemberStatus.INVITED);
        assertThat(again.name()).isEqualTo("Robert");
        assertThat(again.acceptedAt()).isNull();
        assertThat(again.removedAt()).isNull();
        assertThat(again.invitation().sequence()).isEqualTo(2);
        assertThat(again.access().permissions()).containsExactly(Permission.AUDIT_READ);
        assertThat(stored(again)).isEqualTo(again);
    }

    @Test
    void invite_shouldBeRefused_toOutsiders_andMembersWithoutThePermission() {
        Member plain = activeMember("plain@example.com");
        Caller outsider = Arrange.caller("out@example.com");

        assertThatThrownBy(() -> members.invitations().invite(members.person(outsider, ws), ws, new Invitations.InviteCommand("X",
                new EmailAddress("x@example.com"), Access.MEMBER, Optional.empty()))).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.invitations().invite(members.person(Arrange.caller("plain@example.com"), ws), ws, new Invitations.InviteCommand("X",
                new EmailAddress("x@example.com"), Access.MEMBER, Optional.empty()))).isInstanceOf(Forbidden.class);
        assertThat(plain.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(stores.workspaces().findMemberIdByEmail(ws, "x@example.com")).isEmpty();
    }

    @Test
    void accept_shouldMakeTheInvitedEmailsAccountAnActiveMember_andIssueItsToken() {
        Member invited = invite("jane@example.com");
        String token = deliver(invited);

        Member accepted = members.invitations().accept(jane, token);

        assertThat(accepted.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(accepted.name()).isEqualTo("jane");
        assertThat(accepted.userId()).isEqualTo(jane.userId());
        assertThat(stores.workspaces().findGrant(ws, jane.userId())).isPresent();
        assertThat(stores.credentials().personalToken(jane.userId())).isPresent();
        assertThatThrownBy(() -> members.invitations().accept(jane, token)).as("a link works once").isInstanceOf(NotFound.class);
    }

    @Test
    void accept_shouldRefuseAnotherEmail_andAnExpiredLink_andChangeNothing() {
        String token = deliver(invite("jane@example.com"));

        assertThatThrownBy(() -> members.invitations().accept(Arrange.caller("mallory@example.com"), token)).isInstanceOf(Forbidden.class);
        clock.advance(Duration.ofDays(8));
        assertThatThrownBy(() -> members.invitations().accept(jane, token)).isInstanceOf(Gone.class);
        assertThat(stores.workspaces().findMemberIdByEmail(ws, "jane@example.com")
                .flatMap(id -> stores.workspaces().findMember(ws, id))).get()
                .extracting(Member::status).isEqualTo(MemberStatus.INVITED);
        assertThat(stores.credentials().personalToken(jane.userId())).isEmpty();
    }

    @Test
    void accept_shouldDecideAgain_whenAnAdminChangedTheMemberBetweenReadAndWrite() {
        Member invited = invite("jane@example.com");
        String token = deliver(invited);
        stores.beforeNextWrite(() -> {
            Member now = stored(invited);
            stores.workspaces().changeAccess(now, now.withAccess(new Access(Role.MEMBER, Set.of(Permission.AUDIT_READ))),
                    0, new Arrange(stores, NOW).audit(ws, admin, "member.access-changed"));
        });

        Member accepted = members.invitations().accept(jane, token);

        assertThat(accepted.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(accepted.access().permissions()).as("the admin's change is kept").containsExactly(Permission.AUDIT_READ);
        assertThat(stores.pendingInterleaved()).isZero();
    }

    @Test
    void aRaceLostOnEveryAttempt_shouldEndInChangedMeanwhile_afterTheBoundedAttempts() {
        Member invited = invite("jane@example.com");
        for (int i = 0; i < 3; i++) {
            stores.beforeNextWrite(() -> {
                Member now = stored(invited);
                stores.workspaces().changeAccess(now, now.withAccess(Access.MEMBER), 0,
                        new Arrange(stores, NOW).audit(ws, admin, "x"));
            });
        }

        assertThatThrownBy(() -> members.memberships().setAccess(members.person(admin, ws), ws, invited.memberId(), Access.ADMIN))
                .isInstanceOf(ChangedMeanwhile.class);
        assertThat(stored(invited).access()).isEqualTo(Access.MEMBER);
    }

    @Test
    void aBusyTable_shouldBeRetried() {
        stores.beforeNextWrite(() -> {
            throw new Busy("collided", null);
        });

        Member invited = invite("jane@example.com");

        assertThat(stored(invited).status()).isEqualTo(MemberStatus.INVITED);
    }

    @Test
    void removingTheOnlyAdmin_shouldBeRefused_asLastAdmin() {
        String adminId = stores.workspaces().findGrant(ws, admin.userId()).orElseThrow().memberId();

        assertThatThrownBy(() -> members.memberships().remove(members.person(admin, ws), ws, adminId)).isInstanceOf(LastAdmin.class);
        assertThatThrownBy(() -> members.memberships().setAccess(members.person(admin, ws), ws, adminId, Access.MEMBER)).isInstanceOf(LastAdmin.class);
        assertThat(stores.workspaces().findGrant(ws, admin.userId())).isPresent();
    }

    @Test
    void removal_shouldFreeTheSeat_deleteTheKey_andStopTheTokenActivating() {
        Member bob = activeMember("bob@example.com");
        Arrange arrange = new Arrange(stores, NOW);
        arrange.seats(ws, 3);
        LegacyKey key = arrange.key(ws, "bobs-old-key", bob.memberId(), NOW);
        stores.licenses().apply(new SeatChange(ws, List.of(new SeatChange.MemberChange(bob,
                bob.withHoldings(new Holdings(true, key.keyId())))), List.of(new SeatChange.KeyChange(null, key)), List.of()),
                stores.licenses().pool(ws));
        assertThat(stores.licensedIn(bob.userId())).containsKey(ws);

        Member removed = members.memberships().remove(members.person(admin, ws), ws, bob.memberId());

        assertThat(removed.holdings()).isEqualTo(Holdings.NONE);
        assertThat(stores.licenses().pool(ws).tally().inUse()).isZero();
        assertThat(stores.recount(ws)).isEqualTo(stores.licenses().pool(ws).tally());
        assertThat(stores.licenses().listKeys(ws)).isEmpty();
        assertThat(stores.claim(key.hash())).isEmpty();
        assertThat(stores.licensedIn(bob.userId())).doesNotContainKey(ws);
        assertThat(stores.workspaces().findGrant(ws, bob.userId())).isEmpty();
        assertThat(stores.auditOf(ws)).extracting(e -> e.action()).contains("member.removed", "legacy-key.deleted");
    }

    @Test
    void removalByTheIdentityProvider_shouldAuditTheLegacyKey_asAPersonsRemovalDoes() {
        Arrange arrange = new Arrange(stores, NOW);
        arrange.seats(ws, 3);
        Member bob = keyHolder(arrange, "bob@example.com", "bobs-old-key");
        Member carol = keyHolder(arrange, "carol@example.com", "carols-old-key");

        members.memberships().remove(members.person(admin, ws), ws, bob.memberId());
        members.memberships().remove(new Principal.IdentityProvider(ws), ws, carol.memberId());

        var removals = stores.auditOf(ws).stream().filter(e -> e.action().equals("member.removed")).toList();
        assertThat(removals).extracting(e -> e.target()).containsExactlyInAnyOrder(bob.memberId(), carol.memberId());
        assertThat(removals).allSatisfy(e -> assertThat(e.details())
                .containsOnlyKeys("previousStatus", "licensed", "legacyKey").containsEntry("licensed", "true"));
        assertThat(removals).extracting(e -> e.details().get("legacyKey")).containsExactlyInAnyOrder(
                bob.holdings().legacyKeyId(), carol.holdings().legacyKeyId()).doesNotContain("");
        assertThat(stores.licenses().listKeys(ws)).isEmpty();
    }

    private Member keyHolder(Arrange arrange, String email, String key) {
        Member m = activeMember(email);
        LegacyKey k = arrange.key(ws, key, m.memberId(), NOW);
        Member holding = m.withHoldings(new Holdings(true, k.keyId()));
        stores.licenses().apply(new SeatChange(ws, List.of(new SeatChange.MemberChange(m, holding)),
                List.of(new SeatChange.KeyChange(null, k)), List.of()), stores.licenses().pool(ws));
        return holding;
    }

    @Test
    void resend_shouldSupersedeTheEarlierLink() {
        Member invited = invite("jane@example.com");
        String first = deliver(invited);

        Member resent = members.invitations().resend(members.person(admin, ws), ws, invited.memberId(), Optional.empty());

        assertThat(resent.invitation().sequence()).isEqualTo(2);
        assertThat(stores.workspaces().findInvitation(Secrets.sha256Hex(first))).isEmpty();
        assertThatThrownBy(() -> members.invitations().accept(jane, first)).isInstanceOf(NotFound.class);
        assertThat(stores.outboxMessages()).extracting(m -> m.sequence()).containsExactly(1L, 2L);
    }

    @Test
    void nonAdmins_shouldNeitherChangeAdminsNorEscalate() {
        Member manager = activeMember("pm@example.com");
        members.memberships().setAccess(members.person(admin, ws), ws, manager.memberId(), new Access(Role.MEMBER, Set.of(Permission.MEMBERS_PERMISSIONS)));
        Member other = activeMember("other@example.com");
        Caller pm = Arrange.caller("pm@example.com");
        String adminId = stores.workspaces().findGrant(ws, admin.userId()).orElseThrow().memberId();

        assertThatThrownBy(() -> members.memberships().setAccess(members.person(pm, ws), ws, adminId, Access.MEMBER)).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> members.memberships().setAccess(members.person(pm, ws), ws, other.memberId(), Access.ADMIN)).isInstanceOf(Forbidden.class);
        assertThat(stored(other).access()).isEqualTo(Access.MEMBER);
    }

    @Test
    void resendAndAccessChanges_shouldNeedTheirPermission_andAnswerWhatWasStored() {
        Member invited = invite("carol@example.com");
        Member plain = activeMember("jane@example.com");
        Member other = activeMember("dan@example.com");

        assertThatThrownBy(() -> members.invitations().resend(members.person(jane, ws), ws, invited.memberId(), Optional.empty()))
                .isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> members.memberships().setAccess(members.person(jane, ws), ws, other.memberId(), Access.MEMBER))
                .isInstanceOf(Forbidden.class);
        assertThat(stored(invited).invitation().sequence()).isEqualTo(1);
        assertThat(stores.outboxMessages()).filteredOn(m -> m.to().value().equals("carol@example.com")).hasSize(1);

        Member resent = members.invitations().resend(members.person(admin, ws), ws, invited.memberId(), Optional.empty());
        Access auditor = new Access(Role.MEMBER, Set.of(Permission.AUDIT_READ));
        Member changed = members.memberships().setAccess(members.person(admin, ws), ws, plain.memberId(), auditor);

        assertThat(resent).isEqualTo(stored(invited));
        assertThat(resent.invitation().sequence()).isEqualTo(2);
        assertThat(changed).isEqualTo(stored(plain));
        assertThat(changed.access()).isEqualTo(auditor);
    }

    private Member activeMember(String email) {
        Member invited = invite(email);
        String token = deliver(invited);
        return members.invitations().accept(Arrange.caller(email), token);
    }

    @Test
    void theReadingDoors_shouldAnswerMembersWithTheirLastActivation_andLeaveOutTheRemovedUnlessAsked() {
        Member bob = activeMember("bob@example.com");
        Member carol = invite("carol@example.com");
        Member dave = invite("dave@example.com");
        members.memberships().remove(members.person(admin, ws), ws, dave.memberId());
        Instant activated = NOW.minusSeconds(600);
        stores.recordActivation(ws, bob.memberId(), activated);
        new Arrange(stores, NOW).seats(ws, 3);
        Member erin = new Arrange(stores, NOW).license(invite("erin@example.com"));

        Memberships.Listed current = members.memberships().listMembers(members.person(admin, ws), ws, false, 50, null);
        Memberships.Listed all = members.memberships().listMembers(members.person(admin, ws), ws, true, 50, null);
        Memberships.Listed.One one = members.memberships().getMember(members.person(admin, ws), ws, bob.memberId());

        assertThat(current.page().items()).extracting(Member::memberId).contains(bob.memberId(), carol.memberId())
                .doesNotContain(dave.memberId());
        assertThat(all.page().items()).extracting(Member::memberId).contains(dave.memberId());
        assertThat(current.usage()).containsKey(bob.memberId()).doesNotContainKey(carol.memberId());
        assertThat(current.usage()).as("a license not used yet: its seat's idle time").containsKey(erin.memberId());
        assertThat(current.usage().get(bob.memberId()).at()).isEqualTo(activated);
        assertThat(one.member().memberId()).isEqualTo(bob.memberId());
        assertThat(one.usage().at()).isEqualTo(activated);
        assertThat(members.workspaces().getWorkspace(members.person(admin, ws), ws).workspace().name()).isEqualTo("Acme");
        assertThat(members.directory().membersById(ws, List.of(bob.memberId(), "not-an-id"))).containsOnlyKeys(bob.memberId());
        assertThat(members.directory().membersById(ws, List.of("not-an-id"))).isEmpty();
        assertThatThrownBy(() -> members.memberships().listMembers(members.person(jane, ws), ws, false, 50, null)).isInstanceOf(NotFound.class);
    }

    @Test
    void theAuditTrail_shouldBeReadOnlyWithItsPermission() {
        activeMember("plain@example.com");
        Caller plain = Arrange.caller("plain@example.com");

        assertThat(members.workspaces().audit(members.person(admin, ws), ws, 50, null).items()).extracting(e -> e.action())
                .contains("workspace.created", "member.invited");
        assertThatThrownBy(() -> members.workspaces().audit(members.person(plain, ws), ws, 50, null)).isInstanceOf(Forbidden.class);
    }

    @Test
    void aMemberRemovedByHand_shouldNotBeFoundByTheIdentityProvider_byUserNameOrEmail() {
        Member dave = invite("dave@example.com");
        Member erin = invite("erin@example.com");
        members.memberships().remove(members.person(admin, ws), ws, dave.memberId());

        assertThat(members.directory().findByUserName(ws, "erin@example.com")).map(Member::memberId).contains(erin.memberId());
        assertThat(members.directory().findByEmail(ws, new EmailAddress("erin@example.com"))).map(Member::memberId)
                .contains(erin.memberId());
        assertThat(members.directory().findByUserName(ws, "dave@example.com")).isEmpty();
        assertThat(members.directory().findByEmail(ws, new EmailAddress("dave@example.com"))).isEmpty();
    }
}
