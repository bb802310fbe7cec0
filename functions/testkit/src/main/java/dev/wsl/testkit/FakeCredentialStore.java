package dev.wsl.testkit;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Overlap;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.port.CredentialStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link CredentialStore} over {@link FakeStores}; the conditions of {@code DynamoCredentialStore}. */
final class FakeCredentialStore extends FakeStore implements CredentialStore {
    FakeCredentialStore(FakeStores data) {
        super(data);
    }

    @Override
    public Optional<StoredToken> personalToken(String userId) {
        synchronized (data) {
            FakeStores.Profile p = data.profiles.get(userId);
            return p == null || p.tokenHash() == null ? Optional.empty()
                    : Optional.of(new StoredToken(userId, p.tokenHash(), p.sealed(), p.hint(), p.issuedAt(), p.previous()));
        }
    }

    @Override
    public void rotate(StoredToken current, PersonalToken next, Instant keepOldUntil) {
        synchronized (data) {
            FakeStores.Credential old = data.credentials.get(current.hash());
            if (old == null) {
                throw rotatedMeanwhile();
            }
            new FakeTx(data)
                    .check(() -> data.credentials.get(current.hash()) == old, FakeCredentialStore::rotatedMeanwhile)
                    .check(() -> !data.credentials.containsKey(next.hash()), FakeCredentialStore::rotatedMeanwhile)
                    .check(() -> {
                        FakeStores.Profile p = data.profiles.get(current.userId());
                        return p != null && current.hash().equals(p.tokenHash())
                                && java.util.Objects.equals(hashOf(current.previous()), hashOf(p.previous()));
                    }, FakeCredentialStore::rotatedMeanwhile)
                    .write(() -> {
                        if (current.previous() != null) {
                            data.credentials.remove(current.previous().hash());
                            data.credentialChoice.remove(current.previous().hash());
                        }
                        String choice = data.credentialChoice.get(current.hash());
                        if (keepOldUntil == null) {
                            data.credentials.remove(current.hash());
                            data.credentialChoice.remove(current.hash());
                        } else {
                            data.credentials.put(current.hash(), old.expiringAt(keepOldUntil));
                        }
                        data.credentials.put(next.hash(), new FakeStores.Credential(false, current.userId(),
                                new TreeMap<>(old.licensedIn()), null, null));
                        if (choice != null) {
                            data.credentialChoice.put(next.hash(), choice);
                        }
                        FakeStores.Profile p = data.profiles.get(current.userId());
                        data.profiles.put(current.userId(), new FakeStores.Profile(p.userId(), p.email(), p.username(),
                                next.hash(), next.sealed(), next.hint(), next.issuedAt(), keepOldUntil == null ? null
                                : new Overlap(current.hash(), current.hint(), keepOldUntil)));
                    })
                    .commit();
        }
    }

    @Override
    public void endOverlap(StoredToken current) {
        if (current.previous() == null) {
            return;
        }
        synchronized (data) {
            new FakeTx(data)
                    .check(() -> {
                        FakeStores.Profile p = data.profiles.get(current.userId());
                        return p != null && current.hash().equals(p.tokenHash()) && p.previous() != null
                                && current.previous().hash().equals(p.previous().hash());
                    }, FakeCredentialStore::rotatedMeanwhile)
                    .write(() -> {
                        data.credentials.remove(current.previous().hash());
                        data.credentialChoice.remove(current.previous().hash());
                        FakeStores.Profile p = data.profiles.get(current.userId());
                        data.profiles.put(current.userId(), new FakeStores.Profile(p.userId(), p.email(), p.username(),
                                p.tokenHash(), p.sealed(), p.hint(), p.issuedAt(), null));
                    })
                    .commit();
        }
    }

    private static String hashOf(Overlap overlap) {
        return overlap == null ? null : overlap.hash();
    }

