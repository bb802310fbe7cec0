package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoBackfillStore;
import dev.wsl.core.store.Keys;
import dev.wsl.licenses.BackfillHandler;
import dev.wsl.licenses.BackfillJob;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The upgrade backfill through its real handler (and through the template's {@code BackfillFunction}) against the
 * emulator (docs/deploying.md, "Upgrading an existing deployment"). Data is created through the real API, then put in the shape
 * a deployment from before issues 18 and 21 A has: no SCIM index keys on the members, no SCIM users counter, no seat
 * on the seat index, no seat policy. The backfill must bring back what the SCIM listing, the idle filter and the
 * reclaim job's work list show, in two invocations when its time runs out, and change nothing when run again. It
 * scans the whole table, so each test starts from an empty emulator.
 */
@ExtendWith(LocalRuntimeExtension.class)
class BackfillIT {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Instant T0 = Instant.now().minus(DAY.multipliedBy(60)).truncatedTo(ChronoUnit.SECONDS);

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private final PastSeats past;
    private final Scim scim;
    private String suffix;

    BackfillIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.past = new PastSeats(runtime);
        this.scim = new Scim(runtime, api);
    }

    @BeforeEach
    void emptyEmulator() {
        runtime.reset();
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void leaveNothingForOthers() {
        runtime.reset();
    }

    /**
     * Workspace one: its admin, Jane (licensed at T0, activated at T0 + 10 days), Ivan (invited, licensed at T0,
     * never activated), Rex (invited, no license), Sam (created by the identity provider), Olga (removed). Workspace
     * two: its admin and Kim (licensed now).
     */
    private record Fixture(Api.User admin, String ws, String token, String janeId, String ivanId, Api.User admin2,
                           String ws2) {}

    private Fixture fixture() {
        Api.User admin = api.user("bf-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Backfill " + suffix);
        licenses.purchase(ws, "sub_" + suffix, 10, null);
        Api.User jane = api.user("bf-jane-" + suffix + "@example.com");
        String janeId = api.addActiveMember(admin, ws, jane);
        past.licenseAt(admin, ws, janeId, T0);
        past.activateAt(Activations.authToken(api, jane), T0.plus(DAY.multipliedBy(10)));
        String ivanId = api.invite(admin, ws, "Ivan", "bf-ivan-" + suffix + "@example.com").expect(202).text("id");
        past.licenseAt(admin, ws, ivanId, T0);
        api.invite(admin, ws, "Rex", "bf-rex-" + suffix + "@example.com").expect(202);
        String olgaId = api.invite(admin, ws, "Olga", "bf-olga-" + suffix + "@example.com").expect(202).text("id");
        api.call(admin, "DELETE", "/workspaces/" + ws + "/members/" + olgaId, null).expect(200);
        String token = scim.newToken(admin, ws);
        String sam = "bf-sam-" + suffix + "@example.com";
        scim.call(token, "POST", "/scim/v2/Users", Scim.user(sam, sam, "ext-sam-" + suffix)).expect(201);

        Api.User admin2 = api.user("bf-admin2-" + suffix + "@example.com");
        String ws2 = api.createWorkspace(admin2, "Backfill two " + suffix);
        licenses.purchase(ws2, "sub2_" + suffix, 5, null);
        String kimId = api.invite(admin2, ws2, "Kim", "bf-kim-" + suffix + "@example.com").expect(202).text("id");
        licenses.assign(admin2, ws2, kimId).expect(200);
        api.deliverMail();
        return new Fixture(admin, ws, token, janeId, ivanId, admin2, ws2);
    }

    /** The SCIM users: their ids (sorted) and totalResults. */
    private List<String> scimUsers(Fixture f) {
        JsonNode page = scim.call(f.token(), "GET", "/scim/v2/Users?count=100", null).expect(200).json();
        List<String> ids = new ArrayList<>();
        page.get("Resources").forEach(u -> ids.add(u.get("id").asText()));
        java.util.Collections.sort(ids);
        ids.add("total=" + page.get("totalResults").asInt());
        return ids;
    }

    private List<String> idle(Fixture f) {
        List<String> ids = new ArrayList<>();
        api.call(f.admin(), "GET", "/workspaces/" + f.ws() + "/members?idle=true", null).expect(200).json().get("items")
                .forEach(m -> ids.add(m.get("id").asText() + " idle " + m.get("idleDays").asLong()));
        return ids;
    }

    private long reclaimWorkspaces() {
        Map<String, Object> dry = runtime.scheduler().invoke("ReclaimFunction", Map.of("dryRun", true));
        return dry.get("workspaces") instanceof Number n ? n.longValue() : 0;
    }

    /**
     * What a deployment from before the upgrade holds: members without the SCIM index keys, no SCIMCOUNT, licenses
     * without a seat on the index (the usage item keeps its last activation), no seat policies. Raw attribute names:
     * this is the old shape, which no code of the product writes.
     */
    private void makeOldShape() {
        var db = runtime.dynamoDb();
        String table = runtime.tableName();
        for (Map<String, AttributeValue> item : TableDump.items(runtime)) {
            Map<String, AttributeValue> key = Map.of(Keys.PK, item.get(Keys.PK), Keys.SK, item.get(Keys.SK));
            String sk = item.get(Keys.SK).s();
            if (sk.startsWith("MEMBER#") && item.containsKey(Keys.SCIM_INDEX_PK)) {
                db.updateItem(UpdateItemRequest.builder().tableName(table).key(key)
                        .updateExpression("REMOVE " + Keys.SCIM_INDEX_PK + ", " + Keys.SCIM_INDEX_SK).build());
            } else if (sk.equals("SCIMCOUNT") || sk.equals("SEATPOLICY")) {
                db.deleteItem(DeleteItemRequest.builder().tableName(table).key(key).build());
            } else if (sk.startsWith("USE#") && item.containsKey(Keys.GSI1PK)
                    && item.get(Keys.GSI1PK).s().startsWith("SEATS#")) {
                db.updateItem(UpdateItemRequest.builder().tableName(table).key(key)
                        .updateExpression("REMOVE GSI1PK, GSI1SK, licensedAt, reclaimNotice").build());
            }
        }
    }

    private BackfillHandler handler(int scanPage) {
        return new BackfillHandler(new BackfillJob(new DynamoBackfillStore(runtime.dynamoDb(), runtime.tableName()),
                Clock.systemUTC(), scanPage, RetryPolicy.STANDARD), 1_000);
    }

    @Test
    void theBackfill_shouldBringBackTheScimListingSeatsAndWorkList_acrossTwoInvocations_andChangeNothingWhenRunAgain() {
        Fixture f = fixture();
        List<String> scimBefore = scimUsers(f);
        assertThat(scimBefore).as("admin, Jane, Ivan, Rex, Sam; not Olga").hasSize(6).contains("total=5");
        assertThat(idle(f)).containsExactlyInAnyOrder(f.janeId() + " idle 50", f.ivanId() + " idle 60");
        assertThat(reclaimWorkspaces()).isEqualTo(2);

        makeOldShape();
        assertThat(scimUsers(f)).as("the old shape lists nobody").containsExactly("total=0");
        assertThat(idle(f)).isEmpty();
        assertThat(reclaimWorkspaces()).isZero();
        String old = TableDump.sorted(runtime);

        // The dry run, through the template's function: counts, and not a single write.
        Map<String, Object> dry = runtime.invoke("BackfillFunction", Map.of("dryRun", true));
        assertThat(dry).containsEntry("dryRun", true).containsEntry("complete", true)
                .containsEntry("workspaces", 2L)
                .containsEntry("scimUsersIndexed", 7L) // five, and the second workspace's admin and Kim
                .containsEntry("scimCountersSet", 2L).containsEntry("seatsTracked", 3L)
                .containsEntry("workListJoined", 2L);
        assertThat(TableDump.sorted(runtime)).isEqualTo(old);

        // A run whose time runs out after its first workspace; the next invocation finishes it.
        Map<String, Object> cut = handler(3).handleRequest(Map.of(),
                JobContext.of("BackfillFunction", () -> checkpointHasAWorkspace() ? 10 : 900_000));
        assertThat(cut).containsEntry("complete", false).containsEntry("workspaces", 1L);
        Map<String, Object> rest = handler(3).handleRequest(Map.of(), JobContext.of("BackfillFunction", () -> 900_000));
        assertThat(rest).containsEntry("complete", true).containsEntry("runId", cut.get("runId"))
                .containsEntry("invocations", 2L).containsEntry("workspaces", 2L)
                .containsEntry("scimUsersIndexed", 7L).containsEntry("scimCountersSet", 2L)
                .containsEntry("seatsTracked", 3L).containsEntry("workListJoined", 2L);
        assertThat(read(Keys.backfillCurrentRun())).as("a completed run leaves no checkpoint").isEmpty();

        assertThat(scimUsers(f)).isEqualTo(scimBefore);
        // Jane's seat is idle since her last activation; Ivan's license has none, and when it was given is not
        // stored in the old shape: idle from the backfill on.
        assertThat(idle(f)).containsExactly(f.janeId() + " idle 50");
        JsonNode ivan = null;
        for (JsonNode m : api.call(f.admin(), "GET", "/workspaces/" + f.ws() + "/members", null).expect(200).json()
                .get("items")) {
            ivan = m.get("id").asText().equals(f.ivanId()) ? m : ivan;
        }
        assertThat(ivan).isNotNull();
        assertThat(ivan.get("idleDays").asLong()).isZero();
        assertThat(reclaimWorkspaces()).isEqualTo(2);
        assertThat(read(Keys.seatPolicy(f.ws()))).as("the default policy").isNotEmpty()
                .doesNotContainKey("reclaim");

        // Re-running changes nothing: through the template's function, and the table is as it was.
        String backfilled = TableDump.sorted(runtime);
        Map<String, Object> again = runtime.invoke("BackfillFunction", Map.of());
        assertThat(again).containsEntry("complete", true).containsEntry("workspaces", 2L)
                .containsEntry("scimUsersIndexed", 0L).containsEntry("scimCountersSet", 0L)
                .containsEntry("seatsTracked", 0L).containsEntry("workListJoined", 0L);
        assertThat(TableDump.sorted(runtime)).isEqualTo(backfilled);
        assertThat(runtime.invoke("BackfillFunction", Map.of("dryRun", true))).containsEntry("complete", true)
                .containsEntry("workspaces", 2L).doesNotContainKeys("scimUsersIndexed", "seatsTracked");
    }

    @Test
    void aLiveChangeAfterTheBackfill_shouldMoveTheCounterItSet_andTheListingFollows() {
        Fixture f = fixture();
        makeOldShape();
        runtime.invoke("BackfillFunction", Map.of());
        String kate = "bf-kate-" + suffix + "@example.com";
        scim.call(f.token(), "POST", "/scim/v2/Users", Scim.user(kate, kate, "ext-kate-" + suffix)).expect(201);

        assertThat(scimUsers(f)).hasSize(7).contains("total=6");
        assertThat(runtime.invoke("BackfillFunction", Map.of())).containsEntry("scimCountersSet", 0L)
                .containsEntry("scimUsersIndexed", 0L);
    }

    @Test
    void liveScimAndMemberChangesDuringTheBackfill_shouldLeaveTheCounterEqualToTheListing() throws Exception {
        Fixture f = fixture();
        List<String> leaving = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leaving.add(api.invite(f.admin(), f.ws(), "Leo " + i, "bf-leo" + i + "-" + suffix + "@example.com")
                    .expect(202).text("id"));
        }
        makeOldShape();

        // While the backfill runs: six users arrive through SCIM (+1 each on the counter) and three invitees are
        // removed by the admin (-1 each), in parallel with it and with each other.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> live = new ArrayList<>();
            java.util.concurrent.Future<Map<String, Object>> backfill = pool.submit(
                    () -> runtime.invoke("BackfillFunction", Map.of()));
            for (int i = 0; i < 6; i++) {
                String email = "bf-new" + i + "-" + suffix + "@example.com";
                live.add(pool.submit(() -> scim.call(f.token(), "POST", "/scim/v2/Users",
                        Scim.user(email, email, "ext-" + email)).expect(201)));
            }
            for (String id : leaving) {
                live.add(pool.submit(() -> api.call(f.admin(), "DELETE", "/workspaces/" + f.ws() + "/members/" + id,
                        null).expect(200)));
            }
            for (var change : live) {
                change.get();
            }
            assertThat(backfill.get()).containsEntry("complete", true);
        } finally {
            pool.shutdownNow();
        }

        List<String> users = scimUsers(f);
        assertThat(users).as("admin, Jane, Ivan, Rex, Sam and the six new ones; not the removed")
                .hasSize(12).contains("total=11");
        assertThat(runtime.invoke("BackfillFunction", Map.of())).as("nothing left to fix")
                .containsEntry("scimCountersSet", 0L).containsEntry("scimUsersIndexed", 0L);
    }

    private boolean checkpointHasAWorkspace() {
        return read(Keys.backfillCurrentRun()).containsKey("afterWorkspace");
    }

    private Map<String, AttributeValue> read(Keys.Key key) {
        return runtime.dynamoDb().getItem(GetItemRequest.builder().tableName(runtime.tableName()).key(key.toMap())
                .consistentRead(true).build()).item();
    }
}
