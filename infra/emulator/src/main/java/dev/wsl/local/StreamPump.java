package dev.wsl.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.local.SamTemplate.StreamConsumer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The event source mapping of the template's stream consumers: reads the table's stream, turns
 * records into the {@link DynamodbEvent} Lambda would deliver, applies each consumer's
 * {@code FilterCriteria}, invokes it in batches of its {@code BatchSize}, and handles failures as
 * Lambda does ({@link StreamBatchRetry}: {@code ReportBatchItemFailures}, {@code MaximumRetryAttempts},
 * {@code BisectBatchOnFunctionError}, {@code MaximumRecordAgeInSeconds}). What still fails goes to
 * the consumer's on-failure queue as Lambda's invocation record: the shard and the range of
 * sequence numbers, never the records themselves. Without a destination it is skipped and logged.
 *
 * <p>Positions are remembered as sequence numbers, and every read asks for a fresh
 * {@code AFTER_SEQUENCE_NUMBER} iterator. Keeping iterators is not safe with moto: an iterator
 * holds the table's shard object, and when a transaction fails moto swaps the whole table for the
 * deep copy it took beforehand, so older iterators keep reading an orphaned shard and never see
 * another record.
 *
 * <p>Deliberate simplifications: retries happen at once rather than with back-off; all consumers
 * read from one position per shard (each consumer still
 * sees every record, filtered and batched on its own), starting where the first consumer's
 * {@code StartingPosition} says.
 */
public final class StreamPump implements AutoCloseable {

    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient streams;
    private final String tableName;
    private final List<Subscription> subscriptions;
    private final FunctionInvoker functions;
    private final DeadLetterQueues deadLetters;
    private final Clock clock;

    private String streamArn;
    /** Per shard, the last sequence number read; empty to read from the trim horizon. */
    private final Map<String, Optional<String>> positions = new HashMap<>();
    private final Set<String> finishedShards = new HashSet<>();
    private volatile ScheduledExecutorService poller;
    /**
     * Set when {@link #close()} begins, or the JVM starts shutting down (the emulator's own shutdown hook
     * may stop it before the runtime closes this pump): what fails after that is the shutdown, not a
     * problem to report.
     */
    private volatile boolean closing;
    private final Thread markClosing = new Thread(() -> closing = true, "stream-pump-closing");

    private record Subscription(StreamConsumer consumer, List<FilterPattern> filters) {
        boolean accepts(JsonNode record) {
            return filters.isEmpty() || filters.stream().anyMatch(f -> f.matches(record));
        }
    }

    StreamPump(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, String tableName,
               List<StreamConsumer> consumers, FunctionInvoker functions) {
        this(dynamoDb, streams, tableName, consumers, functions, DeadLetterQueues.NONE, Clock.systemUTC());
    }

    /** @param deadLetters where discarded batches of consumers with an on-failure destination go */
    StreamPump(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, String tableName,
               List<StreamConsumer> consumers, FunctionInvoker functions, DeadLetterQueues deadLetters, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.streams = streams;
        this.tableName = tableName;
        this.functions = functions;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.subscriptions = consumers.stream()
                .filter(StreamConsumer::enabled)
                .map(c -> new Subscription(c, c.filterPatterns().stream().map(FilterPattern::parse).toList()))
                .toList();
    }

