package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.ActivationService;
import dev.wsl.core.domain.SunsetPlan;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoCredentialStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoSunsetStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.licenses.LegacyKeyService;
import dev.wsl.licenses.SunsetKeys;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.SentEmail;
import dev.wsl.local.harness.LocalRuntimeExtension;
import dev.wsl.mailer.SesMailSender;
import dev.wsl.sunset.SunsetHandler;
import dev.wsl.sunset.SunsetJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The legacy-key sunset job through its real handler against the emulator, with a clock the test
 * moves through the plan's phases; notices are read back from the emulator's sent mail. The job
 * pages through every legacy key of the table, so each test starts from an empty emulator.
 */
@ExtendWith(LocalRuntimeExtension.class)
class SunsetIT {
    private static final SunsetPlan PLAN = SunsetPlan.parse("2027-01-04", "2027-03-02T14:00:00Z/2027-03-02T16:00:00Z",
            "2027-06-30", "30", "14");
    private static final Instant BEFORE = Instant.parse("2026-12-01T06:00:00Z");
    private static final Instant ANNOUNCED = Instant.parse("2027-01-05T06:00:00Z");
    private static final Instant BROWNOUT_AHEAD = Instant.parse("2027-02-20T06:00:00Z");
    private static final Instant IN_BROWNOUT = Instant.parse("2027-03-02T15:00:00Z");
    private static final Instant CUTOFF_AHEAD = Instant.parse("2027-06-25T06:00:00Z");
    private static final Instant AFTER_CUTOFF = Instant.parse("2027-07-01T06:00:00Z");
    private static final Instant AFTER_CLEANUP = Instant.parse("2027-08-01T06:00:00Z");

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final MovableClock clock = new MovableClock(BEFORE);
    private String suffix;

    SunsetIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @BeforeEach
    void emptyEmulator() {
        runtime.reset();
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void leaveNoKeysForOthers() {
        runtime.reset();
    }

    /** A workspace with an admin, a holder of one key, one unassigned key, and a 10-seat subscription. */
    private record Workspace(Api.User admin, String ws, Api.User holder, String holderMember, String heldKey,
                             String heldKeyId, String freeKey, String freeKeyId) {}

    private Workspace workspace(String label) {
        Api.User admin = api.user("sun-admin-" + label + "-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Sunset " + label);
        licenses.purchase(ws, "sub_" + label + suffix, 10, null);
        Api.User holder = api.user("sun-holder-" + label + "-" + suffix + "@example.com");
        String holderMember = api.addActiveMember(admin, ws, holder);
        String held = Licenses.randomKey();
        String free = Licenses.randomKey();
        String heldId = licenses.importKey(admin, ws, held, holderMember).expect(201).json().get("items").get(0)
                .get("id").asText();
        String freeId = licenses.importKey(admin, ws, free, null).expect(201).json().get("items").get(0)
                .get("id").asText();
        return new Workspace(admin, ws, holder, holderMember, held, heldId, free, freeId);
    }

    private SunsetJob job(int pageSize) {
        var dynamo = runtime.dynamoDb();
        String table = runtime.tableName();
        SunsetKeys service = new SunsetKeys(new LegacyKeyService(new DynamoWorkspaceStore(dynamo, table),
                new DynamoLicenseStore(dynamo, table), new DynamoCredentialStore(dynamo, table), clock, RetryPolicy.STANDARD));
        return new SunsetJob(new DynamoSunsetStore(dynamo, table), service,
                new SesMailSender(SesMailSender.client(), runtime.environment().get("SENDER_EMAIL")), PLAN, clock, pageSize,
                RetryPolicy.STANDARD);
    }

    private Map<String, Object> run(Instant at) {
        clock.set(at);
        return new SunsetHandler(job(SunsetJobPage.SIZE), 1_000).handleRequest(Map.of(), context(() -> 900_000));
    }

    private long mails(String to, String subjectPart) {
        return runtime.sentEmails().stream().filter(m -> m.to().equalsIgnoreCase(to) && m.subject().contains(subjectPart))
                .count();
    }

    @Test
    void eachPhase_shouldSendItsNoticeOnce_thenDisable_thenDelete() {
        Workspace w = workspace("a");
        String holder = w.holder().email();
        String admin = w.admin().email();
        String personal = "legacy LocalStack API key";
        String digest = "Legacy API keys of your workspace";

        Map<String, Object> before = run(BEFORE);
        assertThat(before).containsEntry("complete", true).containsEntry("phase.BEFORE_ANNOUNCEMENT", 2L);
        assertThat(notices()).isEmpty();

        assertThat(run(ANNOUNCED)).containsEntry("noticesSent", 1L).containsEntry("digestsSent", 1L);
        assertThat(mails(holder, personal)).isEqualTo(1);
        assertThat(mails(admin, digest)).isEqualTo(1);
        assertThat(lastMailTo(holder).body()).contains("phased out").contains("LOCALSTACK_AUTH_TOKEN")
                .contains("2027-06-30");
        assertThat(lastMailTo(admin).body()).contains(w.heldKeyId()).contains(w.freeKeyId());
        assertThat(run(ANNOUNCED)).doesNotContainKey("noticesSent").doesNotContainKey("digestsSent");
        assertThat(mails(holder, personal)).isEqualTo(1);

        run(BROWNOUT_AHEAD);
        assertThat(mails(holder, personal)).isEqualTo(2);
        assertThat(lastMailTo(holder).body()).contains("Brownout").contains("2027-03-02T14:00:00Z");
        assertThat(mails(admin, digest)).isEqualTo(2);

        run(CUTOFF_AHEAD);
        assertThat(mails(holder, personal)).isEqualTo(3);
        assertThat(lastMailTo(holder).body()).contains("stop working on 2027-06-30");

        Map<String, Object> cut = run(AFTER_CUTOFF);
        assertThat(cut).containsEntry("keysDisabled", 2L).containsEntry("phase.CUT_OFF", 2L);
        assertThat(lastMailTo(holder).body()).contains("deleted on 2027-07-30");
        assertThat(run(AFTER_CUTOFF)).doesNotContainKey("keysDisabled");
        assertThat(mails(holder, personal)).isEqualTo(4);

        Map<String, Object> cleanup = run(AFTER_CLEANUP);
        assertThat(cleanup).containsEntry("keysDeleted", 2L).containsEntry("workspace." + w.ws(), 2L);
        assertThat(run(AFTER_CLEANUP)).doesNotContainKey("keysDeleted");
        assertThat(api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/legacy-keys", null).expect(200).json()
                .get("items")).isEmpty();
        assertThat(licenses.assertCountersMatchRecount(w.ws()).tally().inUse()).isZero();
        assertThat(auditActions(w)).filteredOn("legacy-key.deleted-by-sunset"::equals).hasSize(2);
        assertThat(Activations.requestWithApiKey(api, w.heldKey(), false).status()).isEqualTo(401);
    }

    @Test
    void aRunOutOfTime_shouldStopCleanly_andTheNextInvocationsProcessEveryKeyOnce() {
        List<String> holders = new ArrayList<>();
        for (String label : List.of("p", "q")) {
            Api.User admin = api.user("sun-admin-" + label + "-" + suffix + "@example.com");
            String ws = api.createWorkspace(admin, "Sunset " + label);
            licenses.purchase(ws, "sub_" + label + suffix, 50, null);
            StringBuilder keys = new StringBuilder("{\"keys\":[");
            for (int i = 0; i < 12; i++) {
                String email = "sun-h" + i + label + "-" + suffix + "@example.com";
                holders.add(email);
                String member = api.invite(admin, ws, "H" + i, email).expect(202).text("id");
                keys.append(i == 0 ? "" : ",").append("{\"key\":\"").append(Licenses.randomKey())
                        .append("\",\"memberId\":\"").append(member).append("\"}");
            }
            api.call(admin, "POST", "/workspaces/" + ws + "/legacy-keys", keys.append("]}").toString()).expect(201);
        }
        clock.set(ANNOUNCED);
        // Time for two pages of five per invocation, then the budget is gone.
        SunsetHandler handler = new SunsetHandler(job(5), 1_000);

        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < 10 && (results.isEmpty() || !Boolean.TRUE.equals(results.getLast().get("complete"))); i++) {
            results.add(handler.handleRequest(Map.of(), context(budget(900_000, 900_000, 10))));
        }

        System.out.println("[sunset] invocations: " + results);
        assertThat(results).hasSizeGreaterThanOrEqualTo(3);
        assertThat(results.getFirst()).containsEntry("complete", false);
        assertThat(String.valueOf(results.getFirst().get("stopped"))).contains("time budget");
        Map<String, Object> done = results.getLast();
        assertThat(done).containsEntry("complete", true).containsEntry("status", "COMPLETE")
                .containsEntry("phase.ANNOUNCED", 24L).containsEntry("noticesSent", 24L)
                .containsEntry("invocations", (long) results.size());
        for (String holder : holders) {
            assertThat(mails(holder, "legacy LocalStack API key")).as(holder).isEqualTo(1);
        }
        // A new run: every key is looked at again and nothing is sent twice.
        Map<String, Object> again = run(ANNOUNCED);
        assertThat(again).containsEntry("complete", true).containsEntry("phase.ANNOUNCED", 24L)
                .doesNotContainKey("noticesSent");
        assertThat(notices()).hasSize(24 + 2);
    }

