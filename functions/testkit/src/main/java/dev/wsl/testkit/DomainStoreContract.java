package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Consent, verified domains and the token's workspace (issue 17, part B). The daily check's items are
 * global (every domain of every workspace, one run at a time): tests start from an empty table.
 */
public abstract class DomainStoreContract extends StoreContract {
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
