package dev.wsl.mailer;

import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.OutboxStore;
import dev.wsl.telemetry.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers invitation emails from the outbox. For each message: claim it (so no
 * other worker sends it meanwhile), issue a fresh single-use token and store only
 * its hash on the member's current invitation, send the email holding the link,
 * and record the outcome. A notice (the reclaim policy's, issue 21) is claimed, sent as it was written and
 * recorded the same way, with no token. A failed send is recorded and retried by the sweep with
 * growing delays; a message overtaken by a newer invitation or a removal is dropped.
 *
 * <p>Exactly-once is not possible with an external mail provider: if the process
 * dies after the provider accepted the email and before SENT is recorded, the sweep
 * sends it again after the lease. Every other path sends at most once. Thread-safe.
 */
public final class InvitationMailer {
    /** Attempts before a message is given up (DEAD); the member then shows delivery FAILED and can be resent. */
    static final int MAX_ATTEMPTS = 8;
    static final Duration LEASE = Duration.ofMinutes(2);
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * What happened to one message: sent; its send failed and it will be retried (FAILED) or was given
     * up after its last attempt (DEAD); its send failed because the provider is throttling or not answering
     * (UNAVAILABLE: recorded and retried like FAILED, and the caller should stop sending for now, since the
     * next message would fail alike and spend one of its attempts); overtaken by a newer invitation or a
     * removal; or another worker holds it.
     */
    public enum Outcome { SENT, FAILED, UNAVAILABLE, DEAD, SUPERSEDED, NOT_CLAIMED }

    private final OutboxStore outbox;
    private final MailSender mail;
    private final String appBaseUrl;
    private final Clock clock;
    private final RetryPolicy retry;

    public InvitationMailer(OutboxStore outbox, MailSender mail, String appBaseUrl, Clock clock, RetryPolicy retry) {
        this.outbox = Objects.requireNonNull(outbox);
        this.mail = Objects.requireNonNull(mail);
        this.appBaseUrl = appBaseUrl.endsWith("/") ? appBaseUrl.substring(0, appBaseUrl.length() - 1) : appBaseUrl;
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
    }

    public Outcome deliver(OutboxMessage.Id id) {
        var claimed = outbox.claim(id, clock.instant(), LEASE);
        if (claimed.isEmpty()) {
            return Outcome.NOT_CLAIMED;
        }
        OutboxMessage message = claimed.get().message();
        String subject;
        String body;
        if (message.isNotice()) {
            // Written when it was queued (no secret in it): sent as it is.
            subject = message.subject();
            body = message.text();
        } else {
            String token = Secrets.newInvitationToken();
            // The member may change between the read and the write (an admin edit, a resend): read again.
            boolean current = retry.run(() -> {
                Optional<Member> invitee = outbox.invitee(message);
                if (!isCurrent(invitee, message)) {
                    return false;
                }
                outbox.issueToken(invitee.get(), message, Secrets.sha256Hex(token));
                return true;
            });
            if (!current) {
                outbox.markSuperseded(claimed.get());
                return Outcome.SUPERSEDED;
            }
            subject = subject(message);
            body = body(message, token);
        }
        try {
            mail.send(message.to(), subject, body);
        } catch (MailSender.SendFailed e) {
            int attempt = claimed.get().attempt();
            Instant retryAt = attempt >= MAX_ATTEMPTS ? null : clock.instant().plus(backoff(attempt));
            outbox.markFailed(claimed.get(), e.getMessage(), retryAt);
            // A line of its own, with the provider's error and its trace: it says what to fix (an unverified
            // sender, throttling). Ids only: no address, no link.
            (retryAt == null ? Log.error("invitation email given up") : Log.warn("invitation email not sent"))
                    .field("kind", message.kind().name())
                    .field("workspaceId", message.workspaceId()).field("memberId", message.memberId())
                    .field("attempt", attempt).field("retryAt", retryAt == null ? null : retryAt.toString())
                    .error(e).write();
            return retryAt == null ? Outcome.DEAD : e.unavailable() ? Outcome.UNAVAILABLE : Outcome.FAILED;
        }
        outbox.markSent(claimed.get(), clock.instant());
        return Outcome.SENT;
    }

    /**
     * Whether the message is still for the member's current invitation: a resend (a newer sequence),
     * an acceptance or a removal overtakes it, and then nothing is sent.
     */
    static boolean isCurrent(Optional<Member> invitee, OutboxMessage message) {
        return invitee.isPresent() && invitee.get().status() == MemberStatus.INVITED
                && invitee.get().invitation() != null && invitee.get().invitation().sequence() == message.sequence();
    }

    /** 1, 2, 4 … minutes, at most an hour: about 2 hours in all before giving up (a delivery schedule, not a retry loop). */
    static Duration backoff(int attempt) {
        return Duration.ofMinutes(Math.min(60, 1L << Math.min(attempt - 1, 6)));
    }

    private static String subject(OutboxMessage m) {
        return "You are invited to the workspace " + m.workspaceName();
    }

    private String body(OutboxMessage m, String token) {
        return "Hello " + m.inviteeName() + ",\n\n"
                + m.inviterName() + " invited you to the workspace \"" + m.workspaceName() + "\".\n\n"
                + "Accept the invitation here (the link works once, until " + EXPIRY.format(m.expiresAt()) + "):\n"
                + appBaseUrl + "/accept-invitation#token=" + token + "\n\n"
                + "If you do not have an account yet, you can create one with this email address first.\n";
    }
}
