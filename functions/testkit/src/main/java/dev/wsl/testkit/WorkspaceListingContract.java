package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.Member;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lists of members and workspaces, the invitation-email quotas, and the SCIM sets with their cursors. */
public abstract class WorkspaceListingContract extends StoreContract {
    @Test
    void membersList_shouldPageInIdOrder_hideRemoved_andRefuseForeignCursors() {
        Arrange.Ws ws = arrange.workspace();
        Arrange.Ws other = arrange.workspace();
        List<Member> invited = inviteAll(ws, "m", 4);
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
        List<Member> invited = inviteAll(ws, "s", 4);
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
