package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.domain.AuthTokens;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.store.DynamoOutboxStore;
import dev.wsl.local.EmbeddedMetrics;
import dev.wsl.local.FunctionLogs;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * The functions' structured logs and embedded metrics, read from their real invocations through the
 * local runtime as CloudWatch would read them ({@link FunctionLogs}): one JSON summary line per
 * invocation with its fields, the metrics of PRODUCT.md section 10 with their dimensions, the one the
 * {@code InvitationEmailsDeadAlarm} reads exactly as that alarm names it, and no secret anywhere.
 */
@ExtendWith(LocalRuntimeExtension.class)
class TelemetryIT {
    private final LocalStackRuntime runtime;
    private final Api api;
    private final Licenses licenses;

    TelemetryIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
        this.licenses = new Licenses(runtime, api);
    }

    @Test
    void everyInvocation_writesOneSummaryLine_withItsRequestFunctionRouteWorkspaceOutcomeAndDuration() {
        long mark = runtime.logs().mark();
        Licenses.Licensed l = licenses.licensedWorkspace("Logs");
        String token = Activations.authToken(api, l.admin());
        APIGatewayV2HTTPResponse granted = runtime.gateway().dispatch("POST", "/v1/license/request", "",
                new HashMap<>(Map.of("content-type", "application/json")),
                Activations.body("licensing-auth-token", token, false, null));
        String unknown = AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX);
        Activations.request(api, unknown, false).expect(401);
        String bobEmail = "logs-bob-" + l.suffix() + "@example.com";
        api.invite(l.admin(), l.ws(), "Bob", bobEmail).expect(202);
        api.call(l.admin(), "GET", "/workspaces/ws_01nothere00000000000000000/members", null).expect(404);
        assertThat(runtime.gateway().dispatch("GET", "/v1/license/info", "", new HashMap<>(PlatformHeaders.basic(token)),
                null).getStatusCode()).isEqualTo(200);
        api.deliverMail();
        String invitation = api.latestInvitationToken(bobEmail);

        List<JsonNode> lines = runtime.logs().linesSince(mark).stream().map(FunctionLogs.Line::json)
                .filter(j -> runtime.template().functionIds().contains(j.path("function_name").asText())).toList();
        List<JsonNode> summaries = lines.stream().filter(j -> j.has("durationMs")).toList();
        assertThat(summaries).isNotEmpty();
        for (JsonNode line : summaries) {
            assertThat(Instant.parse(line.get("timestamp").asText())).as("timestamp of %s", line).isNotNull();
            assertThat(line.get("level").asText()).isIn("INFO", "WARN", "ERROR");
            assertThat(line.get("function_request_id").asText()).isNotBlank().isNotEqualTo("unknown");
            // Powertools' standard keys, which Logs Insights queries written for Powertools read.
            assertThat(line.get("message").asText()).isEqualTo("invocation");
            assertThat(line.get("service").asText()).isNotBlank();
            assertThat(line.get("cold_start").isBoolean()).as("cold_start of %s", line).isTrue();
            assertThat(line.get("route").asText()).isNotBlank();
            assertThat(line.get("outcome").asText()).isNotBlank();
            assertThat(line.get("durationMs").isNumber()).isTrue();
        }

        JsonNode activation = only(summaries, "ActivationFunction", "granted");
        assertThat(activation.get("route").asText()).isEqualTo("POST /v1/license/request");
        assertThat(activation.get("status").asInt()).isEqualTo(200);
        assertThat(activation.get("credentialKind").asText()).isEqualTo("auth-token");
        assertThat(activation.get("workspaceId").asText()).isEqualTo(l.ws());
        assertThat(activation.get("memberId").asText()).isEqualTo(l.adminMember());
        // The access log's requestId ($context.requestId) is the line's apiRequestId.
        assertThat(activation.get("apiRequestId").asText()).isEqualTo(granted.getHeaders().get("apigw-requestid"));
        JsonNode refused = only(summaries, "ActivationFunction", "credentials-invalid");
        assertThat(refused.get("status").asInt()).isEqualTo(401);
        assertThat(refused.has("workspaceId")).isFalse();

        JsonNode created = only(summaries, "CreateWorkspaceFunction", "ok");
        assertThat(created.get("route").asText()).isEqualTo("POST /workspaces");
        assertThat(created.get("status").asInt()).isEqualTo(201);
        assertThat(created.get("userId").asText()).isEqualTo(l.admin().sub());
        JsonNode invite = only(summaries, "InviteMemberFunction", "ok");
        assertThat(invite.get("workspaceId").asText()).isEqualTo(l.ws());
        assertThat(invite.get("status").asInt()).isEqualTo(202);
        JsonNode notFound = only(summaries, "ListMembersFunction", "workspace-not-found");
        assertThat(notFound.get("status").asInt()).isEqualTo(404);
        JsonNode authorized = only(summaries, "TokenAuthorizerFunction", "allowed");
        assertThat(authorized.get("route").asText()).isEqualTo("GET /v1/license/info");
        assertThat(authorized.get("workspaceId").asText()).isEqualTo(l.ws());
        assertThat(only(summaries, "LicenseInfoFunction", "ok").get("workspaceId").asText()).isEqualTo(l.ws());
        assertThat(summaries).filteredOn(j -> j.get("function_name").asText().equals("OutboxRelayFunction"))
                .anySatisfy(j -> {
                    assertThat(j.get("route").asText()).isEqualTo("dynamodb-stream");
                    assertThat(j.get("sent").asInt()).isPositive();
                });

        String all = lines.toString();
        for (String secret : List.of(token, token.substring(3, token.length() - 4), unknown, l.admin().jwt(),
                PlatformHeaders.basic(token).get("authorization").substring("Basic ".length()), invitation, bobEmail)) {
            assertThat(all).doesNotContain(secret);
        }
    }

    @Test
    void metrics_areReadBackFromTheLines_withSmallDimensionSets_andTheDeadEmailAsItsAlarmReadsIt() {
        long mark = runtime.logs().mark();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("metrics-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Metrics " + suffix);
        assertThat(licenses.purchase(ws, "sub_" + suffix, 1, admin.email())).containsEntry("applied", true);
        String token = Activations.authToken(api, admin);
        Activations.request(api, token, false).expect(200);
        Activations.request(api, token, true).expect(403);
        Activations.request(api, AuthTokens.generate(AuthTokens.DEVELOPER_PREFIX), false).expect(401);
        String bobEmail = "metrics-bob-" + suffix + "@example.com";
        String bob = api.invite(admin, ws, "Bob", bobEmail).expect(202).text("id");
        api.deliverMail();
        licenses.assign(admin, ws, bob).expect(409);
        String janeEmail = "metrics-jane-" + suffix + "@example.com";
        String jane = deadInvitation(admin, ws, janeEmail);

        List<FunctionLogs.Metric> metrics = runtime.logs().metricsSince(mark);
        assertThat(runtime.logs().invalidMetrics()).isEmpty();
        assertThat(sum(metrics, "Activations", Map.of("Service", "activation", "CredentialKind", "auth-token",
                "Outcome", "granted"))).isEqualTo(1);
        assertThat(sum(metrics, "Activations", Map.of("Service", "activation", "CredentialKind", "auth-token",
                "Outcome", "developer-credential-in-ci"))).isEqualTo(1);
        assertThat(sum(metrics, "Activations", Map.of("Service", "activation", "CredentialKind", "auth-token",
                "Outcome", "credentials-invalid"))).isEqualTo(1);
        assertThat(sum(metrics, "SeatAssignments", Map.of("Service", "licenses", "Outcome", "no-free-seat"))).isEqualTo(1);
        assertThat(sum(metrics, "InvitationEmailsSent", Map.of("Service", "mailer"))).isPositive();
        assertThat(sum(metrics, "InvitationEmailsFailed", Map.of("Service", "mailer"))).isPositive();
        assertThat(metrics).allSatisfy(m -> {
            assertThat(m.value().namespace()).isEqualTo("WorkspaceLicenses");
            assertThat(m.value().unit()).isEqualTo("Count");
            assertThat(m.value().dimensions().keySet()).as("no id is a dimension").hasSizeLessThanOrEqualTo(3)
                    .isSubsetOf(Set.of("Service", "CredentialKind", "Outcome"));
            assertThat(m.value().dimensions().values()).noneMatch(v -> v.startsWith("ws_") || v.startsWith("m_"));
        });

        // The alarm reads namespace, metric and dimensions exactly as the template names them.
        @SuppressWarnings("unchecked")
        Map<String, Object> alarm = (Map<String, Object>) runtime.template().resource("InvitationEmailsDeadAlarm")
                .get("Properties");
        Map<String, String> alarmDimensions = new HashMap<>();
        ((List<?>) alarm.get("Dimensions")).forEach(d -> alarmDimensions.put((String) ((Map<?, ?>) d).get("Name"),
                (String) ((Map<?, ?>) d).get("Value")));
        List<FunctionLogs.Metric> dead = metrics.stream()
                .filter(m -> m.value().name().equals(alarm.get("MetricName")) && m.value().value() > 0).toList();
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.value().namespace()).isEqualTo(alarm.get("Namespace"));
            assertThat(m.value().dimensions()).isEqualTo(alarmDimensions);
            assertThat(m.value().value()).isEqualTo(1);
            assertThat(m.function()).isEqualTo("OutboxSweepFunction");
        });
        // ... and the operator finds which invitation, and why, in the line beside it.
        assertThat(runtime.logs().linesSince(mark)).map(FunctionLogs.Line::json)
                .filteredOn(j -> j.path("message").asText().equals("invitation email given up"))
                .singleElement().satisfies(j -> {
                    assertThat(j.get("level").asText()).isEqualTo("ERROR");
                    assertThat(j.get("memberId").asText()).isEqualTo(jane);
                    assertThat(j.get("workspaceId").asText()).isEqualTo(ws);
                    assertThat(j.get("attempt").asInt()).isEqualTo(8);
                    assertThat(j.get("function_request_id").asText()).isEqualTo(dead.getFirst().requestId());
                    assertThat(j.get("error").get("name").asText()).endsWith("SendFailed");
                    assertThat(j.toString()).doesNotContain(janeEmail);
                });
    }

    /**
     * Invites Jane while SES refuses to send, lets the first seven attempts fail (the stream makes the
     * first; the store records six more, each due at once), then the scheduled sweep makes the last.
     */
    private String deadInvitation(Api.User admin, String ws, String email) {
        String sender = runtime.localValues().get("SenderEmail");
        OutboxStore outbox = new DynamoOutboxStore(runtime.dynamoDb(), runtime.tableName());
        try (SesClient ses = SesClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            ses.deleteIdentity(b -> b.identity(sender));
            try {
                String memberId = api.invite(admin, ws, "Jane", email).expect(202).text("id");
                api.deliverMail();
                OutboxMessage.Id id = outbox.due(Instant.now().plus(Duration.ofDays(1)), 1000).stream()
                        .filter(m -> m.memberId().equals(memberId)).findFirst().orElseThrow();
                for (int attempt = 2; attempt < 8; attempt++) {
                    OutboxStore.Claimed claimed = outbox.claim(id, Instant.now(), Duration.ofMinutes(2)).orElseThrow();
                    assertThat(claimed.attempt()).isEqualTo(attempt);
                    outbox.markFailed(claimed, "refused in the test", Instant.now().minusSeconds(1));
                }
                runtime.scheduler().invoke("OutboxSweepFunction");
                assertThat(outbox.state(id)).contains(OutboxStore.State.DEAD);
                return memberId;
            } finally {
                ses.verifyEmailIdentity(b -> b.emailAddress(sender));
            }
        }
    }

    private static JsonNode only(List<JsonNode> lines, String function, String outcome) {
        List<JsonNode> found = lines.stream().filter(j -> j.get("function_name").asText().equals(function)
                && j.path("outcome").asText().equals(outcome)).toList();
        assertThat(found).as("%s lines with outcome %s", function, outcome).hasSize(1);
        return found.getFirst();
    }

    private static double sum(List<FunctionLogs.Metric> metrics, String name, Map<String, String> dimensions) {
        return metrics.stream().map(FunctionLogs.Metric::value)
                .filter(v -> v.name().equals(name) && v.dimensions().equals(dimensions))
                .mapToDouble(EmbeddedMetrics.Value::value).sum();
    }
}
