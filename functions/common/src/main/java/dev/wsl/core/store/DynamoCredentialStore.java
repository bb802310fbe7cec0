package dev.wsl.core.store;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link CredentialStore} in the single table. Activation has its own store ({@link ActivationStore}),
 * built for one read per step. Thread-safe.
 */
public final class DynamoCredentialStore extends TableStore implements CredentialStore {
    public DynamoCredentialStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public Optional<StoredToken> personalToken(String userId) {
        return Reads.get(dynamo, table, Keys.user(userId))
                .filter(item -> item.containsKey("tokenHash"))
                .map(item -> new StoredToken(userId, Attrs.str(item, "tokenHash"), Attrs.str(item, "tokenSealed"),
                        Attrs.str(item, "tokenHint"), Attrs.instant(item, "tokenIssuedAt"), ProfileToken.previous(item)));
    }

    /**
     * The new lookup item carries the same index of licensed workspaces and the same choice of where it activates
     * as the old one; the old one is deleted, or kept with {@code expiresAt} (and a TTL a day later) for an
     * overlap. An earlier overlap's item is deleted (unconditionally: TTL may have taken it). Conditioned on the old
     * item being unchanged since it was read and on the record still naming it and the same earlier overlap.
     */
    @Override
    public void rotate(StoredToken current, PersonalToken next, Instant keepOldUntil) {
        Map<String, AttributeValue> old = Reads.get(dynamo, table, Keys.credential(current.hash()))
                .orElseThrow(TokenIndex::rotatedMeanwhile);
        Map<String, String> licensedIn = new TreeMap<>();
        AttributeValue index = old.get("licensedIn");
        if (index != null && index.hasM()) {
            index.m().forEach((ws, m) -> licensedIn.put(ws, m.s()));
        }
        Map<String, AttributeValue> values = new HashMap<>(ProfileToken.values(next));
        values.put(":current", Attrs.s(current.hash()));
        StringBuilder update = new StringBuilder("SET " + ProfileToken.SET_TOKEN);
        Transaction tx = new Transaction(table);
        Condition unchanged = Condition.of("v = :v").value(":v", old.get("v"));
        if (keepOldUntil == null) {
            tx.delete(Keys.credential(current.hash()), unchanged, TokenIndex::rotatedMeanwhile);
        } else {
            tx.update(Keys.credential(current.hash()), "SET " + TokenIndex.EXPIRES_AT + " = :until, #ttl = :ttl",
                    unchanged.name("#ttl", Keys.TTL).value(":until", Attrs.time(keepOldUntil))
                            .value(":ttl", ProfileToken.ttl(keepOldUntil)), TokenIndex::rotatedMeanwhile);
            update.append(", ").append(ProfileToken.SET_PREVIOUS);
            values.putAll(ProfileToken.previousValues(new Overlap(current.hash(), current.hint(),
                    keepOldUntil)));
        }
        String condition = "tokenHash = :current";
        if (current.previous() != null) {
            tx.delete(Keys.credential(current.previous().hash()), null, null);
            values.put(":previousRead", Attrs.s(current.previous().hash()));
            condition += " AND " + ProfileToken.PREVIOUS_HASH + " = :previousRead";
        } else {
            condition += " AND attribute_not_exists(" + ProfileToken.PREVIOUS_HASH + ")";
        }
        if (keepOldUntil == null && current.previous() != null) {
            update.append(" REMOVE ").append(ProfileToken.REMOVE_PREVIOUS);
        }
        tx.put(TokenIndex.item(current.userId(), next, licensedIn, Attrs.str(old, TokenIndex.ACTIVATES_IN)),
                        Condition.notExists(), TokenIndex::rotatedMeanwhile)
                .update(Keys.user(current.userId()), update.toString(), new Condition(condition, Map.of(), values),
                        TokenIndex::rotatedMeanwhile)
                .execute(dynamo);
    }

    /** Deletes the old token's item (unconditionally: TTL may have taken it) and forgets it on the record. */
    @Override
    public void endOverlap(StoredToken current) {
        if (current.previous() == null) {
            return;
        }
        new Transaction(table)
                .delete(Keys.credential(current.previous().hash()), null, null)
                .update(Keys.user(current.userId()), "REMOVE " + ProfileToken.REMOVE_PREVIOUS,
                        new Condition("tokenHash = :current AND " + ProfileToken.PREVIOUS_HASH + " = :previous", Map.of(),
                                Map.of(":current", Attrs.s(current.hash()), ":previous",
                                        Attrs.s(current.previous().hash()))), TokenIndex::rotatedMeanwhile)
                .execute(dynamo);
    }

    @Override
    public void createCiKey(CiKey key, AuditEntry audit) {
        new Transaction(table)
                .check(Keys.workspace(key.workspaceId()), Condition.of("attribute_exists(PK)"),
                        () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                .put(ciKeyItem(key), Condition.notExists(), DynamoCredentialStore::collision)
                .put(ciKeyLookup(key), Condition.notExists(), DynamoCredentialStore::collision)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoCredentialStore::collision)
                .execute(dynamo);
    }

