package dev.wsl.core.store;

import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.telemetry.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The reads of license activation, shaped for the hot path: step 1 is one consistent GetItem of
 * the credential's lookup item by hash; step 2 is one consistent BatchGetItem of everything the
 * decision needs (the members and license pools the lookup item names), with the usage writes, if
 * any, sent concurrently. No query, no scan, no index, no cache: every activation sees the state
 * that the last committed change left. Thread-safe.
 */
public final class ActivationStore extends TableStore {
    /** What the presented credential claims to be, from its format; decides which lookup item is read. */
    public enum Kind { AUTH_TOKEN, CI_KEY, LEGACY_KEY }

    /**
     * A credential's lookup item.
     *
     * @param licensedIn  auth tokens: workspace id → member id of every license the token activates
     * @param workspaceId CI and legacy keys: the owning workspace
     * @param keyId       CI and legacy keys: the key's id in its workspace
     * @param lastUseHour the hour ({@code yyyy-MM-ddTHH}) of the last recorded use, or null
     * @param activatesIn auth tokens: the workspace the user chose for it (or the first they joined themselves),
     *                    or null when there is none
     * @param expiresAt   auth tokens and CI keys that a rotation replaced and kept valid for a while: when they stop
     *                    activating; null for every other credential
     */
    public record Credential(Kind kind, String userId, Map<String, String> licensedIn, String workspaceId,
                             String keyId, String lastUseHour, String activatesIn, Instant expiresAt) {
        public Credential(Kind kind, String userId, Map<String, String> licensedIn, String workspaceId, String keyId,
                          String lastUseHour) {
            this(kind, userId, licensedIn, workspaceId, keyId, lastUseHour, null, null);
        }

        public Credential(Kind kind, String userId, Map<String, String> licensedIn, String workspaceId, String keyId,
                          String lastUseHour, String activatesIn) {
            this(kind, userId, licensedIn, workspaceId, keyId, lastUseHour, activatesIn, null);
        }
    }

    /** What step 2 read: pools by workspace id, members by member id. Missing items are absent. */
    public record Snapshot(Map<String, LicensePool> pools, Map<String, Member> members) {}

    /**
     * A usage to record for a subject (member, CI key, legacy key) of a workspace.
     *
     * @param countMonth when not null, also count one activation in this month ({@code yyyy-MM}); CI keys
     * @param hour       when not null, the coalescing hour written onto the credential's lookup item
     */
    public record UseRecord(String workspaceId, String subjectId, Instant at, String machineId, String system,
                            String credential, String countMonth, Kind kind, String credentialHash, String hour) {}

    /**
     * How many more BatchGetItem requests step 2 may send for keys the table left unprocessed. Two keep
     * a throttled activation within tens of milliseconds; the normal path sends one request and waits for
     * nothing.
     */
    static final int UNPROCESSED_REREQUESTS = 2;
    /** The re-requests' policy: pauses of at most 8 and 16 ms, drawn at random so that throttled callers spread out. */
    private static final RetryPolicy REREQUEST = new RetryPolicy(1 + UNPROCESSED_REREQUESTS, Duration.ofMillis(4),
            Duration.ofMillis(50), RetryPolicy.SLEEP, null);

    private static final ExecutorService WRITES = Executors.newVirtualThreadPerTaskExecutor();

