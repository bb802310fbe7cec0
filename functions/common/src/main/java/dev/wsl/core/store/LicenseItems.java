package dev.wsl.core.store;

import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.domain.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mapping of license pools and legacy keys to items. */
final class LicenseItems {
    private LicenseItems() {}

    static LicensePool pool(String workspaceId, Map<String, AttributeValue> item) {
        Map<String, Subscription> subscriptions = new TreeMap<>();
        AttributeValue subs = item.get("subscriptions");
        if (subs != null && subs.hasM()) {
            subs.m().forEach((id, v) -> subscriptions.put(id, subscription(id, v.m())));
        }
        SeatTally tally = new SeatTally(Attrs.num(item, "inUse", 0), Attrs.num(item, "licensed", 0),
                Attrs.num(item, "keysAssigned", 0), Attrs.num(item, "keysUnassigned", 0), Attrs.num(item, "both", 0));
        AttributeValue keys = item.get("unassignedKeys");
        TreeSet<String> unassigned = new TreeSet<>(keys != null && keys.hasSs() ? keys.ss() : java.util.List.of());
        Map<String, Long> licensedFrom = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(LICENSED_FROM) && value.n() != null) {
                licensedFrom.put(name.substring(LICENSED_FROM.length()), Long.parseLong(value.n()));
            }
        });
        return new LicensePool(workspaceId, subscriptions, Attrs.num(item, "seats", 0), tally, unassigned,
                Attrs.num(item, "version", 0), licensedFrom);
    }

    /**
     * A whole pool as its writers leave it (their updates set these attributes one by one): what {@link #pool(String,
     * Map)} reads back. For reads answered from memory ({@link ActivationItems}).
     */
    static Map<String, AttributeValue> pool(LicensePool p) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.licensePool(p.workspaceId()).toMap());
        item.put("subscriptions", subscriptions(p.subscriptions()));
        item.put("seats", Attrs.n(p.seats()));
        item.put("version", Attrs.n(p.version()));
        item.put("type", Attrs.s("license-pool"));
        SeatTally t = p.tally();
        item.put("inUse", Attrs.n(t.inUse()));
        item.put("licensed", Attrs.n(t.licensed()));
        item.put("keysAssigned", Attrs.n(t.keysAssigned()));
        item.put("keysUnassigned", Attrs.n(t.keysUnassigned()));
        item.put("both", Attrs.n(t.both()));
        if (!p.unassignedKeys().isEmpty()) {
            item.put("unassignedKeys", AttributeValue.fromSs(java.util.List.copyOf(p.unassignedKeys())));
        }
        p.licensedFrom().forEach((id, n) -> item.put(licensedFrom(id), Attrs.n(n)));
        return item;
    }

    /**
     * Prefix of the pool's per-subscription counters ({@code licensedFrom@{subscriptionId}}: licenses counted
     * against that subscription). Top-level numbers rather than one map, so that {@code ADD} creates each at
     * its first use in the same update that conditions on it.
     */
    static final String LICENSED_FROM = "licensedFrom@";

    static String licensedFrom(String subscriptionId) {
        return LICENSED_FROM + subscriptionId;
    }

    static AttributeValue subscriptions(Map<String, Subscription> subscriptions) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        subscriptions.forEach((id, s) -> {
            Map<String, AttributeValue> v = new LinkedHashMap<>();
            v.put("plan", Attrs.s(s.plan()));
            v.put("seats", Attrs.n(s.seats()));
            v.put("periodStart", Attrs.time(s.periodStart()));
            v.put("periodEnd", Attrs.time(s.periodEnd()));
            v.put("status", Attrs.s(s.status().name()));
            v.put("sequence", Attrs.n(s.sequence()));
            m.put(id, AttributeValue.fromM(v));
        });
        return AttributeValue.fromM(m);
    }

    private static Subscription subscription(String id, Map<String, AttributeValue> v) {
        return new Subscription(id, Attrs.str(v, "plan"), Attrs.num(v, "seats", 0), Attrs.instant(v, "periodStart"),
                Attrs.instant(v, "periodEnd"), Subscription.Status.valueOf(Attrs.str(v, "status")),
                Attrs.num(v, "sequence", 0));
    }

    static Map<String, AttributeValue> key(LegacyKey k) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.legacyKey(k.workspaceId(), k.keyId()).toMap());
        item.put("type", Attrs.s("legacy-key"));
        item.put("workspaceId", Attrs.s(k.workspaceId()));
        item.put("keyId", Attrs.s(k.keyId()));
        item.put("keyHash", Attrs.s(k.hash()));
        item.put("masked", Attrs.s(k.masked()));
        item.put("importedAt", Attrs.time(k.importedAt()));
        item.put("version", Attrs.n(k.version()));
        item.put(Keys.GSI1PK, Attrs.s(Keys.ALL_LEGACY_KEYS));
        item.put(Keys.GSI1SK, Attrs.s(Keys.legacyKeyIndexSk(k.workspaceId(), k.keyId())));
        if (k.assigned()) {
            item.put("assignee", Attrs.s(k.assigneeMemberId()));
        }
        return item;
    }

    static LegacyKey key(Map<String, AttributeValue> item) {
        return new LegacyKey(Attrs.str(item, "workspaceId"), Attrs.str(item, "keyId"), Attrs.str(item, "keyHash"),
                Attrs.str(item, "masked"), Attrs.str(item, "assignee"), Attrs.instant(item, "importedAt"),
                Attrs.num(item, "version", 0));
    }

    /**
     * The lookup of a key by its hash, naming the import that activates (the holder); activation reads
     * {@code workspaceId} and {@code keyId}. Later imports by other workspaces wait in {@code waiting}
     * (workspace id → {@code {keyId, importedAt}}), which is absent, never empty, when nobody waits.
     */
    static Map<String, AttributeValue> keyLookup(LegacyKey k) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.legacyKeyHash(k.hash()).toMap());
        item.put("type", Attrs.s("legacy-key-hash"));
        item.put("workspaceId", Attrs.s(k.workspaceId()));
        item.put("keyId", Attrs.s(k.keyId()));
        item.put("importedAt", Attrs.time(k.importedAt()));
        return item;
    }

    static AttributeValue waitingEntry(LegacyKey k) {
        return AttributeValue.fromM(Map.of("keyId", Attrs.s(k.keyId()), "importedAt", Attrs.time(k.importedAt())));
    }

    static KeyClaim claim(Map<String, AttributeValue> item) {
        String hash = Attrs.str(item, Keys.PK).substring(Keys.LEGACY_KEY_PREFIX.length());
        Map<String, KeyClaim.Import> waiting = new TreeMap<>();
        AttributeValue w = item.get("waiting");
        if (w != null && w.hasM()) {
            w.m().forEach((ws, entry) -> waiting.put(ws, new KeyClaim.Import(ws, Attrs.str(entry.m(), "keyId"),
                    Attrs.instant(entry.m(), "importedAt"))));
        }
        return new KeyClaim(hash, new KeyClaim.Import(Attrs.str(item, "workspaceId"), Attrs.str(item, "keyId"),
                Attrs.instant(item, "importedAt")), waiting);
    }
}
