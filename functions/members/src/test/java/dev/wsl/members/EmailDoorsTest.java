package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.json.Json;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The member doors an email comes in by check it as ASCII before any case folding: an invitation's body,
 * the sign-in claims, and a SCIM userName looked up as an email. U+212A KELVIN SIGN lower-cases to {@code k},
 * so "admin\u212A@…" would otherwise become admin k's address.
 */
class EmailDoorsTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final FakeStores stores = new FakeStores();
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), new MutableClock(NOW), Duration.ofDays(7), RetryPolicy.withoutPauses(3));
    private final Caller admin = Arrange.caller("admin@example.com");
    private final String ws = members.workspaces().createWorkspace(admin, "Acme").workspace().workspaceId();

    private static APIGatewayV2HTTPEvent event(String ws, String body, Map<String, String> claims) {
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build();
        var ctx = APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("req-1")
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build()).build();
        return APIGatewayV2HTTPEvent.builder().withBody(body).withPathParameters(Map.of("workspaceId", ws))
                .withHeaders(Map.of("content-type", "application/json")).withRequestContext(ctx).build();
    }

    private Map<String, String> claims(String email) {
        return Map.of("sub", admin.userId(), "email", email, "email_verified", "true", "preferred_username", "admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin\\u212A@example.com", "\\u212Aate@example.com", "\\u0130nge@example.com"})
    void anInvitationsEmail_shouldBeRefused_andNothingWritten(String email) {
        members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Kate", dev.wsl.core.domain.EmailAddress.parse(
                "kate@example.com"), dev.wsl.core.domain.Access.MEMBER, java.util.Optional.empty()));
        int messages = stores.outboxMessages().size();

        APIGatewayV2HTTPResponse response = new InviteMemberHandler(members).handleRequest(
                event(ws, "{\"name\":\"Kate\",\"email\":\"" + email + "\"}", claims("admin@example.com")), null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Json.parse(response.getBody()).get("type").asText()).isEqualTo("urn:problem:wsl:invalid-email");
        assertThat(stores.outboxMessages()).hasSize(messages);
        assertThat(stores.workspaces().findMemberIdByEmail(ws, "admink@example.com")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin\u212A@example.com", "ADMIN\u212A@EXAMPLE.COM"})
    void signInClaims_shouldBeRefused_notFoldedIntoAnotherPersonsAddress(String email) {
        members.workspaces().createWorkspace(Arrange.caller("admink@example.com"), "K's");

        APIGatewayV2HTTPResponse response = new ListMyWorkspacesHandler(members).handleRequest(
                event(ws, null, claims(email)), null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Json.parse(response.getBody()).get("type").asText()).isEqualTo("urn:problem:wsl:invalid-email");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kate\u212A@example.com", "KATE\u212A@example.com"})
    void aScimUserNameLookedUpAsAnEmail_shouldFindNobody(String userName) {
        members.invitations().invite(members.person(admin, ws), ws, new Invitations.InviteCommand("Kate", dev.wsl.core.domain.EmailAddress.parse(
                "katek@example.com"), dev.wsl.core.domain.Access.MEMBER, java.util.Optional.empty()));

        assertThat(members.directory().findByUserName(ws, userName)).isEmpty();
        assertThat(members.directory().findByUserName(ws, "KateK@example.com")).isPresent();
    }
}