    /**
     * Delivers everything currently in the stream, including records written by the consumers
     * while this runs, and returns how many records were delivered (counted once per consumer that
     * accepted them, retries not counted). Records are delivered at most once by this pump.
     */
    public synchronized int drainOnce() {
        if (subscriptions.isEmpty()) {
            return 0;
        }
        String arn;
        try {
            arn = dynamoDb.describeTable(r -> r.tableName(tableName)).table().latestStreamArn();
        } catch (ResourceNotFoundException e) {
            forget();
            return 0;
        }
        if (arn == null) {
            throw new IllegalStateException("table " + tableName + " has no stream; the template's consumers need one");
        }
        if (!arn.equals(streamArn)) {
            forget(); // a new table (e.g. after a reset) has a new stream
            streamArn = arn;
        }
        int delivered = 0;
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (Shard shard : shards(arn)) {
                String shardId = shard.shardId();
                if (finishedShards.contains(shardId)) {
                    continue;
                }
                if (!positions.containsKey(shardId)) {
                    positions.put(shardId, startingPosition(arn, shardId));
                }
                while (true) {
                    GetRecordsResponse response = readAfter(arn, shardId, positions.get(shardId));
                    List<Record> records = response.records();
                    if (response.nextShardIterator() == null) {
                        finishedShards.add(shardId); // a closed shard, read to its end
                    }
                    if (!records.isEmpty()) {
                        // Moved before delivering: a record is delivered at most once, never in a loop.
                        positions.put(shardId, Optional.of(records.getLast().dynamodb().sequenceNumber()));
                        delivered += deliver(arn, shardId, records);
                        progressed = true;
                    }
                    if (records.isEmpty() || response.nextShardIterator() == null) {
                        break;
                    }
                }
            }
        }
        return delivered;
    }

    /** Polls the stream every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("stream-pump").unstarted(r));
        Runtime.getRuntime().addShutdownHook(markClosing);
        poller.scheduleWithFixedDelay(() -> {
            try {
                drainOnce();
            } catch (RuntimeException e) {
                // Keep polling: the emulator may be mid-reset. The handlers' own failures never get here.
                if (!closing) {
                    System.err.println("[stream-pump] polling failed: " + e);
                }
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Forgets stream positions, e.g. after the emulator was reset. */
    synchronized void forget() {
        streamArn = null;
        positions.clear();
        finishedShards.clear();
    }

    /**
     * Stops polling: a drain in progress finishes (interrupting it mid-request would fail the SDK call
     * and the handler it serves, with a stack trace on every Ctrl-C); then the poller ends.
     */
    @Override
    public void close() {
        closing = true;
        ScheduledExecutorService p = poller;
        if (p == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(markClosing);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) already
        }
        LocalThreads.stopGracefully(p);
        synchronized (this) {
            poller = null;
        }
    }

    // ------------------------------------------------------------------ reading

    private List<Shard> shards(String arn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String exclusiveStart = start;
            DescribeStreamResponse response = streams.describeStream(r -> r.streamArn(arn).exclusiveStartShardId(exclusiveStart));
            shards.addAll(response.streamDescription().shards());
            start = response.streamDescription().lastEvaluatedShardId();
        } while (start != null);
        return shards;
    }

    /**
     * Where reading a newly seen shard starts: its trim horizon, or for {@code LATEST} after the
     * records it already holds (a LATEST iterator itself cannot be kept, see the class comment).
     */
    private Optional<String> startingPosition(String arn, String shardId) {
        if (!"LATEST".equals(subscriptions.getFirst().consumer().startingPosition())) {
            return Optional.empty();
        }
        Optional<String> position = Optional.empty();
        while (true) {
            List<Record> records = readAfter(arn, shardId, position).records();
            if (records.isEmpty()) {
                return position;
            }
            position = Optional.of(records.getLast().dynamodb().sequenceNumber());
        }
    }

    private GetRecordsResponse readAfter(String arn, String shardId, Optional<String> after) {
        try {
            String iterator = after.isPresent()
                    ? streams.getShardIterator(r -> r.streamArn(arn).shardId(shardId)
                            .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after.get())).shardIterator()
                    : streams.getShardIterator(r -> r.streamArn(arn).shardId(shardId)
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            return streams.getRecords(r -> r.shardIterator(iterator));
        } catch (TrimmedDataAccessException e) {
            // The records after our position expired (24 h in AWS): go on from the oldest one left.
            System.err.println("[stream-pump] records of " + shardId + " after " + after.orElse("the start")
                    + " were trimmed; continuing from the trim horizon");
            String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            return streams.getRecords(r -> r.shardIterator(iterator));
        }
    }

    // ------------------------------------------------------------------ delivering

    private int deliver(String arn, String shardId, List<Record> records) {
        List<StreamRecords.Converted> converted = records.stream().map(r -> StreamRecords.convert(arn, r)).toList();
        int delivered = 0;
        for (Subscription subscription : subscriptions) {
            List<DynamodbStreamRecord> accepted = converted.stream()
                    .filter(c -> subscription.accepts(c.json()))
                    .map(StreamRecords.Converted::record)
                    .toList();
            int batchSize = Math.max(1, subscription.consumer().batchSize());
            for (int from = 0; from < accepted.size(); from += batchSize) {
                deliverBatch(arn, shardId, subscription.consumer(),
                        accepted.subList(from, Math.min(accepted.size(), from + batchSize)));
            }
            delivered += accepted.size();
        }
        return delivered;
    }

    private void deliverBatch(String arn, String shardId, StreamConsumer consumer, List<DynamodbStreamRecord> batch) {
        StreamBatchRetry<DynamodbStreamRecord> retry = new StreamBatchRetry<>(StreamBatchRetry.Settings.of(consumer),
                r -> r.getDynamodb().getSequenceNumber(), StreamPump::arrival, clock, b -> invoke(consumer, b));
        for (StreamBatchRetry.Discarded<DynamodbStreamRecord> discarded : retry.deliver(batch)) {
            List<DynamodbStreamRecord> records = discarded.records();
            String range = records.getFirst().getDynamodb().getSequenceNumber()
                    + ".." + records.getLast().getDynamodb().getSequenceNumber();
            if (consumer.onFailureQueue().isEmpty()) {
                System.err.printf("[stream-pump] %s: skipping %d record(s) %s (%s after %d invocations); no on-failure destination%n",
                        consumer.functionLogicalId(), records.size(), range, discarded.condition(),
                        discarded.approximateInvokeCount());
                continue;
            }
            String queue = consumer.onFailureQueue().get();
            deadLetters.send(queue, Json.write(invocationRecord(arn, shardId, consumer, discarded)), Map.of());
            System.err.printf("[stream-pump] %s: %d record(s) %s sent to %s (%s after %d invocations)%n",
                    consumer.functionLogicalId(), records.size(), range, queue, discarded.condition(),
                    discarded.approximateInvokeCount());
        }
    }

    private StreamBatchRetry.Result invoke(StreamConsumer consumer, List<DynamodbStreamRecord> batch) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(batch));
        StreamsEventResponse response;
        try {
            response = functions.invoke(consumer.functionLogicalId(), event);
        } catch (Exception | LinkageError e) {
            if (!closing) {
                System.err.println("[stream-pump] " + consumer.functionLogicalId() + " failed on a batch of " + batch.size() + ":");
                e.printStackTrace(System.err);
            }
            return new StreamBatchRetry.Result.FunctionError(e);
        }
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return new StreamBatchRetry.Result.Success();
        }
        return new StreamBatchRetry.Result.ItemFailures(response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    private static Instant arrival(DynamodbStreamRecord record) {
        Date created = record.getDynamodb().getApproximateCreationDateTime();
        return created == null ? Instant.MAX : created.toInstant();
    }

    /**
     * What Lambda sends to a stream mapping's on-failure destination: the invocation's context and
     * where the records are ({@code DDBStreamBatchInfo}), not the records, which stay readable in
     * the stream for its retention period (24 hours).
     */
    private ObjectNode invocationRecord(String arn, String shardId, StreamConsumer consumer,
                                        StreamBatchRetry.Discarded<DynamodbStreamRecord> discarded) {
        List<DynamodbStreamRecord> records = discarded.records();
        ObjectNode record = Json.MAPPER.createObjectNode();
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", "arn:aws:lambda:" + LocalContext.REGION + ":" + LocalContext.ACCOUNT_ID
                + ":function:" + consumer.functionLogicalId());
        request.put("condition", discarded.condition());
        request.put("approximateInvokeCount", discarded.approximateInvokeCount());
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        if (discarded.lastResult().orElse(null) instanceof StreamBatchRetry.Result.FunctionError) {
            response.put("functionError", "Unhandled");
        }
        record.put("version", "1.0");
        record.put("timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode info = record.putObject("DDBStreamBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", records.getFirst().getDynamodb().getSequenceNumber());
        info.put("endSequenceNumber", records.getLast().getDynamodb().getSequenceNumber());
        info.put("approximateArrivalOfFirstRecord", arrivalText(records.getFirst()));
        info.put("approximateArrivalOfLastRecord", arrivalText(records.getLast()));
        info.put("batchSize", records.size());
        info.put("streamArn", arn);
        return record;
    }

    private String arrivalText(DynamodbStreamRecord record) {
        Instant arrival = arrival(record);
        return (arrival.equals(Instant.MAX) ? clock.instant() : arrival).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
