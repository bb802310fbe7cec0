package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.InvalidInput;
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
import org.junit.jupiter.api.Test;

/** The identity provider's use cases of {@link MemberService} (SCIM), against the in-memory stores. */
class ProvisioningTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), new MutableClock(NOW), Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final Caller admin = Arrange.caller("admin@example.com");
    private final String ws = members.workspaces().createWorkspace(admin, "Acme").workspace().workspaceId();

    private ProvisionedMembers.Provisioned user(String userName, String email, boolean active) {
        return new ProvisionedMembers.Provisioned(new Provisioning(userName, null, "Ada", "L"), "Ada L",
                new EmailAddress(email), active);
    }

    @Test
    void aProvisionedUser_waitsForTheirFirstSignIn_thenIsActive_withAFirstToken() {
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada", "ada@example.com", true)).member();
        assertThat(ada.status()).isEqualTo(MemberStatus.INVITED);
        assertThat(ada.awaitsFirstSignIn()).isTrue();
        assertThat(stores.outboxMessages()).as("no email").isEmpty();

        Caller signedIn = Arrange.caller("ada@example.com");
        new Arrange(stores, NOW).verifiedDomain(ws, "example.com"); // else Ada is asked first (ConsentServiceTest)
        assertThat(members.firstSignIn().claimProvisioned(Arrange.caller("bob@example.com"))).isEmpty();
        assertThat(members.firstSignIn().claimProvisioned(signedIn))
                .extracting(m -> m.workspaceId()).containsExactly(ws);
        Member active = stores.workspaces().findMember(ws, ada.memberId()).orElseThrow();
        assertThat(active.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(active.userId()).isEqualTo(signedIn.userId());
        assertThat(stores.workspaces().authTokenHash(signedIn.userId())).isPresent();
        assertThat(members.firstSignIn().claimProvisioned(signedIn)).as("once").isEmpty();
        assertThat(stores.auditOf(ws)).extracting(e -> e.action() + " by " + e.actorId())
                .contains("member.provisioned by scim", "member.signed-in by " + signedIn.userId());
    }

    @Test
    void aMemberInvitedByHand_isAdopted_butAnotherIdpUsersEmailIsTaken() {
        Member invited = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Bob", new EmailAddress("bob@example.com"),
                Access.MEMBER, Optional.empty()));
        ProvisionedMembers.ProvisionOutcome adopted = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("bob", "bob@example.com", true));
        assertThat(adopted.created()).isFalse();
        assertThat(adopted.member().memberId()).isEqualTo(invited.memberId());
        assertThat(members.directory().findByUserName(ws, "BOB")).map(Member::memberId).contains(invited.memberId());

        assertThatThrownBy(() -> members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("robert", "bob@example.com", true)))
                .isInstanceOf(AlreadyExists.class);
        assertThatThrownBy(() -> members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("Bob", "other@example.com", true)))
                .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("user-name-exists"));
    }

    @Test
    void deactivation_removes_reactivationFollowsTheSignInRule_andDeletionForgetsTheUser() {
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada", "ada@example.com", true)).member();
        Member off = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada", "ada@example.com", false));
        assertThat(off.status()).isEqualTo(MemberStatus.REMOVED);
        Member back = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada", "ada@example.com", true));
        assertThat(back.status()).as("never signed in: provisioned again").isEqualTo(MemberStatus.INVITED);

        Caller signedIn = Arrange.caller("ada@example.com");
        new Arrange(stores, NOW).verifiedDomain(ws, "example.com");
        members.firstSignIn().claimProvisioned(signedIn);
        members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada", "ada@example.com", false));
        Member again = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), user("ada", "ada@example.com", true));
        assertThat(again.status()).as("signed in before: ACTIVE at once").isEqualTo(MemberStatus.ACTIVE);
        assertThat(stores.workspaces().findGrant(ws, signedIn.userId())).isPresent();
        assertThatThrownBy(() -> members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(),
                user("ada", "new@example.com", true))).as("their email is their account's")
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.slug()).isEqualTo("mutability"));

        members.provisioning().deprovision(new Principal.IdentityProvider(ws), ws, ada.memberId());
        assertThatThrownBy(() -> members.directory().provisionedMember(ws, ada.memberId())).isInstanceOf(NotFound.class);
        assertThat(members.directory().findByUserName(ws, "ada")).isEmpty();
    }

    @Test
    void beforeTheFirstSignIn_theIdpOwnsNameAndEmail_afterIt_thePersonKeepsTheirName_andNoChangeWritesNothing() {
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada", "ada@example.com", true)).member();
        ProvisionedMembers.Provisioned renamed = new ProvisionedMembers.Provisioned(new Provisioning("ada", null, "Ada", "K"),
                "Ada K", new EmailAddress("ada.k@example.com"), true);

        Member moved = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), renamed);
        assertThat(moved.email().value()).isEqualTo("ada.k@example.com");
        assertThat(moved.name()).isEqualTo("Ada K");
        assertThat(members.directory().findByEmail(ws, new EmailAddress("ada.k@example.com"))).map(Member::memberId).contains(ada.memberId());

        int auditBefore = stores.auditOf(ws).size();
        Member same = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), renamed);
        assertThat(same).as("nothing changed: nothing written").isEqualTo(moved);
        assertThat(stores.auditOf(ws)).hasSize(auditBefore);

        new Arrange(stores, NOW).verifiedDomain(ws, "example.com");
        members.firstSignIn().claimProvisioned(Arrange.caller("ada.k@example.com"));
        Member signedIn = stores.workspaces().findMember(ws, ada.memberId()).orElseThrow();
        Member kept = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, ada.memberId(), new ProvisionedMembers.Provisioned(
                new Provisioning("ada", null, "Ada", "K"), "Someone Else", new EmailAddress("ada.k@example.com"), true));
        assertThat(kept.name()).as("an ACTIVE member's name is theirs").isEqualTo(signedIn.name());
    }

    @Test
    void theLastAdmin_cannotBeDeactivatedByTheIdp() {
        String adminId = stores.workspaces().findGrant(ws, admin.userId()).orElseThrow().memberId();
        assertThatThrownBy(() -> members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, adminId,
                user("admin", "admin@example.com", false))).isInstanceOf(LastAdmin.class);
        assertThatThrownBy(() -> members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, adminId, Access.MEMBER)).isInstanceOf(LastAdmin.class);
        assertThat(stores.workspaces().findMember(ws, adminId).orElseThrow().isActiveAdmin()).isTrue();
    }

    private List<AuditEntry> audit(String action) {
        return stores.auditOf(ws).stream().filter(e -> e.action().equals(action)).toList();
    }

    private Member stored(String memberId) {
        return stores.workspaces().findMember(ws, memberId).orElseThrow();
    }

    @Test
    void theIdentityProvidersRemoval_freesTheSeat_auditsWhatTheMemberHeld_andTheIdpMayUndoIt() {
        Arrange arrange = new Arrange(stores, NOW);
        arrange.seats(ws, 3);
        Member bob = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("bob", "bob@example.com", true)).member();
        arrange.license(bob);

        Member removed = members.memberships().remove(new Principal.IdentityProvider(ws), ws, bob.memberId());

        assertThat(removed.status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(removed.removalSticks()).as("the identity provider's removal").isFalse();
        assertThat(stored(bob.memberId()).status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(stored(bob.memberId()).holdings().licensed()).isFalse();
        assertThat(stores.licenses().pool(ws).tally()).isEqualTo(stores.recount(ws));
        assertThat(stores.licenses().pool(ws).tally().inUse()).isZero();
        assertThat(audit("member.removed")).singleElement().satisfies(e -> {
            assertThat(e.actorId()).isEqualTo(Actor.SCIM.id());
            assertThat(e.details()).containsEntry("previousStatus", "INVITED").containsEntry("licensed", "true")
                    .containsEntry("legacyKey", "");
        });

        Member back = members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, bob.memberId(), user("bob", "bob@example.com", true));

        assertThat(back.status()).isEqualTo(MemberStatus.INVITED);
        assertThat(back.holdings().licensed()).isFalse();
        assertThat(audit("member.reactivated")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("signedInBefore", "false").containsEntry("previousRole", "MEMBER"));
    }

    @Test
    void deletingAUser_shouldForgetItsUserName_whetherTheMemberWasActiveOrDeactivated() {
        Member ada = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("ada", "ada@example.com", true)).member();
        Member carl = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("carl", "carl@example.com", true)).member();
        members.provisioning().updateProvisioned(new Principal.IdentityProvider(ws), ws, carl.memberId(), user("carl", "carl@example.com", false));

        Member adaGone = members.provisioning().deprovision(new Principal.IdentityProvider(ws), ws, ada.memberId());
        Member carlGone = members.provisioning().deprovision(new Principal.IdentityProvider(ws), ws, carl.memberId());

        assertThat(adaGone.status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(adaGone.provisioning()).isNull();
        assertThat(carlGone.status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(carlGone.provisioning()).isNull();
        assertThat(stored(carl.memberId()).provisioning()).isNull();
        assertThat(members.directory().findByUserName(ws, "ada")).isEmpty();
        assertThat(members.directory().findByUserName(ws, "carl")).as("its userName is free again").isEmpty();
        assertThat(audit("member.deprovisioned")).extracting(AuditEntry::target, e -> e.details().get("previousStatus"))
                .containsExactly(org.assertj.core.api.Assertions.tuple(ada.memberId(), "INVITED"),
                        org.assertj.core.api.Assertions.tuple(carl.memberId(), "REMOVED"));
    }

    @Test
    void theIdpsAdminsGroup_shouldSetTheRole_auditedWithWhatItWas_andTheSameRoleAgainWritesNothing() {
        Member bob = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("bob", "bob@example.com", true)).member();

        Member promoted = members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, bob.memberId(), Access.ADMIN);
        Member again = members.memberships().setAccess(new Principal.IdentityProvider(ws), ws, bob.memberId(), Access.ADMIN);

        assertThat(promoted.access()).isEqualTo(Access.ADMIN);
        assertThat(promoted.roleFromScim()).isTrue();
        assertThat(stored(bob.memberId()).access()).isEqualTo(Access.ADMIN);
        assertThat(again).isEqualTo(stored(bob.memberId()));
        assertThat(audit("member.access-changed")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("role", "ADMIN").containsEntry("permissions", "").containsEntry("previousRole", "MEMBER"));
    }

    @Test
    void allowingProvisioningAgain_shouldAuditWhoRemovedTheMemberAndWhen() {
        Member bob = members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("bob", "bob@example.com", true)).member();
        members.memberships().remove(members.person(admin, ws), ws, bob.memberId());
        assertThatThrownBy(() -> members.provisioning().provision(new Principal.IdentityProvider(ws), ws, user("bob2", "bob@example.com", true)))
                .isInstanceOf(Forbidden.class);

        Member allowed = members.memberships().allowProvisioning(members.person(admin, ws), ws, bob.memberId());

        assertThat(allowed.status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(allowed.removalSticks()).isFalse();
        assertThat(audit("member.provisioning-allowed")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("removedAt", NOW.toString()).containsEntry("removedBy", "admin@example.com"));
    }

    @Test
    void anExternalIdInUse_shouldBeRefused_andAPersonsRemovalShouldOnlyStopAnActiveProvisioning() {
        members.provisioning().provision(new Principal.IdentityProvider(ws), ws, new ProvisionedMembers.Provisioned(new Provisioning("ann", "ext-1", "Ann", "A"),
                "Ann A", new EmailAddress("ann@example.com"), true));
        assertThatThrownBy(() -> members.provisioning().provision(new Principal.IdentityProvider(ws), ws, new ProvisionedMembers.Provisioned(
                new Provisioning("anna", "ext-1", "Anna", "B"), "Anna B", new EmailAddress("anna@example.com"), true)))
                .isInstanceOfSatisfying(AlreadyExists.class, e -> assertThat(e.slug()).isEqualTo("external-id-exists"));
        assertThat(members.directory().findByEmail(ws, new EmailAddress("anna@example.com"))).isEmpty();
        assertThat(members.directory().findByExternalId(ws, "ext-1")).map(Member::name).contains("Ann A");
        assertThat(members.directory().findByUserName(ws, "ann@example.com")).as("a SCIM user is known by its userName only")
                .isEmpty();

        Member carol = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Carol",
                new EmailAddress("carol@example.com"), Access.MEMBER, Optional.empty()));
        members.memberships().remove(members.person(admin, ws), ws, carol.memberId());

        // Inactive, it brings nobody back: adopted as it is, still removed, the person's removal still sticking.
        ProvisionedMembers.ProvisionOutcome inactive = members.provisioning().provision(new Principal.IdentityProvider(ws), ws,
                user("carol", "carol@example.com", false));

        assertThat(inactive.created()).isFalse();
        assertThat(inactive.member().memberId()).isEqualTo(carol.memberId());
        assertThat(stored(carol.memberId()).status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(stored(carol.memberId()).removalSticks()).isTrue();
    }

    @Test
    void theDefaultInvitationLifetime_shouldBeOneToThirtyDays_andAnInvitationMayAskForItsOwn() {
        assertThat(new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(), new FakeSealer(),
                new MutableClock(NOW), Duration.ofDays(MemberService.MAX_INVITATION_DAYS), RetryPolicy.withoutPauses(3)))
                .isNotNull();
        assertThatThrownBy(() -> new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
                new FakeSealer(), new MutableClock(NOW), Duration.ofDays(MemberService.MAX_INVITATION_DAYS).plusSeconds(1),
                RetryPolicy.withoutPauses(3))).isInstanceOf(IllegalArgumentException.class);

        Member threeDays = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Dora",
                new EmailAddress("dora@example.com"), Access.MEMBER, Optional.of(3)));
        Member byDefault = members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Eve",
                new EmailAddress("eve@example.com"), Access.MEMBER, Optional.empty()));

        assertThat(threeDays.invitation().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(3)));
        assertThat(byDefault.invitation().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    }
}
