package dev.wsl.core.store;

import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.SeatsChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The writes of a seat change, added to a transaction: members and keys conditioned on their
 * versions, the token index of members whose license starts or stops activating, the keys' claims
 * ({@link KeyClaim}: who activates a key that several workspaces imported), the pool's counters
 * with the change's derived delta, and the audit entries. Shared by the license store (a change on
 * its own) and the workspace store (a member's removal, which frees their seat in the same
 * transaction).
 */
final class SeatWrites {
    private SeatWrites() {}

    /**
     * @param writeMembers false when the caller's transaction already writes the members
     * @throws AlreadyExists {@code key-exists} when an imported key was imported by this workspace before
     */
    static void contribute(Transaction tx, DynamoDbClient dynamo, String table, SeatChange change, LicensePool readPool,
                           boolean writeMembers) {
        contribute(tx, dynamo, table, change, readPool, writeMembers, true);
    }

    /**
     * @param writePool false when the caller's transaction already updates the pool item, with the
     *                  change's {@link #counterUpdate} in it
     */
    static void contribute(Transaction tx, DynamoDbClient dynamo, String table, SeatChange change, LicensePool readPool,
                           boolean writeMembers, boolean writePool) {
        if (writeMembers) {
            for (SeatChange.MemberChange m : change.members()) {
                Condition condition = new Condition("#version = :expectedVersion AND #status <> :removed",
                        Map.of("#version", "version", "#status", "status"),
                        Map.of(":expectedVersion", Attrs.n(m.before().version()),
                                ":removed", Attrs.s(MemberStatus.REMOVED.name())));
                tx.put(MemberItems.member(m.after()), condition, SeatWrites::changedMeanwhile);
            }
        }
        for (SeatChange.MemberChange m : change.members()) {
            TokenIndex.follow(tx, dynamo, table, m.before(), m.after());
            if (m.startsLicense()) {
                // A new license starts without activations (the sunset job retires a legacy key only once its
                // holder activated with their auth token after getting it), on the seat index, idle from now.
                tx.put(SeatItems.newSeat(change.workspaceId(), m.after().memberId(), change.at(Instant.now())), null, null);
            } else if (m.endsLicense()) {
                SeatItems.release(tx, change.workspaceId(), m.after().memberId(), m.unusedSince());
            }
        }
        Map<String, KeyClaim> claims = claims(dynamo, table, change);
        for (SeatChange.KeyChange k : change.keys()) {
            if (k.before() == null) {
                tx.put(LicenseItems.key(k.after()), Condition.notExists(), SeatWrites::changedMeanwhile);
                claimOnImport(tx, claims.get(k.after().hash()), k.after());
            } else if (k.after() == null) {
                tx.delete(Keys.legacyKey(change.workspaceId(), k.before().keyId()),
                        Condition.version(k.before().version()), SeatWrites::changedMeanwhile);
                releaseOnDelete(tx, claims.get(k.before().hash()), k.before());
            } else {
                tx.put(LicenseItems.key(k.after()), Condition.version(k.before().version()),
                        SeatWrites::changedMeanwhile);
            }
        }
        if (writePool) {
            addPoolUpdate(tx, change, readPool);
        }
        change.audits().forEach(audit -> tx.put(MemberItems.audit(audit), Condition.notExists(),
                SeatWrites::changedMeanwhile));
    }

