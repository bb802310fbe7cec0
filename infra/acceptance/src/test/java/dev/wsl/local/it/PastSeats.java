package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.activation.ActivationHandler;
import dev.wsl.activation.ActivationService;
import dev.wsl.core.access.Authorization;
import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.store.ActivationStore;
import dev.wsl.core.store.DynamoLicenseStore;
import dev.wsl.core.store.DynamoWorkspaceStore;
import dev.wsl.licenses.LicenseService;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;

/**
 * Seats with a past (issue 21): a license given, or an activation made, days ago, by the real license service and
 * the real activation handler against the emulator, each on a clock set to that moment. What the seat index holds
 * afterwards is exactly what it would hold had the admin and the LocalStack client acted then.
 */
final class PastSeats {
    private final LocalStackRuntime runtime;

    PastSeats(LocalStackRuntime runtime) {
        this.runtime = runtime;
    }

    /** The admin assigns the member a license at {@code at}. */
    void licenseAt(Api.User admin, String ws, String memberId, Instant at) {
        licenses(at).assign(person(admin, ws), ws, memberId, null);
    }

    /** The admin takes the member's license at {@code at}. */
    void unassignAt(Api.User admin, String ws, String memberId, Instant at) {
        licenses(at).unassign(person(admin, ws), ws, memberId, null);
    }

    private Principal.Person person(Api.User admin, String ws) {
        return new Authorization(new DynamoWorkspaceStore(runtime.dynamoDb(), runtime.tableName()))
                .person(new Caller(admin.sub(), new EmailAddress(admin.email()), admin.name()), ws);
    }

    private LicenseService licenses(Instant at) {
        var db = runtime.dynamoDb();
        String table = runtime.tableName();
        return new LicenseService(new DynamoWorkspaceStore(db, table), new DynamoLicenseStore(db, table),
                new MutableClock(at), RetryPolicy.STANDARD);
    }

    /** LocalStack starts with this auth token at {@code at} (the real handler, the client's request body). */
    void activateAt(String authToken, Instant at) {
        ActivationHandler handler = new ActivationHandler(new ActivationService(
                new ActivationStore(runtime.dynamoDb(), runtime.tableName()), new MutableClock(at), Duration.ofHours(24),
                null));
        APIGatewayV2HTTPResponse answer = handler.handleRequest(APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/license/request").withRouteKey("POST /v1/license/request")
                .withBody(Activations.body("licensing-auth-token", authToken, false, null)).withIsBase64Encoded(false)
                .build(), null);
        assertThat(answer.getStatusCode()).as("activation at %s: %s", at, answer.getBody()).isEqualTo(200);
    }
}
