package dev.wsl.mailer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.store.AwsClients;
import dev.wsl.core.store.DynamoOutboxStore;
import dev.wsl.core.store.Keys;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Consumes new outbox items from the table's stream (the template filters for
 * INSERTs of {@code OUTBOX#} keys) and sends them. A failed send is recorded on the
 * item for the sweep, not reported to the stream, so that one bad address never
 * blocks the shard; only unexpected errors (e.g. throttling, or a malformed item) are
 * reported as batch item failures for the stream to retry. When SES or the table is throttled or not
 * answering, the invocation stops at the first record that meets it, so that it ends well within its
 * timeout: after SES, the rest are left to the sweep; after the table, they are reported failed with that
 * record, for the stream to retry. Each invocation writes one summary line
 * with the batch's counts and the mailer's metrics ({@link Deliveries}), and one line per record that
 * failed, with its cause.
 */
public final class OutboxStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final InvitationMailer mailer;

    public OutboxStreamHandler() {
        this(Mailers.mailer());
    }

    OutboxStreamHandler(InvitationMailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return Invocation.run(context, "dynamodb-stream", invocation -> {
            Deliveries deliveries = new Deliveries();
            try {
                return deliver(event, deliveries, invocation);
            } finally {
                deliveries.report(invocation);
            }
        });
    }

    private StreamsEventResponse deliver(DynamodbEvent event, Deliveries deliveries, Invocation invocation) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords();
        int deferred = 0;
        for (int i = 0; i < records.size(); i++) {
            DynamodbEvent.DynamodbStreamRecord record = records.get(i);
            Map<String, AttributeValue> keys = record.getDynamodb().getKeys();
            Optional<OutboxMessage.Id> id = DynamoOutboxStore.idOf(keys.get(Keys.PK).getS(), keys.get(Keys.SK).getS());
            if (!"INSERT".equals(record.getEventName()) || id.isEmpty()) {
                continue;
            }
            try {
                if (deliveries.add(mailer.deliver(id.get())) == InvitationMailer.Outcome.UNAVAILABLE) {
                    // SES is throttling or not answering: the next sends would fail alike, each spending one of its
                    // message's attempts and this invocation's time. The rest stay in the outbox, where the sweep
                    // takes every message the stream did not finish (OutboxItems.STREAM_GRACE after it was written).
                    deferred = records.size() - i - 1;
                    break;
                }
            } catch (RuntimeException e) {
                // With its stack trace: the cause decides what to fix. Nothing in it holds a token or an address.
                Log.error("outbox record failed").field("workspaceId", id.get().workspaceId())
                        .field("memberId", id.get().memberId())
                        .field("sequenceNumber", record.getDynamodb().getSequenceNumber()).error(e).write();
                // Every other record is still tried: outbox messages do not depend on each other, and a
                // record that keeps failing must not hold back the ones behind it. Lambda retries from
                // the lowest failure (the later records too; a sent message is never claimed again) and
                // then sends what still fails to the on-failure queue.
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                if (AwsClients.unavailable(e)) {
                    // The table is throttled or not answering: the records behind would wait out the same timeouts,
                    // past the function's. Reported failed with this one, so the stream retries them later.
                    records.subList(i + 1, records.size()).forEach(r -> failures.add(
                            new StreamsEventResponse.BatchItemFailure(r.getDynamodb().getSequenceNumber())));
                    break;
                }
            }
        }
        invocation.field("records", records.size()).field("batchItemFailures", failures.size())
                .field("deferred", deferred);
        if (!failures.isEmpty()) {
            invocation.outcome("batch-item-failures").warn();
        }
        return new StreamsEventResponse(failures);
    }
}
