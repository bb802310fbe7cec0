package dev.wsl.mailer;

import dev.wsl.core.domain.EmailAddress;

/** Sends one email. Implementations throw {@link SendFailed} when the provider refused or could not be reached. */
public interface MailSender {
    void send(EmailAddress to, String subject, String textBody);

    /** The provider did not accept the message; it may be retried. The message carries no email content. */
    final class SendFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean unavailable;

        public SendFailed(String reason, Throwable cause) {
            this(reason, cause, false);
        }

        /** @param unavailable the provider is throttling, failing or not answering: the next message would fail alike */
        public SendFailed(String reason, Throwable cause, boolean unavailable) {
            super(reason, cause);
            this.unavailable = unavailable;
        }

        /** Whether the provider, not this message, is the problem (throttling, a 5xx, no answer in time). */
        public boolean unavailable() {
            return unavailable;
        }
    }
}
