package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Invitation emails per recipient and per workspace (PRODUCT.md section 11), through the real invite and
 * resend handlers against the emulator, with requests in parallel: exactly the limit is written and sent
 * (counted where the mail leaves, the emulator's SES: what {@code /local/emails} lists), every other
 * request is a 429 problem with {@code Retry-After} (seconds until midnight UTC) and writes nothing. The
 * window's end on a clock is the unit tests' ({@code InvitationLimitTest}). The limits are set small here
 * as template parameters, as a deployment's {@code --parameter-overrides} would.
 */
@ExtendWith(LocalRuntimeExtension.class)
class InvitationLimitIT {
    private static final int PER_RECIPIENT = 3;
    private static final int PER_WORKSPACE = 6;
    private static final int PER_SUBSCRIBED_WORKSPACE = 9;

    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;
    private Map<String, String> before;

    InvitationLimitIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @BeforeEach
    void smallLimits() throws InterruptedException {
        before = runtime.parameters();
        runtime.setParameters(Map.of("InvitationsPerRecipientPerDay", Integer.toString(PER_RECIPIENT),
                "InvitationsPerWorkspacePerDay", Integer.toString(PER_WORKSPACE),
                "InvitationsPerSubscribedWorkspacePerDay", Integer.toString(PER_SUBSCRIBED_WORKSPACE)));
        // The counters are per UTC day: a test must not straddle midnight.
        Instant midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        if (Duration.between(Instant.now(), midnight).toSeconds() < 120) {
            Thread.sleep(Duration.between(Instant.now(), midnight).plusSeconds(1));
        }
    }

    @AfterEach
    void restoreLimits() {
        runtime.setParameters(Map.of(
                "InvitationsPerRecipientPerDay", before.get("InvitationsPerRecipientPerDay"),
                "InvitationsPerWorkspacePerDay", before.get("InvitationsPerWorkspacePerDay"),
                "InvitationsPerSubscribedWorkspacePerDay", before.get("InvitationsPerSubscribedWorkspacePerDay")));
    }

    /** Runs the requests at once (released together) and answers their responses in order. */
    private static List<Api.Response> inParallel(List<Callable<Api.Response>> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (Callable<Api.Response> r : requests) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return r.call();
                }));
            }
            start.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long secondsToMidnightUtc() {
        Instant midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return Duration.between(Instant.now(), midnight).toSeconds();
    }

    /** A 429 problem of this type whose Retry-After (header and problem) is the seconds until midnight UTC. */
    private static void assertLimited(Api.Response r, String type, long secondsBefore, long secondsAfter) {
        assertThat(r.status()).as(r.raw()).isEqualTo(429);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.text("type")).isEqualTo("urn:problem:wsl:" + type);
        assertThat(r.text("detail")).contains("Try again after").contains("00:00 UTC");
        long retryAfter = Long.parseLong(r.headers().get("retry-after"));
        assertThat(retryAfter).isEqualTo(r.json().get("retryAfter").asLong()).isBetween(secondsAfter, secondsBefore + 1);
    }

    @Test
    void parallelInvitationsOfOneAddressFromManyWorkspaces_shouldSendExactlyItsLimit_andRefuseTheRestWithRetryAfter()
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("lim-admin-" + suffix + "@example.com");
        String jane = "lim-jane-" + suffix + "@example.com";
        List<String> workspaces = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            workspaces.add(api.createWorkspace(admin, "Limits " + i));
        }
        List<Callable<Api.Response>> requests = new ArrayList<>();
        for (String ws : workspaces) {
            requests.add(() -> api.invite(admin, ws, "Jane", jane.toUpperCase()));
        }
        long secondsBefore = secondsToMidnightUtc();
        List<Api.Response> responses = inParallel(requests);
        long secondsAfter = secondsToMidnightUtc();

        assertThat(responses).filteredOn(r -> r.status() == 202).hasSize(PER_RECIPIENT);
        assertThat(responses).filteredOn(r -> r.status() != 202).hasSize(8 - PER_RECIPIENT)
                .allSatisfy(r -> assertLimited(r, "recipient-invitation-limit", secondsBefore, secondsAfter));
        for (int i = 0; i < workspaces.size(); i++) {
            boolean sent = responses.get(i).status() == 202;
            assertThat(api.allMembers(admin, workspaces.get(i), true)).as("members of workspace %d", i)
                    .hasSize(sent ? 2 : 1);
            assertThat(api.auditCount(admin, workspaces.get(i))).as("audit of workspace %d", i).isEqualTo(sent ? 2 : 1);
        }
        api.deliverMail();
        assertThat(api.mailTo(jane)).as("invitation emails SES sent to the address (/local/emails)").hasSize(PER_RECIPIENT);
        // Another address is not limited by Jane's count.
        api.invite(admin, workspaces.getFirst(), "Bob", "lim-bob-" + suffix + "@example.com").expect(202);
    }

    @Test
    void parallelResends_shouldCountAgainstTheAddress_andWriteExactlyTheLimitToTheOutbox() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("limre-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Resends");
        String jane = "limre-jane-" + suffix + "@example.com";
        String janeId = api.invite(admin, ws, "Jane", jane).expect(202).text("id");
        api.deliverMail();
        int auditBefore = api.auditCount(admin, ws);

        List<Callable<Api.Response>> resends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            resends.add(() -> api.call(admin, "POST", "/workspaces/" + ws + "/members/" + janeId + "/invitation", null));
        }
        long secondsBefore = secondsToMidnightUtc();
        List<Api.Response> responses = inParallel(resends);
        long secondsAfter = secondsToMidnightUtc();

        assertThat(responses).filteredOn(r -> r.status() == 202).hasSize(PER_RECIPIENT - 1);
        assertThat(responses).filteredOn(r -> r.status() != 202).hasSize(10 - (PER_RECIPIENT - 1))
                .allSatisfy(r -> assertLimited(r, "recipient-invitation-limit", secondsBefore, secondsAfter));
        assertThat(outboxMessagesOf(ws, janeId)).as("invitation emails written for the address: the invitation and "
                + "the resends that were allowed").isEqualTo(PER_RECIPIENT);
        assertThat(api.auditCount(admin, ws)).isEqualTo(auditBefore + PER_RECIPIENT - 1);
        api.deliverMail();
        // A resend supersedes the links before it, so of the two resends only the newer is mailed.
        assertThat(api.mailTo(jane)).hasSize(2);
        api.accept(api.user(jane), api.latestInvitationToken(jane)).expect(200);
    }

    /** The outbox items of a member (one per invitation email written), read from the table. */
    private long outboxMessagesOf(String ws, String memberId) {
        return runtime.dynamoDb().query(q -> q.tableName(runtime.tableName()).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                .expressionAttributeValues(Map.of(
                        ":pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("WS#" + ws),
                        ":sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("OUTBOX#" + memberId + "#"))))
                .count();
    }

    @Test
    void parallelInvitationsFromAWorkspace_shouldSendExactlyItsLimit_andMoreOnceItHasAnActiveSubscription()
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("limws-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Workspace limit");
        List<Callable<Api.Response>> invites = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String email = "limws-" + i + "-" + suffix + "@example.com";
            invites.add(() -> api.invite(admin, ws, "Person", email));
        }
        long secondsBefore = secondsToMidnightUtc();
        List<Api.Response> responses = inParallel(invites);
        long secondsAfter = secondsToMidnightUtc();

        assertThat(responses).filteredOn(r -> r.status() == 202).hasSize(PER_WORKSPACE);
        assertThat(responses).filteredOn(r -> r.status() != 202).hasSize(15 - PER_WORKSPACE)
                .allSatisfy(r -> assertLimited(r, "workspace-invitation-limit", secondsBefore, secondsAfter));
        assertThat(responses).filteredOn(r -> r.status() == 429).first()
                .satisfies(r -> assertThat(r.text("detail")).contains("without an active subscription"));
        assertThat(api.allMembers(admin, ws, true)).as("the admin and exactly the invitations that were sent")
                .hasSize(1 + PER_WORKSPACE);
        api.deliverMail();
        assertThat(runtime.sentEmails()).filteredOn(m -> m.to().startsWith("limws-") && m.to().endsWith(suffix + "@example.com"))
                .hasSize(PER_WORKSPACE);

        // With an active subscription the workspace may send more the same day.
        licenses.purchase(ws, "sub_" + suffix, 5, null);
        for (int i = PER_WORKSPACE; i < PER_SUBSCRIBED_WORKSPACE; i++) {
            api.invite(admin, ws, "Person", "limws-more-" + i + "-" + suffix + "@example.com").expect(202);
        }
        assertLimited(api.invite(admin, ws, "Person", "limws-last-" + suffix + "@example.com"),
                "workspace-invitation-limit", secondsToMidnightUtc() + 5, 0);
    }
}
