package dev.wsl.testkit;

import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import java.time.Instant;

import static dev.wsl.testkit.FakeStores.key;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.SeatsChanged;
import dev.wsl.core.port.LicenseStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link LicenseStore} over {@link FakeStores}; the conditions of {@code DynamoLicenseStore}/{@code SeatWrites}. */
final class FakeLicenseStore extends FakeStore implements LicenseStore {
    FakeLicenseStore(FakeStores data) {
        super(data);
    }

    @Override
    public LicensePool pool(String workspaceId) {
        return data.read(() -> data.pools.getOrDefault(workspaceId, LicensePool.empty(workspaceId)));
    }

    @Override
    public Optional<LegacyKey> findKey(String workspaceId, String keyId) {
        synchronized (data) {
            return data.legacyKeys.values().stream()
                    .filter(k -> k.workspaceId().equals(workspaceId) && k.keyId().equals(keyId)).findFirst();
        }
    }

    @Override
    public List<LegacyKey> listKeys(String workspaceId) {
        return data.read(() -> data.legacyKeys.values().stream().filter(k -> k.workspaceId().equals(workspaceId)).toList());
    }

    @Override
    public void apply(SeatChange change, LicensePool poolRead) {
        synchronized (data) {
            FakeTx tx = new FakeTx(data);
            contribute(data, tx, change, poolRead, true);
            tx.commit();
        }
    }

    @Override
    public void saveSubscriptions(LicensePool read, Map<String, Subscription> subscriptions, long seats,
                                  AuditEntry audit, SeatChange alongside) {
        SeatTally d = alongside == null ? SeatTally.ZERO : alongside.delta();
        synchronized (data) {
            FakeTx tx = new FakeTx(data)
                    .check(() -> {
                        LicensePool stored = data.pools.get(read.workspaceId());
                        LicensePool saved = new LicensePool(read.workspaceId(), subscriptions, seats, read.tally(),
                                read.unassignedKeys(), read.version() + 1, read.licensedFrom());
                        boolean fits = alongside == null || alongside.subscriptionDelta().entrySet().stream()
                                .filter(e -> e.getValue() > 0).allMatch(e -> (stored == null ? 0 : stored.licensedFrom(e.getKey()))
                                        <= saved.seatsOf(e.getKey()) - e.getValue());
                        return fits && (read.version() == 0 ? stored == null : stored != null && stored.version() == read.version()
                                && (d.inUse() <= 0 || stored.tally().inUse() <= seats - d.inUse()));
                    }, () -> new ChangedMeanwhile("The license pool changed meanwhile; retry."))
                    .write(() -> {
                        LicensePool stored = data.pools.getOrDefault(read.workspaceId(),
                                LicensePool.empty(read.workspaceId()));
                        TreeSet<String> unassigned = new TreeSet<>(stored.unassignedKeys());
                        if (alongside != null) {
                            unassigned.addAll(alongside.newlyUnassigned());
                            alongside.noLongerUnassigned().forEach(unassigned::remove);
                        }
                        data.pools.put(read.workspaceId(), new LicensePool(read.workspaceId(), new TreeMap<>(subscriptions),
                                seats, stored.tally().plus(d), unassigned, read.version() + 1, licensedFrom(stored, alongside)));
                        data.audit.computeIfAbsent(audit.workspaceId(), ws -> new ArrayList<>()).add(audit);
                        data.seatPolicies.putIfAbsent(read.workspaceId(), SeatPolicy.defaults(read.workspaceId()));
                    });
            if (alongside != null) {
                contribute(data, tx, alongside, read, true, false);
            }
            tx.commit();
        }
    }

    private static Map<String, Long> licensedFrom(LicensePool stored, SeatChange alongside) {
        Map<String, Long> licensedFrom = new TreeMap<>(stored.licensedFrom());
        if (alongside != null) {
            alongside.subscriptionDelta().forEach((id, delta) -> licensedFrom.merge(id, delta, Long::sum));
        }
        return licensedFrom;
    }