    /** The lookup item activation reads by the key's hash. */
    private static Map<String, AttributeValue> ciKeyLookup(CiKey key) {
        Map<String, AttributeValue> lookup = new LinkedHashMap<>(Keys.credential(key.hash()).toMap());
        lookup.put("type", Attrs.s("credential"));
        lookup.put("kind", Attrs.s(TokenIndex.KIND_CI_KEY));
        lookup.put("workspaceId", Attrs.s(key.workspaceId()));
        lookup.put("keyId", Attrs.s(key.keyId()));
        return lookup;
    }

    @Override
    public Optional<CiKey> findCiKey(String workspaceId, String keyId) {
        return Reads.get(dynamo, table, Keys.ciKey(workspaceId, keyId)).map(DynamoCredentialStore::ciKey);
    }

    @Override
    public List<CiKey> listCiKeys(String workspaceId) {
        return Reads.allWithPrefix(dynamo, table, workspaceId, Keys.CI_KEY_PREFIX).stream()
                .map(DynamoCredentialStore::ciKey).toList();
    }

    /**
     * Marks the key revoked and deletes its lookup items (an overlap's old one too) in one transaction: the next
     * activation with either secret fails.
     */
    @Override
    public void revokeCiKey(CiKey before, Instant at, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .put(ciKeyItem(before.revokedAt(at)), Condition.of("attribute_exists(PK) AND attribute_not_exists(revokedAt)"),
                        () -> new Conflict("already-revoked", "The CI key is already revoked."))
                .delete(Keys.credential(before.hash()), null, null);
        if (before.previous() != null) {
            tx.delete(Keys.credential(before.previous().hash()), null, null);
        }
        tx.put(MemberItems.audit(audit), Condition.notExists(), DynamoCredentialStore::collision).execute(dynamo);
    }

