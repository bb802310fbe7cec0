package dev.wsl.activation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An {@link SdkHttpClient} that answers DynamoDB's JSON protocol from memory, so that a real
 * {@code DynamoDbClient} (marshalling, SigV4 signing, interceptors, unmarshalling, CRC32 check) runs
 * without a network: what SnapStart priming activates against ({@link CannedPriming}: the whole
 * request path, compiled before the snapshot, without reading or changing the table), and what the
 * JMH benchmark measures the hot path's CPU with. It answers the three calls of an auth-token
 * activation by {@code X-Amz-Target}:
 * GetItem → the token's lookup item, BatchGetItem → the license pool and the member, UpdateItem →
 * {@code {}}. Anything else is a 400 {@code UnknownOperationException}, which the SDK throws.
 *
 * <p>The lookup item's {@code lastUseHour} is the current UTC hour (re-rendered when the hour
 * turns), so activations take the steady-state path that writes no usage. The request body is read
 * to the end, as a real client writes it to the socket. Thread-safe.
 */
public final class CannedDynamoDb implements SdkHttpClient {
    public static final String GET_ITEM = "DynamoDB_20120810.GetItem";
    public static final String BATCH_GET_ITEM = "DynamoDB_20120810.BatchGetItem";
    public static final String UPDATE_ITEM = "DynamoDB_20120810.UpdateItem";

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private record Canned(byte[] body, String crc32) {
        static Canned of(String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(body);
            return new Canned(body, Long.toString(crc.getValue()));
        }
    }

    private final String table;
    private final String tokenHash;
    private final String userId;
    private final String workspaceId;
    private final String memberId;
    private final Canned batchGetItem;
    private final Canned updateItem = Canned.of("{}");
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, String> lastRequests = new ConcurrentHashMap<>();
    private volatile Canned getItem;
    private volatile long getItemValidUntil;
    private volatile boolean recording;

    public CannedDynamoDb(String table, String tokenHash, String userId, String workspaceId, String memberId) {
        this.table = table;
        this.tokenHash = tokenHash;
        this.userId = userId;
        this.workspaceId = workspaceId;
        this.memberId = memberId;
        this.batchGetItem = Canned.of(batchGetItemJson());
        refreshGetItem();
        for (String target : new String[] {GET_ITEM, BATCH_GET_ITEM, UPDATE_ITEM}) {
            calls.put(target, new AtomicLong());
        }
    }

    /** Calls answered so far for {@code target} (e.g. {@link #UPDATE_ITEM}). */
    public long calls(String target) {
        return calls.getOrDefault(target, new AtomicLong()).get();
    }

    /** While on, the last request body of each target is kept for {@link #lastRequest}. Off during measurement. */
    public void recording(boolean on) {
        recording = on;
    }

