package dev.wsl.local.testfns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every batch. A record whose new image has {@code failTimes = N} is reported as failed
 * the first N times it is seen.
 */
public final class RecordingStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    public static final List<List<DynamodbEvent.DynamodbStreamRecord>> BATCHES = new CopyOnWriteArrayList<>();
    private static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();

    public static void clear() {
        BATCHES.clear();
        SEEN.clear();
    }

    public static List<DynamodbEvent.DynamodbStreamRecord> records() {
        return BATCHES.stream().flatMap(List::stream).toList();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        BATCHES.add(List.copyOf(event.getRecords()));
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
            String seq = r.getDynamodb().getSequenceNumber();
            int seen = SEEN.merge(seq, 1, Integer::sum);
            Map<String, AttributeValue> image = r.getDynamodb().getNewImage();
            AttributeValue failTimes = image == null ? null : image.get("failTimes");
            if (failTimes != null && seen <= Integer.parseInt(failTimes.getN())) {
                failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build());
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }
}