    @Override
    public void createCiKey(CiKey key, AuditEntry audit) {
        synchronized (data) {
            new FakeTx(data)
                    .check(() -> data.workspaces.containsKey(key.workspaceId()),
                            () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                    .check(() -> !data.ciKeys.containsKey(key(key.workspaceId(), key.keyId()))
                            && !data.credentials.containsKey(key.hash()), FakeCredentialStore::collision)
                    .write(() -> {
                        data.ciKeys.put(key(key.workspaceId(), key.keyId()), key);
                        data.credentials.put(key.hash(), new FakeStores.Credential(true, null, new TreeMap<>(),
                                key.workspaceId(), key.keyId()));
                        data.audit.computeIfAbsent(audit.workspaceId(), ws -> new ArrayList<>()).add(audit);
                    })
                    .commit();
        }
    }

    @Override
    public Optional<CiKey> findCiKey(String workspaceId, String keyId) {
        return data.find(() -> data.ciKeys.get(key(workspaceId, keyId)));
    }

    @Override
    public List<CiKey> listCiKeys(String workspaceId) {
        return data.read(() -> data.ciKeys.values().stream().filter(k -> k.workspaceId().equals(workspaceId)).toList());
    }

    @Override
    public void revokeCiKey(CiKey before, Instant at, AuditEntry audit) {
        synchronized (data) {
            new FakeTx(data)
                    .check(() -> {
                        CiKey stored = data.ciKeys.get(key(before.workspaceId(), before.keyId()));
                        return stored != null && !stored.revoked();
                    }, () -> new Conflict("already-revoked", "The CI key is already revoked."))
                    .write(() -> {
                        data.ciKeys.put(key(before.workspaceId(), before.keyId()), before.revokedAt(at));
                        data.credentials.remove(before.hash());
                        if (before.previous() != null) {
                            data.credentials.remove(before.previous().hash());
                        }
                        data.audit.computeIfAbsent(audit.workspaceId(), ws -> new ArrayList<>()).add(audit);
                    })
                    .commit();
        }
    }

    @Override
    public void rotateCiKey(CiKey before, CiKey after, AuditEntry audit) {
        synchronized (data) {
            new FakeTx(data)
                    .check(() -> asRead(before), FakeCredentialStore::ciKeyChanged)
                    .check(() -> after.previous() == null || data.credentials.containsKey(before.hash()),
                            FakeCredentialStore::ciKeyChanged)
                    .check(() -> !data.credentials.containsKey(after.hash()), FakeCredentialStore::collision)
                    .write(() -> {
                        data.ciKeys.put(key(after.workspaceId(), after.keyId()), after);
                        if (before.previous() != null) {
                            data.credentials.remove(before.previous().hash());
                        }
                        if (after.previous() != null) {
                            data.credentials.put(before.hash(), data.credentials.get(before.hash())
                                    .expiringAt(after.previous().until()));
                        } else {
                            data.credentials.remove(before.hash());
                        }
                        data.credentials.put(after.hash(), new FakeStores.Credential(true, null, new TreeMap<>(),
                                after.workspaceId(), after.keyId()));
                        data.audit.computeIfAbsent(audit.workspaceId(), ws -> new ArrayList<>()).add(audit);
                    })
                    .commit();
        }
    }

    @Override
    public void endCiKeyOverlap(CiKey before, AuditEntry audit) {
        if (before.previous() == null) {
            return;
        }
        synchronized (data) {
            new FakeTx(data)
                    .check(() -> asRead(before), FakeCredentialStore::ciKeyChanged)
                    .write(() -> {
                        data.ciKeys.put(key(before.workspaceId(), before.keyId()), before.withoutPrevious());
                        data.credentials.remove(before.previous().hash());
                        data.audit.computeIfAbsent(audit.workspaceId(), ws -> new ArrayList<>()).add(audit);
                    })
                    .commit();
        }
    }

    /** As the DynamoDB store's condition: the key item's secret, overlap and revocation as read. */
    private boolean asRead(CiKey before) {
        CiKey stored = data.ciKeys.get(key(before.workspaceId(), before.keyId()));
        return stored != null && stored.hash().equals(before.hash()) && !stored.revoked()
                && java.util.Objects.equals(hashOf(stored.previous()), hashOf(before.previous()));
    }

    @Override
    public Map<String, Usage> usage(String workspaceId, List<String> subjectIds) {
        synchronized (data) {
            Map<String, Usage> out = new HashMap<>();
            for (String id : subjectIds) {
                Usage u = data.usage.get(key(workspaceId, id));
                dev.wsl.core.domain.Seat seat = data.seats.get(key(workspaceId, id));
                if (seat != null) {
                    // The seat lives on the usage item: a license without activations has one too.
                    u = u == null ? new Usage(id, null, null, null, null, Map.of(), seat.lastActivity())
                            : new Usage(id, u.at(), u.machineId(), u.system(), u.credential(), u.activationsPerMonth(),
                            seat.lastActivity());
                }
                if (u != null) {
                    out.put(id, u);
                }
            }
            return out;
        }
    }

    @Override
    public Map<String, Creator> creators(String workspaceId, java.util.Collection<String> userIds) {
        synchronized (data) {
            Map<String, Creator> out = new HashMap<>();
            for (String userId : userIds) {
                FakeStores.Profile p = data.profiles.get(userId);
                dev.wsl.core.domain.Grant g = data.grants.get(key(workspaceId, userId));
                out.put(userId, new Creator(userId, p == null ? null : p.email().value(), p == null ? null : p.username(),
                        g == null ? null : g.access()));
            }
            return out;
        }
    }

    @Override
    public Optional<TokenWorkspaces> tokenWorkspaces(String userId) {
        synchronized (data) {
            FakeStores.Profile p = data.profiles.get(userId);
            if (p == null || p.tokenHash() == null) {
                return Optional.empty();
            }
            FakeStores.Credential c = data.credentials.get(p.tokenHash());
            return Optional.of(new TokenWorkspaces(p.tokenHash(), data.profileChoice.get(userId),
                    c == null ? Map.of() : c.licensedIn(), p.hashes().previous()));
        }
    }

    @Override
    public void chooseWorkspace(String userId, TokenHashes tokens, String workspaceId) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data);
            FakeLicenseStore.eachToken(data, tx, tokens, userId, hash -> data.credentialChoice.put(hash, workspaceId));
            tx.check(() -> {
                        FakeStores.Profile p = data.profiles.get(userId);
                        return p != null && tokens.current().equals(p.tokenHash());
                    }, FakeCredentialStore::rotatedMeanwhile)
                    .write(() -> data.profileChoice.put(userId, workspaceId))
                    .commit();
        }
    }

    private static ChangedMeanwhile rotatedMeanwhile() {
        return new ChangedMeanwhile("The user's auth token was rotated meanwhile; retry the request.");
    }

    private static ChangedMeanwhile ciKeyChanged() {
        return new ChangedMeanwhile("The CI key was rotated, revoked or its old secret ended meanwhile; reload and retry.");
    }

    private static ChangedMeanwhile collision() {
        return new ChangedMeanwhile("A concurrent request changed the same item; retry.");
    }
}
