package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.PersonalToken;
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
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link CredentialStore} in the single table. Activation has its own store ({@link ActivationStore}),
 * built for one read per step. Thread-safe.
 */
public final class DynamoCredentialStore implements CredentialStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoCredentialStore(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
    }

    @Override
    public Optional<StoredToken> personalToken(String userId) {
        return Reads.get(dynamo, table, Keys.user(userId))
                .filter(item -> item.containsKey("tokenHash"))
                .map(item -> new StoredToken(userId, Attrs.str(item, "tokenHash"), Attrs.str(item, "tokenSealed"),
                        Attrs.str(item, "tokenHint"), Attrs.instant(item, "tokenIssuedAt")));
    }

    /**
     * The old lookup item is deleted and the new one carries the same index of licensed workspaces and the same
     * choice of where it activates;
     * conditioned on the old item being unchanged since it was read and on the record still naming it.
     */
    @Override
    public void rotate(StoredToken current, PersonalToken next) {
        Map<String, AttributeValue> old = Reads.get(dynamo, table, Keys.credential(current.hash()))
                .orElseThrow(TokenIndex::rotatedMeanwhile);
        Map<String, String> licensedIn = new TreeMap<>();
        AttributeValue index = old.get("licensedIn");
        if (index != null && index.hasM()) {
            index.m().forEach((ws, m) -> licensedIn.put(ws, m.s()));
        }
        Map<String, AttributeValue> values = new HashMap<>(ProfileToken.values(next));
        values.put(":current", Attrs.s(current.hash()));
        new Transaction(table)
                .delete(Keys.credential(current.hash()), Condition.of("v = :v").value(":v", old.get("v")),
                        TokenIndex::rotatedMeanwhile)
                .put(TokenIndex.item(current.userId(), next, licensedIn, Attrs.str(old, TokenIndex.ACTIVATES_IN)),
                        Condition.notExists(),
                        TokenIndex::rotatedMeanwhile)
                .update(Keys.user(current.userId()), "SET " + ProfileToken.SET_TOKEN,
                        new Condition("tokenHash = :current", Map.of(), values), TokenIndex::rotatedMeanwhile)
                .execute(dynamo);
    }

    @Override
    public void createCiKey(CiKey key, AuditEntry audit) {
        Map<String, AttributeValue> lookup = new LinkedHashMap<>(Keys.credential(key.hash()).toMap());
        lookup.put("type", Attrs.s("credential"));
        lookup.put("kind", Attrs.s(TokenIndex.KIND_CI_KEY));
        lookup.put("workspaceId", Attrs.s(key.workspaceId()));
        lookup.put("keyId", Attrs.s(key.keyId()));
        new Transaction(table)
                .check(Keys.workspace(key.workspaceId()), Condition.of("attribute_exists(PK)"),
                        () -> new NotFound("workspace-not-found", "The workspace does not exist."))
                .put(ciKeyItem(key), Condition.notExists(), DynamoCredentialStore::collision)
                .put(lookup, Condition.notExists(), DynamoCredentialStore::collision)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoCredentialStore::collision)
                .execute(dynamo);
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

    /** Marks the key revoked and deletes its lookup item in one transaction: the next activation fails. */
    @Override
    public void revokeCiKey(CiKey before, Instant at, AuditEntry audit) {
        new Transaction(table)
                .put(ciKeyItem(before.revokedAt(at)), Condition.of("attribute_exists(PK) AND attribute_not_exists(revokedAt)"),
                        () -> new Conflict("already-revoked", "The CI key is already revoked."))
                .delete(Keys.credential(before.hash()), null, null)
                .put(MemberItems.audit(audit), Condition.notExists(), DynamoCredentialStore::collision)
                .execute(dynamo);
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
        String hash = Attrs.str(profile.get(), "tokenHash");
        Map<String, String> licensedIn = new TreeMap<>();
        Reads.get(dynamo, table, Keys.credential(hash)).ifPresent(item -> {
            AttributeValue index = item.get("licensedIn");
            if (index != null && index.hasM()) {
                index.m().forEach((ws, m) -> licensedIn.put(ws, m.s()));
            }
        });
        return Optional.of(new TokenWorkspaces(hash, Attrs.str(profile.get(), TokenIndex.ACTIVATES_IN), licensedIn));
    }

    @Override
    public void chooseWorkspace(String userId, String tokenHash, String workspaceId) {
        Transaction tx = new Transaction(table);
        TokenIndex.choose(tx, tokenHash, userId, workspaceId);
        tx.update(Keys.user(userId), "SET #pref = :pref", new Condition("tokenHash = :current",
                Map.of("#pref", TokenIndex.ACTIVATES_IN), Map.of(":pref", Attrs.s(workspaceId),
                ":current", Attrs.s(tokenHash))), TokenIndex::rotatedMeanwhile);
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
        return item;
    }

    private static CiKey ciKey(Map<String, AttributeValue> item) {
        return new CiKey(Attrs.str(item, "workspaceId"), Attrs.str(item, "keyId"), Attrs.str(item, "name"),
                Attrs.str(item, "keyHash"), Attrs.str(item, "hint"), Attrs.instant(item, "createdAt"),
                Attrs.str(item, "createdBy"), Attrs.instant(item, "revokedAt"));
    }

    private static ChangedMeanwhile collision() {
        return new ChangedMeanwhile("A concurrent request changed the same item; retry.");
    }
}
