package dev.wsl.mailer;

import dev.wsl.core.Priming;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.core.wiring.Wiring;

/** Collaborators of the mailer functions, built once per cold start. */
final class Mailers {
    private static final Wiring WIRING = Wiring.fromEnvironment();
    private static final OutboxStore OUTBOX = WIRING.outbox();
    private static final InvitationMailer MAILER = new InvitationMailer(OUTBOX,
            new SesMailSender(SesMailSender.client(), WIRING.config().mail().sender()),
            WIRING.config().mail().appUrl(), WIRING.clock(), WIRING.retry());

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
