package dev.wsl.core.store;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.SunsetStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link SunsetStore} in the single table: the keys in pages of GSI1's {@code LEGACYKEYS} partition
 * (so no table scan), whose sort key {@code {ws}#{keyId}} is the position; key states, digests, the
 * run's checkpoint and records as items. Thread-safe.
 */
public final class DynamoSunsetStore extends TableStore implements SunsetStore {
    public DynamoSunsetStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    @Override
    public KeyPage keys(String after, int limit) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("#pk = :pk" + (after == null ? "" : " AND #sk > :after"))
                .expressionAttributeNames(after == null ? Map.of("#pk", Keys.GSI1PK)
                        : Map.of("#pk", Keys.GSI1PK, "#sk", Keys.GSI1SK))
                .limit(limit);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", Attrs.s(Keys.ALL_LEGACY_KEYS)));
        if (after != null) {
            values.put(":after", Attrs.s(after));
        }
        QueryResponse page = dynamo.query(query.expressionAttributeValues(values).build());
        List<LegacyKey> keys = page.items().stream().map(LicenseItems::key).toList();
        boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
        // The index position of the last key: resuming after it never processes it again.
        String last = keys.isEmpty() ? null : Keys.legacyKeyIndexSk(keys.getLast().workspaceId(), keys.getLast().keyId());
        return new KeyPage(keys, last, more && !keys.isEmpty());
    }

    /** One batch read for the page. */
    @Override
    public PageContext context(List<LegacyKey> keys) {
        List<Map<String, AttributeValue>> wanted = new ArrayList<>();
        for (LegacyKey k : keys) {
            wanted.add(Keys.sunsetKeyState(k.workspaceId(), k.keyId()).toMap());
            if (k.assigned()) {
                wanted.add(Keys.member(k.workspaceId(), k.assigneeMemberId()).toMap());
                wanted.add(Keys.usage(k.workspaceId(), k.assigneeMemberId()).toMap());
            }
        }
        Map<String, KeyState> states = new HashMap<>();
        Map<String, Member> members = new HashMap<>();
        Map<String, Usage> usage = new HashMap<>();
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table, wanted)) {
            String sk = Attrs.str(item, Keys.SK);
            if (sk.startsWith("SUNSETKEY#")) {
                AttributeValue notices = item.get("notices");
                states.put(sk.substring("SUNSETKEY#".length()), new KeyState(
                        notices != null && notices.hasSs() ? new TreeSet<>(notices.ss()) : Set.of(),
                        Attrs.instant(item, "disabledAt")));
            } else if (sk.startsWith(Keys.MEMBER_PREFIX)) {
                Member m = MemberItems.member(item);
                members.put(m.memberId(), m);
            } else if (sk.startsWith(Keys.USAGE_PREFIX)) {
                Usage u = UsageItems.usage(item);
                usage.put(u.subjectId(), u);
            }
        }
        return new PageContext(states, members, usage);
    }

    /**
     * 25 per request. Only the job writes these items, one run at a time (the checkpoint's condition),
     * so writing whole items loses nothing.
     */
    @Override
    public void saveStates(List<StateWrite> writes) {
        List<WriteRequest> requests = new ArrayList<>();
        for (StateWrite w : writes) {
            Keys.Key key = Keys.sunsetKeyState(w.key().workspaceId(), w.key().keyId());
            if (w.state() == null) {
                requests.add(WriteRequest.builder().deleteRequest(d -> d.key(key.toMap())).build());
                continue;
            }
            Map<String, AttributeValue> item = new LinkedHashMap<>(key.toMap());
            item.put("type", Attrs.s("sunset-key"));
            item.put("keyId", Attrs.s(w.key().keyId()));
            if (!w.state().notices().isEmpty()) {
                item.put("notices", AttributeValue.fromSs(List.copyOf(w.state().notices())));
            }
            if (w.state().disabledAt() != null) {
                item.put("disabledAt", Attrs.time(w.state().disabledAt()));
            }
            requests.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
        }
        Batches.write(dynamo, table, requests);
    }

    @Override
    public Set<String> digestsSent(String workspaceId) {
        Set<String> sent = new TreeSet<>();
        for (Map<String, AttributeValue> item : Reads.allWithPrefix(dynamo, table, workspaceId, "SUNSETDIGEST#")) {
            sent.add(Attrs.str(item, Keys.SK).substring("SUNSETDIGEST#".length()));
        }
        return sent;
    }

    @Override
    public void recordDigest(String workspaceId, String notice, Instant at) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.sunsetDigest(workspaceId, notice).toMap());
        item.put("type", Attrs.s("sunset-digest"));
        item.put("sentAt", Attrs.time(at));
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item).build());
    }

    @Override
    public List<EmailAddress> admins(String workspaceId) {
        List<EmailAddress> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : Reads.allWithPrefix(dynamo, table, workspaceId, Keys.MEMBER_PREFIX)) {
            Member m = MemberItems.member(item);
            if (m.status() == MemberStatus.ACTIVE && m.access().isAdmin()) {
                out.add(m.email());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ runs

    @Override
    public Optional<Checkpoint> currentRun() {
        return Reads.get(dynamo, table, Keys.sunsetCurrentRun()).map(item -> new Checkpoint(
                Attrs.str(item, "runId"), Attrs.str(item, "position"), Attrs.num(item, "invocations", 0)));
    }

    @Override
    public boolean startRun(String runId, Instant at, Map<String, String> plan) {
        Map<String, AttributeValue> current = new LinkedHashMap<>(Keys.sunsetCurrentRun().toMap());
        current.put("type", Attrs.s("sunset-checkpoint"));
        current.put("runId", Attrs.s(runId));
        current.put("invocations", Attrs.n(0));
        Map<String, AttributeValue> run = RunRecords.started(Keys.sunsetRun(runId), "sunset-run", runId, at);
        run.put("plan", Attrs.map(plan));
        return RunRecords.start(dynamo, table, current, run, DynamoSunsetStore::runExists);
    }

    /** One transaction conditioned on the position read, so two overlapping invocations cannot both record a page. */
    @Override
    public boolean checkpoint(Checkpoint read, String position, Map<String, Long> counts, boolean finished,
                              boolean newInvocation, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        String add = RunRecords.add(counts, newInvocation, names, values);
        Map<String, AttributeValue> runValues = new HashMap<>(values);
        runValues.put(":at", Attrs.time(at));
        String runUpdate = "SET updatedAt = :at" + (finished ? ", #status = :done, finishedAt = :at" : "") + " " + add;
        Map<String, String> runNames = new HashMap<>(names);
        if (finished) {
            runNames.put("#status", "status");
            runValues.put(":done", Attrs.s("COMPLETE"));
        }
        Transaction tx = new Transaction(table).update(Keys.sunsetRun(read.runId()), runUpdate.trim(),
                new Condition("attribute_exists(PK)", runNames, runValues), DynamoSunsetStore::moved);
        Condition samePosition = read.position() == null
                ? new Condition("runId = :run AND attribute_not_exists(#position)", Map.of("#position", "position"),
                        Map.of(":run", Attrs.s(read.runId())))
                : new Condition("runId = :run AND #position = :read", Map.of("#position", "position"),
                        Map.of(":run", Attrs.s(read.runId()), ":read", Attrs.s(read.position())));
        if (finished) {
            tx.delete(Keys.sunsetCurrentRun(), samePosition, DynamoSunsetStore::moved);
        } else {
            Map<String, AttributeValue> v = new HashMap<>(samePosition.values());
            v.put(":position", Attrs.s(position));
            String update = "SET #position = :position" + (newInvocation ? " ADD invocations :one" : "");
            if (newInvocation) {
                v.put(":one", Attrs.n(1));
            }
            tx.update(Keys.sunsetCurrentRun(), update, new Condition(samePosition.expression(), samePosition.names(), v),
                    DynamoSunsetStore::moved);
        }
        try {
            tx.execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    @Override
    public Map<String, Object> run(String runId) {
        return RunRecords.read(dynamo, table, Keys.sunsetRun(runId));
    }

    private static ChangedMeanwhile moved() {
        return new ChangedMeanwhile("Another invocation advanced the sunset run.");
    }

    private static AlreadyExists runExists() {
        return new AlreadyExists("run-exists", "A sunset run is in progress.");
    }
}
