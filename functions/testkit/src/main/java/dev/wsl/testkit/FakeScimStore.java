package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.ScimStore.GroupFailures;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
final class FakeScimStore implements ScimStore {
    private final FakeStores data;

    FakeScimStore(FakeStores data) {
        this.data = data;
    }

    @Override
    public Optional<TokenRef> findToken(String tokenHash) {
        synchronized (data) {
            FakeStores.ScimLookup lookup = data.scimLookups.get(tokenHash);
            return lookup == null ? Optional.empty()
                    : Optional.of(new TokenRef(lookup.workspaceId(), tokenHash, lookup.lastUseHour()));
        }
    }

    @Override
    public Optional<ScimToken> token(String workspaceId) {
        synchronized (data) {
            ScimToken t = data.scimTokens.get(workspaceId);
            if (t == null) {
                return Optional.empty();
            }
            FakeStores.ScimLookup lookup = data.scimLookups.get(t.hash());
            return Optional.of(new ScimToken(t.workspaceId(), t.hash(), t.hint(), t.createdAt(), t.createdBy(),
                    lookup == null ? null : lookup.lastUseHour(), t.createdByEmail(), t.stopped()));
        }
    }

    @Override
    public void saveToken(ScimToken before, ScimToken after, AuditEntry audit) {
        synchronized (data) {
            String ws = after.workspaceId();
            new FakeTx(data)
                    .check(() -> data.workspaces.containsKey(ws),
                            () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                    .check(() -> {
                        Grant g = data.grants.get(key(ws, after.createdBy()));
                        return g != null && g.access().isAdmin();
                    }, () -> new ChangedMeanwhile("Your access changed meanwhile; reload and retry."))
                    .check(() -> {
                        ScimToken current = data.scimTokens.get(ws);
                        return before == null ? current == null : current != null && current.hash().equals(before.hash());
                    }, FakeScimStore::tokenChanged)
                    .check(() -> !data.scimLookups.containsKey(after.hash()), FakeScimStore::tokenChanged)
                    .write(() -> {
                        data.scimTokens.put(ws, withoutUse(after));
                        data.scimLookups.put(after.hash(), new FakeStores.ScimLookup(ws, null));
                        if (before != null) {
                            data.scimLookups.remove(before.hash());
                        }
                        appendAudit(audit);
                    })
                    .commit();
        }
    }

    @Override
    public void revokeToken(ScimToken before, AuditEntry audit) {
        synchronized (data) {
            new FakeTx(data)
                    .check(() -> {
                        ScimToken current = data.scimTokens.get(before.workspaceId());
                        return current != null && current.hash().equals(before.hash());
                    }, FakeScimStore::tokenChanged)
                    .write(() -> {
                        data.scimTokens.remove(before.workspaceId());
                        data.scimLookups.remove(before.hash());
                        appendAudit(audit);
                    })
                    .commit();
        }
    }

    @Override
    public void recordUse(TokenRef ref, Instant at) {
        synchronized (data) {
            Instant hour = at.truncatedTo(ChronoUnit.HOURS);
            FakeStores.ScimLookup lookup = data.scimLookups.get(ref.hash());
            if (hour.equals(ref.lastUseHour()) || lookup == null || hour.equals(lookup.lastUseHour())) {
                return;
            }
            data.scimLookups.put(ref.hash(), new FakeStores.ScimLookup(lookup.workspaceId(), hour));
        }
    }

    @Override
    public void recordPending(PendingChange change, AuditEntry audit) {
        synchronized (data) {
            String id = key(change.workspaceId(), change.changeId());
            new FakeTx(data)
                    .check(() -> !data.scimChanges.containsKey(id),
                            () -> new ChangedMeanwhile("A change with the same id exists; retry."))
                    .write(() -> {
                        data.scimChanges.put(id, change);
                        appendAudit(audit);
                    })
                    .commit();
        }
    }

    @Override
    public List<PendingChange> pendingChanges(String workspaceId) {
        synchronized (data) {
            return data.scimChanges.values().stream().filter(c -> c.workspaceId().equals(workspaceId))
                    .filter(c -> c.status() == PendingChange.Status.PENDING)
                    .sorted(Comparator.comparing(PendingChange::requestedAt)).toList();
        }
    }

    @Override
    public Optional<PendingChange> findChange(String workspaceId, String changeId) {
        synchronized (data) {
            return Optional.ofNullable(data.scimChanges.get(key(workspaceId, changeId)));
        }
    }

    @Override
    public void closeChange(PendingChange before, PendingChange after, AuditEntry audit) {
        synchronized (data) {
            String id = key(before.workspaceId(), before.changeId());
            new FakeTx(data)
                    .check(() -> {
                        PendingChange current = data.scimChanges.get(id);
                        return current != null && current.status() == PendingChange.Status.PENDING;
                    }, () -> new Conflict("change-closed", "The change was confirmed or discarded meanwhile."))
                    .write(() -> {
                        data.scimChanges.put(id, after);
                        appendAudit(audit);
                    })
                    .commit();
        }
    }

    // ------------------------------------------------------------------ IdP groups (issue 18)

    @Override
    public Optional<ScimGroup> group(String workspaceId, String groupId) {
        synchronized (data) {
            return Optional.ofNullable(groupsOf(workspaceId).get(groupId));
        }
    }

    @Override
    public Optional<String> groupIdByName(String workspaceId, String nameKey) {
        synchronized (data) {
            return Optional.ofNullable(data.scimGroupNames.get(key(workspaceId, nameKey)));
        }
    }

    @Override
    public Optional<String> groupIdByExternalId(String workspaceId, String externalId) {
        synchronized (data) {
            return Optional.ofNullable(data.scimGroupExternalIds.get(key(workspaceId, externalId)));
        }
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
        synchronized (data) {
            return skip(groupsOf(workspaceId).navigableKeySet(), workspaceId, GROUPS, count, cursor);
        }
    }

    @Override
    public long groupCount(String workspaceId) {
        synchronized (data) {
            return data.scimGroupCounts.getOrDefault(workspaceId, 0L);
        }
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
        synchronized (data) {
            return page(membersOf(workspaceId, groupId), workspaceId, MEMBERS_OF + groupId, limit, cursor);
        }
    }

    @Override
    public String skipGroupMembers(String workspaceId, String groupId, long count, String cursor) {
        synchronized (data) {
            return skip(membersOf(workspaceId, groupId), workspaceId, MEMBERS_OF + groupId, count, cursor);
        }
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
        synchronized (data) {
            return List.copyOf(data.scimMemberGroups.getOrDefault(key(workspaceId, memberId), new TreeSet<>()));
        }
    }

    @Override
    public Map<String, String> mappedGroups(String workspaceId) {
        synchronized (data) {
            return new LinkedHashMap<>(data.scimMappedGroups.getOrDefault(workspaceId, new TreeMap<>()));
        }
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
        String after = FakeWorkspaceStore.decode(cursor, workspaceId, kind);
        List<String> items = (after == null ? ids : ids.tailSet(after, false)).stream().limit(limit + 1L).toList();
        boolean more = items.size() > limit;
        List<String> page = more ? items.subList(0, limit) : items;
        return new Page<>(List.copyOf(page), more ? FakeWorkspaceStore.encode(workspaceId, kind, page.getLast()) : null);
    }

    private static String skip(NavigableSet<String> ids, String workspaceId, String kind, long count, String cursor) {
        String after = FakeWorkspaceStore.decode(cursor, workspaceId, kind);
        List<String> skipped = (after == null ? ids : ids.tailSet(after, false)).stream().limit(count).toList();
        return count == 0 ? cursor : skipped.size() < count ? null
                : FakeWorkspaceStore.encode(workspaceId, kind, skipped.getLast());
    }





    private void appendAudit(AuditEntry e) {
        data.audit.computeIfAbsent(e.workspaceId(), ws -> new ArrayList<>()).add(e);
    }

    /** The token item keeps no use; its lookup item does, as in the table. */
    private static ScimToken withoutUse(ScimToken t) {
        return new ScimToken(t.workspaceId(), t.hash(), t.hint(), t.createdAt(), t.createdBy(), null,
                t.createdByEmail(), t.stopped());
    }

    static ChangedMeanwhile tokenChanged() {
        return new ChangedMeanwhile("The workspace's SCIM token was changed meanwhile; reload and retry.");
    }
}
