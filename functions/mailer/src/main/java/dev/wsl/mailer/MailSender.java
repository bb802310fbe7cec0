package dev.wsl.mailer;

import dev.wsl.core.domain.EmailAddress;

/** Sends one email. Implementations throw {@link SendFailed} when the provider refused or could not be reached. */
public interface MailSender {
    void send(EmailAddress to, String subject, String textBody);

    /** The provider did not accept the message; it may be retried. The message carries no email content. */
    final class SendFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SendFailed(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
