package dev.wsl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The groups identity providers create (issue 18): a group with the locks of its name (without case) and its
 * externalId, moved by a rename; the workspace's list of mapped groups; membership items from both sides with
 * the group's count, each change conditioned on the group's version and on every membership as read; a delete
 * only of an empty group; pages and skips in id order; bookmarks of list walks.
 */
public abstract class ScimStoreContract extends StoreContract {
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
