package dev.wsl.core.store;

import dev.wsl.core.domain.Member;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.BackfillStore;
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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link BackfillStore} in the single table. Every item it writes is built by the mappers the live writes use
 * ({@link MemberItems#member}, {@link SeatItems#onIndex}, {@link SeatItems#joinWorkList}); keys only from
 * {@link Keys}. Thread-safe.
 */
public final class DynamoBackfillStore extends TableStore implements BackfillStore {
    /** How often a step reads again after a concurrent write won, before it leaves the item to a re-run. */
    private static final int ATTEMPTS = 5;

    public DynamoBackfillStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public WorkspacePage workspaces(String from, int limit) {
        // A Scan, once per upgrade: no index holds every workspace, and adding one for a one-off would cost every
        // workspace write forever. Only keys are read back; the filter keeps the workspace items.
        ScanResponse page = dynamo.scan(ScanRequest.builder().tableName(table).limit(limit)
                .filterExpression("#sk = :workspace").projectionExpression("#pk, #sk")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":workspace", Attrs.s(Keys.workspace("x").sk())))
                .exclusiveStartKey(startKey(from)).build());
        List<String> ids = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            Keys.workspaceOf(Keys.Key.of(item)).ifPresent(ids::add);
        }
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? position(Keys.Key.of(page.lastEvaluatedKey())) : null;
        return new WorkspacePage(ids, next);
    }

    /** A Scan position as text: the last evaluated key's PK and SK (neither holds a line break). */
    private static String position(Keys.Key key) {
        return key.pk() + "\n" + key.sk();
    }

    private static Map<String, AttributeValue> startKey(String position) {
        if (position == null) {
            return null;
        }
        int split = position.indexOf('\n');
        if (split <= 0) {
            throw new IllegalArgumentException("not a position of the backfill's scan");
        }
        return new Keys.Key(position.substring(0, split), position.substring(split + 1)).toMap();
    }

    // ------------------------------------------------------------------ SCIM index and counter (issue 18)

    @Override
    public long indexScimUsers(String workspaceId, boolean dryRun) {
        long changed = 0;
        for (Map<String, AttributeValue> read : members(workspaceId)) {
            Map<String, AttributeValue> item = read;
            for (int attempt = 1; item != null && attempt <= ATTEMPTS; attempt++) {
                Map<String, AttributeValue> wanted = MemberItems.member(MemberItems.member(item));
                AttributeValue pk = wanted.get(Keys.SCIM_INDEX_PK);
                AttributeValue sk = wanted.get(Keys.SCIM_INDEX_SK);
                if (Objects.equals(pk, item.get(Keys.SCIM_INDEX_PK))
                        && Objects.equals(sk, item.get(Keys.SCIM_INDEX_SK))) {
                    break;
                }
                if (dryRun || setScimKeys(item, pk, sk)) {
                    changed++;
                    break;
                }
                // A live write won (it wrote the keys too, from its own member): read again.
                item = Reads.get(dynamo, table, Keys.Key.of(item)).orElse(null);
            }
        }
        return changed;
    }

    /**
     * Only the index keys, computed by the mapper from the member as stored: nothing else of the item changes, so its
     * version stays (no live write that read it fails for this). Conditioned on the version read.
     */
    private boolean setScimKeys(Map<String, AttributeValue> item, AttributeValue pk, AttributeValue sk) {
        Map<String, String> names = Map.of("#version", "version", "#spk", Keys.SCIM_INDEX_PK,
                "#ssk", Keys.SCIM_INDEX_SK);
        Map<String, AttributeValue> values = new HashMap<>();
        String condition = "attribute_not_exists(#version)";
        if (item.containsKey("version")) {
            condition = "#version = :version";
            values.put(":version", item.get("version"));
        }
        String update;
        if (pk == null) {
            update = "REMOVE #spk, #ssk";
        } else {
            update = "SET #spk = :pk, #ssk = :sk";
            values.put(":pk", pk);
            values.put(":sk", sk);
        }
        return conditionalUpdate(Keys.Key.of(item), update, condition, names, values);
    }

    @Override
    public boolean recountScimUsers(String workspaceId, boolean dryRun) {
        Keys.Key counter = Keys.scimCount(workspaceId);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            // The counter first, then the members: a live change of a member's SCIM-ness moves the counter and its
            // usersMoves in the same transaction, so any such change after this read fails the set below.
            Optional<Map<String, AttributeValue>> read = Reads.get(dynamo, table, counter);
            long stored = read.map(item -> Attrs.num(item, "users", 0)).orElse(0L);
            AttributeValue moves = read.map(item -> item.get(DynamoWorkspaceStore.SCIM_USERS_MOVES)).orElse(null);
            long users = 0;
            for (Map<String, AttributeValue> item : members(workspaceId)) {
                if (Keys.scimIndexSk(MemberItems.member(item)) != null) {
                    users++;
                }
            }
            if (users == stored) {
                return false;
            }
            if (dryRun) {
                return true;
            }
            Map<String, String> names = Map.of("#users", "users", "#moves", DynamoWorkspaceStore.SCIM_USERS_MOVES);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":users", Attrs.n(users)));
            String condition;
            if (moves == null) {
                condition = "attribute_not_exists(#moves)";
            } else {
                condition = "#moves = :moves";
                values.put(":moves", moves);
            }
            if (conditionalUpdate(counter, "SET #users = :users", condition, names, values)) {
                return true;
            }
        }
        throw new ChangedMeanwhile("The SCIM users counter of " + workspaceId
                + " kept moving; run the backfill again.");
    }

    // ------------------------------------------------------------------ seats and the work list (issue 21 A)

    @Override
    public long trackSeats(String workspaceId, Instant now, boolean dryRun) {
        List<Map<String, AttributeValue>> licensed = members(workspaceId).stream()
                .filter(item -> MemberItems.member(item).holdings().licensed()).toList();
        // Their usage items in consistent batches; a member whose write loses a race is read again, alone.
        Map<Keys.Key, Map<String, AttributeValue>> usages = new HashMap<>();
        List<Map<String, AttributeValue>> usageKeys = licensed.stream()
                .map(item -> Keys.usage(workspaceId, MemberItems.member(item).memberId()).toMap()).toList();
        if (!usageKeys.isEmpty()) {
            Batches.get(dynamo, table, usageKeys, true, RetryPolicy.STANDARD)
                    .forEach(usage -> usages.put(Keys.Key.of(usage), usage));
        }
        long put = 0;
        for (Map<String, AttributeValue> memberItem : licensed) {
            Map<String, AttributeValue> item = memberItem;
            for (int attempt = 1; item != null && attempt <= ATTEMPTS; attempt++) {
                Member member = MemberItems.member(item);
                if (!member.holdings().licensed()) {
                    break;
                }
                Keys.Key usageKey = Keys.usage(workspaceId, member.memberId());
                Map<String, AttributeValue> usage = attempt == 1 ? usages.get(usageKey)
                        : Reads.get(dynamo, table, usageKey).orElse(null);
                if (usage != null && SeatItems.isSeat(usage)) {
                    break;
                }
                if (dryRun || putSeat(member, usage, now)) {
                    put++;
                    break;
                }
                item = Reads.get(dynamo, table, Keys.member(workspaceId, member.memberId())).orElse(null);
            }
        }
        return put;
    }

    /**
     * The seat as a license-giving transaction puts it on the index, on the usage item the member has (its last
     * activation stays): idle since that activation, or since {@code now} without one. When the license was given
     * is not known for these licenses, so the seat has no {@code licensedAt} (as {@link dev.wsl.core.domain.Seat}
     * allows). Conditioned on the member as read (still holding the license) and on the usage item: not on the
     * index (a live license-giving write put it), and its last activation unchanged (one meanwhile moved the sort
     * key itself).
     */
    private boolean putSeat(Member member, Map<String, AttributeValue> usage, Instant now) {
        Instant lastAt = usage == null ? null : Attrs.instant(usage, "lastAt");
        Map<String, AttributeValue> index = SeatItems.onIndex(member.workspaceId(), lastAt != null ? lastAt : now);
        Map<String, String> names = new HashMap<>(Map.of("#type", "type", "#pk", Keys.GSI1PK, "#sk", Keys.GSI1SK,
                "#last", "lastAt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":usage", Attrs.s("usage"),
                ":pk", index.get(Keys.GSI1PK), ":sk", index.get(Keys.GSI1SK)));
        String condition = "attribute_not_exists(#pk) AND ";
        if (lastAt == null) {
            condition += "attribute_not_exists(#last)";
        } else {
            condition += "#last = :last";
            values.put(":last", usage.get("lastAt"));
        }
        try {
            new Transaction(table)
                    .check(Keys.member(member.workspaceId(), member.memberId()), Condition.version(member.version()),
                            SeatWrites::changedMeanwhile)
                    .update(Keys.usage(member.workspaceId(), member.memberId()),
                            "SET #type = :usage, #pk = :pk, #sk = :sk", new Condition(condition, names, values),
                            SeatWrites::changedMeanwhile)
                    .execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    @Override
    public boolean joinWorkList(String workspaceId, boolean dryRun) {
        if (Reads.get(dynamo, table, Keys.licensePool(workspaceId)).isEmpty()
                || Reads.get(dynamo, table, Keys.seatPolicy(workspaceId)).isPresent()) {
            return false;
        }
        if (!dryRun) {
            // The purchase's own write: a policy an admin or a purchase stored meanwhile stays as it is.
            SeatItems.joinWorkList(new Transaction(table), workspaceId).execute(dynamo);
        }
        return true;
    }

    // ------------------------------------------------------------------ checkpoint

    @Override
    public Optional<Checkpoint> checkpoint() {
        return Reads.get(dynamo, table, Keys.backfillCurrentRun()).map(item -> {
            Map<String, Long> counts = new TreeMap<>();
            AttributeValue c = item.get("counts");
            if (c != null && c.hasM()) {
                c.m().forEach((name, value) -> counts.put(name, Long.parseLong(value.n())));
            }
            return new Checkpoint(Attrs.str(item, "runId"), Attrs.str(item, "position"),
                    Attrs.str(item, "afterWorkspace"), Attrs.num(item, "step", 0), counts,
                    Attrs.num(item, "invocations", 0));
        });
    }

    @Override
    public boolean saveCheckpoint(Checkpoint read, Checkpoint next) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.backfillCurrentRun().toMap());
        item.put("type", Attrs.s("backfill-checkpoint"));
        item.put("runId", Attrs.s(next.runId()));
        if (next.position() != null) {
            item.put("position", Attrs.s(next.position()));
        }
        if (next.afterWorkspace() != null) {
            item.put("afterWorkspace", Attrs.s(next.afterWorkspace()));
        }
        item.put("step", Attrs.n(next.step()));
        item.put("invocations", Attrs.n(next.invocations()));
        Map<String, AttributeValue> counts = new TreeMap<>();
        next.counts().forEach((name, n) -> counts.put(name, Attrs.n(n)));
        item.put("counts", AttributeValue.fromM(counts));
        try {
            new Transaction(table).put(item, read == null ? Condition.notExists() : sameStep(read),
                    DynamoBackfillStore::moved).execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    @Override
    public boolean endRun(Checkpoint read) {
        try {
            new Transaction(table).delete(Keys.backfillCurrentRun(), sameStep(read), DynamoBackfillStore::moved)
                    .execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    private static Condition sameStep(Checkpoint read) {
        return new Condition("runId = :run AND step = :step", Map.of(),
                Map.of(":run", Attrs.s(read.runId()), ":step", Attrs.n(read.step())));
    }

    private static ChangedMeanwhile moved() {
        return new ChangedMeanwhile("Another invocation advanced the backfill.");
    }

    /** Every member item of the workspace, consistently read. */
    private List<Map<String, AttributeValue>> members(String workspaceId) {
        return Reads.allWithPrefix(dynamo, table, workspaceId, Keys.MEMBER_PREFIX);
    }

    private boolean conditionalUpdate(Keys.Key key, String update, String condition, Map<String, String> names,
                                      Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key.toMap()).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
