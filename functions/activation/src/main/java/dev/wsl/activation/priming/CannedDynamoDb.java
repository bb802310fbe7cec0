package dev.wsl.activation.priming;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.store.ActivationItems;
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
import java.util.TreeSet;
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

    private static final Instant ISSUED_AT = Instant.parse("2026-01-05T09:30:12.345678901Z");
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

    // The items are built by the writers' own mappers (ActivationItems), so they have the stored shape: a token
    // licensed in one workspace whose pool has one active Team subscription of five seats, the member holding one.

    private String getItemJson(String lastUseHour) {
        return "{\"Item\":" + DynamoJson.item(ActivationItems.authToken(userId, tokenHash, ISSUED_AT,
                Map.of(workspaceId, memberId), lastUseHour)) + "}";
    }

    private String batchGetItemJson() {
        Subscription team = new Subscription("sub_bvpebbufxpo3", "Team", 5, ISSUED_AT, Instant.parse("2099-01-05T09:30:12Z"),
                Subscription.Status.ACTIVE, 1);
        LicensePool pool = new LicensePool(workspaceId, Map.of(team.subscriptionId(), team), 5,
                new SeatTally(1, 1, 0, 0, 0), new TreeSet<>(), 1);
        Member member = Member.builder().workspaceId(workspaceId).memberId(memberId)
                .email(new EmailAddress("dev@example.com")).name("Dev Eloper").status(MemberStatus.ACTIVE)
                .access(Access.MEMBER).userId(userId).invitedAt(ISSUED_AT).invitedBy("9f0ed639-46d3-360d-b8c9-0dd6883f069a")
                .acceptedAt(ISSUED_AT.plusSeconds(1948)).holdings(new Holdings(true, null, null)).version(3).build();
        return "{\"Responses\":{\"" + table + "\":[" + DynamoJson.item(ActivationItems.pool(pool)) + ","
                + DynamoJson.item(ActivationItems.member(member)) + "]},\"UnprocessedKeys\":{}}";
    }
}
