package dev.wsl.testkit;

import dev.wsl.core.domain.EmailAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A mail provider that records what it accepts and refuses what a test tells it to (as SES refuses an
 * unverified sender): {@code MailSender} without SES. Implemented by the modules' own senders through
 * {@link #accept}; thread-safe.
 */
public final class FakeMail {
    /** One accepted email. */
    public record Sent(EmailAddress to, String subject, String body) {}

    private final List<Sent> sent = new ArrayList<>();
    private Predicate<EmailAddress> refuse = to -> false;
    private int refusals;

    /** @return false when the provider refuses this email (nothing is recorded then) */
    public synchronized boolean accept(EmailAddress to, String subject, String body) {
        if (refuse.test(to)) {
            refusals++;
            return false;
        }
        sent.add(new Sent(to, subject, body));
        return true;
    }

    /** From now on, refuse the emails to the addresses the predicate accepts. */
    public synchronized void refuse(Predicate<EmailAddress> which) {
        refuse = which;
    }

    public synchronized void acceptAll() {
        refuse = to -> false;
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public synchronized List<Sent> sentTo(String email) {
        return sent.stream().filter(s -> s.to().value().equals(email)).toList();
    }

    public synchronized int refusals() {
        return refusals;
    }
}