    public String lastRequest(String target) {
        return lastRequests.get(target);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        if (recording) {
                            lastRequests.put(target, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        } else {
                            in.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                }
                Canned answer = switch (target) {
                    case GET_ITEM -> currentGetItem();
                    case BATCH_GET_ITEM -> batchGetItem;
                    case UPDATE_ITEM -> updateItem;
                    default -> null;
                };
                if (answer == null) {
                    return respond(400, Canned.of("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\","
                            + "\"message\":\"the canned reads do not answer '" + target + "'\"}"));
                }
                calls.get(target).incrementAndGet();
                return respond(200, answer);
            }

            @Override
            public void abort() {}
        };
    }

    private static HttpExecuteResponse respond(int status, Canned canned) {
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(status)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(canned.body().length))
                .putHeader("x-amz-crc32", canned.crc32())
                .putHeader("x-amzn-RequestId", "CANNED000000000000000000000000000000000000000000000000")
                .build();
        return HttpExecuteResponse.builder().response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(canned.body()))).build();
    }

    @Override
    public String clientName() {
        return "CannedDynamoDb";
    }

    @Override
    public void close() {}

    private Canned currentGetItem() {
        if (System.currentTimeMillis() >= getItemValidUntil) {
            refreshGetItem();
        }
        return getItem;
    }

    private synchronized void refreshGetItem() {
        Instant now = Instant.now();
        getItem = Canned.of(getItemJson(HOUR.format(now)));
        getItemValidUntil = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS).toEpochMilli();
    }

    // The items below have the attributes the real writers store (TokenIndex, LicenseStore, MemberItems),
    // as read back from the local emulator after seeding.

    private String getItemJson(String lastUseHour) {
        return "{\"Item\":{"
                + "\"PK\":{\"S\":\"CRED#" + tokenHash + "\"},\"SK\":{\"S\":\"CRED\"},"
                + "\"type\":{\"S\":\"credential\"},\"kind\":{\"S\":\"auth-token\"},"
                + "\"userId\":{\"S\":\"" + userId + "\"},"
                + "\"licensedIn\":{\"M\":{\"" + workspaceId + "\":{\"S\":\"" + memberId + "\"}}},"
                + "\"v\":{\"N\":\"1\"},\"issuedAt\":{\"S\":\"2026-01-05T09:30:12.345678901Z\"},"
                + "\"lastUseHour\":{\"S\":\"" + lastUseHour + "\"}}}";
    }

    private String batchGetItemJson() {
        String pool = "{\"PK\":{\"S\":\"WS#" + workspaceId + "\"},\"SK\":{\"S\":\"LICENSES\"},"
                + "\"subscriptions\":{\"M\":{\"sub_bvpebbufxpo3\":{\"M\":{"
                + "\"plan\":{\"S\":\"Team\"},\"seats\":{\"N\":\"5\"},"
                + "\"periodStart\":{\"S\":\"2026-01-05T09:30:12Z\"},\"periodEnd\":{\"S\":\"2099-01-05T09:30:12Z\"},"
                + "\"status\":{\"S\":\"ACTIVE\"},\"sequence\":{\"N\":\"1\"}}}}},"
                + "\"seats\":{\"N\":\"5\"},\"version\":{\"N\":\"1\"},\"type\":{\"S\":\"license-pool\"},"
                + "\"inUse\":{\"N\":\"1\"},\"licensed\":{\"N\":\"1\"},\"keysAssigned\":{\"N\":\"0\"},"
                + "\"keysUnassigned\":{\"N\":\"0\"},\"both\":{\"N\":\"0\"}}";
        String member = "{\"PK\":{\"S\":\"WS#" + workspaceId + "\"},\"SK\":{\"S\":\"MEMBER#" + memberId + "\"},"
                + "\"type\":{\"S\":\"member\"},\"workspaceId\":{\"S\":\"" + workspaceId + "\"},"
                + "\"memberId\":{\"S\":\"" + memberId + "\"},\"email\":{\"S\":\"dev@example.com\"},"
                + "\"name\":{\"S\":\"Dev Eloper\"},\"status\":{\"S\":\"ACTIVE\"},\"role\":{\"S\":\"MEMBER\"},"
                + "\"permissions\":{\"L\":[]},\"version\":{\"N\":\"3\"},\"userId\":{\"S\":\"" + userId + "\"},"
                + "\"GSI1PK\":{\"S\":\"USER#" + userId + "\"},\"GSI1SK\":{\"S\":\"WS#" + workspaceId + "\"},"
                + "\"invitedAt\":{\"S\":\"2026-01-05T09:30:12.345678901Z\"},\"invitedBy\":{\"S\":\"9f0ed639-46d3-360d-b8c9-0dd6883f069a\"},"
                + "\"acceptedAt\":{\"S\":\"2026-01-05T10:02:40.123456789Z\"},\"licensed\":{\"BOOL\":true}}";
        return "{\"Responses\":{\"" + table + "\":[" + pool + "," + member + "]},\"UnprocessedKeys\":{}}";
    }
}
