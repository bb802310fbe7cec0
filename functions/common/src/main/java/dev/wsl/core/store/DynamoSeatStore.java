package dev.wsl.core.store;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.SeatStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link SeatStore} in the single table: seats on the members' usage items and their index (GSI1
 * {@code SEATS#{ws}}), the policy item {@code WS#{ws}/SEATPOLICY} (with the job's counts; GSI1
 * {@code SEATPOLICIES}, {@code on#}/{@code off#} by reclaim), the job's checkpoint and runs under {@code RECLAIM}.
 * Thread-safe.
 */
public final class DynamoSeatStore extends TableStore implements SeatStore {
    public DynamoSeatStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    /** One consistent BatchGetItem of the pool and the policy. */
    @Override
    public Overview overview(String workspaceId) {
        Keys.Key pool = Keys.licensePool(workspaceId);
        Keys.Key policy = Keys.seatPolicy(workspaceId);
        Map<String, AttributeValue> poolItem = null;
        Map<String, AttributeValue> policyItem = null;
        for (Map<String, AttributeValue> item : Batches.get(dynamo, table, List.of(pool.toMap(), policy.toMap()))) {
            if (Keys.Key.of(item).equals(pool)) {
                poolItem = item;
            } else {
                policyItem = item;
            }
        }
        return new Overview(poolItem == null ? LicensePool.empty(workspaceId) : LicenseItems.pool(workspaceId, poolItem),
                SeatItems.policy(workspaceId, policyItem));
    }

    @Override
    public SeatPolicy policy(String workspaceId) {
        return SeatItems.policy(workspaceId, Reads.get(dynamo, table, Keys.seatPolicy(workspaceId)).orElse(null));
    }

    @Override
    public void savePolicy(SeatPolicy read, SeatPolicy next, AuditEntry audit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":type", Attrs.s("seat-policy"));
        values.put(":idle", Attrs.n(next.idleDays()));
        values.put(":reclaim", AttributeValue.fromBool(next.reclaim()));
        values.put(":reclaimDays", Attrs.n(next.reclaimDays()));
        values.put(":next", Attrs.n(next.version()));
        values.put(":at", Attrs.time(next.changedAt()));
        values.put(":by", Attrs.s(next.changedBy()));
        values.put(":partition", Attrs.s(Keys.ALL_SEAT_POLICIES));
        values.put(":position", Attrs.s(Keys.seatPolicyIndexSk(next.reclaim(), next.workspaceId())));
        String condition;
        if (read.version() == 0) {
            condition = "attribute_not_exists(#version)";
        } else {
            condition = "#version = :read";
            values.put(":read", Attrs.n(read.version()));
        }
        new Transaction(table)
                .update(Keys.seatPolicy(next.workspaceId()), "SET #type = :type, idleDays = :idle, reclaim = :reclaim,"
                                + " reclaimDays = :reclaimDays, #version = :next, changedAt = :at, changedBy = :by,"
                                + " GSI1PK = :partition, GSI1SK = :position",
                        new Condition(condition, Map.of("#type", "type", "#version", "version"), values),
                        () -> new ChangedMeanwhile("The seat policy was changed meanwhile; reload and retry."))
                .put(MemberItems.audit(audit), Condition.notExists(), SeatWrites::changedMeanwhile)
                .execute(dynamo);
    }

    /**
     * One keyed range query of the seat index (eventually consistent, as every index read): the page, plus the
     * position after its last seat when the range may hold more.
     */
    @Override
    public SeatPage idleSeats(String workspaceId, Instant before, int limit, String after) {
        QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("#pk = :pk AND #sk < :before")
                .expressionAttributeNames(Map.of("#pk", Keys.GSI1PK, "#sk", Keys.GSI1SK))
                .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.seatsPk(workspaceId)),
                        ":before", Attrs.s(Keys.seatActivity(before))))
                .exclusiveStartKey(SeatItems.startAfter(workspaceId, after))
                .limit(limit).build());
        List<Seat> seats = page.items().stream().map(item -> SeatItems.seat(workspaceId, item)).toList();
        boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() && !seats.isEmpty();
        return new SeatPage(seats, more ? SeatItems.position(seats.getLast()) : null);
    }

    @Override
    public Map<String, Seat> seats(String workspaceId, Collection<String> memberIds) {
        Map<String, Seat> out = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = new java.util.LinkedHashSet<>(memberIds).stream()
                .map(id -> Keys.usage(workspaceId, id).toMap()).toList();
        for (Map<String, AttributeValue> item : keys.isEmpty() ? List.<Map<String, AttributeValue>>of()
                : Batches.get(dynamo, table, keys)) {
            if (SeatItems.isSeat(item)) {
                Seat seat = SeatItems.seat(workspaceId, item);
                out.put(seat.memberId(), seat);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the reclaim job

    @Override
    public PolicyPage policies(boolean reclaim, String after, int limit) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", Attrs.s(Keys.ALL_SEAT_POLICIES));
        values.put(":prefix", Attrs.s(Keys.seatPolicyIndexSk(reclaim, "")));
        Map<String, AttributeValue> start = null;
        if (after != null) {
            start = new LinkedHashMap<>(Keys.seatPolicy(after).toMap());
            start.put(Keys.GSI1PK, Attrs.s(Keys.ALL_SEAT_POLICIES));
            start.put(Keys.GSI1SK, Attrs.s(Keys.seatPolicyIndexSk(reclaim, after)));
        }
        QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.GSI1PK, "#sk", Keys.GSI1SK))
                .expressionAttributeValues(values).exclusiveStartKey(start).limit(limit).build());
        List<SeatPolicy> policies = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            String ws = Attrs.str(item, Keys.PK).substring(Keys.WORKSPACE_PREFIX.length());
            policies.add(SeatItems.policy(ws, item));
        }
        boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() && !policies.isEmpty();
        return new PolicyPage(policies, policies.isEmpty() ? null : policies.getLast().workspaceId(), more);
    }

    /** Only the counts: an admin's concurrent change of the policy is neither lost nor conditioned on them. */
    @Override
    public void saveCounts(String workspaceId, SeatPolicy.IdleCounts counts) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(Keys.seatPolicy(workspaceId).toMap())
                    .updateExpression("SET idleAsOf = :at, idle30 = :d30, idle60 = :d60, idle90 = :d90")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeValues(Map.of(":at", Attrs.time(counts.asOf()), ":d30", Attrs.n(counts.over30()),
                            ":d60", Attrs.n(counts.over60()), ":d90", Attrs.n(counts.over90())))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            // The workspace's policy is gone (its workspace too): nothing to count for.
        }
    }

    @Override
    public boolean recordNotice(Seat read, Seat.ReclaimNotice notice, OutboxMessage email) {
        String since = Keys.seatActivity(read.lastActivity());
        try {
            new Transaction(table)
                    .update(Keys.usage(read.workspaceId(), read.memberId()), "SET " + SeatItems.NOTICE + " = :notice",
                            new Condition("GSI1PK = :pk AND GSI1SK = :since AND (attribute_not_exists(#notice)"
                                    + " OR #notice.#for <> :since)", Map.of("#notice", SeatItems.NOTICE, "#for", "for"),
                                    Map.of(":notice", SeatItems.notice(notice), ":pk", Attrs.s(Keys.seatsPk(read.workspaceId())),
                                            ":since", Attrs.s(since))),
                            () -> new ChangedMeanwhile("The seat was used, ended or noticed meanwhile."))
                    .put(OutboxItems.item(email), Condition.notExists(),
                            () -> new ChangedMeanwhile("The notice was queued before."))
                    .execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    @Override
    public boolean queue(OutboxMessage message) {
        try {
            new Transaction(table).put(OutboxItems.item(message), Condition.notExists(),
                    () -> new ChangedMeanwhile("The message was queued before.")).execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    @Override
    public List<Member> admins(String workspaceId) {
        List<Member> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : Reads.allWithPrefix(dynamo, table, workspaceId, Keys.MEMBER_PREFIX)) {
            Member m = MemberItems.member(item);
            if (m.status() == MemberStatus.ACTIVE && m.access().isAdmin()) {
                out.add(m);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ runs

    @Override
    public Optional<Checkpoint> currentRun() {
        return Reads.get(dynamo, table, Keys.reclaimCurrentRun()).map(item -> new Checkpoint(Attrs.str(item, "runId"),
                new Progress(Attrs.str(item, "phase"), Attrs.str(item, "afterWorkspace"), Attrs.str(item, "workspace"),
                        Attrs.str(item, "seatPosition"), new SeatPolicy.IdleCounts(null, Attrs.num(item, "idle30", 0),
                        Attrs.num(item, "idle60", 0), Attrs.num(item, "idle90", 0)), Attrs.num(item, "noticed", 0),
                        Attrs.num(item, "reclaimed", 0), Attrs.strList(item, "digest")),
                Attrs.num(item, "step", 0), Attrs.num(item, "invocations", 0)));
    }

    @Override
    public boolean startRun(String runId, Instant at) {
        Map<String, AttributeValue> current = checkpointItem(runId, Progress.start(), 0, 0);
        return RunRecords.start(dynamo, table, current, RunRecords.started(Keys.reclaimRun(runId), "reclaim-run", runId, at),
                DynamoSeatStore::runExists);
    }

    /** One transaction conditioned on the step read, so two overlapping invocations cannot both record progress. */
    @Override
    public boolean checkpoint(Checkpoint read, Progress next, Map<String, Long> counts, boolean finished,
                              boolean newInvocation, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        String add = RunRecords.add(counts, newInvocation, names, values);
        values.put(":at", Attrs.time(at));
        String runUpdate = "SET updatedAt = :at" + (finished ? ", #status = :done, finishedAt = :at" : "") + " " + add;
        if (finished) {
            names.put("#status", "status");
            values.put(":done", Attrs.s("COMPLETE"));
        }
        Transaction tx = new Transaction(table).update(Keys.reclaimRun(read.runId()), runUpdate.trim(),
                new Condition("attribute_exists(PK)", names, values), DynamoSeatStore::moved);
        Condition sameStep = new Condition("runId = :run AND step = :step", Map.of(),
                Map.of(":run", Attrs.s(read.runId()), ":step", Attrs.n(read.step())));
        if (finished) {
            tx.delete(Keys.reclaimCurrentRun(), sameStep, DynamoSeatStore::moved);
        } else {
            tx.put(checkpointItem(read.runId(), next, read.step() + 1, read.invocations() + (newInvocation ? 1 : 0)),
                    sameStep, DynamoSeatStore::moved);
        }
        try {
            tx.execute(dynamo);
            return true;
        } catch (ChangedMeanwhile e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> checkpointItem(String runId, Progress p, long step, long invocations) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.reclaimCurrentRun().toMap());
        item.put("type", Attrs.s("reclaim-checkpoint"));
        item.put("runId", Attrs.s(runId));
        item.put("step", Attrs.n(step));
        item.put("invocations", Attrs.n(invocations));
        item.put("phase", Attrs.s(p.phase()));
        if (p.afterWorkspace() != null) {
            item.put("afterWorkspace", Attrs.s(p.afterWorkspace()));
        }
        if (p.workspace() != null) {
            item.put("workspace", Attrs.s(p.workspace()));
        }
        if (p.seatPosition() != null) {
            item.put("seatPosition", Attrs.s(p.seatPosition()));
        }
        item.put("idle30", Attrs.n(p.counts().over30()));
        item.put("idle60", Attrs.n(p.counts().over60()));
        item.put("idle90", Attrs.n(p.counts().over90()));
        item.put("noticed", Attrs.n(p.noticed()));
        item.put("reclaimed", Attrs.n(p.reclaimed()));
        item.put("digest", Attrs.list(p.digest()));
        return item;
    }

    @Override
    public Map<String, Object> run(String runId) {
        return RunRecords.read(dynamo, table, Keys.reclaimRun(runId));
    }

    private static ChangedMeanwhile moved() {
        return new ChangedMeanwhile("Another invocation advanced the reclaim run.");
    }

    private static AlreadyExists runExists() {
        return new AlreadyExists("run-exists", "A reclaim run is in progress.");
    }
}
