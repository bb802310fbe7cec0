package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.ScimStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The SCIM token and its held changes of {@link FakeScimStore}, as {@code DynamoScimStore} conditions them. */
abstract class FakeScimTokens extends FakeStore implements ScimStore {
    FakeScimTokens(FakeStores data) {
        super(data);
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
                    }, FakeScimTokens::tokenChanged)
                    .check(() -> !data.scimLookups.containsKey(after.hash()), FakeScimTokens::tokenChanged)
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
                    }, FakeScimTokens::tokenChanged)
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
        return data.find(() -> data.scimChanges.get(key(workspaceId, changeId)));
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

    void appendAudit(AuditEntry e) {
        data.audit.computeIfAbsent(e.workspaceId(), ws -> new ArrayList<>()).add(e);
    }

    /** The token item keeps no use; its lookup item does, as in the table. */
    static ScimToken withoutUse(ScimToken t) {
        return new ScimToken(t.workspaceId(), t.hash(), t.hint(), t.createdAt(), t.createdBy(), null,
                t.createdByEmail(), t.stopped());
    }

    static ChangedMeanwhile tokenChanged() {
        return new ChangedMeanwhile("The workspace's SCIM token was changed meanwhile; reload and retry.");
    }
}