    @Test
    void aMigratedHolder_shouldHaveTheKeyRetired_andTheSeatCountStayRight() {
        Workspace w = workspace("m");
        Api.User other = api.user("sun-other-" + suffix + "@example.com");
        String otherMember = api.addActiveMember(w.admin(), w.ws(), other);
        String otherKeyId = licenses.importKey(w.admin(), w.ws(), Licenses.randomKey(), otherMember).expect(201)
                .json().get("items").get(0).get("id").asText();
        licenses.assign(w.admin(), w.ws(), w.holderMember()).expect(200);
        licenses.assign(w.admin(), w.ws(), otherMember).expect(200); // licensed, but never activated
        Activations.request(api, Activations.authToken(api, w.holder()), false).expect(200);
        long inUse = licenses.assertCountersMatchRecount(w.ws()).tally().inUse();

        Map<String, Object> result = run(ANNOUNCED);

        assertThat(result).containsEntry("keysRetired", 1L);
        JsonNode keys = api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/legacy-keys", null).expect(200).json()
                .get("items");
        assertThat(keys).extracting(k -> k.get("id").asText()).containsExactlyInAnyOrder(w.freeKeyId(), otherKeyId);
        // The holder keeps their seat through the license: in use is unchanged, and equal to a recount.
        assertThat(licenses.assertCountersMatchRecount(w.ws()).tally().inUse()).isEqualTo(inUse);
        assertThat(auditActions(w)).contains("legacy-key.retired");
        assertThat(mails(w.holder().email(), "legacy LocalStack API key")).isZero();
        assertThat(mails(other.email(), "legacy LocalStack API key")).isEqualTo(1);
    }

    @Test
    void aDryRun_shouldReportWhatItWouldDo_andChangeAndSendNothing() {
        workspace("d");
        String before = dump();
        clock.set(AFTER_CLEANUP);

        Map<String, Object> report = new SunsetHandler(job(5), 1_000)
                .handleRequest(Map.of("dryRun", true), context(() -> 900_000));

        assertThat(report).containsEntry("dryRun", true).containsEntry("complete", true)
                .containsEntry("keysDeleted", 2L).containsEntry("phase.CLEANUP", 2L);
        assertThat(dump()).isEqualTo(before);
        assertThat(notices()).isEmpty();
    }