    /** The claims of the keys the change imports or deletes, in one consistent batch read. */
    private static Map<String, KeyClaim> claims(DynamoDbClient dynamo, String table, SeatChange change) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (SeatChange.KeyChange k : change.keys()) {
            if (k.before() == null || k.after() == null) {
                LegacyKey key = k.before() != null ? k.before() : k.after();
                keys.add(Keys.legacyKeyHash(key.hash()).toMap());
            }
        }
        Map<String, KeyClaim> claims = new HashMap<>();
        if (keys.isEmpty()) {
            return claims;
        }
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table, keys)) {
            KeyClaim claim = LicenseItems.claim(item);
            claims.put(claim.hash(), claim);
        }
        return claims;
    }

    /** A first import holds the key; a later one by another workspace waits for it (same answer either way). */
    private static void claimOnImport(Transaction tx, KeyClaim claim, LegacyKey key) {
        if (claim == null) {
            tx.put(LicenseItems.keyLookup(key), Condition.notExists(), SeatWrites::claimChanged);
            return;
        }
        if (claim.importedBy(key.workspaceId())) {
            throw new AlreadyExists("key-exists", "The legacy key " + key.shown()
                    + " is already imported in this workspace.");
        }
        Map<String, AttributeValue> values = new HashMap<>(holderIs(claim.holder()));
        Map<String, String> names = new HashMap<>(Map.of("#ws", key.workspaceId()));
        String update;
        String condition = "workspaceId = :holderWs AND keyId = :holderKey";
        if (claim.waiting().isEmpty()) {
            update = "SET waiting = :waiting";
            values.put(":waiting", AttributeValue.fromM(Map.of(key.workspaceId(), LicenseItems.waitingEntry(key))));
            condition += " AND attribute_not_exists(waiting)";
            names.clear();
        } else {
            update = "SET waiting.#ws = :entry";
            values.put(":entry", LicenseItems.waitingEntry(key));
            condition += " AND attribute_exists(waiting) AND attribute_not_exists(waiting.#ws)";
        }
        tx.update(Keys.legacyKeyHash(key.hash()), update, new Condition(condition, names, values),
                SeatWrites::claimChanged);
    }

    /**
     * The holder's deletion hands the key to the oldest waiting import (or deletes the claim when none
     * waits); a waiting import's deletion only leaves the queue. The conditions pin the claim as read,
     * including how many imports wait, so that an emptied queue is removed, never left as an empty map.
     */
    private static void releaseOnDelete(Transaction tx, KeyClaim claim, LegacyKey key) {
        if (claim == null) {
            return;
        }
        Keys.Key lookup = Keys.legacyKeyHash(key.hash());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":waiting", Attrs.n(claim.waiting().size()));
        if (claim.heldBy(key)) {
            values.putAll(holderIs(claim.holder()));
            String holds = "workspaceId = :holderWs AND keyId = :holderKey";
            var successor = claim.successor();
            if (successor.isEmpty()) {
                tx.delete(lookup, new Condition(holds + " AND attribute_not_exists(waiting)", Map.of(),
                        Map.of(":holderWs", values.get(":holderWs"), ":holderKey", values.get(":holderKey"))),
                        SeatWrites::claimChanged);
                return;
            }
            KeyClaim.Import next = successor.get();
            values.put(":nextWs", Attrs.s(next.workspaceId()));
            values.put(":nextKey", Attrs.s(next.keyId()));
            String leaves = claim.waiting().size() == 1 ? "waiting" : "waiting.#next";
            // The last use belonged to the old holder: the new holder's first activation records its own.
            tx.update(lookup, "SET workspaceId = :nextWs, keyId = :nextKey REMOVE lastUseHour, " + leaves,
                    new Condition(holds + " AND size(waiting) = :waiting AND waiting.#next.keyId = :nextKey",
                            Map.of("#next", next.workspaceId()), values), SeatWrites::claimChanged);
        } else if (claim.awaitedBy(key)) {
            values.put(":key", Attrs.s(key.keyId()));
            String leaves = claim.waiting().size() == 1 ? "waiting" : "waiting.#ws";
            tx.update(lookup, "REMOVE " + leaves,
                    new Condition("size(waiting) = :waiting AND waiting.#ws.keyId = :key",
                            Map.of("#ws", key.workspaceId()), values), SeatWrites::claimChanged);
        }
    }

    private static Map<String, AttributeValue> holderIs(KeyClaim.Import holder) {
        return Map.of(":holderWs", Attrs.s(holder.workspaceId()), ":holderKey", Attrs.s(holder.keyId()));
    }

    /**
     * The update expression that puts a change's derived delta on the pool's counters, its
     * per-subscription license counters and its list of unassigned keys (every counter is ADDed, so a
     * new pool gets them all), after the caller's own {@code sets} (assignments for the same update's
     * SET clause), or null when the change moves nothing. Its names and values go to {@code names} and
     * {@code values}, and what the pool must still hold is added to {@code conditions}: a subscription
     * that gives licenses gives at most its seats in {@code seatsFrom} (the pool as read, or as the
     * caller's own update leaves it).
     *
     * <p>One update cannot both ADD to and DELETE from a set (DynamoDB: "two document paths overlap").
     * A change that does both (a member's key swapped for an unassigned one) therefore SETs the list as
     * planned on {@code read}, conditioned on the list being the one read.
     */
    static String counterUpdate(SeatChange change, LicensePool read, LicensePool seatsFrom, List<String> sets,
                                Map<String, String> names, Map<String, AttributeValue> values, List<String> conditions) {
        SeatTally d = change.delta();
        Map<String, Long> bySubscription = change.subscriptionDelta();
        List<String> added = change.newlyUnassigned();
        List<String> removed = change.noLongerUnassigned();
        if (d.isZero() && bySubscription.isEmpty() && added.isEmpty() && removed.isEmpty()) {
            return null;
        }
        List<String> set = new ArrayList<>(sets);
        names.put("#both", "both");
        values.put(":inUse", Attrs.n(d.inUse()));
        values.put(":licensed", Attrs.n(d.licensed()));
        values.put(":ka", Attrs.n(d.keysAssigned()));
        values.put(":ku", Attrs.n(d.keysUnassigned()));
        values.put(":both", Attrs.n(d.both()));
        StringBuilder add = new StringBuilder(
                "ADD inUse :inUse, licensed :licensed, keysAssigned :ka, keysUnassigned :ku, #both :both");
        int n = 0;
        for (Map.Entry<String, Long> e : bySubscription.entrySet()) {
            String name = "#lf" + n;
            String value = ":lf" + n;
            names.put(name, LicenseItems.licensedFrom(e.getKey()));
            values.put(value, Attrs.n(e.getValue()));
            add.append(", ").append(name).append(' ').append(value);
            if (e.getValue() > 0) {
                // A subscription gives at most its seats: its license group never oversubscribes.
                String limit = ":lfLimit" + n;
                values.put(limit, Attrs.n(seatsFrom.seatsOf(e.getKey()) - e.getValue()));
                conditions.add("(attribute_not_exists(" + name + ") OR " + name + " <= " + limit + ")");
            }
            n++;
        }
        String delete = "";
        if (!added.isEmpty() && !removed.isEmpty()) {
            TreeSet<String> planned = new TreeSet<>(read.unassignedKeys());
            planned.addAll(added);
            removed.forEach(planned::remove);
            set.add("unassignedKeys = :unassigned");
            values.put(":unassigned", AttributeValue.fromSs(List.copyOf(planned)));
            if (read.unassignedKeys().isEmpty()) {
                conditions.add("attribute_not_exists(unassignedKeys)");
            } else {
                conditions.add("unassignedKeys = :readUnassigned");
                values.put(":readUnassigned", AttributeValue.fromSs(List.copyOf(read.unassignedKeys())));
            }
        } else if (!added.isEmpty()) {
            add.append(", unassignedKeys :added");
            values.put(":added", AttributeValue.fromSs(added));
        } else if (!removed.isEmpty()) {
            delete = " DELETE unassignedKeys :removed";
            values.put(":removed", AttributeValue.fromSs(removed));
        }
        return (set.isEmpty() ? "" : "SET " + String.join(", ", set) + " ") + add + delete;
    }

    /** True when the change counts new licenses against a subscription (whose seats must still be the ones read). */
    static boolean givesFromSubscription(SeatChange change) {
        return change.subscriptionDelta().values().stream().anyMatch(v -> v > 0);
    }

    private static void addPoolUpdate(Transaction tx, SeatChange change, LicensePool readPool) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>();
        String update = counterUpdate(change, readPool, readPool, List.of(), names, values, conditions);
        if (update == null) {
            return;
        }
        if (givesFromSubscription(change)) {
            // The subscriptions' seats are still the ones read (billing bumps the pool's version).
            names.put("#version", "version");
            values.put(":poolVersion", Attrs.n(readPool.version()));
            conditions.addFirst("#version = :poolVersion");
        }
        SeatTally d = change.delta();
        if (d.inUse() > 0) {
            // Seats are taken: only if the seats are still what was read and the new total fits in them.
            values.put(":seats", Attrs.n(readPool.seats()));
            values.put(":limit", Attrs.n(readPool.seats() - d.inUse()));
            conditions.addFirst("seats = :seats AND inUse <= :limit");
        }
        if (d.inUse() > 0 || givesFromSubscription(change)) {
            tx.update(Keys.licensePool(change.workspaceId()), update,
                    new Condition(String.join(" AND ", conditions), names, values), SeatsChanged::new);
        } else {
            conditions.addFirst("attribute_exists(PK)");
            tx.update(Keys.licensePool(change.workspaceId()), update,
                    new Condition(String.join(" AND ", conditions), names, values),
                    () -> new ChangedMeanwhile("The license pool changed meanwhile; retry."));
        }
    }

    static ChangedMeanwhile changedMeanwhile() {
        return new ChangedMeanwhile("The member or key was changed by another request meanwhile; reload and retry.");
    }

    private static ChangedMeanwhile claimChanged() {
        return new ChangedMeanwhile("Another workspace imported or deleted the same legacy key meanwhile; retry.");
    }
}
