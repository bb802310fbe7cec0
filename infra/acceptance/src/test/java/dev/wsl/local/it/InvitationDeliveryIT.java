package dev.wsl.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.store.DynamoOutboxStore;
import dev.wsl.local.LocalStackRuntime;
import dev.wsl.local.harness.LocalRuntimeExtension;
import dev.wsl.mailer.InvitationMailer;
import dev.wsl.mailer.OutboxSweepHandler;
import dev.wsl.mailer.SesMailSender;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * An invitation email is never lost and never sent twice for one request. SES is
 * made to fail for real: the emulator refuses to send from an unverified sender, so
 * the test deletes the sender identity, invites, and verifies it again.
 */
@ExtendWith(LocalRuntimeExtension.class)
class InvitationDeliveryIT {
    private final LocalStackRuntime runtime;
    private final Api api;

    InvitationDeliveryIT(LocalStackRuntime runtime) {
        this.runtime = runtime;
        this.api = new Api(runtime);
    }

    @Test
    void sesFailureDuringInvite_shouldBeRecordedRetriedAndDeliveredOnce() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("mail-admin-" + suffix + "@example.com");
        Api.User jane = api.user("mail-jane-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Mail");
        String sender = runtime.localValues().get("SenderEmail");
        try (SesClient ses = SesClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            ses.deleteIdentity(b -> b.identity(sender));
            try {
                String memberId = api.invite(admin, ws, "Jane", jane.email()).expect(202).text("id");
                api.deliverMail();

                assertThat(api.mailTo(jane.email())).isEmpty();
                var member = api.call(admin, "GET", "/workspaces/" + ws + "/members/" + memberId, null).expect(200);
                assertThat(member.json().get("invitation").get("delivery").asText()).isEqualTo("FAILED");
                assertThat(member.json().get("invitation").get("attempts").asInt()).isEqualTo(1);

                // Still broken: the sweep's retry fails too, and nothing is sent.
                sweep(Duration.ofMinutes(5));
                assertThat(api.mailTo(jane.email())).isEmpty();
            } finally {
                ses.verifyEmailIdentity(b -> b.emailAddress(sender));
            }
        }
        // Recovered: the next due retry delivers it, exactly once however often the sweep and stream run.
        Map<String, Object> summary = sweep(Duration.ofHours(1));
        assertThat(summary).containsEntry("sent", 1);
        sweep(Duration.ofHours(3));
        api.deliverMail();
        assertThat(api.mailTo(jane.email())).hasSize(1);

        api.accept(jane, api.latestInvitationToken(jane.email())).expect(200);
    }

    @Test
    void streamAndSweepTogether_shouldSendOneEmailPerInvitation() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api.User admin = api.user("once-admin-" + suffix + "@example.com");
        String ws = api.createWorkspace(admin, "Once");
        String email = "once-" + suffix + "@example.com";
        String memberId = api.invite(admin, ws, "Once", email).expect(202).text("id");

        // The sweep runs "later" than the stream grace period, before and after the stream delivers.
        sweep(Duration.ofMinutes(10));
        api.deliverMail();
        sweep(Duration.ofMinutes(20));
        assertThat(api.mailTo(email)).hasSize(1);

        api.call(admin, "POST", "/workspaces/" + ws + "/members/" + memberId + "/invitation", null).expect(202);
        api.deliverMail();
        sweep(Duration.ofMinutes(30));
        assertThat(api.mailTo(email)).hasSize(2);
    }

    /** The scheduled sweep handler, with its clock moved forward so that retries are due. */
    private Map<String, Object> sweep(Duration ahead) {
        Clock later = Clock.offset(Clock.systemUTC(), ahead);
        OutboxStore outbox = new DynamoOutboxStore(runtime.dynamoDb(), runtime.tableName());
        InvitationMailer mailer = new InvitationMailer(outbox,
                new SesMailSender(SesMailSender.client(), runtime.localValues().get("SenderEmail")),
                runtime.localValues().get("AppBaseUrl"), later, RetryPolicy.STANDARD);
        return new OutboxSweepHandler(outbox, mailer, later).handleRequest(Map.of(), null);
    }
}
