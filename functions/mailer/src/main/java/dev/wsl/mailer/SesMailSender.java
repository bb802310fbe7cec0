package dev.wsl.mailer;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.store.AwsClients;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.Message;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;

/** {@link MailSender} through Amazon SES (or an emulator at the SDK's configured endpoint). Thread-safe. */
public final class SesMailSender implements MailSender {
    private final SesClient ses;
    private final String sender;

    public SesMailSender(SesClient ses, String sender) {
        this.ses = Objects.requireNonNull(ses);
        this.sender = Objects.requireNonNull(sender);
    }

    public static SesClient client() {
        return SesClient.builder().httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(AwsClients.configuration(AwsClients.Service.SES)).build();
    }

    @Override
    public void send(EmailAddress to, String subject, String textBody) {
        try {
            ses.sendEmail(SendEmailRequest.builder()
                    .source(sender)
                    .destination(Destination.builder().toAddresses(to.value()).build())
                    .message(Message.builder()
                            .subject(Content.builder().charset("UTF-8").data(subject).build())
                            .body(Body.builder().text(Content.builder().charset("UTF-8").data(textBody).build()).build())
                            .build())
                    .build());
        } catch (SdkException e) {
            // The SDK message names the error code, never the email's content.
            throw new SendFailed(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e,
                    AwsClients.unavailable(e));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
