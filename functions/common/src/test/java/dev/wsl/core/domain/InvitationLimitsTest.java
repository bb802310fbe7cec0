package dev.wsl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.failure.TooManyRequests;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class InvitationLimitsTest {
    private static final EmailAddress JANE = new EmailAddress("jane@example.com");

    @Test
    void aQuota_shouldCountInTheUtcDayOfTheInvitation_andEndAtMidnight() {
        InvitationQuota q = InvitationLimits.DEFAULT.quota(JANE, "ws_1", false, Instant.parse("2026-08-01T21:30:00.250Z"));

        assertThat(q.day()).isEqualTo(LocalDate.parse("2026-08-01"));
        assertThat(q.windowEnd()).isEqualTo(Instant.parse("2026-08-02T00:00:00Z"));
        assertThat(q.retryAfterSeconds()).isEqualTo(2 * 3600 + 29 * 60 + 60); // 2 h 29 min 59.75 s, rounded up
        assertThat(q.recipientLimit()).isEqualTo(5);
        assertThat(q.workspaceLimit()).isEqualTo(50);
    }

    @Test
    void aSubscribedWorkspace_shouldGetTheHigherLimit() {
        assertThat(InvitationLimits.DEFAULT.quota(JANE, "ws_1", true, Instant.EPOCH).workspaceLimit()).isEqualTo(500);
        assertThat(new InvitationLimits(3, 10, 20).quota(JANE, "ws_1", true, Instant.EPOCH).recipientLimit()).isEqualTo(3);
    }

    @Test
    void aSubscribedWorkspacesLimit_shouldBeItsSeats_whenThoseAreMore() {
        InvitationLimits limits = new InvitationLimits(3, 10, 20);

        assertThat(limits.quota(JANE, "ws_1", true, 5_000, Instant.EPOCH).workspaceLimit()).isEqualTo(5_000);
        assertThat(limits.quota(JANE, "ws_1", true, 7, Instant.EPOCH).workspaceLimit()).isEqualTo(20);
        assertThat(limits.quota(JANE, "ws_1", false, 5_000, Instant.EPOCH).workspaceLimit())
                .as("seats without an active subscription count nothing").isEqualTo(10);
        assertThat(limits.quota(JANE, "ws_1", true, 5_000, Instant.EPOCH).recipientLimit()).isEqualTo(3);
    }

    @Test
    void retryAfter_shouldBeAtLeastOneSecond_evenJustBeforeMidnight() {
        InvitationQuota q = InvitationLimits.DEFAULT.quota(JANE, "ws_1", false, Instant.parse("2026-08-01T23:59:59.999Z"));

        assertThat(q.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refusals_shouldSayWhichLimitAndWhenItFrees() {
        InvitationQuota q = new InvitationLimits(3, 10, 20).quota(JANE, "ws_1", false, Instant.parse("2026-08-01T22:00:00Z"));

        TooManyRequests recipient = q.recipientLimitReached();
        assertThat(recipient.slug()).isEqualTo("recipient-invitation-limit");
        assertThat(recipient.retryAfterSeconds()).isEqualTo(7_200);
        assertThat(recipient.detail()).contains("3 invitation emails today").contains("resends")
                .contains("2026-08-02 00:00 UTC").contains("in 2 h");
        assertThat(recipient.extensions()).containsEntry("limit", 3).containsEntry("retryAfter", 7_200L)
                .containsEntry("resetsAt", "2026-08-02T00:00:00Z");

        TooManyRequests workspace = q.workspaceLimitReached();
        assertThat(workspace.slug()).isEqualTo("workspace-invitation-limit");
        assertThat(workspace.detail()).contains("10 invitation emails today").contains("without an active subscription")
                .contains("with one, 20 or its seats");
        assertThat(new InvitationLimits(3, 10, 20).quota(JANE, "ws_1", true, Instant.parse("2026-08-01T23:15:00Z"))
                .workspaceLimitReached().detail()).contains("20 invitation emails today").contains("in 45 min")
                .doesNotContain("without");
    }

    @Test
    void limits_shouldBePositive_andASubscribedWorkspacesNoLower() {
        assertThatThrownBy(() -> new InvitationLimits(0, 50, 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvitationLimits(5, 50, 40)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvitationLimits(5, 0, 500)).isInstanceOf(IllegalArgumentException.class);
        InvitationLimits smallest = new InvitationLimits(1, 1, 1);
        assertThat(smallest.quota(JANE, "ws_1", true, Instant.EPOCH).workspaceLimit()).as("equal limits allowed").isEqualTo(1);
        assertThat(smallest.quota(JANE, "ws_1", false, Instant.EPOCH).recipientLimit()).isEqualTo(1);
    }

    @Test
    void theWaitIsSaidInMinutesUnderAnHour_elseInHoursAndTheRestInMinutes() {
        InvitationLimits limits = new InvitationLimits(3, 10, 20);

        assertThat(limits.quota(JANE, "ws_1", false, Instant.parse("2026-08-01T23:01:00Z")).recipientLimitReached()
                .detail()).contains("(in 59 min)");
        assertThat(limits.quota(JANE, "ws_1", false, Instant.parse("2026-08-01T23:00:00Z")).recipientLimitReached()
                .detail()).contains("(in 1 h)");
        assertThat(limits.quota(JANE, "ws_1", false, Instant.parse("2026-08-01T21:30:00Z")).recipientLimitReached()
                .detail()).contains("(in 2 h 30 min)");
    }
}
