package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.core.store.Keys;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A poison record in the real stream path: an outbox item the relay can never claim (written
 * without its attempt counter, as a buggy writer might) between two real invitations. The template's
 * mapping (batch of 10, 3 retries, bisection, partial batch responses, on-failure queue) runs
 * through the local event source mapping against the emulator, with the real handler.
 */
@ExtendWith(LocalRuntimeExtension.class)
class DeadLetterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStackRuntime runtime;
    private final Api api;
    private Keys.Key poison;

    DeadLetterIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
    }

    @BeforeEach
    void quietStreamAndEmptyQueues() {
        api.deliverMail(); // what earlier tests left in the stream is not this test's batch
        for (String queue : runtime.template().queues()) {
            runtime.takeDeadLetters(queue);
        }
    }

    /** The runtime is shared: a poison item left due would fail every later sweep. */
    @AfterEach
    void removePoison() {
        if (poison != null) {
            runtime.dynamoDb().deleteItem(r -> r.tableName(runtime.tableName()).key(poison.toMap()));
        }
    }

    @Test
    void aPoisonOutboxRecordEndsInTheDeadLetterQueue_whileTheRestOfItsBatchIsSent() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("dlq-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Dead letters");
        String before = "dlq-before-" + suffix + "@example.com";
        String after = "dlq-after-" + suffix + "@example.com";

        api.invite(admin, ws, "Before", before).expect(202);
        poison = Keys.outbox(ws, "poison" + suffix, 1);
        Map<String, AttributeValue> item = new HashMap<>(poison.toMap());
        item.put("state", AttributeValue.fromS("PENDING")); // claimable, but no "attempts" to count up
        item.put(Keys.GSI1PK, AttributeValue.fromS("OUTBOX#DUE")); // and due for the sweep
        item.put(Keys.GSI1SK, AttributeValue.fromS("2020-01-01T00:00:00Z#" + ws));
        runtime.dynamoDb().putItem(r -> r.tableName(runtime.tableName()).item(item));
        api.invite(admin, ws, "After", after).expect(202);

        api.deliverMail();

        // The records around the poison are sent, once each, although the retries include "after".
        assertThat(api.mailTo(before)).hasSize(1);
        assertThat(api.mailTo(after)).hasSize(1);
        // The poison is given up after 1 + 3 invocations: Lambda's invocation record, where it is, not what.
        List<String> letters = runtime.takeDeadLetters("OutboxStreamDLQ");
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter).doesNotContain(poison.sk(), "dlq-", "NewImage", "Records");
            JsonNode record = JSON.readTree(letter);
            assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(4);
            assertThat(record.path("requestContext").path("functionArn").asText()).endsWith(":function:OutboxRelayFunction");
            JsonNode batch = record.path("DDBStreamBatchInfo");
            String streamArn = runtime.dynamoDb().describeTable(r -> r.tableName(runtime.tableName())).table().latestStreamArn();
            assertThat(batch.path("streamArn").asText()).isEqualTo(streamArn);
            // Lambda retries from the failed record on, so "after" is in the range: harmless, it was sent.
            assertThat(batch.path("batchSize").asInt()).isEqualTo(2);
            assertThat(firstRecordAt(streamArn, batch.path("shardId").asText(), batch.path("startSequenceNumber").asText())
                    .dynamodb().keys()).isEqualTo(poison.toMap());
        });

        // An invitation whose retry is due right behind the poison in the sweep's order (its stream record not
        // delivered yet, its due time moved to just after the poison's): what a failed send waiting for the sweep is.
        String behind = "dlq-behind-" + suffix + "@example.com";
        String behindId = api.invite(admin, ws, "Behind", behind).expect(202).text("id");
        Keys.Key behindKey = Keys.outbox(ws, behindId, 1);
        runtime.dynamoDb().updateItem(r -> r.tableName(runtime.tableName()).key(behindKey.toMap())
                .conditionExpression("attribute_exists(PK)").updateExpression("SET #sk = :due")
                .expressionAttributeNames(Map.of("#sk", Keys.GSI1SK))
                .expressionAttributeValues(Map.of(":due", AttributeValue.fromS(
                        Keys.outboxDueSk("2020-01-01T00:00:01Z", ws, behindId, 1)))));

        // The same poison fails the sweep (it is due, and it cannot be claimed): the failed run is recorded, and
        // every other due message was still tried, so the invitation behind it is sent.
        assertThat(runtime.scheduler().runOnSchedule("OutboxSweepFunction")).isFalse();
        assertThat(api.mailTo(behind)).as("the invitation behind the poison, sent by the sweep").hasSize(1);
        assertThat(runtime.takeDeadLetters("OutboxSweepDLQ")).singleElement().satisfies(letter -> {
            JsonNode record = JSON.readTree(letter);
            assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
            assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).as("MaximumRetryAttempts: 0")
                    .isEqualTo(1);
            assertThat(record.path("requestPayload").isObject()).isTrue();
            assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        });
        api.deliverMail(); // the behind invitation's stream record: a message sent already is not sent again
        assertThat(api.mailTo(behind)).hasSize(1);
        assertThat(runtime.takeDeadLetters("OutboxStreamDLQ")).isEmpty();
    }

    /** How an operator finds a dead-lettered stream record again (within the stream's 24 hours). */
    private static Record firstRecordAt(String streamArn, String shardId, String sequenceNumber) {
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(sequenceNumber)).shardIterator();
            return streams.getRecords(r -> r.shardIterator(iterator).limit(1)).records().getFirst();
        }
    }
}
