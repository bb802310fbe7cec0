package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Consent (issue 17, part B), on the in-memory stores: a stranger's identity provider can provision anyone,
 * but the person joins only by choosing Join; until then nothing of theirs moves.
 */
class ConsentServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(NOW);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), clock, Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final ConsentService consent = new ConsentService(stores.workspaces(), stores.licenses(), stores.scim(), members,
            new FakeSealer(), clock, RetryPolicy.withoutPauses(3));
    private final Caller mallory = Arrange.caller("mallory@evil.test");
    private final Caller victim = Arrange.caller("admin@example.com");
    private final String evil = members.workspaces().createWorkspace(mallory, "IT: re-enter your token at evil.test").workspace()
            .workspaceId();

    private Member provision(String ws, String email) {
        if (stores.scim().token(ws).isEmpty()) {
            // Mallory set up the identity provider of her workspace: she created its SCIM token.
            stores.scim().saveToken(null, ScimToken.created(ws, "hash-" + ws, "scim-…abcd", NOW, mallory),
                    new AuditEntry(ws, NOW, mallory.userId(), mallory.email().value(), "scim-token.created", ws, Map.of()));
        }
        return members.provisioning().provision(new Principal.IdentityProvider(ws), ws, new ProvisionedMembers.Provisioned(new Provisioning(email, null, "A", "B"),
                "A B", new EmailAddress(email), true)).member();
    }

    @Test
    void aStrangersProvisioning_joinsNothingAtSignIn_andWritesNothingAboutThePerson() {
        String own = members.workspaces().createWorkspace(victim, "Mine").workspace().workspaceId();
        Member pending = provision(evil, victim.email().value());
        List<AuditEntry> before = stores.auditOf(evil);

        assertThat(members.firstSignIn().claimProvisioned(victim)).as("nothing joins at sign-in").isEmpty();
        assertThat(consent.pending(victim)).as("the prompt")
                .containsExactly(new ConsentService.Pending(evil, "IT: re-enter your token at evil.test",
                        pending.memberId(), NOW, "mallory@evil.test"));

        assertThat(members.workspaces().workspacesOf(victim)).extracting(Membership::workspaceId).containsExactly(own);
        assertThat(stores.auditOf(evil)).as("the sign-in wrote nothing to the stranger's workspace").isEqualTo(before);
        assertThat(stores.workspaces().findMember(evil, pending.memberId()).orElseThrow().status())
                .isEqualTo(MemberStatus.INVITED);
        assertThat(stores.workspaces().findGrant(evil, victim.userId())).isEmpty();
    }

    @Test
    void join_makesTheMembershipActive_butTheTokenStaysWhereThePersonJoinedFirst() {
        String own = members.workspaces().createWorkspace(victim, "Mine").workspace().workspaceId();
        Member pending = provision(evil, victim.email().value());

        Membership joined = consent.join(victim, evil);

        assertThat(joined.workspaceId()).isEqualTo(evil);
        Member active = stores.workspaces().findMember(evil, pending.memberId()).orElseThrow();
        assertThat(active.status()).isEqualTo(MemberStatus.ACTIVE);
        assertThat(active.userId()).isEqualTo(victim.userId());
        assertThat(stores.workspaces().findGrant(evil, victim.userId())).isPresent();
        assertThat(consent.pending(victim)).isEmpty();
        assertThat(stores.activatesIn(victim.userId())).as("the first workspace they joined themselves").isEqualTo(own);
        assertThat(stores.auditOf(evil)).extracting(e -> e.action() + " by " + e.actorId())
                .contains("member.joined by " + victim.userId());
    }

    @Test
    void join_isWhereTheTokenActivates_forSomeoneWhoJoinedNothingElse() {
        Caller newcomer = Arrange.caller("new@example.com");
        provision(evil, newcomer.email().value());

        consent.join(newcomer, evil);

        assertThat(stores.workspaces().authTokenHash(newcomer.userId())).as("their first token").isPresent();
        assertThat(stores.activatesIn(newcomer.userId())).isEqualTo(evil);
    }

    @Test
    void decline_removesThePendingMembership_namingThePersonByEmailOnly() {
        Member pending = provision(evil, victim.email().value());

        consent.decline(victim, evil);

        Member removed = stores.workspaces().findMember(evil, pending.memberId()).orElseThrow();
        assertThat(removed.status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(consent.pending(victim)).isEmpty();
        assertThat(members.firstSignIn().claimProvisioned(victim)).isEmpty();
        assertThat(stores.auditOf(evil).getLast()).satisfies(e -> {
            assertThat(e.action()).isEqualTo("member.declined");
            assertThat(e.actorId()).isEqualTo("invitee").isNotEqualTo(victim.userId());
            assertThat(e.actorEmail()).isEqualTo(victim.email().value());
        });
        assertThatThrownBy(() -> consent.join(victim, evil)).as("gone").isInstanceOf(NotFound.class);
    }

    @Test
    void aDecline_sticksAgainstTheIdentityProvider_likeAPersonsRemoval() {
        // given a pending membership the person declined
        Member pending = provision(evil, victim.email().value());
        consent.decline(victim, evil);

        // when the identity provider sends the user again, then it is refused, naming the decision
        assertThatThrownBy(() -> provision(evil, victim.email().value()))
                .isInstanceOfSatisfying(dev.wsl.core.failure.Forbidden.class, e -> {
                    assertThat(e.slug()).isEqualTo("removed-by-person");
                    assertThat(e.detail()).contains(victim.email().value());
                });
        assertThat(stores.workspaces().findMember(evil, pending.memberId()).orElseThrow().status())
                .isEqualTo(MemberStatus.REMOVED);
        assertThat(consent.pending(victim)).isEmpty();
    }

    @Test
    void nobodyAnswersAnotherPersonsPrompt() {
        Member pending = provision(evil, victim.email().value());
        Caller bob = Arrange.caller("bob@example.com");

        for (Runnable answer : List.<Runnable>of(() -> consent.join(bob, evil), () -> consent.decline(bob, evil),
                () -> consent.join(mallory, evil), () -> consent.join(victim, "ws_nope"))) {
            assertThatThrownBy(answer::run).isInstanceOfSatisfying(NotFound.class,
                    e -> assertThat(e.slug()).isEqualTo("pending-membership-not-found"));
        }
        assertThat(consent.pending(bob)).isEmpty();
        assertThat(stores.workspaces().findMember(evil, pending.memberId()).orElseThrow().status())
                .isEqualTo(MemberStatus.INVITED);
    }

    @Test
    void aLicenseHeldWhileWaiting_isNotKeptOnJoin() {
        new Arrange(stores, NOW).seats(evil, 5);
        Member pending = provision(evil, victim.email().value());
        // As a membership licensed before consent existed (or while the domain was verified) would hold it.
        new Arrange(stores, NOW).license(pending);
        assertThat(stores.licenses().pool(evil).tally().inUse()).isEqualTo(1);

        consent.join(victim, evil);

        Member joined = stores.workspaces().findMember(evil, pending.memberId()).orElseThrow();
        assertThat(joined.holdings().licensed()).isFalse();
        assertThat(stores.licensedIn(victim.userId())).as("nothing activates there").isEmpty();
        assertThat(stores.licenses().pool(evil).tally()).isEqualTo(stores.recount(evil));
        assertThat(stores.licenses().pool(evil).tally().inUse()).isZero();
    }

    @Test
    void aVerifiedDomain_joinsAtSignInWithoutAsking_butTheTokenStaysWhereThePersonJoinedThemselves() {
        String own = members.workspaces().createWorkspace(victim, "Mine").workspace().workspaceId();
        new Arrange(stores, NOW).verifiedDomain(evil, "example.com");
        provision(evil, victim.email().value());

        assertThat(consent.pending(victim)).as("not asked").isEmpty();
        assertThat(members.firstSignIn().claimProvisioned(victim))
                .extracting(Membership::workspaceId).containsExactly(evil);
        assertThat(stores.activatesIn(victim.userId())).as("adoption is no choice of theirs").isEqualTo(own);
    }

    @Test
    void aLapsedDomain_asksAgain() {
        new Arrange(stores, NOW).verifiedDomain(evil, "example.com");
        var domain = stores.domains().find(evil, "example.com").orElseThrow();
        var gone = domain.checked(dev.wsl.core.domain.EmailDomain.CheckResult.MISSING, NOW);
        stores.domains().saveCheck(domain, gone, null);
        provision(evil, victim.email().value());
        assertThat(consent.pending(victim)).as("within the grace").isEmpty();

        clock.advance(Duration.ofDays(7));

        assertThat(consent.pending(victim)).as("the grace is over").hasSize(1);
        assertThat(members.firstSignIn().claimProvisioned(victim)).isEmpty();
    }
}