    public ActivationStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    /**
     * Step 1.
     *
     * @throws Busy when the table did not answer through the SDK's attempts (throttled, failing, too slow)
     */
    public Optional<Credential> find(Kind kind, String credentialHash) {
        Keys.Key key = kind == Kind.LEGACY_KEY ? Keys.legacyKeyHash(credentialHash) : Keys.credential(credentialHash);
        Map<String, AttributeValue> item = unlessUnavailable(() -> dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(key.toMap()).consistentRead(true).build()).item());
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String storedKind = Attrs.str(item, "kind");
        if (kind == Kind.AUTH_TOKEN && !TokenIndex.KIND_AUTH_TOKEN.equals(storedKind)
                || kind == Kind.CI_KEY && !TokenIndex.KIND_CI_KEY.equals(storedKind)) {
            return Optional.empty();
        }
        Map<String, String> licensedIn = new LinkedHashMap<>();
        AttributeValue index = item.get("licensedIn");
        if (index != null && index.hasM()) {
            index.m().forEach((ws, m) -> licensedIn.put(ws, m.s()));
        }
        return Optional.of(new Credential(kind, Attrs.str(item, "userId"), licensedIn, Attrs.str(item, "workspaceId"),
                Attrs.str(item, "keyId"), Attrs.str(item, TokenIndex.LAST_USE_HOUR), Attrs.str(item, TokenIndex.ACTIVATES_IN),
                Attrs.instant(item, TokenIndex.EXPIRES_AT)));
    }

    /**
     * Step 2: the pools of {@code workspaceIds} and the members {@code memberIds} (workspace id → member id),
     * with {@code alongside} written concurrently. A usage write that fails is logged, never fatal: it is
     * a record for admins, not part of the decision.
     *
     * @throws Busy when the table still left keys unprocessed after {@value #UNPROCESSED_REREQUESTS} more
     *               requests, or did not answer through the SDK's attempts
     */
    public Snapshot read(List<String> workspaceIds, Map<String, String> memberIds, List<UseRecord> alongside) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (UseRecord use : alongside) {
            writes.add(CompletableFuture.runAsync(() -> writeUsage(use), WRITES));
            if (use.hour() != null) {
                writes.add(CompletableFuture.runAsync(() -> markHour(use), WRITES));
            }
        }
        Map<String, LicensePool> pools = new HashMap<>();
        Map<String, Member> members = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        workspaceIds.stream().distinct().forEach(ws -> keys.add(Keys.licensePool(ws).toMap()));
        memberIds.forEach((ws, m) -> keys.add(Keys.member(ws, m).toMap()));
        // One consistent batch. What a throttled table leaves unprocessed is asked for again here, at most
        // UNPROCESSED_REREQUESTS times after a few milliseconds: nothing above retries (the LocalStack
        // client repeats only requests that got no answer at all). Then Busy, which the decision answers
        // as a refusal ("licensing.server.busy"), never as an error of the function.
        for (Map<String, AttributeValue> item : unlessUnavailable(() -> Batches.get(dynamo, table, keys, true, REREQUEST))) {
            String sk = Attrs.str(item, Keys.SK);
            String ws = Attrs.str(item, Keys.PK).substring(Keys.WORKSPACE_PREFIX.length());
            if (sk.equals(Keys.licensePool(ws).sk())) {
                pools.put(ws, LicenseItems.pool(ws, item));
            } else if (sk.startsWith(Keys.MEMBER_PREFIX)) {
                Member member = MemberItems.member(item);
                members.put(member.memberId(), member);
            }
        }
        writes.forEach(CompletableFuture::join);
        return new Snapshot(pools, members);
    }

    /**
     * The read's answer, or {@link Busy} when the SDK's attempts all met a transient failure: the hot path has no
     * use case around it, so the decision answers that as "busy" (activation's 503, the authorizer's denial)
     * instead of failing the function, which API Gateway would turn into a bare 500.
     */
    private static <T> T unlessUnavailable(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Busy e) {
            throw e;
        } catch (RuntimeException e) {
            if (AwsClients.unavailable(e)) {
                throw new Busy("The table did not answer in time; retry the request.", e);
            }
            throw e;
        }
    }

    /** Usage that could not be sent alongside step 2 (rare: a pick that differed from the guess). */
    public void record(UseRecord use) {
        writeUsage(use);
        if (use.hour() != null) {
            markHour(use);
        }
    }

    private void writeUsage(UseRecord use) {
        try {
            Map<String, AttributeValue> values = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            values.put(":at", Attrs.time(use.at()));
            values.put(":machine", Attrs.s(clip(use.machineId())));
            values.put(":system", Attrs.s(clip(use.system())));
            values.put(":credential", Attrs.s(use.credential()));
            values.put(":type", Attrs.s("usage"));
            names.put("#type", "type");
            StringBuilder update = new StringBuilder("SET lastAt = :at, lastMachineId = :machine,"
                    + " lastSystem = :system, lastCredential = :credential, #type = :type");
            if (use.kind() == Kind.AUTH_TOKEN) {
                // The seat's last activity (issue 21), in this same write: the seat index's sort key. An item
                // without the index's partition key (no license now) is on no index; nothing else changes.
                update.append(", GSI1SK = :activity");
                values.put(":activity", Attrs.s(Keys.seatActivity(use.at())));
            }
            if (use.countMonth() != null) {
                update.append(" ADD #month :one");
                names.put("#month", UsageItems.MONTH_PREFIX + use.countMonth());
                values.put(":one", Attrs.n(1));
            }
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Keys.usage(use.workspaceId(), use.subjectId()).toMap()).updateExpression(update.toString())
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
        } catch (RuntimeException e) {
            notRecorded(use, e);
        }
    }

    /** The coalescing mark: the next activation in the same hour sees it in step 1 and writes nothing. */
    private void markHour(UseRecord use) {
        Keys.Key lookup = use.kind() == Kind.LEGACY_KEY ? Keys.legacyKeyHash(use.credentialHash())
                : Keys.credential(use.credentialHash());
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(lookup.toMap())
                    .updateExpression("SET lastUseHour = :hour").conditionExpression("attribute_exists(PK)")
                    .expressionAttributeValues(Map.of(":hour", Attrs.s(use.hour()))).build());
        } catch (ConditionalCheckFailedException e) {
            // Rotated, revoked or deleted meanwhile: there is no lookup item left to mark.
        } catch (RuntimeException e) {
            notRecorded(use, e);
        }
    }

    private static void notRecorded(UseRecord use, RuntimeException e) {
        // The cause goes with it (an SDK error names the request's failure, never the credential).
        Log.warn("usage not recorded").field("workspaceId", use.workspaceId()).field("subjectId", use.subjectId())
                .error(e).write();
    }

    private static String clip(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 200 ? value : value.substring(0, 200);
    }
}