    /**
     * The writes of a seat change, as {@code SeatWrites}: members (version, not REMOVED), the token index,
     * the new license's usage, keys (version) and their claims, the pool's counters (seats read and room
     * when seats are taken), the audit entries. Plan-time refusals ({@code key-exists}) come first.
     */
    static void contribute(FakeStores data, FakeTx tx, SeatChange change, LicensePool readPool, boolean writeMembers) {
        contribute(data, tx, change, readPool, writeMembers, true);
    }

    /** @param writePool false when the caller's transaction already puts the change's delta on the pool */
    static void contribute(FakeStores data, FakeTx tx, SeatChange change, LicensePool readPool, boolean writeMembers,
                           boolean writePool) {
        String ws = change.workspaceId();
        for (SeatChange.KeyChange k : change.keys()) {
            if (k.before() == null) {
                KeyClaim claim = data.claims.get(k.after().hash());
                if (claim != null && claim.importedBy(ws)) {
                    throw new AlreadyExists("key-exists", "The legacy key " + k.after().shown()
                            + " is already imported in this workspace.");
                }
            }
        }
        if (writeMembers) {
            for (SeatChange.MemberChange m : change.members()) {
                tx.check(() -> {
                    Member stored = data.members.getOrDefault(ws, new TreeMap<>()).get(m.before().memberId());
                    return stored != null && stored.version() == m.before().version()
                            && stored.status() != MemberStatus.REMOVED;
                }, FakeLicenseStore::changedMeanwhile).write(() ->
                        data.members.computeIfAbsent(ws, w -> new TreeMap<>()).put(m.after().memberId(), m.after()));
            }
        }
        for (SeatChange.MemberChange m : change.members()) {
            follow(data, tx, m.before(), m.after());
            String seat = key(ws, m.after().memberId());
            if (m.startsLicense()) {
                Instant given = change.at(Instant.now());
                Instant at = given.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                tx.write(() -> {
                    data.usage.remove(seat);
                    data.seats.put(seat, new Seat(ws, m.after().memberId(), at, given, null, null));
                });
            } else if (m.endsLicense()) {
                if (m.unusedSince() != null) {
                    tx.check(() -> data.seats.containsKey(seat) && data.seats.get(seat).lastActivity()
                                    .equals(m.unusedSince().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                            () -> new ChangedMeanwhile("The license was used meanwhile; it is not reclaimed."));
                }
                tx.write(() -> data.seats.remove(seat));
            }
        }
        for (SeatChange.KeyChange k : change.keys()) {
            if (k.before() == null) {
                LegacyKey key = k.after();
                tx.check(() -> !data.legacyKeys.containsKey(FakeStores.position(key)), FakeLicenseStore::changedMeanwhile)
                        .write(() -> data.legacyKeys.put(FakeStores.position(key), key));
                claimOnImport(data, tx, data.claims.get(key.hash()), key);
            } else if (k.after() == null) {
                LegacyKey key = k.before();
                tx.check(() -> {
                    LegacyKey stored = data.legacyKeys.get(FakeStores.position(key));
                    return stored != null && stored.version() == key.version();
                }, FakeLicenseStore::changedMeanwhile).write(() -> data.legacyKeys.remove(FakeStores.position(key)));
                releaseOnDelete(data, tx, data.claims.get(key.hash()), key);
            } else {
                LegacyKey before = k.before();
                tx.check(() -> {
                    LegacyKey stored = data.legacyKeys.get(FakeStores.position(before));
                    return stored != null && stored.version() == before.version();
                }, FakeLicenseStore::changedMeanwhile).write(() -> data.legacyKeys.put(FakeStores.position(k.after()), k.after()));
            }
        }
        if (writePool) {
            poolUpdate(data, tx, change, readPool);
        }
        for (AuditEntry audit : change.audits()) {
            tx.write(() -> data.audit.computeIfAbsent(ws, w -> new ArrayList<>()).add(audit));
        }
    }

    private static void claimOnImport(FakeStores data, FakeTx tx, KeyClaim claim, LegacyKey key) {
        if (claim == null) {
            tx.check(() -> !data.claims.containsKey(key.hash()), FakeLicenseStore::claimChanged)
                    .write(() -> data.claims.put(key.hash(), new KeyClaim(key.hash(), KeyClaim.Import.of(key), Map.of())));
            return;
        }
        tx.check(() -> {
            KeyClaim stored = data.claims.get(key.hash());
            return stored != null && stored.holder().workspaceId().equals(claim.holder().workspaceId())
                    && stored.holder().keyId().equals(claim.holder().keyId())
                    && stored.waiting().isEmpty() == claim.waiting().isEmpty()
                    && !stored.waiting().containsKey(key.workspaceId());
        }, FakeLicenseStore::claimChanged).write(() -> {
            KeyClaim stored = data.claims.get(key.hash());
            Map<String, KeyClaim.Import> waiting = new HashMap<>(stored.waiting());
            waiting.put(key.workspaceId(), KeyClaim.Import.of(key));
            data.claims.put(key.hash(), new KeyClaim(key.hash(), stored.holder(), waiting));
        });
    }

    private static void releaseOnDelete(FakeStores data, FakeTx tx, KeyClaim claim, LegacyKey key) {
        if (claim == null) {
            return;
        }
        if (claim.heldBy(key)) {
            var successor = claim.successor();
            tx.check(() -> {
                KeyClaim stored = data.claims.get(key.hash());
                return stored != null && stored.heldBy(key) && stored.waiting().size() == claim.waiting().size()
                        && (successor.isEmpty() || successor.get().equals(stored.waiting().get(successor.get().workspaceId())));
            }, FakeLicenseStore::claimChanged).write(() -> {
                if (successor.isEmpty()) {
                    data.claims.remove(key.hash());
                } else {
                    Map<String, KeyClaim.Import> waiting = new HashMap<>(data.claims.get(key.hash()).waiting());
                    waiting.remove(successor.get().workspaceId());
                    data.claims.put(key.hash(), new KeyClaim(key.hash(), successor.get(), waiting));
                }
            });
        } else if (claim.awaitedBy(key)) {
            tx.check(() -> {
                KeyClaim stored = data.claims.get(key.hash());
                return stored != null && stored.awaitedBy(key) && stored.waiting().size() == claim.waiting().size();
            }, FakeLicenseStore::claimChanged).write(() -> {
                KeyClaim stored = data.claims.get(key.hash());
                Map<String, KeyClaim.Import> waiting = new HashMap<>(stored.waiting());
                waiting.remove(key.workspaceId());
                data.claims.put(key.hash(), new KeyClaim(key.hash(), stored.holder(), waiting));
            });
        }
    }

    private static void poolUpdate(FakeStores data, FakeTx tx, SeatChange change, LicensePool readPool) {
        SeatTally d = change.delta();
        Map<String, Long> bySubscription = change.subscriptionDelta();
        List<String> added = change.newlyUnassigned();
        List<String> removed = change.noLongerUnassigned();
        if (d.isZero() && bySubscription.isEmpty() && added.isEmpty() && removed.isEmpty()) {
            return;
        }
        String ws = change.workspaceId();
        if (!added.isEmpty() && !removed.isEmpty()) {
            // As SeatWrites: a change that adds to and removes from the list sets it as planned on the read.
            tx.check(() -> data.pools.containsKey(ws) && data.pools.get(ws).unassignedKeys().equals(readPool.unassignedKeys()),
                    () -> new ChangedMeanwhile("The license pool changed meanwhile; retry."));
        }
        boolean subscriptionsGive = bySubscription.values().stream().anyMatch(v -> v > 0);
        if (d.inUse() > 0 || subscriptionsGive) {
            tx.check(() -> {
                LicensePool stored = data.pools.get(ws);
                if (stored == null) {
                    return false;
                }
                if (d.inUse() > 0 && (stored.seats() != readPool.seats()
                        || stored.tally().inUse() > readPool.seats() - d.inUse())) {
                    return false;
                }
                if (subscriptionsGive && stored.version() != readPool.version()) {
                    return false;
                }
                return bySubscription.entrySet().stream().filter(e -> e.getValue() > 0).allMatch(e ->
                        stored.licensedFrom(e.getKey()) <= readPool.seatsOf(e.getKey()) - e.getValue());
            }, SeatsChanged::new);
        } else {
            tx.check(() -> data.pools.containsKey(ws), () -> new ChangedMeanwhile("The license pool changed meanwhile; retry."));
        }
        tx.write(() -> {
            LicensePool stored = data.pools.get(ws);
            TreeSet<String> unassigned = new TreeSet<>(stored.unassignedKeys());
            unassigned.addAll(added);
            removed.forEach(unassigned::remove);
            Map<String, Long> licensedFrom = new TreeMap<>(stored.licensedFrom());
            bySubscription.forEach((id, delta) -> licensedFrom.merge(id, delta, Long::sum));
            data.pools.put(ws, new LicensePool(ws, stored.subscriptions(), stored.seats(), stored.tally().plus(d),
                    unassigned, stored.version(), licensedFrom));
        });
    }

    /** As {@code TokenIndex.follow}: a member whose license starts or stops activating updates their token's index. */
    static void follow(FakeStores data, FakeTx tx, Member before, Member after) {
        if (before.activatesLicense() == after.activatesLicense()) {
            return;
        }
        String userId = after.userId() != null ? after.userId() : before.userId();
        FakeStores.Profile profile = data.profiles.get(userId);
        if (profile == null || profile.tokenHash() == null) {
            return;
        }
        TokenHashes tokens = profile.hashes();
        if (after.activatesLicense()) {
            link(data, tx, tokens, userId, after.workspaceId(), after.memberId());
        } else {
            eachToken(data, tx, tokens, userId, hash -> data.credentials.get(hash).licensedIn().remove(after.workspaceId()));
        }
    }

    static void link(FakeStores data, FakeTx tx, TokenHashes tokens, String userId, String workspaceId, String memberId) {
        eachToken(data, tx, tokens, userId, hash -> data.credentials.get(hash).licensedIn().put(workspaceId, memberId));
    }

    /**
     * As {@code TokenIndex.eachToken}: the write on the current token's lookup (still current: not made the old one
     * of a rotation) and on the overlapping one's (still there, still the old one), each conditioned so.
     */
    static void eachToken(FakeStores data, FakeTx tx, TokenHashes tokens, String userId,
                          java.util.function.Consumer<String> write) {
        tx.check(() -> {
            FakeStores.Credential c = data.credentials.get(tokens.current());
            return c != null && userId.equals(c.userId()) && c.expiresAt() == null;
        }, FakeLicenseStore::rotatedMeanwhile).write(() -> write.accept(tokens.current()));
        if (tokens.previous() != null) {
            tx.check(() -> {
                FakeStores.Credential c = data.credentials.get(tokens.previous());
                return c != null && userId.equals(c.userId()) && c.expiresAt() != null;
            }, FakeLicenseStore::rotatedMeanwhile).write(() -> write.accept(tokens.previous()));
        }
    }

    private static ChangedMeanwhile changedMeanwhile() {
        return new ChangedMeanwhile("The member or key was changed by another request meanwhile; reload and retry.");
    }

    private static ChangedMeanwhile claimChanged() {
        return new ChangedMeanwhile("Another workspace imported or deleted the same legacy key meanwhile; retry.");
    }

    private static ChangedMeanwhile rotatedMeanwhile() {
        return new ChangedMeanwhile("The user's auth token was rotated meanwhile; retry the request.");
    }
}
