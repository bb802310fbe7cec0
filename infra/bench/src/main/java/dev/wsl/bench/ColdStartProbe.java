package dev.wsl.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.TokenAuthorizerHandler;
import dev.wsl.members.InviteMemberHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One cold invocation in a fresh JVM, timed from the process start. {@code invite} builds the
 * real invite handler (as Lambda would) and calls it once with a payload 2.0 event;
 * {@code activate} builds the real activation handler and activates a license once with a
 * personal auth token, as the LocalStack client posts it to {@code /v1/license/request} (a
 * refusal prints the answer and exits 1); {@code authorize} builds the real token authorizer and
 * authorizes one platform call with a personal auth token in the client's {@code Authorization:
 * Basic} header (a refusal exits 1); {@code getitem} is the floor: a bare SDK client doing one GetItem. Run by {@code infra/bench/cold-start.sh}, which supplies the emulator and a seeded
 * workspace. No JSON library here beyond what the handlers load themselves.
 *
 * <p>Usage: {@code invite <workspaceId> <sub> <email>}, {@code activate <authToken>},
 * {@code authorize <authToken>} or {@code getitem}
 */
public final class ColdStartProbe {
    private ColdStartProbe() {}

    public static void main(String[] args) {
        String outcome;
        if (args[0].equals("invite")) {
            var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(Map.of("sub", args[2], "email", args[3], "email_verified", "true")).build();
            var event = APIGatewayV2HTTPEvent.builder()
                    .withRouteKey("POST /workspaces/{workspaceId}/members")
                    .withPathParameters(Map.of("workspaceId", args[1]))
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody("{\"name\":\"Probe\",\"email\":\"probe-" + System.nanoTime() + "@example.com\"}")
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("probe")
                            .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build())
                            .build())
                    .build();
            outcome = "status " + new InviteMemberHandler().handleRequest(event, null).getStatusCode();
        } else if (args[0].equals("activate")) {
            var event = APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0")
                    .withRouteKey("POST /v1/license/request")
                    .withRawPath("/v1/license/request")
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody("{\"credentials\":{\"type\":\"licensing-auth-token\",\"token\":\"" + args[1] + "\"},"
                            + "\"product\":{\"name\":\"localstack-pro\",\"version\":\"2026.8.2\"},"
                            + "\"machine\":{\"id\":\"m1\",\"cli\":true,\"ci\":false,\"system\":\"Linux,6.1,x86_64\"}}")
                    .withIsBase64Encoded(false)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("probe")
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                    .withPath("/v1/license/request").build())
                            .build())
                    .build();
            APIGatewayV2HTTPResponse response = new ActivationHandler().handleRequest(event, null);
            if (response.getStatusCode() != 200 || response.getBody() == null
                    || !response.getBody().contains("\"signature\":\"")) {
                System.err.println("activation refused: status " + response.getStatusCode() + " " + response.getBody());
                System.exit(1);
            }
            outcome = "status " + response.getStatusCode();
        } else if (args[0].equals("authorize")) {
            String basic = Base64.getEncoder().encodeToString((":" + args[1]).getBytes(StandardCharsets.UTF_8));
            String event = "{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":\"arn:aws:execute-api:us-east-1:"
                    + "123456789012:probe/$default/GET/v1/license/info\",\"routeKey\":\"GET /v1/license/info\","
                    + "\"rawPath\":\"/v1/license/info\",\"headers\":{\"authorization\":\"Basic " + basic + "\","
                    + "\"user-agent\":\"python-requests/2.32.3\"},\"requestContext\":{\"requestId\":\"probe\"}}";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                new TokenAuthorizerHandler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                        out, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String answer = out.toString(StandardCharsets.UTF_8);
            if (!answer.startsWith("{\"isAuthorized\":true")) {
                System.err.println("authorization refused: " + answer);
                System.exit(1);
            }
            outcome = "authorized";
        } else {
            try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
                outcome = "found " + !dynamo.getItem(b -> b.tableName(System.getProperty("TABLE_NAME"))
                        .key(Map.of("PK", AttributeValue.fromS("WS#none"), "SK", AttributeValue.fromS("WORKSPACE"))))
                        .item().isEmpty();
            }
        }
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        System.out.println(args[0] + " " + outcome + " first response after "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
    }
}
