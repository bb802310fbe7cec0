package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Caller;
import dev.wsl.core.access.Principal;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A membership an identity provider created holds no license until the person joins (issue 17, part B):
 * the console's assign, the license group's assign and billing's purchaser license are all refused, unless
 * the workspace verified the email's domain (then the person joins at sign-in, licensed as today).
 */
class AwaitingJoinTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final Arrange arrange = new Arrange(stores, NOW);
    private final LicenseService licenses = new LicenseService(stores.workspaces(), stores.licenses(),
            new MutableClock(NOW), RetryPolicy.withoutPauses(3));
    private final Arrange.Ws ws = arrange.workspace();

    private Principal.Person person(Caller caller) {
        return new Authorization(stores.workspaces()).person(caller, ws.id());
    }

    private Principal idp() {
        return new Principal.IdentityProvider(ws.id());
    }

    private Member provisioned(String email) {
        Member m = Member.builder().workspaceId(ws.id()).memberId(Ids.newId("m", NOW.toEpochMilli()))
                .email(new EmailAddress(email)).name("P").status(MemberStatus.INVITED).access(Access.MEMBER)
                .invitedAt(NOW).invitedBy("scim").provisioning(new Provisioning(email, null, null, null)).build();
        stores.workspaces().provision(m, new AuditEntry(ws.id(), NOW, "scim", "scim", "member.provisioned",
                m.memberId(), Map.of()));
        return m;
    }

    @Test
    void assigningAPendingMembership_isRefused_waitingForThePersonToJoin() {
        arrange.seats(ws.id(), 5);
        Member pending = provisioned("someone@other.example");
        String sub = "sub_" + ws.id();

        assertThatThrownBy(() -> licenses.assign(person(ws.caller()), ws.id(), pending.memberId(), null))
                .isInstanceOfSatisfying(Conflict.class, e -> {
                    assertThat(e.slug()).isEqualTo("awaiting-join");
                    assertThat(e.detail()).startsWith("Waiting for the person to join");
                });
        assertThatThrownBy(() -> licenses.assign(idp(), ws.id(), pending.memberId(), sub))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.slug()).isEqualTo("awaiting-join"));
        assertThat(stores.workspaces().findMember(ws.id(), pending.memberId()).orElseThrow().holdings().licensed())
                .isFalse();
        assertThat(stores.licenses().pool(ws.id()).tally().inUse()).as("only the admin's seat, if any")
                .isEqualTo(stores.recount(ws.id()).inUse());
    }

    @Test
    void aVerifiedDomainsProvisionedPerson_isLicensedBeforeSigningIn_asToday() {
        arrange.seats(ws.id(), 5);
        arrange.verifiedDomain(ws.id(), "corp.example");
        Member pending = provisioned("someone@corp.example");

        assertThat(licenses.assign(person(ws.caller()), ws.id(), pending.memberId(), null).holdings().licensed()).isTrue();
    }

    @Test
    void billingsPurchaserLicense_skipsAPendingMembership() {
        provisioned("buyer@other.example");
        BillingService billing = new BillingService(licenses, RetryPolicy.withoutPauses(3));
        var outcome = billing.apply(new BillingEvent(BillingEvent.Kind.PURCHASED, ws.id(), "sub_1", 1, "Team", 3,
                NOW.minusSeconds(60), NOW.plusSeconds(86_400), new EmailAddress("buyer@other.example")));
        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.purchaserLicense()).contains("waiting for the person to join");
        assertThat(stores.licenses().pool(ws.id()).tally().licensed()).isZero();
    }
}