    @Test
    void legacyKeys_shouldBeRefusedInABrownoutAndAfterTheCutOff_byTheRealClient_butNotCiKeys() {
        Workspace w = workspace("c");
        String ciKey = api.call(w.admin(), "POST", "/workspaces/" + w.ws() + "/ci-keys", "{\"name\":\"ci\"}")
                .expect(201).text("key");
        ActivationHandler handler = new ActivationHandler(new ActivationService(
                new ActivationStore(runtime.dynamoDb(), runtime.tableName()), clock, Duration.ofHours(24), PLAN));
        try (GatewayHttp http = new GatewayHttp((method, path, query, headers, body) -> handler.handleRequest(
                APIGatewayV2HTTPEvent.builder().withRawPath(path).withBody(body).withIsBase64Encoded(false).build(), null))) {
            LocalStackClient client = new LocalStackClient(http.baseUrl());

            clock.set(BROWNOUT_AHEAD);
            assertThat(client.activateWithApiKey(w.heldKey(), false).ok()).isTrue();

            clock.set(IN_BROWNOUT);
            LocalStackClient.Result brownout = client.activateWithApiKey(w.heldKey(), false);
            assertThat(brownout.ok()).isFalse();
            assertThat(brownout.text("message")).contains("brownout until 2027-03-02T16:00:00Z")
                    .contains("LOCALSTACK_AUTH_TOKEN");
            assertThat(client.activateWithAuthToken(ciKey, true).ok()).as("CI keys are not affected").isTrue();

            clock.set(AFTER_CUTOFF);
            LocalStackClient.Result cut = client.activateWithApiKey(w.heldKey(), false);
            assertThat(cut.ok()).isFalse();
            assertThat(cut.text("message")).contains("stopped working on 2027-06-30");
            assertThat(client.activateWithAuthToken(ciKey, true).ok()).isTrue();
        }
    }

    /** Sent mail other than invitations. */
    private List<SentEmail> notices() {
        return runtime.sentEmails().stream().filter(m -> !m.subject().startsWith("You are invited")).toList();
    }

    private SentEmail lastMailTo(String to) {
        List<SentEmail> mails = runtime.sentEmails().stream().filter(m -> m.to().equalsIgnoreCase(to)).toList();
        return mails.getLast();
    }

    private List<String> auditActions(Workspace w) {
        List<String> actions = new ArrayList<>();
        api.call(w.admin(), "GET", "/workspaces/" + w.ws() + "/audit?limit=100", null).expect(200).json().get("items")
                .forEach(e -> actions.add(e.get("action").asText()));
        return actions;
    }

    private String dump() {
        StringBuilder out = new StringBuilder();
        runtime.dynamoDb().scanPaginator(ScanRequest.builder().tableName(runtime.tableName()).build()).items()
                .forEach(item -> out.append(new java.util.TreeMap<>(item)).append('\n'));
        List<String> lines = new ArrayList<>(List.of(out.toString().split("\n")));
        java.util.Collections.sort(lines);
        return String.join("\n", lines);
    }

    /** Remaining time values, one per question; the last one repeats. */
    private static LongSupplier budget(long... remaining) {
        Deque<Long> queue = new ArrayDeque<>();
        for (long r : remaining) {
            queue.add(r);
        }
        return () -> queue.size() > 1 ? queue.poll() : queue.peek();
    }

    private static final class SunsetJobPage {
        static final int SIZE = 25;
    }

    private static Context context(LongSupplier remaining) {
        return new Context() {
            @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
            @Override public String getLogGroupName() { return "/aws/lambda/SunsetFunction"; }
            @Override public String getLogStreamName() { return "test"; }
            @Override public String getFunctionName() { return "SunsetFunction"; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:SunsetFunction"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return (int) remaining.getAsLong(); }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant at) {
            now = at;
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
