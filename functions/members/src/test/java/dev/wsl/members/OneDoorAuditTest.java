package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.Role;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One door per use case: a removal or an access change is audited the same whether a person (through the
 * console) or the identity provider (through SCIM) asks, and the identity provider's deactivation and deletion are
 * the same removal. Pins the details the twins used to drift on.
 */
class OneDoorAuditTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, NOW);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), new MutableClock(NOW), Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final Arrange.Ws ws = arrange.workspace();
    private final Principal.Person person = members.person(ws.caller(), ws.id());
    private final Principal.IdentityProvider idp = new Principal.IdentityProvider(ws.id());

    private Member keyHolder(Member m, String key) {
        LegacyKey k = arrange.key(ws.id(), key, m.memberId(), NOW);
        Member holding = m.withHoldings(new Holdings(true, k.keyId()));
        stores.licenses().apply(new SeatChange(ws.id(), List.of(new SeatChange.MemberChange(m, holding)),
                List.of(new SeatChange.KeyChange(null, k)), List.of()), stores.licenses().pool(ws.id()));
        return holding;
    }

    private Member provisionedKeyHolder(String userName, String key) {
        Member m = members.provisioning().provision(idp, ws.id(), provisioned(userName, true)).member();
        return keyHolder(m, key);
    }

    private static ProvisionedMembers.Provisioned provisioned(String userName, boolean active) {
        return new ProvisionedMembers.Provisioned(new Provisioning(userName, null, "N", "M"), "N M",
                new EmailAddress(userName + "@example.com"), active);
    }

    private AuditEntry only(String action, String target) {
        return stores.auditOf(ws.id()).stream().filter(e -> e.action().equals(action) && e.target().equals(target))
                .reduce((a, b) -> { throw new AssertionError("two " + action + " entries for " + target); })
                .orElseThrow(() -> new AssertionError("no " + action + " entry for " + target));
    }

    @Test
    void setAccess_shouldAuditThePreviousRoleAndPermissions_forAPerson_andForTheIdentityProvider() {
        Access before = new Access(Role.MEMBER, Set.of(Permission.AUDIT_READ));
        Member byPerson = arrange.activeMember(ws, "p@example.com");
        Member byIdp = members.provisioning().provision(idp, ws.id(), provisioned("i", true)).member();
        members.memberships().setAccess(person, ws.id(), byPerson.memberId(), before);
        members.memberships().setAccess(person, ws.id(), byIdp.memberId(), before);

        members.memberships().setAccess(person, ws.id(), byPerson.memberId(), Access.ADMIN);
        Member promoted = members.memberships().setAccess(idp, ws.id(), byIdp.memberId(), Access.ADMIN);

        for (String id : List.of(byPerson.memberId(), byIdp.memberId())) {
            AuditEntry last = stores.auditOf(ws.id()).stream()
                    .filter(e -> e.action().equals("member.access-changed") && e.target().equals(id))
                    .filter(e -> e.details().get("role").equals("ADMIN")).findFirst().orElseThrow();
            assertThat(last.details()).containsEntry("previousRole", "MEMBER")
                    .containsEntry("previousPermissions", "audit:read").containsEntry("permissions", "");
        }
        assertThat(promoted.roleFromScim()).as("the identity provider's role").isTrue();
        assertThat(stores.workspaces().findMember(ws.id(), byPerson.memberId()).orElseThrow().roleFromScim()).isFalse();
    }

    @Test
    void removal_shouldAuditTheLegacyKey_forAPerson_andForTheIdentityProviderEveryWay() {
        arrange.seats(ws.id(), 5);
        Member byPerson = keyHolder(arrange.activeMember(ws, "p@example.com"), "persons-key");
        Member byGroup = keyHolder(arrange.activeMember(ws, "g@example.com"), "groups-key");
        Member deactivated = provisionedKeyHolder("deact", "deactivated-key");
        Member deleted = provisionedKeyHolder("del", "deleted-key");

        Member p = members.memberships().remove(person, ws.id(), byPerson.memberId());
        Member g = members.memberships().remove(idp, ws.id(), byGroup.memberId());
        members.provisioning().updateProvisioned(idp, ws.id(), deactivated.memberId(), provisioned("deact", false));
        members.provisioning().deprovision(idp, ws.id(), deleted.memberId());

        record Case(Member m, String action, String key, String actor) {}
        for (Case c : List.of(new Case(byPerson, "member.removed", "persons-key", ws.caller().userId()),
                new Case(byGroup, "member.removed", "groups-key", Actor.SCIM.id()),
                new Case(deactivated, "member.deactivated", "deactivated-key", Actor.SCIM.id()),
                new Case(deleted, "member.deprovisioned", "deleted-key", Actor.SCIM.id()))) {
            AuditEntry e = only(c.action(), c.m().memberId());
            assertThat(e.actorId()).isEqualTo(c.actor());
            assertThat(e.details()).as(c.action()).containsEntry("legacyKey", c.m().holdings().legacyKeyId())
                    .containsEntry("licensed", "true").containsEntry("previousStatus", c.m().status().name());
            assertThat(only("legacy-key.deleted", c.m().holdings().legacyKeyId()).actorId()).isEqualTo(c.actor());
        }
        assertThat(stores.licenses().listKeys(ws.id())).isEmpty();
        assertThat(p.removalSticks()).as("a person's removal sticks").isTrue();
        assertThat(g.removalSticks()).as("the identity provider may undo its own").isFalse();
    }

    @Test
    void theDoors_shouldRefuseAPrincipalOfAnotherWorkspace_andProvisioningToAPerson() {
        Member m = arrange.activeMember(ws, "p@example.com");
        Principal.IdentityProvider stranger = new Principal.IdentityProvider(arrange.workspace().id());

        assertThatThrownBy(() -> members.memberships().remove(stranger, ws.id(), m.memberId()))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.memberships().setAccess(stranger, ws.id(), m.memberId(), Access.ADMIN))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.provisioning().provision(person, ws.id(), provisioned("x", true)))
                .isInstanceOfSatisfying(Forbidden.class, e -> assertThat(e.slug()).isEqualTo("identity-provider-only"));
        assertThatThrownBy(() -> members.provisioning().deprovision(person, ws.id(), m.memberId()))
                .isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> members.provisioning().updateProvisioned(person, ws.id(), m.memberId(),
                provisioned("p", false))).isInstanceOf(Forbidden.class);
        assertThatThrownBy(() -> members.provisioning().provision(stranger, ws.id(), provisioned("y", true)))
                .isInstanceOf(NotFound.class);
        assertThat(stores.auditOf(ws.id())).noneMatch(e -> e.action().equals("member.provisioned"));
        assertThat(stores.workspaces().findMember(ws.id(), m.memberId()).orElseThrow().status().name()).isEqualTo("ACTIVE");
    }

    @Test
    void aPersonResolvedInTheirOwnWorkspace_shouldReachNothingOfAnother_throughAnyDoor() {
        Member m = arrange.activeMember(ws, "p@example.com");
        Arrange.Ws other = arrange.workspace();
        Principal.Person adminElsewhere = members.person(other.caller(), other.id());
        int audited = stores.auditOf(ws.id()).size();
        int mailed = stores.outboxMessages().size();

        assertThatThrownBy(() -> members.memberships().listMembers(adminElsewhere, ws.id(), false, 10, null))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.memberships().getMember(adminElsewhere, ws.id(), m.memberId()))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.workspaces().getWorkspace(adminElsewhere, ws.id()))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.workspaces().audit(adminElsewhere, ws.id(), 10, null))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.invitations().invite(adminElsewhere, ws.id(), new Invitations.InviteCommand(
                "X", EmailAddress.parse("x@example.com"), Access.MEMBER, java.util.Optional.empty())))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> members.invitations().resend(adminElsewhere, ws.id(), m.memberId(),
                java.util.Optional.empty())).isInstanceOf(NotFound.class);
        assertThat(stores.auditOf(ws.id())).hasSize(audited);
        assertThat(stores.outboxMessages()).hasSize(mailed);
    }

    @Test
    void theSameAccessAgain_shouldWriteNothingForTheIdentityProvider_isAPersonsDecision_andStillNeedsThePermission() {
        Member m = arrange.activeMember(ws, "p@example.com");
        Member plain = arrange.activeMember(ws, "plain@example.com");
        int before = stores.auditOf(ws.id()).size();

        assertThat(members.memberships().setAccess(new Principal.IdentityProvider(ws.id()), ws.id(), m.memberId(),
                m.access())).isEqualTo(m);
        assertThat(stores.auditOf(ws.id())).hasSize(before);
        members.memberships().setAccess(person, ws.id(), m.memberId(), m.access());
        assertThat(stores.auditOf(ws.id())).hasSize(before + 1);
        Principal.Person withoutPermission = members.person(Arrange.caller("plain@example.com"), ws.id());
        assertThatThrownBy(() -> members.memberships().setAccess(withoutPermission, ws.id(), m.memberId(), m.access()))
                .isInstanceOf(Forbidden.class);
        assertThat(plain.access()).isEqualTo(Access.MEMBER);

        Member removed = members.memberships().remove(person, ws.id(), plain.memberId());
        assertThatThrownBy(() -> members.memberships().setAccess(person, ws.id(), removed.memberId(), removed.access()))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("member-removed"));
    }
}
