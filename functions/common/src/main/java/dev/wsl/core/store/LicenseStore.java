package dev.wsl.core.store;

import dev.wsl.core.api.ApiException;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.domain.Subscription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * License pools and legacy keys. Every change to who holds a seat is one transaction that
 * writes the members and keys (each conditioned on its version) and adds the change's
 * derived delta to the pool's counters; when the delta takes seats, the pool write is
 * conditioned on {@code seats} being the value read and {@code inUse} leaving room, so
 * seats in use never exceed seats under any concurrency. Thread-safe.
 */
public final class LicenseStore {
    /** Refusal type when the pool condition fails; the service re-reads the pool to explain or retry. */
    public static final String NO_FREE_SEAT = "no-free-seat";

    private final DynamoDbClient dynamo;
    private final String table;

    public LicenseStore(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
    }

    public LicensePool pool(String workspaceId) {
        return get(Keys.licensePool(workspaceId)).map(item -> LicenseItems.pool(workspaceId, item))
                .orElse(LicensePool.empty(workspaceId));
    }

    public Optional<LegacyKey> findKey(String workspaceId, String keyId) {
        return get(Keys.legacyKey(workspaceId, keyId)).map(LicenseItems::key);
    }

    /** The workspace and key id of a legacy key, by the hash of the key itself. */
    public Optional<Keys.Key> findKeyByHash(String keyHash) {
        return get(Keys.legacyKeyHash(keyHash)).map(item ->
                Keys.legacyKey(Attrs.str(item, "workspaceId"), Attrs.str(item, "keyId")));
    }

    public List<LegacyKey> listKeys(String workspaceId) {
        return queryAll(workspaceId, Keys.LEGACY_KEY_PREFIX).stream().map(LicenseItems::key).toList();
    }

    /** Applies a change on its own. */
    public void apply(SeatChange change, LicensePool readPool) {
        Transaction tx = new Transaction(table);
        contribute(tx, change, readPool, true);
        tx.execute(dynamo);
    }

    /**
     * Adds a change's writes to a transaction that another store builds (member removal).
     *
     * @param writeMembers false when the caller's transaction already writes the members
     */
    public void contribute(Transaction tx, SeatChange change, LicensePool readPool, boolean writeMembers) {
        if (writeMembers) {
            for (SeatChange.MemberChange m : change.members()) {
                Condition condition = Condition.version(m.before().version()).name("#status", "status")
                        .value(":removed", Attrs.s(MemberStatus.REMOVED.name()));
                condition = new Condition(condition.expression() + " AND #status <> :removed", condition.names(),
                        condition.values());
                tx.put(MemberItems.member(m.after()), condition, LicenseStore::changedMeanwhile);
            }
        }
        for (SeatChange.MemberChange m : change.members()) {
            TokenIndex.follow(tx, dynamo, table, m.before(), m.after());
            if (!m.before().holdings().licensed() && m.after().holdings().licensed()) {
                // A new license starts without activations: the sunset job retires a legacy key only once
                // its holder activated with their auth token after getting the license.
                tx.delete(Keys.usage(change.workspaceId(), m.after().memberId()), null, LicenseStore::changedMeanwhile);
            }
        }
        for (SeatChange.KeyChange k : change.keys()) {
            if (k.before() == null) {
                tx.put(LicenseItems.key(k.after()), Condition.notExists(), LicenseStore::changedMeanwhile);
                tx.put(LicenseItems.keyLookup(k.after()), Condition.notExists(), () -> ApiException.conflict(
                        "key-exists", "The legacy key " + k.after().masked() + " is already imported."));
            } else if (k.after() == null) {
                tx.delete(Keys.legacyKey(change.workspaceId(), k.before().keyId()),
                        Condition.version(k.before().version()), LicenseStore::changedMeanwhile);
                tx.delete(Keys.legacyKeyHash(k.before().hash()), null, LicenseStore::changedMeanwhile);
            } else {
                tx.put(LicenseItems.key(k.after()), Condition.version(k.before().version()),
                        LicenseStore::changedMeanwhile);
            }
        }
        addPoolUpdate(tx, change, readPool);
        change.audits().forEach(audit -> tx.put(MemberItems.audit(audit), Condition.notExists(),
                LicenseStore::changedMeanwhile));
    }

