package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.ScimStore.GroupFailures;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link ScimStore} over {@link FakeStores}; the conditions of {@code DynamoScimStore}, in its order (the token, held
 * changes, and the IdP groups with their locks, membership items, counter, mapping list and list bookmarks).
 */
final class FakeScimStore extends FakeScimTokens {
    FakeScimStore(FakeStores data) {
        super(data);
    }

    // ------------------------------------------------------------------ IdP groups (issue 18)

    @Override
    public Optional<ScimGroup> group(String workspaceId, String groupId) {
        return data.find(() -> groupsOf(workspaceId).get(groupId));
    }

    @Override
    public Optional<String> groupIdByName(String workspaceId, String nameKey) {
        return data.find(() -> data.scimGroupNames.get(key(workspaceId, nameKey)));
    }

    @Override
    public Optional<String> groupIdByExternalId(String workspaceId, String externalId) {
        return data.find(() -> data.scimGroupExternalIds.get(key(workspaceId, externalId)));
    }

    @Override
    public Page<ScimGroup> groupPage(String workspaceId, int limit, String cursor) {
        synchronized (data) {
            TreeMap<String, ScimGroup> groups = groupsOf(workspaceId);
            Page<String> ids = page(groups.navigableKeySet(), workspaceId, GROUPS, limit, cursor);
            return new Page<>(ids.items().stream().map(groups::get).toList(), ids.nextCursor());
        }
    }

    @Override
    public String skipGroups(String workspaceId, long count, String cursor) {
        return data.read(() -> skip(groupsOf(workspaceId).navigableKeySet(), workspaceId, GROUPS, count, cursor));
    }

    @Override
    public long groupCount(String workspaceId) {
        return data.read(() -> data.scimGroupCounts.getOrDefault(workspaceId, 0L));
    }

