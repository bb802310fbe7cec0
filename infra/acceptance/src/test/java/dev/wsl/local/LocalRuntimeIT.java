package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.wsl.local.SamTemplate.TableDefinition;
import dev.wsl.local.harness.WithLocalRuntime;
import dev.wsl.local.testfns.RecordingEventHandler;
import dev.wsl.local.testfns.RecordingStreamHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.ses.SesClient;

@WithLocalRuntime
class LocalRuntimeIT {

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String value) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(value);
    }

    @BeforeEach
    void cleanSlate(LocalStackRuntime runtime) {
        runtime.reset();
        RecordingStreamHandler.clear();
        RecordingEventHandler.RECEIVED.clear();
    }

    /** The runtime is shared with other test classes: leave none of this class's odd items behind. */
    @AfterEach
    void leaveNothingBehind(LocalStackRuntime runtime) {
        runtime.reset();
    }

    @Test
    void theTableIsProvisionedAsTheTemplateDeclaresIt(LocalStackRuntime runtime) {
        TableDefinition declared = TestTemplates.real().tableDefinition();
        TableDescription table = runtime.dynamoDb().describeTable(r -> r.tableName(runtime.tableName())).table();

        assertThat(table.keySchema()).extracting(KeySchemaElement::attributeName, k -> k.keyTypeAsString())
                .containsExactlyElementsOf(declared.keySchema().stream()
                        .map(k -> org.assertj.core.groups.Tuple.tuple(k.attributeName(), k.keyType())).toList());
        assertThat(table.billingModeSummary().billingModeAsString()).isEqualTo(declared.billingMode());
        assertThat(table.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
                .containsExactlyInAnyOrderElementsOf(declared.globalSecondaryIndexes().stream()
                        .map(TableDefinition.SecondaryIndex::name).toList());
        assertThat(table.globalSecondaryIndexes()).allSatisfy(gsi ->
                assertThat(gsi.projection().projectionTypeAsString()).isEqualTo("ALL"));
        assertThat(table.streamSpecification().streamEnabled()).isTrue();
        assertThat(table.streamSpecification().streamViewTypeAsString()).isEqualTo(declared.streamViewType().orElseThrow());
        assertThat(table.latestStreamArn()).isNotBlank();
        var ttl = runtime.dynamoDb().describeTimeToLive(r -> r.tableName(runtime.tableName())).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo(declared.ttlAttribute().orElseThrow());
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    }

    @Test
    void handlersGetTheirConfigurationFromSystemProperties(LocalStackRuntime runtime) {
        assertThat(System.getProperty("TABLE_NAME")).isEqualTo("wsl-local");
        assertThat(System.getProperty("SENDER_EMAIL")).isEqualTo(LocalStackRuntime.SENDER_EMAIL);
        assertThat(System.getProperty("APP_BASE_URL")).isEqualTo("http://127.0.0.1:" + runtime.port());
        assertThat(System.getProperty("INVITATION_TTL_DAYS")).isEqualTo("7");
        // The functions' clients go through what stands in front of the emulator (the tests' fault proxy).
        assertThat(System.getProperty("aws.endpointUrl")).isEqualTo(runtime.functionsEndpoint().toString());
        assertThat(System.getProperty("SDK_TIMEOUT_SCALE")).as("the emulator's answers wait for each other").isNotBlank();
        assertThat(System.getProperty("aws.region")).isEqualTo("us-east-1");
        assertThat(runtime.environment()).containsEntry("TABLE_NAME", "wsl-local");
        assertThat(runtime.issuer().issuer()).isEqualTo("http://127.0.0.1:" + runtime.port() + "/local/issuer");
    }

    @Test
    void theStreamPumpDeliversMatchingRecordsAsLambdaWould(LocalStackRuntime runtime) {
        DynamoDbClient db = runtime.dynamoDb();
        StreamPump pump = testPump(runtime);
        pump.drainOnce(); // skip whatever provisioning left behind
        RecordingStreamHandler.clear();

        db.putItem(r -> r.tableName(runtime.tableName()).item(Map.of(
                "PK", s("WS#1"), "SK", s("OUTBOX#0001"),
                "count", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("42"),
                "done", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(false),
                "tags", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromSs(List.of("a", "b")),
                "payload", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(Map.of("to", s("jane@example.com"))),
                "list", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromL(List.of(s("x"),
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNul(true))))));
        db.putItem(r -> r.tableName(runtime.tableName()).item(Map.of("PK", s("WS#1"), "SK", s("MEMBER#1"))));
        db.updateItem(r -> r.tableName(runtime.tableName()).key(Map.of("PK", s("WS#1"), "SK", s("OUTBOX#0001")))
                .updateExpression("SET done = :t")
                .expressionAttributeValues(Map.of(":t", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(true))));

        assertThat(pump.drainOnce()).isEqualTo(1);
        assertThat(pump.drainOnce()).isZero();

        assertThat(RecordingStreamHandler.records()).singleElement().satisfies(record -> {
            assertThat(record.getEventName()).isEqualTo("INSERT");
            assertThat(record.getEventSource()).isEqualTo("aws:dynamodb");
            assertThat(record.getEventSourceARN())
                    .isEqualTo(db.describeTable(r -> r.tableName(runtime.tableName())).table().latestStreamArn());
            assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
            var ddb = record.getDynamodb();
            assertThat(ddb.getKeys()).containsOnlyKeys("PK", "SK");
            assertThat(ddb.getKeys().get("SK").getS()).isEqualTo("OUTBOX#0001");
            assertThat(ddb.getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
            assertThat(ddb.getSequenceNumber()).isNotBlank();
            assertThat(ddb.getApproximateCreationDateTime()).isNotNull();
            assertThat(ddb.getOldImage()).isNull();
            Map<String, AttributeValue> image = ddb.getNewImage();
            assertThat(image.get("count").getN()).isEqualTo("42");
            assertThat(image.get("done").getBOOL()).isFalse();
            assertThat(image.get("tags").getSS()).containsExactlyInAnyOrder("a", "b");
            assertThat(image.get("payload").getM().get("to").getS()).isEqualTo("jane@example.com");
            assertThat(image.get("list").getL()).hasSize(2);
            assertThat(image.get("list").getL().get(1).getNULL()).isTrue();
        });
    }

    @Test
    void batchItemFailuresAreRetriedFromTheFailedRecordThenSkipped(LocalStackRuntime runtime) {
        DynamoDbClient db = runtime.dynamoDb();
        StreamPump pump = testPump(runtime);
        pump.drainOnce();
        RecordingStreamHandler.clear();
        // Batch size 2, MaximumRetryAttempts 2 in the test template.
        put(db, runtime, "OUTBOX#1", 0);
        put(db, runtime, "OUTBOX#2", 1); // fails once, then succeeds
        put(db, runtime, "OUTBOX#3", 0);
        put(db, runtime, "OUTBOX#4", 99); // always fails: given up after 1 + 2 attempts

        assertThat(pump.drainOnce()).isEqualTo(4);

        List<List<String>> batches = RecordingStreamHandler.BATCHES.stream()
                .map(b -> b.stream().map(r -> r.getDynamodb().getKeys().get("SK").getS()).toList())
                .toList();
        assertThat(batches).containsExactly(
                List.of("OUTBOX#1", "OUTBOX#2"),
                List.of("OUTBOX#2"),
                List.of("OUTBOX#3", "OUTBOX#4"),
                List.of("OUTBOX#4"),
                List.of("OUTBOX#4"));
        assertThat(pump.drainOnce()).isZero();
    }

    /**
     * A cancelled transaction leaves no trace, neither in the table nor in the stream, and the pump
     * keeps delivering afterwards (stock moto swaps in a deep copy of the table on failure, which
     * orphans open shard iterators).
     */
    @Test
    void aCancelledTransactionLeavesNoTraceAndTheStreamGoesOn(LocalStackRuntime runtime) {
        DynamoDbClient db = runtime.dynamoDb();
        String table = runtime.tableName();
        StreamPump pump = testPump(runtime);
        put(db, runtime, "OUTBOX#before", 0);
        put(db, runtime, "MEMBER#1", 0);
        assertThat(pump.drainOnce()).isEqualTo(1);

        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(Map.of("PK", s("WS#9"), "SK", s("OUTBOX#phantom")))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(Map.of("PK", s("WS#9"), "SK", s("MEMBER#1")))
                        .updateExpression("SET touched = :t")
                        .expressionAttributeValues(Map.of(":t", s("yes")))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                        .key(Map.of("PK", s("WS#9"), "SK", s("OUTBOX#before")))
                        .conditionExpression("attribute_not_exists(PK)")).build());
        assertThatThrownBy(() -> db.transactWriteItems(t -> t.transactItems(items)))
                .isInstanceOf(TransactionCanceledException.class);
        put(db, runtime, "OUTBOX#after", 0);

        assertThat(db.getItem(r -> r.tableName(table).key(Map.of("PK", s("WS#9"), "SK", s("OUTBOX#phantom")))).hasItem())
                .isFalse();
        assertThat(db.getItem(r -> r.tableName(table).key(Map.of("PK", s("WS#9"), "SK", s("MEMBER#1")))).item())
                .doesNotContainKey("touched");
        assertThat(pump.drainOnce()).isEqualTo(1);
        assertThat(RecordingStreamHandler.records()).extracting(r -> r.getDynamodb().getKeys().get("SK").getS())
                .containsExactly("OUTBOX#before", "OUTBOX#after");
    }

    @Test
    void latestSkipsWhatTheStreamHeldBeforeTheFirstRead(LocalStackRuntime runtime) {
        DynamoDbClient db = runtime.dynamoDb();
        SamTemplate template = TestTemplates.test();
        SamTemplate.StreamConsumer recorder = template.streamConsumers().getFirst();
        SamTemplate.StreamConsumer fromLatest = new SamTemplate.StreamConsumer(recorder.functionLogicalId(),
                recorder.handlerClass(), recorder.eventName(), 10, 0, "LATEST", true, List.of(), true);
        StreamPump pump = new StreamPump(db, runtime.streams(), runtime.tableName(), List.of(fromLatest),
                new FunctionInvoker(template, Clock.systemUTC()));
        put(db, runtime, "OUTBOX#old", 0);
        assertThat(pump.drainOnce()).isZero();

        put(db, runtime, "OUTBOX#new", 0);
        assertThat(pump.drainOnce()).isEqualTo(1);
        assertThat(RecordingStreamHandler.records()).extracting(r -> r.getDynamodb().getKeys().get("SK").getS())
                .containsExactly("OUTBOX#new");
    }

    @Test
    void sentEmailsAreReadBackFromTheEmulator(LocalStackRuntime runtime) {
        // A client with default configuration, like the handlers': it must find the emulator by itself.
        try (SesClient ses = SesClient.create()) {
            ses.sendEmail(r -> r.source(LocalStackRuntime.SENDER_EMAIL)
                    .destination(d -> d.toAddresses("jane@example.com"))
                    .message(m -> m.subject(c -> c.data("You are invited"))
                            .body(b -> b.text(t -> t.data("Open http://127.0.0.1:3000/accept-invitation#token=abc. Bye")))));
        }

        assertThat(runtime.sentEmails()).containsExactly(new SentEmail("jane@example.com", "You are invited",
                "Open http://127.0.0.1:3000/accept-invitation#token=abc. Bye"));
        assertThat(runtime.sentEmails().getFirst().links())
                .containsExactly("http://127.0.0.1:3000/accept-invitation#token=abc");

        runtime.reset();
        assertThat(runtime.sentEmails()).isEmpty();
    }

    @Test
    void resetEmptiesTheTable(LocalStackRuntime runtime) {
        runtime.dynamoDb().putItem(r -> r.tableName(runtime.tableName()).item(Map.of("PK", s("A"), "SK", s("B"))));
        runtime.reset();
        assertThat(runtime.dynamoDb().scan(r -> r.tableName(runtime.tableName())).count()).isZero();
    }

    /**
     * moto restores a deep copy of the table when a transaction fails; unserialised, a failing
     * transaction can erase a concurrent successful one. Our launcher holds a lock per request.
     */
    @Test
    void concurrentConditionalTransactionsLetExactlyOneWinAndKeepIt(LocalStackRuntime runtime) throws Exception {
        DynamoDbClient db = runtime.dynamoDb();
        // moto's snapshot is a deep copy of the whole table: a fuller table widens the race window
        // enough that an unserialised moto loses or duplicates the write in practically every run.
        for (int batch = 0; batch < 40; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                String pk = "FILL#" + (batch * 25 + i);
                writes.add(WriteRequest.builder().putRequest(p -> p.item(Map.of(
                        "PK", s(pk), "SK", s("X"), "data", s("x".repeat(200))))).build());
            }
            db.batchWriteItem(r -> r.requestItems(Map.of(runtime.tableName(), writes)));
        }
        int threads = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                String writer = "writer-" + i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        TransactWriteItem claim = TransactWriteItem.builder().put(p -> p
                                .tableName(runtime.tableName())
                                .item(Map.of("PK", s("LOCK"), "SK", s("ONE"), "owner", s(writer)))
                                .conditionExpression("attribute_not_exists(PK)")).build();
                        db.transactWriteItems(t -> t.transactItems(claim));
                        return true;
                    } catch (TransactionCanceledException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
        }
        int winners = 0;
        for (Future<Boolean> outcome : outcomes) {
            winners += outcome.get() ? 1 : 0;
        }

        assertThat(winners).isEqualTo(1);
        var item = db.getItem(r -> r.tableName(runtime.tableName()).key(Map.of("PK", s("LOCK"), "SK", s("ONE"))).consistentRead(true));
        assertThat(item.hasItem()).as("the winner's write survives the losers' rollbacks").isTrue();
        assertThat(item.item().get("owner").s()).startsWith("writer-");
    }

    /** The test template's rules on a bus that shares nothing with the runtime's but the JVM's configuration. */
    @Test
    void aPutEventReachesTheMatchingFunctionAndANonMatchingOneNone(LocalStackRuntime runtime) {
        SamTemplate template = TestTemplates.test();
        EventBus bus = new EventBus(template.eventRules(), new FunctionInvoker(template, Clock.systemUTC()), Clock.systemUTC());

        List<EventBus.Delivery> delivered = bus.put(Map.of("source", "test.billing",
                "detail-type", "Subscription Purchased", "detail", Map.of("workspaceId", "ws_1", "seats", 5)));
        List<EventBus.Delivery> unmatched = bus.put(Map.of("source", "test.billing",
                "detail-type", "Invoice Paid", "detail", Map.of("workspaceId", "ws_1")));

        assertThat(delivered).singleElement().satisfies(d -> {
            assertThat(d.functionLogicalId()).isEqualTo("PurchasesFunction");
            assertThat(d.failed()).isFalse();
            assertThat(d.result()).containsEntry("accepted", true);
        });
        assertThat(unmatched).isEmpty();
        assertThat(RecordingEventHandler.RECEIVED).singleElement().satisfies(r -> {
            assertThat(r.functionName()).isEqualTo("PurchasesFunction");
            assertThat(r.event()).containsEntry("detail-type", "Subscription Purchased")
                    .containsEntry("account", "000000000000").containsEntry("region", "us-east-1")
                    .containsEntry("detail", Map.of("workspaceId", "ws_1", "seats", 5));
        });
    }

    /**
     * The runtime's billing bus (the template's {@code BillingEventBus}, named {@code wsl-local-billing} here)
     * feeds the project's billing rule, and the default bus feeds nothing: an event that says
     * {@code source: wsl.billing} proves nothing, where it was put does. What the function makes of the
     * event is the licenses module's business (its tests say); here only that it is the one invoked.
     */
    @Test
    void billingEventsReachTheBillingFunctionOnlyOnTheBillingBus(LocalStackRuntime runtime) {
        assertThat(runtime.eventBus().rules()).extracting(SamTemplate.EventRule::functionLogicalId)
                .containsExactly("BillingEventsFunction");
        Map<String, Object> event = LocalMain.subscriptionPurchased("ws_unknown", "Team", 5, "admin@example.com",
                java.time.Instant.now());

        List<EventBus.Delivery> onTheDefaultBus = runtime.eventBus().put(event);
        List<EventBus.Delivery> purchase = runtime.eventBus().put(LocalMain.BILLING_BUS, event);
        List<EventBus.Delivery> byName = runtime.eventBus().put("wsl-local-billing", event);
        List<EventBus.Delivery> invoice = runtime.eventBus().put(LocalMain.BILLING_BUS, Map.of("source", "wsl.billing",
                "detail-type", "Invoice Paid", "detail", Map.of("workspaceId", "ws_unknown")));
        List<EventBus.Delivery> otherSource = runtime.eventBus().put(LocalMain.BILLING_BUS, Map.of("source", "wsl.elsewhere",
                "detail-type", "Subscription Purchased", "detail", Map.of("workspaceId", "ws_unknown")));

        assertThat(onTheDefaultBus).as("the default bus: anyone with events:PutEvents in the account").isEmpty();
        assertThat(purchase).extracting(EventBus.Delivery::functionLogicalId).containsExactly("BillingEventsFunction");
        assertThat(byName).extracting(EventBus.Delivery::functionLogicalId).containsExactly("BillingEventsFunction");
        assertThat(invoice).isEmpty();
        assertThat(otherSource).isEmpty();
    }

    private static void put(DynamoDbClient db, LocalStackRuntime runtime, String sk, int failTimes) {
        db.putItem(r -> r.tableName(runtime.tableName()).item(Map.of("PK", s("WS#9"), "SK", s(sk),
                "failTimes", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(Integer.toString(failTimes)))));
    }

    /** A pump over the runtime's table that delivers to the test template's recording consumer. */
    private static StreamPump testPump(LocalStackRuntime runtime) {
        SamTemplate template = TestTemplates.test();
        return new StreamPump(runtime.dynamoDb(), runtime.streams(), runtime.tableName(), template.streamConsumers(),
                new FunctionInvoker(template, Clock.systemUTC()));
    }

}
