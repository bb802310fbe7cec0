package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.domain.ReclaimRules;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoSeatStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.licenses.ReclaimHandler;
import dev.wsl.licenses.ReclaimJob;
import dev.wsl.licenses.SeatService;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.SentEmail;
import dev.wsl.local.harness.LocalRuntimeExtension;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reclaim job through its real handler against the emulator, on a clock the test moves (issue 21): the notice
 * (an email through the outbox and the mailer, once), an activation after the notice that saves the seat, the
 * reclaim at the deadline audited with the policy as actor, legacy keys and their holders never touched, the dry
 * run, and a run cut off by its time limit that the next invocation finishes. The job pages through every
 * workspace's seat policy, so each test starts from an empty emulator.
 */
@ExtendWith(LocalRuntimeExtension.class)
class ReclaimIT {
    private static final Duration DAY = Duration.ofDays(1);
    /** Long enough ago that every moment of the test is in the past of the real clock (the API's own). */
    private static final Instant T0 = Instant.now().minus(DAY.multipliedBy(100)).truncatedTo(ChronoUnit.HOURS);

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final PastSeats past;
    private final MutableClock clock = new MutableClock(T0);
    private String suffix;

    ReclaimIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.past = new PastSeats(runtime);
    }

    @BeforeEach
    void emptyEmulator() {
        runtime.reset();
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void leaveNoPoliciesForOthers() {
        runtime.reset();
    }

    /**
     * A workspace reclaiming seats idle for 60 days: Jane and Dana got their licenses at T0 and never activated,
     * Bob too but holds a legacy key, Carl activated at T0 + 50 days; one more legacy key is assigned to nobody.
     */
    private record Fixture(Api.User admin, String ws, Api.User jane, String janeId, String danaId, String bobId,
                           String carlId, String freeKeyId) {}

    private Fixture fixture() {
        Api.User admin = api.user("rc-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Reclaim " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 10, null);
        api.call(admin, "PUT", "/workspaces/" + ws + "/seat-policy", "{\"reclaim\":true,\"reclaimDays\":60}")
                .expect(200);
        Api.User jane = api.user("rc-jane-" + suffix + "@example.com");
        String janeId = api.addActiveMember(admin, ws, jane);
        past.licenseAt(admin, ws, janeId, T0);
        String danaId = api.invite(admin, ws, "Dana", "rc-dana-" + suffix + "@example.com").expect(202).text("id");
        past.licenseAt(admin, ws, danaId, T0);
        String bobId = api.invite(admin, ws, "Bob", "rc-bob-" + suffix + "@example.com").expect(202).text("id");
        past.licenseAt(admin, ws, bobId, T0);
        licenses.importKey(admin, ws, Licenses.randomKey(), bobId).expect(201);
        Api.User carl = api.user("rc-carl-" + suffix + "@example.com");
        String carlId = api.addActiveMember(admin, ws, carl);
        past.licenseAt(admin, ws, carlId, T0);
        past.activateAt(Activations.authToken(api, carl), T0.plus(DAY.multipliedBy(50)));
        String freeKeyId = licenses.importKey(admin, ws, Licenses.randomKey(), null).expect(201).json().get("items")
                .get(0).get("id").asText();
        api.deliverMail();
        return new Fixture(admin, ws, jane, janeId, danaId, bobId, carlId, freeKeyId);
    }

    private ReclaimHandler handler(int pageSize) {
        var db = runtime.dynamoDb();
        String table = runtime.tableName();
        SeatService seats = new SeatService(new DynamoWorkspaceStore(db, table), new DynamoLicenseStore(db, table),
                new DynamoSeatStore(db, table), new ReclaimRules(7), LocalTime.of(5, 45), clock, RetryPolicy.STANDARD);
        return new ReclaimHandler(new ReclaimJob(new DynamoSeatStore(db, table), new DynamoWorkspaceStore(db, table),
                seats, clock, pageSize, RetryPolicy.STANDARD), 1_000);
    }

    private Map<String, Object> run(Instant at) {
        clock.set(at);
        return handler(ReclaimJob.PAGE_SIZE).handleRequest(Map.of(), JobContext.of("ReclaimFunction", () -> 900_000));
    }

    private JsonNode member(Fixture f, String id) {
        return api.call(f.admin(), "GET", "/workspaces/" + f.ws() + "/members/" + id, null).expect(200).json();
    }

    private List<SentEmail> mails(String subjectPart) {
        return runtime.sentEmails().stream().filter(m -> m.subject().contains(subjectPart)).toList();
    }

    private List<JsonNode> audit(Fixture f, String action) {
        List<JsonNode> out = new ArrayList<>();
        api.call(f.admin(), "GET", "/workspaces/" + f.ws() + "/audit?limit=100", null).expect(200).json().get("items")
                .forEach(e -> {
                    if (e.get("action").asText().equals(action)) {
                        out.add(e);
                    }
                });
        return out;
    }

    @Test
    void theJob_shouldNoticeOnce_spareAHolderWhoActivated_reclaimAtTheDeadline_andNeverTouchLegacyKeys() {
        Fixture f = fixture();
        String keysBefore = api.call(f.admin(), "GET", "/workspaces/" + f.ws() + "/legacy-keys", null).expect(200).raw();

        Map<String, Object> noticed = run(T0.plus(DAY.multipliedBy(54)));
        api.deliverMail();

        assertThat(noticed).containsEntry("complete", true);
        assertThat(mails("will be reclaimed on")).extracting(SentEmail::to)
                .containsExactlyInAnyOrder(f.jane().email(), "rc-dana-" + suffix + "@example.com");
        SentEmail toJane = mails("will be reclaimed on").stream().filter(m -> m.to().equals(f.jane().email()))
                .findFirst().orElseThrow();
        assertThat(toJane.subject()).contains("\"Reclaim " + suffix + "\"");
        assertThat(toJane.body()).contains("idle for 60 days").contains("LOCALSTACK_AUTH_TOKEN");
        assertThat(mails("Idle licenses in")).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo(f.admin().email());
            assertThat(m.body()).contains("2 holder(s) told");
        });

        // A second run the same day, and the sweep: no email twice.
        run(T0.plus(DAY.multipliedBy(54)).plusSeconds(600));
        api.deliverMail();
        assertThat(runtime.scheduler().invoke("OutboxSweepFunction", Map.of()).toString()).contains("processed=0");
        assertThat(mails("will be reclaimed on")).hasSize(2);
        assertThat(mails("Idle licenses in")).hasSize(1);

        // Jane starts LocalStack after her notice; at the deadline only Dana's license goes.
        past.activateAt(Activations.authToken(api, f.jane()), T0.plus(DAY.multipliedBy(58)));
        Map<String, Object> reclaimed = run(T0.plus(DAY.multipliedBy(61)));
        api.deliverMail();

        assertThat(reclaimed.get(ReclaimJob.THIS_INVOCATION)).asString().contains("reclaimed=1");
        assertThat(member(f, f.danaId()).get("licensed").asBoolean()).isFalse();
        assertThat(member(f, f.janeId()).get("licensed").asBoolean()).as("activated after the notice").isTrue();
        assertThat(member(f, f.carlId()).get("licensed").asBoolean()).isTrue();
        assertThat(member(f, f.bobId()).get("licensed").asBoolean()).as("his legacy key holds the seat").isTrue();
        assertThat(member(f, f.bobId()).has("legacyKeyId")).isTrue();
        assertThat(api.call(f.admin(), "GET", "/workspaces/" + f.ws() + "/legacy-keys", null).expect(200).raw())
                .as("legacy keys untouched").isEqualTo(keysBefore).contains(f.freeKeyId());
        assertThat(audit(f, "license.reclaimed")).singleElement().satisfies(e -> {
            assertThat(e.get("target").asText()).isEqualTo(f.danaId());
            assertThat(e.get("actor").get("id").asText()).isEqualTo("reclaim-policy");
            assertThat(e.get("details").get("policy").asText()).isEqualTo("reclaim seats idle for 60 days");
        });
        assertThat(mails("Idle licenses in")).hasSize(2);
        assertThat(mails("Idle licenses in").getLast().body()).contains("1 idle license(s) reclaimed")
                .contains("rc-dana-" + suffix + "@example.com");
        licenses.assertCountersMatchRecount(f.ws());
        JsonNode summary = licenses.summary(f.admin(), f.ws());
        assertThat(summary.get("idle").get("count").asLong()).as("Bob, idle for 61 days").isEqualTo(1);
        assertThat(summary.get("inUse").asLong()).as("Jane, Bob (and his key), Carl, the free key").isEqualTo(4);
    }

    @Test
    void aDryRun_shouldSayWhatARunWouldDo_andChangeNothing_throughTheScheduledFunctionToo() {
        Fixture f = fixture();
        clock.set(T0.plus(DAY.multipliedBy(54)));
        String before = TableDump.sorted(runtime);

        Map<String, Object> dry = handler(ReclaimJob.PAGE_SIZE).handleRequest(Map.of("dryRun", true),
                JobContext.of("ReclaimFunction", () -> 900_000));

        assertThat(dry).containsEntry("dryRun", true).containsEntry("complete", true).containsEntry("noticesQueued", 2L)
                .containsEntry("keptForLegacyKey", 1L);
        assertThat(TableDump.sorted(runtime)).isEqualTo(before);
        api.deliverMail();
        assertThat(mails("will be reclaimed on")).isEmpty();
        assertThat(member(f, f.danaId()).get("licensed").asBoolean()).isTrue();
        assertThat(runtime.scheduler().invoke("ReclaimFunction", Map.of("dryRun", true)))
                .containsEntry("dryRun", true).containsEntry("complete", true);
        assertThat(TableDump.sorted(runtime)).as("the deployed function's dry run writes nothing either")
                .isEqualTo(before);
    }

    @Test
    void aRunCutOffByItsTimeLimit_shouldBeFinishedByTheNextInvocation_actingOnEverySeatOnce() {
        Fixture f = fixture();
        run(T0.plus(DAY.multipliedBy(54)));
        clock.set(T0.plus(DAY.multipliedBy(61)));
        AtomicInteger asked = new AtomicInteger();

        Map<String, Object> cut = handler(1).handleRequest(Map.of(),
                JobContext.of("ReclaimFunction", () -> asked.incrementAndGet() <= 1 ? 900_000 : 10));
        Map<String, Object> rest = handler(1).handleRequest(Map.of(), JobContext.of("ReclaimFunction", () -> 900_000));
        api.deliverMail();

        assertThat(cut).containsEntry("complete", false);
        assertThat(rest).containsEntry("complete", true).containsEntry("runId", cut.get("runId"))
                .containsEntry("invocations", 2L).containsEntry("reclaimed", 2L);
        assertThat(audit(f, "license.reclaimed")).extracting(e -> e.get("target").asText())
                .containsExactlyInAnyOrder(f.janeId(), f.danaId());
        assertThat(mails("Idle licenses in")).as("one digest per run").hasSize(2);
        licenses.assertCountersMatchRecount(f.ws());
    }
}
