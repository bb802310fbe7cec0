package dev.wsl.mailer;

import dev.wsl.telemetry.Invocation;
import dev.wsl.telemetry.Metric;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the mailer did in one invocation, per {@link InvitationMailer.Outcome}: the fields of the
 * invocation's summary line ({@code sent}, {@code failed}, {@code dead}, {@code superseded},
 * {@code notClaimed}) and its metrics: {@code InvitationEmailsSent}, {@code InvitationEmailsFailed}
 * (will be retried) and {@code InvitationEmailsDead} (given up), all with dimension
 * {@code Service=mailer}, written even when zero. Thread-confined.
 */
final class Deliveries {
    private final Map<InvitationMailer.Outcome, Integer> counts = new EnumMap<>(InvitationMailer.Outcome.class);

    InvitationMailer.Outcome add(InvitationMailer.Outcome outcome) {
        counts.merge(outcome, 1, Integer::sum);
        return outcome;
    }

    /** The counts by outcome in lower case ({@code sent}, {@code not_claimed}, ...), only those that happened. */
    Map<String, Integer> byName() {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        counts.forEach((outcome, n) -> out.put(outcome.name().toLowerCase(Locale.ROOT), n));
        return out;
    }

    void report(Invocation invocation) {
        invocation.field("sent", count(InvitationMailer.Outcome.SENT))
                .field("failed", failed())
                .field("dead", count(InvitationMailer.Outcome.DEAD))
                .field("superseded", count(InvitationMailer.Outcome.SUPERSEDED))
                .field("notClaimed", count(InvitationMailer.Outcome.NOT_CLAIMED))
                .count(Metric.INVITATION_EMAILS_SENT, count(InvitationMailer.Outcome.SENT))
                .count(Metric.INVITATION_EMAILS_FAILED, failed())
                .count(Metric.INVITATION_EMAILS_DEAD, count(InvitationMailer.Outcome.DEAD));
        if (failed() + count(InvitationMailer.Outcome.DEAD) > 0) {
            invocation.warn();
        }
    }

    /** Sends that failed and will be retried, whether the message or the provider was the reason. */
    private int failed() {
        return count(InvitationMailer.Outcome.FAILED) + count(InvitationMailer.Outcome.UNAVAILABLE);
    }

    private int count(InvitationMailer.Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }
}
