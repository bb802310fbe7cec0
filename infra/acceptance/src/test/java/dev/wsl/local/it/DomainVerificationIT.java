package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.DynamoDomainStore;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import dev.wsl.members.DomainCheckHandler;
import dev.wsl.members.DomainCheckJob;
import dev.wsl.members.JndiTxtResolver;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verified domains (issue 17, part B) through the real handlers and real DNS: every lookup goes over the
 * DNS protocol to the runtime's DNS server on loopback ({@code LocalDns}), where the test publishes and
 * removes TXT records; no resolver is faked. The daily check runs as the scheduled function, and on a clock the
 * test moves for the 7-day lapse.
 */
@ExtendWith(LocalRuntimeExtension.class)
class DomainVerificationIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Scim scim;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final Api.User admin;
    private final String ws;

    DomainVerificationIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.scim = new Scim(runtime, api);
        this.admin = api.user("dom-admin-" + suffix + "@example.com");
        this.ws = api.createWorkspace(admin, "Domains " + suffix);
    }

    private String domain(String label) {
        return label + "-" + suffix + ".example.test";
    }

    private JsonNode add(String domain) {
        return api.call(admin, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"" + domain + "\"}").expect(201).json();
    }

    private JsonNode verify(String domain) {
        return api.call(admin, "POST", "/workspaces/" + ws + "/domains/" + domain + "/verify", null).expect(200).json();
    }

    private JsonNode listed(String domain) {
        for (JsonNode d : api.call(admin, "GET", "/workspaces/" + ws + "/domains", null).expect(200).json().get("items")) {
            if (d.get("domain").asText().equals(domain)) {
                return d;
            }
        }
        throw new AssertionError(domain + " is not listed");
    }

    @Test
    void verify_throughRealDns_isMissing_thenWrongValue_thenVerified() {
        String domain = domain("corp");
        JsonNode added = add(domain.toUpperCase(java.util.Locale.ROOT));
        assertThat(added.get("domain").asText()).isEqualTo(domain);
        assertThat(added.get("status").asText()).isEqualTo("PENDING");
        String name = added.get("record").get("name").asText();
        String value = added.get("record").get("value").asText();
        assertThat(name).isEqualTo("_wsl-verification." + domain);
        assertThat(value).startsWith("wsl-verify=");

        assertThat(verify(domain).get("lastResult").asText()).isEqualTo("MISSING");
        runtime.dns().publishTxt(name, "wsl-verify=someone-elses-value");
        JsonNode wrong = verify(domain);
        assertThat(wrong.get("lastResult").asText()).isEqualTo("WRONG_VALUE");
        assertThat(wrong.get("status").asText()).isEqualTo("PENDING");
        assertThat(wrong.get("detail").asText()).contains("none is " + value);

        runtime.dns().publishTxt(name, value);
        JsonNode verified = verify(domain);
        assertThat(verified.get("status").asText()).isEqualTo("VERIFIED");
        assertThat(verified.get("lastResult").asText()).isEqualTo("FOUND");
        assertThat(listed(domain).get("verifiedAt").asText()).isNotBlank();
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=100", null).expect(200).raw())
                .contains("domain.added", "domain.checked");
    }

    @Test
    void aVerifiedDomain_letsProvisionedPeopleJoinAtSignIn_andItsPeopleAreAskedOnceItLapses() {
        String domain = domain("lapse");
        JsonNode added = add(domain);
        String name = added.get("record").get("name").asText();
        runtime.dns().publishTxt(name, added.get("record").get("value").asText());
        verify(domain);
        String scimToken = scim.newToken(admin, ws);
        Api.User early = api.user("early-" + suffix + "@" + domain);
        scim.call(scimToken, "POST", "/scim/v2/Users", Scim.user(early.email(), early.email(), null)).expect(201);
        JsonNode claimed = api.call(early, "POST", "/me/provisioned/claim", null).expect(200).json().get("items");
        assertThat(claimed).as("a verified domain's person joins at sign-in").hasSize(1);

        // The record is gone: the daily check (the real handler, on a clock the test moves) keeps the grace, then lapses it.
        runtime.dns().removeTxt(name, null);
        MutableClock clock = new MutableClock(Instant.now());
        DomainCheckHandler daily = new DomainCheckHandler(new DomainCheckJob(
                new DynamoDomainStore(runtime.dynamoDb(), runtime.tableName()), new JndiTxtResolver(runtime.dns().resolver()),
                clock, DomainCheckJob.PAGE_SIZE, RetryPolicy.STANDARD), 0);
        Map<String, Object> first = daily.handleRequest(Map.of(), context());
        assertThat(first).containsEntry("complete", true);
        JsonNode missing = listed(domain);
        assertThat(missing.get("status").asText()).isEqualTo("VERIFIED");
        assertThat(missing.get("lastResult").asText()).isEqualTo("MISSING");
        assertThat(Instant.parse(missing.get("lapsesAt").asText())).isEqualTo(clock.instant().plus(Duration.ofDays(7)));

        clock.advance(Duration.ofDays(6));
        daily.handleRequest(Map.of(), context());
        assertThat(listed(domain).get("status").asText()).as("six days without the record").isEqualTo("VERIFIED");

        clock.advance(Duration.ofDays(1));
        Map<String, Object> lapsed = daily.handleRequest(Map.of(), context());
        assertThat(lapsed.get("lapsed")).as("%s", lapsed).isNotNull();
        assertThat(listed(domain).get("status").asText()).isEqualTo("LAPSED");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=100", null).expect(200).raw())
                .contains("domain.lapsed");

        Api.User late = api.user("late-" + suffix + "@" + domain);
        scim.call(scimToken, "POST", "/scim/v2/Users", Scim.user(late.email(), late.email(), null)).expect(201);
        assertThat(api.call(late, "POST", "/me/provisioned/claim", null).expect(200).json().get("items")).isEmpty();
        assertThat(api.call(late, "GET", "/me/pending-memberships", null).expect(200).raw()).contains(ws);
    }

    @Test
    void theScheduledFunction_verifiesADomainWhoseRecordAppeared() {
        String domain = domain("daily");
        JsonNode added = add(domain);
        runtime.dns().publishTxt(added.get("record").get("name").asText(), added.get("record").get("value").asText());

        Object report = runtime.scheduler().invoke("DomainCheckFunction", Map.of());

        assertThat(report.toString()).contains("complete=true");
        assertThat(listed(domain).get("status").asText()).isEqualTo("VERIFIED");
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/audit?limit=100", null).expect(200).raw())
                .contains("domain.verified");
    }

    @Test
    void aLicenseGivenWhileTheDomainWasVerified_isNotKeptWhenThePersonJoinsAfterItWasRemoved() {
        Licenses licenses = new Licenses(runtime, api);
        licenses.purchase(ws, "sub_dom" + suffix, 5, null);
        String domain = domain("removed");
        JsonNode added = add(domain);
        runtime.dns().publishTxt(added.get("record").get("name").asText(), added.get("record").get("value").asText());
        verify(domain);
        String scimToken = scim.newToken(admin, ws);
        Api.User person = api.user("pat-" + suffix + "@" + domain);
        String member = scim.call(scimToken, "POST", "/scim/v2/Users", Scim.user(person.email(), person.email(), null))
                .expect(201).text("id");
        licenses.assign(admin, ws, member).expect(200);
        api.call(admin, "DELETE", "/workspaces/" + ws + "/domains/" + domain, null).expect(204);

        assertThat(api.call(person, "POST", "/me/provisioned/claim", null).expect(200).json().get("items")).isEmpty();
        api.call(person, "POST", "/me/pending-memberships/" + ws + "/join", null).expect(200);

        JsonNode joined = api.call(admin, "GET", "/workspaces/" + ws + "/members/" + member, null).expect(200).json();
        assertThat(joined.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(joined.get("licensed").asBoolean()).as("not kept").isFalse();
        licenses.assertCountersMatchRecount(ws);
        assertThat(Activations.request(api, Activations.authToken(api, person), false).expect(403).text("message"))
                .isEqualTo("licensing.activation_error");
    }

    @Test
    void onlyAdmins_badInput_andTheLimitUnderParallelRequests() throws Exception {
        Api.User member = api.user("dom-member-" + suffix + "@example.com");
        api.addActiveMember(admin, ws, member);
        api.call(member, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"x-" + suffix + ".example\"}").expect(403);
        api.call(member, "GET", "/workspaces/" + ws + "/domains", null).expect(403);
        api.call(api.user("dom-stranger-" + suffix + "@example.com"), "GET", "/workspaces/" + ws + "/domains", null)
                .expect(404);
        assertThat(api.call(admin, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"not a domain\"}").expect(400)
                .text("type")).isEqualTo("urn:problem:wsl:invalid-domain");
        api.call(admin, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"b\u00fccher.example\"}").expect(400);
        api.call(admin, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"a.example\",\"extra\":1}").expect(400);
        api.call(admin, "POST", "/workspaces/" + ws + "/domains/unknown-" + suffix + ".example/verify", null).expect(404);
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/domains", null).expect(200).json().get("items")).isEmpty();

        for (int i = 0; i < 45; i++) {
            add(domain("fill" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> adds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String d = domain("race" + i);
                adds.add(() -> api.call(admin, "POST", "/workspaces/" + ws + "/domains", "{\"domain\":\"" + d + "\"}")
                        .status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(adds)) {
                statuses.add(f.get());
            }
            assertThat(statuses).as("exactly the limit").filteredOn(s -> s == 201).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(15);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.call(admin, "GET", "/workspaces/" + ws + "/domains", null).expect(200).json().get("items"))
                .hasSize(50);
    }

    private static Context context() {
        return new Context() {
            @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
            @Override public String getLogGroupName() { return "/aws/lambda/DomainCheckFunction"; }
            @Override public String getLogStreamName() { return "test"; }
            @Override public String getFunctionName() { return "DomainCheckFunction"; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:DomainCheckFunction"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 900_000; }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}
