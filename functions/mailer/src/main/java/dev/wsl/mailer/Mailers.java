package dev.wsl.mailer;

import dev.wsl.core.FunctionConfig;
import dev.wsl.core.Priming;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.DynamoOutboxStore;
import java.time.Clock;

/** Collaborators of the mailer functions, built once per cold start. */
final class Mailers {
    private static final FunctionConfig CONFIG = FunctionConfig.fromEnvironment();
    private static final OutboxStore OUTBOX = new DynamoOutboxStore(DynamoClients.create(), CONFIG.table());
    private static final InvitationMailer MAILER = new InvitationMailer(OUTBOX,
            new SesMailSender(SesMailSender.client(), CONFIG.mail().sender()),
            CONFIG.mail().appUrl(), Clock.systemUTC(), RetryPolicy.STANDARD);

    static {
        Priming.register(() -> OUTBOX.state(new OutboxMessage.Id("ws_priming", "m_priming", 0)));
    }

    private Mailers() {}

    static OutboxStore outbox() {
        return OUTBOX;
    }

    static InvitationMailer mailer() {
        return MAILER;
    }
}
