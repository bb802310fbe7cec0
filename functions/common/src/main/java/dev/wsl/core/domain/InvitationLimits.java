package dev.wsl.core.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How many invitation emails (first invitations, re-invitations and resends alike: each is one email)
 * one address and one workspace may be sent per window, a UTC calendar day (PRODUCT.md section 11).
 * The recipient's count is across every workspace, since what it protects is the person's mailbox (and
 * the sender's reputation with SES); the workspace's limit is higher while the workspace has an active
 * subscription, and never below its seats then (a workspace that bought 5,000 seats may invite 5,000
 * people a day). Counted in the transaction that writes the invitation (see {@link InvitationQuota}), so
 * parallel requests never send more than the limit. Immutable.
 *
 * @param perRecipient           emails one address may get per day, from all workspaces together
 * @param perWorkspace           emails a workspace without an active subscription may send per day
 * @param perSubscribedWorkspace emails a workspace with an active subscription may send per day, at least
 *                               (its seats, when more)
 */
public record InvitationLimits(int perRecipient, int perWorkspace, int perSubscribedWorkspace) {
    /** The template parameters' defaults ({@code InvitationsPerRecipientPerDay} and the two workspace limits). */
    public static final InvitationLimits DEFAULT = new InvitationLimits(5, 50, 500);

    public InvitationLimits {
        if (perRecipient < 1 || perWorkspace < 1 || perSubscribedWorkspace < perWorkspace) {
            throw new IllegalArgumentException("invitation limits must be at least 1, and a subscribed workspace's "
                    + "at least an unsubscribed one's");
        }
    }

    /** The counters of an email written at {@code now}, for a workspace whose seats do not matter (none, or few). */
    public InvitationQuota quota(EmailAddress recipient, String workspaceId, boolean subscribed, Instant now) {
        return quota(recipient, workspaceId, subscribed, 0, now);
    }

    /**
     * The counters an email written at {@code now} goes to: the day's window, which ends at the next midnight UTC.
     *
     * @param subscribed whether the workspace has an active subscription now
     * @param seats      the workspace's seats now (counted only while it has an active subscription)
     */
    public InvitationQuota quota(EmailAddress recipient, String workspaceId, boolean subscribed, long seats, Instant now) {
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(workspaceId);
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int workspaceLimit = subscribed ? (int) Math.max(perSubscribedWorkspace, Math.min(seats, Integer.MAX_VALUE))
                : perWorkspace;
        return new InvitationQuota(recipient, workspaceId, day, day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                now, perRecipient, workspaceLimit, subscribed, perSubscribedWorkspace);
    }
}
