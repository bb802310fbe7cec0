package dev.wsl.core.domain;

import dev.wsl.core.failure.TooManyRequests;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;

/**
 * The two counters one invitation email counts against, and their limits: the recipient's for the day
 * (across all workspaces) and the workspace's for the day. A store writes the invitation only together
 * with both counters' increments, each conditioned on staying within its limit, in one transaction; a
 * counter at its limit refuses the whole write with {@link #recipientLimitReached()} or
 * {@link #workspaceLimitReached()}. Counters are keyed by {@link #day()}, so a new day starts from zero,
 * and they expire (TTL) a day after their window. Immutable.
 *
 * @param windowEnd when the day's window ends (midnight UTC), when a refused request may try again
 * @param at        when the invitation is written, from which {@code Retry-After} is counted
 */
public record InvitationQuota(EmailAddress recipient, String workspaceId, LocalDate day, Instant windowEnd, Instant at,
                              int recipientLimit, int workspaceLimit, boolean subscribed, int subscribedWorkspaceLimit) {

    public InvitationQuota {
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(day);
        Objects.requireNonNull(windowEnd);
        Objects.requireNonNull(at);
    }

    /** Seconds until the window frees, rounded up (at least 1): the answer's {@code Retry-After}. */
    public long retryAfterSeconds() {
        long millis = Duration.between(at, windowEnd).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /** The refusal when the recipient's counter is at its limit. */
    public TooManyRequests recipientLimitReached() {
        return new TooManyRequests("recipient-invitation-limit", "This address has had " + recipientLimit
                + " invitation emails today, the most one address may get in a day (resends and other workspaces' "
                + "invitations included). " + tryAgain(), retryAfterSeconds(),
                Map.of("limit", recipientLimit, "resetsAt", windowEnd.toString()));
    }

    /** The refusal when the workspace's counter is at its limit. */
    public TooManyRequests workspaceLimitReached() {
        String why = subscribed ? "the most this workspace may send in a day (" + subscribedWorkspaceLimit
                + " or its seats, whichever is more)"
                : "the most a workspace without an active subscription may send in a day (with one, "
                + subscribedWorkspaceLimit + " or its seats, whichever is more)";
        return new TooManyRequests("workspace-invitation-limit", "This workspace has sent " + workspaceLimit
                + " invitation emails today, " + why + ". " + tryAgain(), retryAfterSeconds(),
                Map.of("limit", workspaceLimit, "resetsAt", windowEnd.toString()));
    }

    private String tryAgain() {
        long minutes = (retryAfterSeconds() + 59) / 60;
        String in = minutes < 60 ? minutes + " min" : minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        return "Try again after " + windowEnd.toString().replace("T00:00:00Z", " 00:00 UTC") + " (in " + in + ").";
    }
}