    /**
     * The key item takes the new secret (conditioned on the secret, the overlap and the revocation as read), the
     * new lookup item is written, the old one deleted or kept with {@code expiresAt} and a TTL a day later, and an
     * earlier overlap's lookup item deleted (unconditionally: TTL may have taken it).
     */
    @Override
    public void rotateCiKey(CiKey before, CiKey after, AuditEntry audit) {
        Transaction tx = new Transaction(table)
                .put(ciKeyItem(after), asRead(before), DynamoCredentialStore::ciKeyChanged);
        if (before.previous() != null) {
            tx.delete(Keys.credential(before.previous().hash()), null, null);
        }
        if (after.previous() != null) {
            Instant until = after.previous().until();
            tx.update(Keys.credential(before.hash()), "SET " + TokenIndex.EXPIRES_AT + " = :until, #ttl = :ttl",
                    new Condition("attribute_exists(PK) AND keyId = :keyId", Map.of("#ttl", Keys.TTL),
                            Map.of(":until", Attrs.time(until), ":ttl", ProfileToken.ttl(until),
                                    ":keyId", Attrs.s(before.keyId()))), DynamoCredentialStore::ciKeyChanged);
        } else {
            tx.delete(Keys.credential(before.hash()), null, null);
        }
        tx.put(ciKeyLookup(after), Condition.notExists(), DynamoCredentialStore::collision)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoCredentialStore::collision)
                .execute(dynamo);
    }

    @Override
    public void endCiKeyOverlap(CiKey before, AuditEntry audit) {
        if (before.previous() == null) {
            return;
        }
        new Transaction(table)
                .put(ciKeyItem(before.withoutPrevious()), asRead(before), DynamoCredentialStore::ciKeyChanged)
                .delete(Keys.credential(before.previous().hash()), null, null)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoCredentialStore::collision)
                .execute(dynamo);
    }

    /** The key item still has the secret, the overlap and the (absent) revocation that were read. */
    private static Condition asRead(CiKey before) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":hash", Attrs.s(before.hash())));
        String condition = "attribute_exists(PK) AND keyHash = :hash AND attribute_not_exists(revokedAt)";
        if (before.previous() == null) {
            condition += " AND attribute_not_exists(previousHash)";
        } else {
            condition += " AND previousHash = :previous";
            values.put(":previous", Attrs.s(before.previous().hash()));
        }
        return new Condition(condition, Map.of(), values);
    }

    /** The recorded usage of members' licenses, CI keys or legacy keys of a workspace, by subject id. */
    @Override
    public Map<String, Usage> usage(String workspaceId, List<String> subjectIds) {
        Map<String, Usage> out = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(subjectIds)) {
            keys.add(Keys.usage(workspaceId, id).toMap());
        }
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table, keys)) {
            Usage u = UsageItems.usage(item);
            out.put(u.subjectId(), u);
        }
        return out;
    }

    /** One BatchGetItem (per 100 keys) of each creator's grant in the workspace and user record. */
    @Override
    public Map<String, Creator> creators(String workspaceId, java.util.Collection<String> userIds) {
        Map<Keys.Key, String> grants = new HashMap<>();
        Map<Keys.Key, String> profiles = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String userId : new java.util.LinkedHashSet<>(userIds)) {
            Keys.Key grant = Keys.grant(workspaceId, userId);
            Keys.Key profile = Keys.user(userId);
            grants.put(grant, userId);
            profiles.put(profile, userId);
            keys.add(grant.toMap());
            keys.add(profile.toMap());
        }
        Map<String, dev.wsl.core.domain.Grant> access = new HashMap<>();
        Map<String, Map<String, AttributeValue>> records = new HashMap<>();
        for (Map<String, AttributeValue> item : keys.isEmpty() ? List.<Map<String, AttributeValue>>of()
                : Batches.get(dynamo, table, keys)) {
            Keys.Key key = Keys.Key.of(item);
            if (grants.containsKey(key)) {
                access.put(grants.get(key), MemberItems.grant(workspaceId, grants.get(key), item));
            } else if (profiles.containsKey(key)) {
                records.put(profiles.get(key), item);
            }
        }
        Map<String, Creator> out = new HashMap<>();
        for (String userId : new java.util.LinkedHashSet<>(userIds)) {
            Map<String, AttributeValue> record = records.getOrDefault(userId, Map.of());
            dev.wsl.core.domain.Grant grant = access.get(userId);
            out.put(userId, new Creator(userId, Attrs.str(record, "email"), Attrs.str(record, "username"),
                    grant == null ? null : grant.access()));
        }
        return out;
    }

    /** The user record's token and choice, then the token's lookup item: two consistent reads. */
    @Override
    public Optional<TokenWorkspaces> tokenWorkspaces(String userId) {
        Optional<Map<String, AttributeValue>> profile = Reads.get(dynamo, table, Keys.user(userId))
                .filter(item -> item.containsKey("tokenHash"));
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        TokenHashes tokens = ProfileToken.hashes(profile.get());
        String hash = tokens.current();
        Map<String, String> licensedIn = new TreeMap<>();
        Reads.get(dynamo, table, Keys.credential(hash)).ifPresent(item -> {
            AttributeValue index = item.get("licensedIn");
            if (index != null && index.hasM()) {
                index.m().forEach((ws, m) -> licensedIn.put(ws, m.s()));
            }
        });
        return Optional.of(new TokenWorkspaces(hash, Attrs.str(profile.get(), TokenIndex.ACTIVATES_IN), licensedIn,
                tokens.previous()));
    }

    @Override
    public void chooseWorkspace(String userId, TokenHashes tokens, String workspaceId) {
        Transaction tx = new Transaction(table);
        TokenIndex.choose(tx, tokens, userId, workspaceId);
        tx.update(Keys.user(userId), "SET #pref = :pref", new Condition("tokenHash = :current",
                Map.of("#pref", TokenIndex.ACTIVATES_IN), Map.of(":pref", Attrs.s(workspaceId),
                ":current", Attrs.s(tokens.current()))), TokenIndex::rotatedMeanwhile);
        tx.execute(dynamo);
    }

    private static Map<String, AttributeValue> ciKeyItem(CiKey key) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.ciKey(key.workspaceId(), key.keyId()).toMap());
        item.put("type", Attrs.s("ci-key"));
        item.put("workspaceId", Attrs.s(key.workspaceId()));
        item.put("keyId", Attrs.s(key.keyId()));
        item.put("name", Attrs.s(key.name()));
        item.put("keyHash", Attrs.s(key.hash()));
        item.put("hint", Attrs.s(key.hint()));
        item.put("createdAt", Attrs.time(key.createdAt()));
        item.put("createdBy", Attrs.s(key.createdBy()));
        if (key.revokedAt() != null) {
            item.put("revokedAt", Attrs.time(key.revokedAt()));
        }
        if (key.rotatedAt() != null) {
            item.put("rotatedAt", Attrs.time(key.rotatedAt()));
        }
        if (key.previous() != null) {
            item.put("previousHash", Attrs.s(key.previous().hash()));
            item.put("previousHint", Attrs.s(key.previous().hint()));
            item.put("previousUntil", Attrs.time(key.previous().until()));
        }
        return item;
    }

    private static CiKey ciKey(Map<String, AttributeValue> item) {
        String previousHash = Attrs.str(item, "previousHash");
        return new CiKey(Attrs.str(item, "workspaceId"), Attrs.str(item, "keyId"), Attrs.str(item, "name"),
                Attrs.str(item, "keyHash"), Attrs.str(item, "hint"), Attrs.instant(item, "createdAt"),
                Attrs.str(item, "createdBy"), Attrs.instant(item, "revokedAt"), Attrs.instant(item, "rotatedAt"),
                previousHash == null ? null : new Overlap(previousHash, Attrs.str(item, "previousHint"),
                        Attrs.instant(item, "previousUntil")));
    }

    private static ChangedMeanwhile ciKeyChanged() {
        return new ChangedMeanwhile("The CI key was rotated, revoked or its old secret ended meanwhile; reload and retry.");
    }

    private static ChangedMeanwhile collision() {
        return new ChangedMeanwhile("A concurrent request changed the same item; retry.");
    }
}
