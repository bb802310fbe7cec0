package dev.wsl.mailer;

import dev.wsl.core.Env;
import dev.wsl.core.Priming;
import dev.wsl.core.store.DynamoClients;
import dev.wsl.core.store.Keys;
import dev.wsl.core.store.OutboxStore;
import java.time.Clock;

/** Collaborators of the mailer functions, built once per cold start. */
final class Mailers {
    private static final OutboxStore OUTBOX = new OutboxStore(DynamoClients.create(), DynamoClients.tableName());
    private static final InvitationMailer MAILER = new InvitationMailer(OUTBOX,
            new SesMailSender(SesMailSender.client(), Env.required("SENDER_EMAIL")),
            Env.required("APP_BASE_URL"), Clock.systemUTC());

    static {
        Priming.register(() -> OUTBOX.state(new Keys.Key("OUTBOX#PRIMING", "OUTBOX#PRIMING")));
    }

    private Mailers() {}

    static OutboxStore outbox() {
        return OUTBOX;
    }

    static InvitationMailer mailer() {
        return MAILER;
    }
}
