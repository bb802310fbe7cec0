package dev.wsl.licenses;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.wsl.core.store.Keys;
import dev.wsl.core.store.UsageChanges;
import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code UsageDaysFunction}: consumes the table's stream (the template filters for writes of usage records,
 * {@code USE#…}, and of license pools, {@code LICENSES}) and keeps the daily usage items ({@link UsageRecorder}).
 * This is how usage over time costs activation nothing: activation writes its hourly usage record as before, and
 * the record's move to a new UTC day is counted here, once. A record that fails (a throttled table) is reported as
 * a batch item failure for the stream to deliver again; counting it again counts nothing. Each invocation writes
 * one summary line with its counts.
 */
public final class UsageStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final UsageRecorder recorder;
    private final Clock clock;

    public UsageStreamHandler() {
        this(LicenseServices.usageRecorder(), Clock.systemUTC());
    }

    UsageStreamHandler(UsageRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return Invocation.run(context, "dynamodb-stream", invocation -> {
            List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
            long counted = 0;
            long pools = 0;
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                Optional<UsageChanges.Change> change = change(record);
                if (change.isEmpty()) {
                    continue;
                }
                try {
                    switch (change.get()) {
                        case UsageChanges.SeatUse use -> {
                            if (recorder.usageWritten(use.workspaceId(), use.subjectId(), use.credential(),
                                    use.previousAt(), use.lastAt()) == UsageRecorder.Outcome.COUNTED) {
                                counted++;
                            }
                        }
                        case UsageChanges.PoolChange pool -> {
                            recorder.poolChanged(pool.workspaceId(), changedAt(record), pool.inUseBefore(),
                                    pool.seatsBefore(), pool.inUseAfter(), pool.seatsAfter());
                            pools++;
                        }
                    }
                } catch (RuntimeException e) {
                    // Every other record is still tried; the stream delivers this one (and those after it) again.
                    Log.error("usage record failed").field("sequenceNumber", record.getDynamodb().getSequenceNumber())
                            .error(e).write();
                    failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
                }
            }
            invocation.field("records", event.getRecords().size()).field("seatsCounted", counted)
                    .field("poolChanges", pools).field("batchItemFailures", failures.size());
            if (!failures.isEmpty()) {
                invocation.outcome("batch-item-failures").warn();
            }
            return new StreamsEventResponse(failures);
        });
    }

    private static Optional<UsageChanges.Change> change(DynamodbEvent.DynamodbStreamRecord record) {
        if (!"INSERT".equals(record.getEventName()) && !"MODIFY".equals(record.getEventName())) {
            return Optional.empty();
        }
        Map<String, AttributeValue> keys = record.getDynamodb().getKeys();
        return UsageChanges.of(text(keys.get(Keys.PK)), text(keys.get(Keys.SK)), texts(record.getDynamodb().getOldImage()),
                texts(record.getDynamodb().getNewImage()));
    }

    /** When the table wrote the record (to the second), else now. */
    private Instant changedAt(DynamodbEvent.DynamodbStreamRecord record) {
        java.util.Date at = record.getDynamodb().getApproximateCreationDateTime();
        return at == null ? clock.instant() : at.toInstant();
    }

    private static Map<String, String> texts(Map<String, AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        image.forEach((name, value) -> {
            String text = text(value);
            if (text != null) {
                out.put(name, text);
            }
        });
        return out;
    }

    private static String text(AttributeValue value) {
        return value == null ? null : value.getS() != null ? value.getS() : value.getN();
    }
}
