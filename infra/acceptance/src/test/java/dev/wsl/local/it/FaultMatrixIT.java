package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.AwsClients;
import dev.wsl.core.store.Keys;
import dev.wsl.local.FunctionLogs;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.FaultProxy;
import dev.wsl.local.harness.FaultProxy.Fault;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of function under the faults AWS really sends, injected on the wire: the functions' real SDK
 * clients talk to the {@link FaultProxy} in front of the emulator, which answers some of their requests with
 * DynamoDB's {@code ProvisionedThroughputExceededException} or {@code ThrottlingException}, a cancelled
 * transaction ({@code TransactionConflict}, {@code ThrottlingError}), a 500 or a 503, a connection reset
 * (before the request reaches the table, or after it was applied), an answer later than the SDK's attempt
 * timeout; KMS's {@code ThrottlingException}; SES's {@code Throttling} and {@code MessageRejected}. A
 * persistent fault outlasts every retry; a fault "once" hits one request and the retries must absorb it.
 *
 * <p>For each function and fault: the answer its protocol promises (management API: 503 problem+json with
 * {@code Retry-After}; activation: an answer the LocalStack client shows, in time for it not to ask again; the
 * token authorizer: a denial, never a 500; SCIM: a SCIM 503; the outbox and the schedules: nothing lost, nothing
 * sent twice, a failed run where one is due); nothing half-written (the test's items before and after, or, when a
 * retry succeeds, exactly the change an unfaulted twin makes); retries bounded (every attempt is a request the
 * proxy counts); and the summary line and the metric the alarms read.
 *
 * <p>Runs in its own JVM (the failsafe execution {@code fault-matrix}) at the deployed SDK timeouts times
 * {@code faults.timeoutScale} (the emulator on a shared machine sometimes takes a second; the injected delays follow
 * the timeouts in force), its cases in parallel: each case's faults hit only requests that carry its own
 * workspace, user or token (the proxy's markers). Cases that drain the stream or run the schedules, which
 * touch every workspace, run alone.
 */
@Tag("faults")
@ExtendWith(LocalRuntimeExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class FaultMatrixIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Shared by the cases that run in parallel; taken whole by those that touch every workspace. */
    private static final String WORLD = "fault-matrix-world";
    /** Activation and the authorizer are told apart in the logs only by running one at a time. */
    private static final String HOT_PATH = "fault-matrix-hot-path";
    private static final Map<Scenario, Map<String, String>> INTENDED = new ConcurrentHashMap<>();

    private final LocalStackRuntime runtime;
    private final FaultProxy proxy;
    private final Api api;
    private final Licenses licenses;
    private final Scim scim;
    private final List<FaultProxy.Rule> rules = new ArrayList<>();

    FaultMatrixIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.proxy = LocalRuntimeExtension.faults();
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
        this.scim = new Scim(runtime, api);
    }

    @AfterEach
    void removeThisCasesFaults() {
        rules.forEach(FaultProxy.Rule::close);
    }

    // ------------------------------------------------------------------ the faults

    /** A fault as the proxy injects it, on which service and operations, and how often. */
    enum Injected {
        THROTTLED("dynamodb", true, false, () -> Fault.dynamoDb(400, "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded.")),
        THROTTLING_ONCE("dynamodb", false, false, () -> Fault.dynamoDb(400, "ThrottlingException", "Rate of requests exceeds the allowed throughput.")),
        TRANSACTION_CONFLICT("dynamodb", true, true, () -> new Fault.TransactionCanceled("TransactionConflict")),
        TRANSACTION_CONFLICT_ONCE("dynamodb", false, true, () -> new Fault.TransactionCanceled("TransactionConflict")),
        TRANSACTION_THROTTLED("dynamodb", true, true, () -> new Fault.TransactionCanceled("ThrottlingError")),
        INTERNAL_ERROR("dynamodb", true, false, () -> Fault.dynamoDb(500, "InternalServerError", "Internal server error")),
        UNAVAILABLE_ONCE("dynamodb", false, false, () -> Fault.dynamoDb(503, "ServiceUnavailable", "Service unavailable")),
        RESET("dynamodb", true, false, () -> new Fault.Reset(false)),
        RESET_AFTER_COMMIT_ONCE("dynamodb", false, true, () -> new Fault.Reset(true)),
        LATE("dynamodb", true, false, () -> new Fault.Late(pastAttemptTimeout())),
        LATE_ONCE("dynamodb", false, false, () -> new Fault.Late(pastAttemptTimeout())),
        KMS_THROTTLED("kms", true, false, () -> Fault.kms(400, "ThrottlingException", "Rate exceeded")),
        KMS_THROTTLED_ONCE("kms", false, false, () -> Fault.kms(400, "ThrottlingException", "Rate exceeded"));

        final String service;
        final boolean persistent;
        /** Hits TransactWriteItems only (a scenario that writes nothing never meets it). */
        final boolean transactions;
        private final java.util.function.Supplier<Fault> fault;

        Injected(String service, boolean persistent, boolean transactions, java.util.function.Supplier<Fault> fault) {
            this.service = service;
            this.persistent = persistent;
            this.transactions = transactions;
            this.fault = fault;
        }

        /** A cancelled transaction is the use case's to retry (RetryPolicy); everything else the SDK's. */
        boolean retriedByTheUseCase() {
            return this == TRANSACTION_CONFLICT || this == TRANSACTION_THROTTLED;
        }

        FaultProxy.Rule inject(FaultProxy proxy, List<String> markers) {
            FaultProxy.Rule rule = transactions ? proxy.inject(fault.get(), service, "TransactWriteItems")
                    : proxy.inject(fault.get(), service);
            rule.marker(markers.toArray(String[]::new));
            return persistent ? rule : rule.times(1);
        }

        private static Duration pastAttemptTimeout() {
            return AwsClients.attemptTimeout(AwsClients.Service.DYNAMODB).plusMillis(500);
        }
    }

    // ------------------------------------------------------------------ the synchronous functions

    /** One test's own workspace (5 Team seats, its admin licensed) and what its scenario arranged. */
    record World(String suffix, Api.User admin, String ws, String adminMember, Map<String, String> arranged) {
        String get(String name) {
            return arranged.get(name);
        }

        List<String> owned() {
            List<String> markers = new ArrayList<>(List.of(ws, admin.sub()));
            arranged.forEach((name, value) -> {
                if (name.startsWith("marker:")) {
                    markers.add(value);
                }
            });
            return markers;
        }
    }

    /** What a function answered: status, headers, body. */
    record Reply(int status, Map<String, String> headers, JsonNode json, String raw) {
        String header(String name) {
            return headers == null ? null : headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /** A function of the HTTP API (or SCIM) driven through the local gateway. */
    enum Scenario {
        ASSIGN_LICENSE("AssignLicenseFunction", Protocol.PROBLEM, true, Set.of("dynamodb")),
        LIST_MEMBERS("ListMembersFunction", Protocol.PROBLEM, false, Set.of("dynamodb")),
        CREATE_WORKSPACE("CreateWorkspaceFunction", Protocol.PROBLEM, true, Set.of("dynamodb", "kms")),
        REVEAL_AUTH_TOKEN("GetAuthTokenFunction", Protocol.PROBLEM, false, Set.of("dynamodb", "kms")),
        SCIM_CREATE_USER("ScimFunction", Protocol.SCIM, true, Set.of("dynamodb"));

        final String function;
        final Protocol protocol;
        final boolean writes;
        final Set<String> services;

        Scenario(String function, Protocol protocol, boolean writes, Set<String> services) {
            this.function = function;
            this.protocol = protocol;
            this.writes = writes;
            this.services = services;
        }

        boolean meets(Injected fault) {
            return services.contains(fault.service) && (writes || !fault.transactions);
        }
    }

    enum Protocol { PROBLEM, SCIM }

    static Stream<Arguments> managementAndScim() {
        return Arrays.stream(Scenario.values()).flatMap(s -> Arrays.stream(Injected.values()).filter(s::meets)
                .map(f -> Arguments.of(s, f)));
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("managementAndScim")
    @ResourceLock(value = WORLD, mode = ResourceAccessMode.READ)
    void managementApiAndScim(Scenario scenario, Injected injected) {
        World w = arrange(scenario, "Faults");
        List<String> owned = w.owned();
        Map<String, String> before = TableDump.mentioning(runtime, owned);
        long mark = runtime.logs().mark();
        FaultProxy.Rule rule = keep(injected.inject(proxy, markers(scenario, w)));

        Reply reply = act(scenario, w);

        Map<String, String> after = TableDump.mentioning(runtime, owned);
        JsonNode line = summary(mark, scenario.function, scenario == Scenario.CREATE_WORKSPACE
                ? Map.of("userId", w.get("newUser")) : scenario == Scenario.REVEAL_AUTH_TOKEN
                ? Map.of("userId", w.admin().sub()) : Map.of("workspaceId", w.ws()));
        assertThat(rule.faulted()).as("the fault was met: %s", rule).isGreaterThanOrEqualTo(1);
        if (injected.persistent) {
            assertUnavailable(scenario.protocol, reply);
            assertThat(after).as("nothing written under %s", injected).isEqualTo(before);
            assertThat(line.path("status").asInt()).isEqualTo(503);
            assertThat(line.path("outcome").asText()).isIn("unavailable", "busy");
            assertThat(line.path("level").asText()).isIn("WARN", "ERROR");
            if (injected.retriedByTheUseCase()) {
                assertThat(rule.matched()).as("one transaction per attempt of the use case")
                        .isEqualTo(RetryPolicy.STANDARD.maxAttempts());
            } else {
                assertThat(rule.matched()).as("the SDK's attempts of the one call that failed")
                        .isBetween(1, AwsClients.MAX_ATTEMPTS);
            }
        } else {
            assertThat(reply.status()).as("%s", reply.raw()).isBetween(200, 299);
            assertThat(rule.faulted()).isEqualTo(1);
            assertThat(rule.matched()).as("the faulted request and its retry").isGreaterThanOrEqualTo(2);
            assertThat(shape(before, after)).as("exactly the change of an unfaulted twin")
                    .isEqualTo(intended(scenario));
            assertThat(line.path("status").asInt()).isBetween(200, 299);
        }
    }

    private World arrange(Scenario scenario, String label) {
        Licenses.Licensed l = licenses.licensedWorkspace(label);
        Map<String, String> arranged = new HashMap<>();
        switch (scenario) {
            // The admin's own license, taken back first: assigning it again changes the member, the seats and the
            // index activation reads (their token's lookup item). No invitation: no email left for the stream.
            case ASSIGN_LICENSE -> licenses.unassign(l.admin(), l.ws(), l.adminMember()).expect(200);
            case LIST_MEMBERS -> { }
            case CREATE_WORKSPACE -> {
                arranged.put("newUser", "sub-new-" + l.suffix() + "-example.com");
                arranged.put("marker:newUser", "sub-new-" + l.suffix() + "-example.com");
            }
            case REVEAL_AUTH_TOKEN -> Activations.authToken(api, l.admin());
            case SCIM_CREATE_USER -> {
                String token = scim.newToken(l.admin(), l.ws());
                arranged.put("scimToken", token);
                // The token's first use in an hour records that hour: done here, so the case's own changes are its own.
                scim.call(token, "GET", "/scim/v2/Users?filter=userName%20eq%20%22nobody%40example.com%22", null)
                        .expect(200);
            }
        }
        return new World(l.suffix(), l.admin(), l.ws(), l.adminMember(), arranged);
    }

    /** Which requests the case's faults hit: those that carry its workspace or user (never another case's). */
    private static List<String> markers(Scenario scenario, World w) {
        return switch (scenario) {
            case CREATE_WORKSPACE -> List.of(w.get("newUser"));
            case REVEAL_AUTH_TOKEN -> List.of(w.admin().sub());
            default -> List.of(w.ws());
        };
    }

    private Reply act(Scenario scenario, World w) {
        return switch (scenario) {
            case ASSIGN_LICENSE -> gateway("POST", "/workspaces/" + w.ws() + "/members/" + w.adminMember() + "/license",
                    w.admin().jwt(), null);
            case LIST_MEMBERS -> gateway("GET", "/workspaces/" + w.ws() + "/members", w.admin().jwt(), null);
            case CREATE_WORKSPACE -> {
                String email = "new-" + w.suffix() + "@example.com";
                String jwt = runtime.token(w.get("newUser"), email, "new-" + w.suffix(), Duration.ofMinutes(30));
                yield gateway("POST", "/workspaces", jwt, "{\"name\":\"Created under faults\"}");
            }
            case REVEAL_AUTH_TOKEN -> gateway("GET", "/me/auth-token", w.admin().jwt(), null);
            case SCIM_CREATE_USER -> {
                String email = "ada-" + w.suffix() + "@example.com";
                yield send("POST", "/scim/v2/Users", Map.of("authorization", "Bearer " + w.get("scimToken"),
                        "host", "scim.test", "content-type", Scim.SCIM_JSON), Scim.user(email, email, "ext-" + w.suffix()));
            }
        };
    }

    /** The diff an unfaulted twin's request makes, by kind of item: computed once per scenario. */
    private Map<String, String> intended(Scenario scenario) {
        return INTENDED.computeIfAbsent(scenario, s -> {
            World twin = arrange(s, "Twin");
            Map<String, String> before = TableDump.mentioning(runtime, twin.owned());
            Reply reply = act(s, twin);
            assertThat(reply.status()).as("the twin, unfaulted: %s", reply.raw()).isBetween(200, 299);
            return shape(before, TableDump.mentioning(runtime, twin.owned()));
        });
    }

    // ------------------------------------------------------------------ the hot path

    enum HotPath { ACTIVATION, AUTHORIZER, LICENSE_INFO }

    static Stream<Arguments> hotPath() {
        return Arrays.stream(HotPath.values()).flatMap(h -> Arrays.stream(Injected.values())
                .filter(f -> f.service.equals("dynamodb") && !f.transactions).map(f -> Arguments.of(h, f)));
    }

    /**
     * Activation through the real LocalStack client's {@code localstack start} step, and the token authorizer in
     * front of {@code GET /v1/license/info}, whose own read is faulted on its own in LICENSE_INFO.
     */
    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("hotPath")
    @ResourceLock(value = WORLD, mode = ResourceAccessMode.READ)
    @ResourceLock(value = HOT_PATH)
    void activationAndTheTokenAuthorizer(HotPath path, Injected injected) {
        Licenses.Licensed l = licenses.licensedWorkspace("Hot");
        String token = Activations.authToken(api, l.admin());
        List<String> owned = List.of(l.ws(), l.admin().sub());
        Map<String, String> before = TableDump.mentioning(runtime, owned);
        long mark = runtime.logs().mark();
        FaultProxy.Rule rule = keep(injected.inject(proxy, List.of(Secrets.sha256Hex(token), l.ws())));
        if (path == HotPath.LICENSE_INFO) {
            rule.skip(2); // the authorizer's two reads pass; the info function's read of the workspace meets the fault
        }

        switch (path) {
            case ACTIVATION -> {
                LocalStackClient.Result start = new LocalStackClient(GatewayHttp.shared(runtime).baseUrl())
                        .startWithAuthToken(token, false);
                List<JsonNode> lines = lines(mark, "ActivationFunction").stream()
                        .filter(line -> line.path("route").asText().equals("POST /v1/license/request")).toList();
                assertThat(lines).as("one activation: the answer came in time, the client did not ask again")
                        .hasSize(1);
                if (injected.persistent) {
                    assertThat(start.json().path("started").asBoolean()).as("%s", start.json()).isFalse();
                    assertThat(start.text("reason")).contains("licensing.server.busy").doesNotContain("Traceback");
                    assertThat(start.json().get("posts").toString()).contains("/v1/license/request\",\"status\":503");
                    assertThat(lines.getFirst().path("outcome").asText()).isEqualTo("server-busy");
                    assertThat(metric(mark, "ActivationFunction", "Activations")).containsEntry("Outcome", "server-busy");
                } else {
                    assertThat(start.json().path("started").asBoolean()).as("%s", start.json()).isTrue();
                    assertThat(lines.getFirst().path("outcome").asText()).isEqualTo("granted");
                }
            }
            case AUTHORIZER, LICENSE_INFO -> {
                Reply reply = send("GET", "/v1/license/info", PlatformHeaders.basic(token), null);
                List<JsonNode> decisions = lines(mark, "TokenAuthorizerFunction");
                assertThat(decisions).hasSize(1);
                if (injected.persistent && path == HotPath.AUTHORIZER) {
                    assertThat(reply.status()).as("a denial, never a 500: %s", reply.raw()).isEqualTo(403);
                    assertThat(reply.raw()).isEqualTo("{\"message\":\"Forbidden\"}");
                    assertThat(decisions.getFirst().path("outcome").asText()).isEqualTo("server-busy");
                    assertThat(metric(mark, "TokenAuthorizerFunction", "AuthorizerUnavailable"))
                            .as("the metric AuthorizerUnavailableAlarm reads").containsEntry("Service", "authorizer");
                } else if (injected.persistent) {
                    assertThat(reply.status()).as("%s", reply.raw()).isEqualTo(503);
                    assertThat(reply.json().path("message").asText()).isEqualTo("licensing.server.busy");
                    assertThat(decisions.getFirst().path("outcome").asText()).isEqualTo("allowed");
                    assertThat(lines(mark, "LicenseInfoFunction")).singleElement()
                            .satisfies(line -> assertThat(line.path("status").asInt()).isEqualTo(503));
                } else {
                    assertThat(reply.status()).as("%s", reply.raw()).isEqualTo(200);
                }
            }
        }
        assertThat(rule.faulted()).as("the fault was met: %s", rule).isGreaterThanOrEqualTo(1);
        if (injected.persistent) {
            assertThat(rule.matched() - (path == HotPath.LICENSE_INFO ? 2 : 0))
                    .as("the SDK's attempts of the one read that failed").isBetween(1, AwsClients.MAX_ATTEMPTS);
            assertThat(TableDump.mentioning(runtime, owned)).as("nothing written").isEqualTo(before);
        } else {
            assertThat(rule.faulted()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ the outbox: stream and sweep

    /** Faults met while invitation emails go out. */
    enum MailFault {
        SES_THROTTLED("ses", true, () -> Fault.ses(400, "Throttling", "Maximum sending rate exceeded.")),
        SES_THROTTLED_ONCE("ses", false, () -> Fault.ses(400, "Throttling", "Maximum sending rate exceeded.")),
        SES_REJECTED("ses", true, () -> Fault.ses(400, "MessageRejected", "Email address is not verified.")),
        TABLE_THROTTLED("dynamodb", true, Injected.THROTTLED.fault),
        CLAIM_RESET_AFTER_COMMIT_ONCE("dynamodb", false, () -> new Fault.Reset(true));

        final String service;
        final boolean persistent;
        final java.util.function.Supplier<Fault> fault;

        MailFault(String service, boolean persistent, java.util.function.Supplier<Fault> fault) {
            this.service = service;
            this.persistent = persistent;
            this.fault = fault;
        }
    }

    /**
     * Three invitations in one stream batch, delivered under the fault; then, the fault gone, whatever the stream did
     * not send is sent by the sweep: every invitation exactly once, whatever happened.
     */
    @ParameterizedTest(name = "OutboxRelayFunction × {0}")
    @org.junit.jupiter.params.provider.EnumSource(MailFault.class)
    @ResourceLock(value = WORLD, mode = ResourceAccessMode.READ_WRITE)
    void theOutboxStream(MailFault mailFault) {
        Licenses.Licensed l = licenses.licensedWorkspace("Mail");
        // Earlier cases' records, and this workspace's own setup (its pool's changes, which the usage consumer counts
        // from the same stream), are not this case's: only the invitations' records meet the fault.
        quietStreamAndQueues();
        List<String> emails = emails("mail", l);
        List<String> invited = invite(l, emails);
        Map<String, String> before = TableDump.mentioning(runtime, List.of(l.ws()));
        long mark = runtime.logs().mark();
        FaultProxy.Rule rule = mailFault == MailFault.CLAIM_RESET_AFTER_COMMIT_ONCE
                ? proxy.inject(mailFault.fault.get(), "dynamodb", "UpdateItem").marker(Keys.outbox(l.ws(), invited.get(1), 1).sk())
                : proxy.inject(mailFault.fault.get(), mailFault.service).marker(l.ws(), l.suffix());
        keep(mailFault.persistent ? rule : rule.times(1));

        api.deliverMail();

        List<JsonNode> relay = lines(mark, "OutboxRelayFunction").stream()
                .filter(line -> line.path("records").asInt() > 0).toList();
        assertThat(rule.faulted()).as("the fault was met: %s", rule).isGreaterThanOrEqualTo(1);
        switch (mailFault) {
            case SES_THROTTLED -> {
                assertThat(sent(emails)).as("nothing sent while SES throttles").containsOnly(0);
                assertThat(rule.matched()).as("one message's attempts, then the invocation stops sending")
                        .isEqualTo(AwsClients.MAX_ATTEMPTS);
                assertThat(relay.getFirst().path("failed").asInt()).isEqualTo(1);
                assertThat(relay.getFirst().path("deferred").asInt()).isEqualTo(2);
                assertThat(metricValue(mark, "OutboxRelayFunction", "InvitationEmailsFailed")).isEqualTo(1);
                assertThat(runtime.takeDeadLetters("OutboxStreamDLQ")).as("a provider's throttling is no poison").isEmpty();
            }
            case SES_REJECTED -> {
                assertThat(sent(emails)).containsOnly(0);
                assertThat(rule.matched()).as("a rejection is an answer: one request per message").isEqualTo(3);
                assertThat(metricValue(mark, "OutboxRelayFunction", "InvitationEmailsFailed")).isEqualTo(3);
                assertThat(runtime.takeDeadLetters("OutboxStreamDLQ")).isEmpty();
            }
            case TABLE_THROTTLED -> {
                assertThat(sent(emails)).containsOnly(0);
                assertThat(TableDump.mentioning(runtime, List.of(l.ws()))).as("nothing claimed").isEqualTo(before);
                assertThat(relay).as("the batch and the stream's retries").hasSizeGreaterThanOrEqualTo(2);
                for (JsonNode line : relay) {
                    assertThat(line.path("batchItemFailures").asInt()).as("every record of %s failed with the first", line)
                            .isEqualTo(line.path("records").asInt());
                }
                assertThat(rule.matched()).as("the first record's attempts, per invocation")
                        .isLessThanOrEqualTo(AwsClients.MAX_ATTEMPTS * relay.size());
                assertThat(runtime.takeDeadLetters("OutboxStreamDLQ")).as("the batch, given up, for the operator")
                        .isNotEmpty();
            }
            case SES_THROTTLED_ONCE -> assertThat(sent(emails)).containsOnly(1);
            case CLAIM_RESET_AFTER_COMMIT_ONCE -> {
                // The claim was applied, its answer lost: the SDK's repeat finds it claimed, the stream leaves it to the
                // sweep once the claim's lease has run out. Nothing is sent twice, nothing lost.
                assertThat(sent(emails)).containsExactly(1, 0, 1);
                expireLease(l.ws(), invited.get(1));
            }
        }
        faultsGone_theSweepSendsEachOnce(l.ws(), invited, emails);
    }

    /** The sweep, scheduled: under a table that does not answer it fails (for its retry and alarm) and writes nothing. */
    @ParameterizedTest(name = "OutboxSweepFunction × {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = MailFault.class, names = {"TABLE_THROTTLED", "SES_THROTTLED"})
    @ResourceLock(value = WORLD, mode = ResourceAccessMode.READ_WRITE)
    void theOutboxSweep(MailFault mailFault) {
        quietStreamAndQueues();
        Licenses.Licensed l = licenses.licensedWorkspace("Sweep");
        List<String> emails = emails("sweep", l);
        List<String> invited = invite(l, emails);
        // Due for the sweep now, as if the stream had not delivered them (their records wait in the stream, undrained:
        // delivered later, they find the messages sent and send nothing).
        invited.forEach(member -> makeDue(l.ws(), member));
        Map<String, String> before = TableDump.mentioning(runtime, List.of(l.ws()));
        long mark = runtime.logs().mark();
        FaultProxy.Rule rule = keep(mailFault == MailFault.TABLE_THROTTLED
                ? proxy.inject(mailFault.fault.get(), "dynamodb")
                : proxy.inject(mailFault.fault.get(), "ses").marker(l.suffix()));

        boolean succeeded = runtime.scheduler().runOnSchedule("OutboxSweepFunction");

        JsonNode line = lines(mark, "OutboxSweepFunction").getFirst();
        if (mailFault == MailFault.TABLE_THROTTLED) {
            assertThat(succeeded).isFalse();
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(rule.matched()).as("the due query's attempts").isBetween(1, AwsClients.MAX_ATTEMPTS);
            assertThat(runtime.takeDeadLetters("OutboxSweepDLQ")).as("the failed run, for OutboxSweepDLQAlarm").hasSize(1);
            assertThat(TableDump.mentioning(runtime, List.of(l.ws()))).isEqualTo(before);
        } else {
            assertThat(succeeded).as("SES throttling is no failure of the run").isTrue();
            assertThat(rule.matched()).as("one message's attempts, then the run stops sending")
                    .isEqualTo(AwsClients.MAX_ATTEMPTS);
            assertThat(line.path("failed").asInt()).isEqualTo(1);
            assertThat(metricValue(mark, "OutboxSweepFunction", "InvitationEmailsFailed")).isEqualTo(1);
            assertThat(runtime.takeDeadLetters("OutboxSweepDLQ")).isEmpty();
        }
        assertThat(sent(emails)).containsOnly(0);
        faultsGone_theSweepSendsEachOnce(l.ws(), invited, emails);
    }

    // ------------------------------------------------------------------ billing events (EventBridge)

    /** A purchase delivered by the event bus: under a persistent fault retried, then dead-lettered, applied never; else once. */
    @ParameterizedTest(name = "BillingEventsFunction × {0}")
    @org.junit.jupiter.params.provider.EnumSource(value = Injected.class,
            names = {"THROTTLED", "TRANSACTION_CONFLICT", "THROTTLING_ONCE", "TRANSACTION_CONFLICT_ONCE", "RESET_AFTER_COMMIT_ONCE"})
    @ResourceLock(value = WORLD, mode = ResourceAccessMode.READ_WRITE)
    void billingEvents(Injected injected) {
        quietStreamAndQueues();
        Licenses.Licensed l = licenses.licensedWorkspace("Billing");
        long seatsBefore = licenses.pool(l.ws()).seats();
        Map<String, String> before = TableDump.mentioning(runtime, List.of(l.ws()));
        FaultProxy.Rule rule = keep(injected.inject(proxy, List.of(l.ws())));

        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("workspaceId", l.ws());
        detail.put("subscriptionId", "sub_more_" + l.suffix());
        detail.put("sequence", 1);
        detail.put("plan", "Team");
        detail.put("seats", 3);
        detail.put("periodStart", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        detail.put("periodEnd", java.time.Instant.now().plus(365, java.time.temporal.ChronoUnit.DAYS)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        var deliveries = runtime.eventBus().put("BillingEventBus", Map.of("source", "wsl.billing", "detail-type", "Subscription Purchased",
                "detail", detail));

        assertThat(deliveries).singleElement().satisfies(d -> assertThat(d.functionLogicalId()).isEqualTo("BillingEventsFunction"));
        if (injected.persistent) {
            assertThat(deliveries.getFirst().failed()).isTrue();
            assertThat(TableDump.mentioning(runtime, List.of(l.ws()))).as("nothing applied").isEqualTo(before);
            List<String> letters = runtime.takeDeadLetters("BillingEventsDLQ");
            assertThat(letters).as("given up after Lambda's retries, for BillingEventsDLQAlarm").singleElement()
                    .satisfies(letter -> assertThat(JSON.readTree(letter).path("requestContext")
                            .path("approximateInvokeCount").asInt()).isEqualTo(3));
            int perInvocation = injected.retriedByTheUseCase() ? RetryPolicy.STANDARD.maxAttempts() : AwsClients.MAX_ATTEMPTS;
            assertThat(rule.matched()).as("bounded: 3 invocations").isLessThanOrEqualTo(3 * perInvocation);
        } else {
            assertThat(deliveries.getFirst().failed()).isFalse();
            assertThat(licenses.pool(l.ws()).seats()).as("applied exactly once").isEqualTo(seatsBefore + 3);
            licenses.assertCountersMatchRecount(l.ws());
        }
    }

    private static List<String> emails(String tag, Licenses.Licensed l) {
        return List.of(tag + "-a-" + l.suffix() + "@example.com", tag + "-b-" + l.suffix() + "@example.com",
                tag + "-c-" + l.suffix() + "@example.com");
    }

    private List<String> invite(Licenses.Licensed l, List<String> emails) {
        return emails.stream().map(e -> api.invite(l.admin(), l.ws(), "Invitee", e).expect(202).text("id")).toList();
    }

    /** With the faults gone, the sweep sends whatever the stream did not, and nothing is ever sent twice. */
    private void faultsGone_theSweepSendsEachOnce(String ws, List<String> invited, List<String> emails) {
        rules.forEach(FaultProxy.Rule::close);
        invited.forEach(member -> makeDue(ws, member));
        assertThat(runtime.scheduler().runOnSchedule("OutboxSweepFunction")).isTrue();
        api.deliverMail();
        assertThat(sent(emails)).as("each invitation exactly once, in the end").containsOnly(1);
    }

    /** What earlier cases left in the stream and the queues is not this case's. */
    private void quietStreamAndQueues() {
        api.deliverMail();
        for (String queue : runtime.template().queues()) {
            runtime.takeDeadLetters(queue);
        }
    }

    private List<Integer> sent(List<String> emails) {
        return emails.stream().map(e -> api.mailTo(e).size()).toList();
    }

    /** An outbox message due for the sweep now (as a failed send's next attempt, or a stream that did not finish). */
    private void makeDue(String ws, String memberId) {
        Keys.Key key = Keys.outbox(ws, memberId, 1);
        try {
            runtime.dynamoDb().updateItem(r -> r.tableName(runtime.tableName()).key(key.toMap())
                    .conditionExpression("attribute_exists(GSI1PK)").updateExpression("SET #sk = :due")
                    .expressionAttributeNames(Map.of("#sk", Keys.GSI1SK))
                    .expressionAttributeValues(Map.of(":due", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                            .fromS(Keys.outboxDueSk("2020-01-01T00:00:00Z", ws, memberId, 1)))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException sentAlready) {
            // Sent: no longer due for anything.
        }
    }

    /** The claim's two minutes have passed. */
    private void expireLease(String ws, String memberId) {
        Keys.Key key = Keys.outbox(ws, memberId, 1);
        runtime.dynamoDb().updateItem(r -> r.tableName(runtime.tableName()).key(key.toMap())
                .updateExpression("SET leaseUntil = :past").expressionAttributeValues(Map.of(":past",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("2020-01-01T00:00:00Z"))));
    }

    private long metricValue(long mark, String function, String name) {
        return Math.round(runtime.logs().metricsSince(mark).stream()
                .filter(m -> function.equals(m.function()) && m.value().name().equals(name))
                .mapToDouble(m -> m.value().value()).sum());
    }

    // ------------------------------------------------------------------ helpers

    private FaultProxy.Rule keep(FaultProxy.Rule rule) {
        rules.add(rule);
        return rule;
    }

    private Reply gateway(String method, String path, String jwt, String body) {
        Map<String, String> headers = new HashMap<>();
        if (jwt != null) {
            headers.put("authorization", "Bearer " + jwt);
        }
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        return send(method, path, headers, body);
    }

    private Reply send(String method, String path, Map<String, String> headers, String body) {
        int q = path.indexOf('?');
        APIGatewayV2HTTPResponse response = runtime.gateway().dispatch(method, q < 0 ? path : path.substring(0, q),
                q < 0 ? "" : path.substring(q + 1), new HashMap<>(headers), body);
        JsonNode json = null;
        try {
            json = response.getBody() == null || response.getBody().isEmpty() ? null : JSON.readTree(response.getBody());
        } catch (IOException e) {
            // not JSON: left null, the raw body is kept
        }
        return new Reply(response.getStatusCode(), response.getHeaders(), json, response.getBody());
    }

    /** 503 in the protocol's own error format, with a Retry-After the client can follow. */
    private static void assertUnavailable(Protocol protocol, Reply reply) {
        assertThat(reply.status()).as("%s", reply.raw()).isEqualTo(503);
        assertThat(reply.header("retry-after")).as("Retry-After of %s", reply.raw()).isEqualTo("2");
        switch (protocol) {
            case PROBLEM -> {
                assertThat(reply.header("content-type")).isEqualTo("application/problem+json");
                assertThat(reply.json().path("type").asText()).isIn("urn:problem:wsl:unavailable", "urn:problem:wsl:busy");
                assertThat(reply.json().path("status").asInt()).isEqualTo(503);
            }
            case SCIM -> {
                assertThat(reply.header("content-type")).isEqualTo(Scim.SCIM_JSON);
                assertThat(reply.json().path("schemas").get(0).asText()).isEqualTo(Scim.ERROR);
                assertThat(reply.json().path("status").asText()).isEqualTo("503");
            }
        }
        assertThat(reply.raw()).doesNotContain("Exception").doesNotContain("dynamodb");
    }

    /** The summary lines of a function since the mark. */
    private List<JsonNode> lines(long mark, String function) {
        return runtime.logs().linesSince(mark).stream().map(FunctionLogs.Line::json)
                .filter(j -> function.equals(j.path("function_name").asText()) && j.has("durationMs")).toList();
    }

    /** The one summary line of a function since the mark whose fields hold these values. */
    private JsonNode summary(long mark, String function, Map<String, String> fields) {
        List<JsonNode> found = lines(mark, function).stream()
                .filter(j -> fields.entrySet().stream().allMatch(f -> f.getValue().equals(j.path(f.getKey()).asText())))
                .toList();
        assertThat(found).as("summary lines of %s with %s", function, fields).hasSize(1);
        return found.getFirst();
    }

    /** The dimensions of the one value of a metric that a function's lines carried since the mark. */
    private Map<String, String> metric(long mark, String function, String name) {
        List<Map<String, String>> found = runtime.logs().metricsSince(mark).stream()
                .filter(m -> function.equals(m.function()) && m.value().name().equals(name) && m.value().value() > 0)
                .map(m -> m.value().dimensions()).toList();
        assertThat(found).as("%s from %s", name, function).hasSize(1);
        return found.getFirst();
    }

    /**
     * What changed between two dumps, by kind of item ({@code WS/MEMBER}, {@code WS/AUDIT}, {@code CRED/CRED}, …):
     * how many were added, changed, removed. Ids and times differ between twins; the kinds and counts do not.
     */
    static Map<String, String> shape(Map<String, String> before, Map<String, String> after) {
        Map<String, int[]> counts = new TreeMap<>();
        Function<String, int[]> of = key -> counts.computeIfAbsent(kind(key), k -> new int[3]);
        after.forEach((key, item) -> {
            if (!before.containsKey(key)) {
                of.apply(key)[0]++;
            } else if (!before.get(key).equals(item)) {
                of.apply(key)[1]++;
            }
        });
        before.keySet().stream().filter(key -> !after.containsKey(key)).forEach(key -> of.apply(key)[2]++);
        Map<String, String> out = new TreeMap<>();
        counts.forEach((kind, n) -> out.put(kind, "added " + n[0] + ", changed " + n[1] + ", removed " + n[2]));
        return out;
    }

    private static String kind(String key) {
        String[] pkSk = key.split("\\|", 2);
        return prefix(pkSk[0]) + "/" + prefix(pkSk[1]);
    }

    private static String prefix(String keyPart) {
        int hash = keyPart.indexOf('#');
        return (hash < 0 ? keyPart : keyPart.substring(0, hash)).toUpperCase(Locale.ROOT);
    }
}