    private static void addPoolUpdate(Transaction tx, SeatChange change, LicensePool readPool) {
        SeatTally d = change.delta();
        List<String> added = change.newlyUnassigned();
        List<String> removed = change.noLongerUnassigned();
        if (d.isZero() && added.isEmpty() && removed.isEmpty()) {
            return;
        }
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":inUse", Attrs.n(d.inUse()));
        values.put(":licensed", Attrs.n(d.licensed()));
        values.put(":ka", Attrs.n(d.keysAssigned()));
        values.put(":ku", Attrs.n(d.keysUnassigned()));
        values.put(":both", Attrs.n(d.both()));
        StringBuilder update = new StringBuilder(
                "ADD inUse :inUse, licensed :licensed, keysAssigned :ka, keysUnassigned :ku, #both :both");
        if (!added.isEmpty()) {
            update.append(", unassignedKeys :added");
            values.put(":added", AttributeValue.fromSs(added));
        }
        if (!removed.isEmpty()) {
            update.append(" DELETE unassignedKeys :removed");
            values.put(":removed", AttributeValue.fromSs(removed));
        }
        String condition;
        if (d.inUse() > 0) {
            // Seats are taken: only if the seats are still what was read and the new total fits in them.
            condition = "seats = :seats AND inUse <= :limit";
            values.put(":seats", Attrs.n(readPool.seats()));
            values.put(":limit", Attrs.n(readPool.seats() - d.inUse()));
        } else {
            condition = "attribute_exists(PK)";
        }
        tx.update(Keys.licensePool(change.workspaceId()), update.toString(),
                new Condition(condition, Map.of("#both", "both"), values),
                () -> ApiException.conflict(NO_FREE_SEAT, "No free seat."));
    }

    /**
     * Records billing's view of the subscriptions. The counters are left as they are (created
     * at zero for a new pool); a downgrade below the seats in use therefore keeps every
     * assignment and only blocks new ones.
     *
     * @return false when the pool changed since it was read (the caller re-reads and retries)
     */
    public boolean saveSubscriptions(LicensePool read, Map<String, Subscription> subscriptions, long seats,
                                     dev.wsl.core.domain.AuditEntry audit) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":subs", LicenseItems.subscriptions(subscriptions));
        values.put(":seats", Attrs.n(seats));
        values.put(":zero", Attrs.n(0));
        values.put(":next", Attrs.n(read.version() + 1));
        values.put(":type", Attrs.s("license-pool"));
        String condition;
        if (read.version() == 0) {
            condition = "attribute_not_exists(PK)";
        } else {
            condition = "#version = :read";
            values.put(":read", Attrs.n(read.version()));
        }
        try {
            new Transaction(table)
                    .update(Keys.licensePool(read.workspaceId()), "SET subscriptions = :subs, seats = :seats,"
                                    + " #version = :next, #type = :type, inUse = if_not_exists(inUse, :zero),"
                                    + " licensed = if_not_exists(licensed, :zero),"
                                    + " keysAssigned = if_not_exists(keysAssigned, :zero),"
                                    + " keysUnassigned = if_not_exists(keysUnassigned, :zero),"
                                    + " #both = if_not_exists(#both, :zero)",
                            new Condition(condition, Map.of("#version", "version", "#type", "type", "#both", "both"),
                                    values),
                            () -> ApiException.conflict("concurrent-change", "pool changed"))
                    .put(MemberItems.audit(audit), Condition.notExists(), LicenseStore::changedMeanwhile)
                    .execute(dynamo);
            return true;
        } catch (ApiException e) {
            if (e.type().equals("concurrent-change")) {
                return false;
            }
            throw e;
        }
    }

    /** Counts seats from the member and key items themselves: what the stored counters must equal. */
    public Recount recount(String workspaceId) {
        SeatTally tally = SeatTally.ZERO;
        TreeSet<String> unassigned = new TreeSet<>();
        for (Map<String, AttributeValue> item : queryAll(workspaceId, Keys.MEMBER_PREFIX)) {
            tally = tally.plus(SeatTally.of(MemberItems.member(item).holdings()));
        }
        for (LegacyKey k : listKeys(workspaceId)) {
            tally = tally.plus(SeatTally.ofKey(true, k.assigned()));
            if (!k.assigned()) {
                unassigned.add(SeatChange.display(k));
            }
        }
        return new Recount(tally, unassigned);
    }

    private List<Map<String, AttributeValue>> queryAll(String workspaceId, String skPrefix) {
        return Reads.allWithPrefix(dynamo, table, workspaceId, skPrefix);
    }

    /** A recount of a workspace's seats from its items. */
    public record Recount(SeatTally tally, TreeSet<String> unassignedKeys) {}

    private Optional<Map<String, AttributeValue>> get(Keys.Key key) {
        return Reads.get(dynamo, table, key);
    }

    private static ApiException changedMeanwhile() {
        return ApiException.conflict("concurrent-change",
                "The member or key was changed by another request meanwhile; reload and retry.");
    }
}
