package dev.wsl.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSummary_isOneJsonLine_withTheInvocationsFields() {
        List<JsonNode> lines = printed(() -> Invocation.start("req-1", "ActivationFunction", "POST /v1/license/request")
                .workspace("ws_1").field("credentialKind", "auth-token").field("records", 3).field("dryRun", false)
                .status(200).outcome("granted").finish());

        assertThat(lines).hasSize(1);
        JsonNode line = lines.getFirst();
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(Instant.parse(line.get("timestamp").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        // Powertools' standard keys, so that Logs Insights queries written for Powertools read these lines.
        assertThat(line.get("message").asText()).isEqualTo("invocation");
        assertThat(line.get("service").asText()).isEqualTo("workspace-licenses");
        assertThat(line.get("function_request_id").asText()).isEqualTo("req-1");
        assertThat(line.get("function_name").asText()).isEqualTo("ActivationFunction");
        assertThat(line.get("cold_start").isBoolean()).isTrue();
        assertThat(line.has("xray_trace_id")).isFalse();
        assertThat(line.has("requestId") || line.has("function") || line.has("coldStart")).isFalse();
        assertThat(line.get("route").asText()).isEqualTo("POST /v1/license/request");
        assertThat(line.get("workspaceId").asText()).isEqualTo("ws_1");
        assertThat(line.get("records").isIntegralNumber()).isTrue();
        assertThat(line.get("dryRun").isBoolean()).isTrue();
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("outcome").asText()).isEqualTo("granted");
        assertThat(line.get("durationMs").isNumber()).isTrue();
        assertThat(line.has("_aws")).isFalse();
    }

    @Test
    void metrics_rideOnTheSummary_inEmbeddedMetricFormat_withDimensionsFromTheFields() {
        JsonNode line = printed(() -> Invocation.start("req-2", "ActivationFunction", "POST /v1/license/request")
                .field("credentialKind", "ci-key").outcome("credentials-invalid")
                .count(Metric.ACTIVATIONS, 1).finish()).getFirst();

        JsonNode aws = line.get("_aws");
        assertThat(aws.get("Timestamp").isIntegralNumber()).isTrue();
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("WorkspaceLicenses");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Service\",\"CredentialKind\",\"Outcome\"]]");
        assertThat(directive.get("Metrics").toString()).isEqualTo("[{\"Name\":\"Activations\",\"Unit\":\"Count\"}]");
        assertThat(line.get("Service").asText()).isEqualTo("activation");
        assertThat(line.get("CredentialKind").asText()).isEqualTo("ci-key");
        assertThat(line.get("Outcome").asText()).isEqualTo("credentials-invalid");
        assertThat(line.get("Activations").asLong()).isEqualTo(1);
    }

    @Test
    void severalMetricsOfOneService_shareTheLine_andZeroIsAValue() {
        JsonNode line = printed(() -> Invocation.start("req-3", "OutboxRelayFunction", "dynamodb-stream")
                .count(Metric.INVITATION_EMAILS_SENT, 2).count(Metric.INVITATION_EMAILS_DEAD, 0)
                .count(Metric.INVITATION_EMAILS_SENT, 1).finish()).getFirst();

        assertThat(line.get("_aws").get("CloudWatchMetrics")).singleElement().satisfies(directive -> {
            assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Service\"]]");
            assertThat(directive.get("Metrics")).extracting(m -> m.get("Name").asText())
                    .containsExactly("InvitationEmailsSent", "InvitationEmailsDead");
        });
        assertThat(line.get("Service").asText()).isEqualTo("mailer");
        assertThat(line.get("InvitationEmailsSent").asLong()).isEqualTo(3);
        assertThat(line.get("InvitationEmailsDead").asLong()).isZero();
    }

    @Test
    void anExplicitDimension_winsOverTheField_andAMissingOneIsUnknown() {
        JsonNode line = printed(() -> Invocation.start("r", "f", "route").outcome("applied")
                .dimension("Outcome", "no-free-seat").count(Metric.SEAT_ASSIGNMENTS, 1).finish()).getFirst();
        JsonNode unknown = printed(() -> Invocation.start("r", "f", "route").count(Metric.ACTIVATIONS, 1).finish())
                .getFirst();

        assertThat(line.get("outcome").asText()).isEqualTo("applied");
        assertThat(line.get("Outcome").asText()).isEqualTo("no-free-seat");
        assertThat(unknown.get("CredentialKind").asText()).isEqualTo("unknown");
    }

    @Test
    void metricsOfTwoServices_cannotShareALine() {
        Invocation invocation = Invocation.start("r", "f", "route").count(Metric.ACTIVATIONS, 1);

        assertThatThrownBy(() -> invocation.count(Metric.INVITATION_EMAILS_SENT, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailure_isAnErrorLine_withTheCauseChainAndTrace_scrubbedOfSecrets() {
        String token = "ls-AbCdEfGh-1234-5678-9abc-def012345678";
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXBhcnQ";
        RuntimeException error = new IllegalStateException("could not handle " + token,
                new RuntimeException("bearer " + jwt, new IllegalArgumentException("jane@example.com: token=abc123def")));

        JsonNode line = printed(() -> Invocation.start("r", "f", "route").status(500).failed(error).finish()).getFirst();

        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("outcome").asText()).isEqualTo("error");
        JsonNode e = line.get("error");
        assertThat(e.get("name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(e.get("message").asText()).startsWith("could not handle ").contains(ErrorReport.MASK);
        assertThat(e.get("causes")).extracting(c -> c.get("name").asText())
                .containsExactly("java.lang.RuntimeException", "java.lang.IllegalArgumentException");
        assertThat(e.get("stack").asText()).contains("Caused by: java.lang.IllegalArgumentException")
                .contains("at dev.wsl.telemetry.InvocationTest");
        assertThat(line.toString()).doesNotContain(token).doesNotContain("AbCdEfGh").doesNotContain(jwt)
                .doesNotContain("eyJzdWIi").doesNotContain("jane@example.com").doesNotContain("abc123def");
    }

    @Test
    void theScrubber_keepsWhatAnOperatorNeeds() {
        String sdk = "Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: "
                + "5QJ5V2N1Q0JC2E6K9A8HGD3B7FVV4KQNSO5AEMVJF66Q9ASUAAJG)";

        String frame = "at org.junit.platform.engine.support.hierarchical.SameThreadHierarchicalTestExecutorService"
                + ".invokeAll(SameThreadHierarchicalTestExecutorService.java:41)";

        assertThat(ErrorReport.scrub(sdk)).isEqualTo(sdk);
        assertThat(ErrorReport.scrub(frame)).isEqualTo(frame);
        assertThat(ErrorReport.scrub("KMS blob AQICAHhmZ3Jvb3Qrc2VjcmV0K2tleStibG9iK3RoYXQraXMrbG9uZw== rest"))
                .isEqualTo("KMS blob " + ErrorReport.MASK + " rest");
        assertThat(ErrorReport.scrub("Authorization: Basic OmxzLUFiQ2QxMjM0LTU2Nzg=")).doesNotContain("OmxzLUFiQ2Qx");
    }

    @Test
    void valuesAreEscaped_soALineIsAlwaysOneJsonObject() {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 separator\u2028 é";

        List<String> raw = printedRaw(() -> Invocation.start("r", "f", "route").field("memberId", nasty).finish());

        assertThat(raw).hasSize(1);
        assertThat(parse(raw.getFirst()).get("memberId").asText()).isEqualTo(nasty);
    }

    @Test
    void http_summarisesTheRoute_theApiRequestId_thePathIds_andTheStatus() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRouteKey("GET /workspaces/{workspaceId}")
                .withPathParameters(Map.of("workspaceId", "ws_9"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("api-1").build())
                .build();

        JsonNode line = printed(() -> Invocation.http(event, null,
                inv -> APIGatewayV2HTTPResponse.builder().withStatusCode(404).build())).getFirst();

        assertThat(line.get("route").asText()).isEqualTo("GET /workspaces/{workspaceId}");
        assertThat(line.get("apiRequestId").asText()).isEqualTo("api-1");
        assertThat(line.get("workspaceId").asText()).isEqualTo("ws_9");
        assertThat(line.get("status").asInt()).isEqualTo(404);
        assertThat(line.get("outcome").asText()).isEqualTo("http-404");
    }

    @Test
    void http_logsAThrownError_andThrowsItOn() {
        RuntimeException boom = new IllegalStateException("boom");
        List<JsonNode> lines = printed(() -> assertThatThrownBy(() -> Invocation.http(
                APIGatewayV2HTTPEvent.builder().withRouteKey("GET /x").build(), null, inv -> {
                    throw boom;
                })).isSameAs(boom));

        assertThat(lines).singleElement().satisfies(l -> assertThat(l.get("error").get("message").asText()).isEqualTo("boom"));
        assertThat(Invocation.current()).isNull();
    }

    @Test
    void extraLines_carryTheRunningInvocationsIds() {
        List<JsonNode> lines = printed(() -> {
            Invocation inv = Invocation.start("req-9", "OutboxSweepFunction", "schedule");
            Log.warn("invitation email not sent").field("memberId", "m_1").field("attempt", 2)
                    .error(new RuntimeException("SES said no")).write();
            inv.finish();
            Log.info("outside").write();
        });

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(0).get("message").asText()).isEqualTo("invitation email not sent");
        assertThat(lines.get(0).get("function_request_id").asText()).isEqualTo("req-9");
        assertThat(lines.get(0).get("function_name").asText()).isEqualTo("OutboxSweepFunction");
        assertThat(lines.get(0).get("route").asText()).isEqualTo("schedule");
        assertThat(lines.get(0).get("attempt").asInt()).isEqualTo(2);
        assertThat(lines.get(0).get("error").get("message").asText()).isEqualTo("SES said no");
        assertThat(lines.get(2).has("function_request_id")).isFalse();
    }

    @Test
    void primedInvocations_writeNothing_andTheFirstRealOneIsCold() {
        List<String> raw = printedRaw(() -> {
            Invocation.priming(() -> {
                for (int i = 0; i < 3; i++) {
                    Invocation.start("p", "PrimedFunction", "route").count(Metric.ACTIVATIONS, 1).finish();
                }
            });
            Invocation.start("real", "PrimedFunction", "route").finish();
            Invocation.start("again", "PrimedFunction", "route").finish();
        });

        assertThat(raw).hasSize(2);
        assertThat(parse(raw.get(0)).get("cold_start").asBoolean()).isTrue();
        assertThat(parse(raw.get(1)).get("cold_start").asBoolean()).isFalse();
    }

    @Test
    void aTracedInvocation_carriesItsXrayTraceId_asPowertoolsNamesIt() {
        assertThat(Invocation.traceId("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
                .isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(Invocation.traceId("Root=1-5759e988-bd862e3fe1be46a994272793")).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(Invocation.traceId("Parent=53995c3f42cd8ad8")).isNull();
        assertThat(Invocation.traceId(null)).isNull();

        String previous = System.getProperty("com.amazonaws.xray.traceHeader");
        System.setProperty("com.amazonaws.xray.traceHeader", "Root=1-67891233-abcdef012345678912345678;Sampled=1");
        try {
            JsonNode line = printed(() -> Invocation.start("req-t", "ActivationFunction", "route").finish()).getFirst();
            assertThat(line.get("xray_trace_id").asText()).isEqualTo("1-67891233-abcdef012345678912345678");
        } finally {
            if (previous == null) {
                System.clearProperty("com.amazonaws.xray.traceHeader");
            } else {
                System.setProperty("com.amazonaws.xray.traceHeader", previous);
            }
        }
    }

    @Test
    void finishingTwice_writesOneLine() {
        List<String> raw = printedRaw(() -> {
            Invocation inv = Invocation.start("r", "f", "route");
            inv.finish();
            inv.finish();
        });

        assertThat(raw).hasSize(1);
    }

    @Test
    void everyMetric_hasServiceFirst_andAtMostThreeDimensions() {
        for (Metric m : Metric.values()) {
            assertThat(m.dimensions().getFirst()).isEqualTo("Service");
            assertThat(m.dimensions()).hasSizeLessThanOrEqualTo(3);
            assertThat(parse(m.directive()).get("Namespace").asText()).isEqualTo(Metric.NAMESPACE);
        }
    }

    private static List<JsonNode> printed(Runnable action) {
        return printedRaw(action).stream().map(InvocationTest::parse).toList();
    }

    /** The lines written to stdout while {@code action} runs on this thread. */
    private static List<String> printedRaw(Runnable action) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(stdout);
        }
        List<String> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
