package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.LicenseStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link LicenseStore} in the single table: every change to who holds a seat is one transaction
 * ({@link SeatWrites}). Thread-safe.
 */
public final class DynamoLicenseStore extends TableStore implements LicenseStore {
    public DynamoLicenseStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public LicensePool pool(String workspaceId) {
        return get(Keys.licensePool(workspaceId)).map(item -> LicenseItems.pool(workspaceId, item))
                .orElse(LicensePool.empty(workspaceId));
    }

    @Override
    public Optional<LegacyKey> findKey(String workspaceId, String keyId) {
        return get(Keys.legacyKey(workspaceId, keyId)).map(LicenseItems::key);
    }

    /** One consistent BatchGetItem per 100 keys. */
    @Override
    public Map<String, LegacyKey> findKeys(String workspaceId, java.util.Collection<String> keyIds) {
        Map<String, LegacyKey> out = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = new java.util.LinkedHashSet<>(keyIds).stream()
                .map(id -> Keys.legacyKey(workspaceId, id).toMap()).toList();
        if (!keys.isEmpty()) {
            Batches.get(dynamo, table, keys).stream().map(LicenseItems::key).forEach(k -> out.put(k.keyId(), k));
        }
        return out;
    }

    @Override
    public List<LegacyKey> listKeys(String workspaceId) {
        return queryAll(workspaceId, Keys.LEGACY_KEY_PREFIX).stream().map(LicenseItems::key).toList();
    }

    @Override
    public void apply(SeatChange change, LicensePool readPool) {
        Transaction tx = new Transaction(table);
        SeatWrites.contribute(tx, dynamo, table, change, readPool, true);
        tx.execute(dynamo);
    }

    @Override
    public void saveSubscriptions(LicensePool read, Map<String, Subscription> subscriptions, long seats,
                                  AuditEntry audit, SeatChange alongside) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":subs", LicenseItems.subscriptions(subscriptions));
        values.put(":seats", Attrs.n(seats));
        values.put(":next", Attrs.n(read.version() + 1));
        values.put(":type", Attrs.s("license-pool"));
        List<String> conditions = new ArrayList<>();
        if (read.version() == 0) {
            conditions.add("attribute_not_exists(PK)");
        } else {
            conditions.add("#version = :read");
            values.put(":read", Attrs.n(read.version()));
        }
        List<String> sets = new ArrayList<>(List.of("subscriptions = :subs", "seats = :seats", "#version = :next",
                "#type = :type"));
        Map<String, String> names = new LinkedHashMap<>(Map.of("#version", "version", "#type", "type", "#both", "both"));
        // The change's delta on the counters, in this one update of the pool (a transaction writes an item
        // once); a license it counts against a subscription fits in the seats being saved.
        LicensePool saved = new LicensePool(read.workspaceId(), subscriptions, seats, read.tally(), read.unassignedKeys(),
                read.version() + 1, read.licensedFrom());
        String update = alongside == null ? null
                : SeatWrites.counterUpdate(alongside, read, saved, sets, names, values, conditions);
        if (update == null) {
            values.put(":zero", Attrs.n(0));
            sets.addAll(List.of("inUse = if_not_exists(inUse, :zero)", "licensed = if_not_exists(licensed, :zero)",
                    "keysAssigned = if_not_exists(keysAssigned, :zero)",
                    "keysUnassigned = if_not_exists(keysUnassigned, :zero)", "#both = if_not_exists(#both, :zero)"));
            update = "SET " + String.join(", ", sets);
        } else {
            long taken = alongside.delta().inUse(); // every counter is ADDed: a new pool gets them all
            if (taken > 0 && read.version() > 0) {
                conditions.add("inUse <= :limit");
                values.put(":limit", Attrs.n(seats - taken));
            }
        }
        Transaction tx = new Transaction(table)
                .update(Keys.licensePool(read.workspaceId()), update,
                        new Condition(String.join(" AND ", conditions), names, values),
                        () -> new ChangedMeanwhile("The license pool changed meanwhile; retry."))
                .put(MemberItems.audit(audit), Condition.notExists(), SeatWrites::changedMeanwhile);
        // A workspace with subscriptions is on the reclaim job's work list (issue 21): its idle seats are
        // counted daily. The policy item keeps whatever an admin chose; only a missing one is created.
        SeatItems.joinWorkList(tx, read.workspaceId());
        if (alongside != null) {
            SeatWrites.contribute(tx, dynamo, table, alongside, read, true, false);
        }
        tx.execute(dynamo);
    }

    /** Counts seats from the member and key items themselves: what the stored counters must equal. */
    public Recount recount(String workspaceId) {
        SeatTally tally = SeatTally.ZERO;
        TreeSet<String> unassigned = new TreeSet<>();
        java.util.TreeMap<String, Long> licensedFrom = new java.util.TreeMap<>();
        for (Map<String, AttributeValue> item : queryAll(workspaceId, Keys.MEMBER_PREFIX)) {
            var holdings = MemberItems.member(item).holdings();
            tally = tally.plus(SeatTally.of(holdings));
            if (holdings.subscriptionId() != null) {
                licensedFrom.merge(holdings.subscriptionId(), 1L, Long::sum);
            }
        }
        for (LegacyKey k : listKeys(workspaceId)) {
            tally = tally.plus(SeatTally.ofKey(true, k.assigned()));
            if (!k.assigned()) {
                unassigned.add(SeatChange.display(k));
            }
        }
        return new Recount(tally, unassigned, licensedFrom);
    }

    /** Who activates a legacy key (by the key's hash): for operators and tests; the stores keep it themselves. */
    public Optional<KeyClaim> claim(String keyHash) {
        return get(Keys.legacyKeyHash(keyHash)).map(LicenseItems::claim);
    }

    /** A recount of a workspace's seats from its items; {@code licensedFrom} by subscription, zeros absent. */
    public record Recount(SeatTally tally, TreeSet<String> unassignedKeys, java.util.SortedMap<String, Long> licensedFrom) {}

    private List<Map<String, AttributeValue>> queryAll(String workspaceId, String skPrefix) {
        return Reads.allWithPrefix(dynamo, table, workspaceId, skPrefix);
    }

    private Optional<Map<String, AttributeValue>> get(Keys.Key key) {
        return Reads.get(dynamo, table, key);
    }
}