    @Override
    public void createGroup(ScimGroup g, AuditEntry audit) {
        synchronized (data) {
            String ws = g.workspaceId();
            FakeTx tx = new FakeTx(data)
                    .check(() -> data.workspaces.containsKey(ws),
                            () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                    .check(() -> !groupsOf(ws).containsKey(g.groupId()),
                            () -> new ChangedMeanwhile("A group with the same id exists; retry."))
                    .check(() -> !data.scimGroupNames.containsKey(key(ws, g.nameKey())), GroupFailures::nameTaken);
            if (g.externalId() != null) {
                tx.check(() -> !data.scimGroupExternalIds.containsKey(key(ws, g.externalId())),
                        GroupFailures::externalIdTaken);
            }
            tx.write(() -> {
                data.scimGroups.computeIfAbsent(ws, k -> new TreeMap<>()).put(g.groupId(), g);
                data.scimGroupNames.put(key(ws, g.nameKey()), g.groupId());
                if (g.externalId() != null) {
                    data.scimGroupExternalIds.put(key(ws, g.externalId()), g.groupId());
                }
                data.scimGroupCounts.merge(ws, 1L, Long::sum);
                appendAudit(audit);
            }).commit();
        }
    }

    @Override
    public void updateGroup(ScimGroup before, ScimGroup after, AuditEntry audit) {
        synchronized (data) {
            String ws = before.workspaceId();
            FakeTx tx = new FakeTx(data).check(() -> stillVersion(before), GroupFailures::groupChanged);
            boolean renamed = !before.nameKey().equals(after.nameKey());
            boolean externalIdChanged = !Objects.equals(before.externalId(), after.externalId());
            if (renamed) {
                tx.check(() -> heldBy(data.scimGroupNames, key(ws, before.nameKey()), before), GroupFailures::groupChanged)
                        .check(() -> !data.scimGroupNames.containsKey(key(ws, after.nameKey())), GroupFailures::nameTaken);
            }
            if (externalIdChanged && before.externalId() != null) {
                tx.check(() -> heldBy(data.scimGroupExternalIds, key(ws, before.externalId()), before),
                        GroupFailures::groupChanged);
            }
            if (externalIdChanged && after.externalId() != null) {
                tx.check(() -> !data.scimGroupExternalIds.containsKey(key(ws, after.externalId())),
                        GroupFailures::externalIdTaken);
            }
            tx.write(() -> {
                groupsOf(ws).put(after.groupId(), after);
                if (renamed) {
                    data.scimGroupNames.remove(key(ws, before.nameKey()));
                    data.scimGroupNames.put(key(ws, after.nameKey()), after.groupId());
                }
                if (externalIdChanged && before.externalId() != null) {
                    data.scimGroupExternalIds.remove(key(ws, before.externalId()));
                }
                if (externalIdChanged && after.externalId() != null) {
                    data.scimGroupExternalIds.put(key(ws, after.externalId()), after.groupId());
                }
                if (!Objects.equals(before.mapping(), after.mapping())) {
                    TreeMap<String, String> mapped = data.scimMappedGroups.computeIfAbsent(ws, k -> new TreeMap<>());
                    if (after.mapping() == null) {
                        mapped.remove(after.groupId());
                    } else {
                        mapped.put(after.groupId(), after.mapping());
                    }
                }
                appendAudit(audit);
            }).commit();
        }
    }

    @Override
    public void changeMembers(ScimGroup before, ScimGroup after, List<String> add, List<String> remove, AuditEntry audit) {
        if (add.size() + remove.size() > MAX_MEMBERS_PER_CHANGE) {
            throw new IllegalArgumentException("at most " + MAX_MEMBERS_PER_CHANGE + " members per change");
        }
        synchronized (data) {
            String ws = before.workspaceId();
            String groupId = after.groupId();
            FakeTx tx = new FakeTx(data).check(() -> stillVersion(before), GroupFailures::groupChanged);
            for (String memberId : add) {
                tx.check(() -> !membersOf(ws, groupId).contains(memberId), GroupFailures::membershipChanged);
            }
            for (String memberId : remove) {
                tx.check(() -> membersOf(ws, groupId).contains(memberId), GroupFailures::membershipChanged);
            }
            tx.write(() -> {
                groupsOf(ws).put(groupId, after);
                for (String memberId : add) {
                    data.scimGroupMembers.computeIfAbsent(key(ws, groupId), k -> new TreeSet<>()).add(memberId);
                    data.scimMemberGroups.computeIfAbsent(key(ws, memberId), k -> new TreeSet<>()).add(groupId);
                }
                for (String memberId : remove) {
                    membersOf(ws, groupId).remove(memberId);
                    data.scimMemberGroups.getOrDefault(key(ws, memberId), new TreeSet<>()).remove(groupId);
                }
                if (audit != null) {
                    appendAudit(audit);
                }
            }).commit();
        }
    }

    @Override
    public void deleteGroup(ScimGroup before, AuditEntry audit) {
        synchronized (data) {
            String ws = before.workspaceId();
            FakeTx tx = new FakeTx(data)
                    .check(() -> stillVersion(before) && groupsOf(ws).get(before.groupId()).memberCount() == 0,
                            GroupFailures::groupChanged)
                    .check(() -> heldBy(data.scimGroupNames, key(ws, before.nameKey()), before), GroupFailures::groupChanged);
            if (before.externalId() != null) {
                tx.check(() -> heldBy(data.scimGroupExternalIds, key(ws, before.externalId()), before),
                        GroupFailures::groupChanged);
            }
            tx.write(() -> {
                groupsOf(ws).remove(before.groupId());
                data.scimGroupNames.remove(key(ws, before.nameKey()));
                if (before.externalId() != null) {
                    data.scimGroupExternalIds.remove(key(ws, before.externalId()));
                }
                data.scimGroupCounts.merge(ws, -1L, Long::sum);
                if (before.mapped()) {
                    data.scimMappedGroups.getOrDefault(ws, new TreeMap<>()).remove(before.groupId());
                }
                appendAudit(audit);
            }).commit();
        }
    }

    @Override
    public Page<String> groupMembers(String workspaceId, String groupId, int limit, String cursor) {
        return data.read(() -> page(membersOf(workspaceId, groupId), workspaceId, MEMBERS_OF + groupId, limit, cursor));
    }

    @Override
    public String skipGroupMembers(String workspaceId, String groupId, long count, String cursor) {
        return data.read(() -> skip(membersOf(workspaceId, groupId), workspaceId, MEMBERS_OF + groupId, count, cursor));
    }

    @Override
    public Set<String> membersIn(String workspaceId, String groupId, Collection<String> memberIds) {
        synchronized (data) {
            TreeSet<String> members = membersOf(workspaceId, groupId);
            Set<String> in = new LinkedHashSet<>();
            memberIds.stream().filter(members::contains).forEach(in::add);
            return in;
        }
    }

    @Override
    public List<String> groupsOf(String workspaceId, String memberId) {
        return data.read(() -> List.copyOf(data.scimMemberGroups.getOrDefault(key(workspaceId, memberId), new TreeSet<>())));
    }

    @Override
    public Map<String, String> mappedGroups(String workspaceId) {
        return data.read(() -> new LinkedHashMap<>(data.scimMappedGroups.getOrDefault(workspaceId, new TreeMap<>())));
    }

    @Override
    public Optional<Bookmark> bookmark(String workspaceId, String list, long startIndex) {
        synchronized (data) {
            // Expired bookmarks are not filtered out, as the table's TTL deletes them only eventually.
            var at = data.scimBookmarks.getOrDefault(key(workspaceId, list), new TreeMap<>()).floorEntry(startIndex);
            return at == null ? Optional.empty() : Optional.of(at.getValue());
        }
    }

    @Override
    public void saveBookmark(String workspaceId, String list, Bookmark bookmark, Instant now) {
        synchronized (data) {
            data.scimBookmarks.computeIfAbsent(key(workspaceId, list), k -> new TreeMap<>())
                    .put(bookmark.startIndex(), bookmark);
        }
    }

    /** The kinds of cursor these lists hand out (a group's members: one kind per group, as the table's prefix). */
    private static final String GROUPS = "scim-groups";

    private static final String MEMBERS_OF = "scim-group-members:";

    private TreeMap<String, ScimGroup> groupsOf(String workspaceId) {
        return data.scimGroups.getOrDefault(workspaceId, new TreeMap<>());
    }

    private TreeSet<String> membersOf(String workspaceId, String groupId) {
        return data.scimGroupMembers.getOrDefault(key(workspaceId, groupId), new TreeSet<>());
    }

    /** The group item is there with the version read (DynamoDB's {@code #version = :v} fails on a missing item). */
    private boolean stillVersion(ScimGroup before) {
        ScimGroup current = groupsOf(before.workspaceId()).get(before.groupId());
        return current != null && current.version() == before.version();
    }

    private static boolean heldBy(Map<String, String> locks, String lock, ScimGroup g) {
        return g.groupId().equals(locks.get(lock));
    }

    /** A page of ids after the cursor's id, in order; a cursor only while more may follow. */
    private static Page<String> page(NavigableSet<String> ids, String workspaceId, String kind, int limit, String cursor) {
        String after = FakeWorkspaceReads.decode(cursor, workspaceId, kind);
        List<String> items = (after == null ? ids : ids.tailSet(after, false)).stream().limit(limit + 1L).toList();
        boolean more = items.size() > limit;
        List<String> page = more ? items.subList(0, limit) : items;
        return new Page<>(List.copyOf(page), more ? FakeWorkspaceReads.encode(workspaceId, kind, page.getLast()) : null);
    }

    private static String skip(NavigableSet<String> ids, String workspaceId, String kind, long count, String cursor) {
        String after = FakeWorkspaceReads.decode(cursor, workspaceId, kind);
        List<String> skipped = (after == null ? ids : ids.tailSet(after, false)).stream().limit(count).toList();
        return count == 0 ? cursor : skipped.size() < count ? null
                : FakeWorkspaceReads.encode(workspaceId, kind, skipped.getLast());
    }
}
