package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.failure.TooManyRequests;
import dev.wsl.testkit.Arrange;
import dev.wsl.testkit.FakeSealer;
import dev.wsl.testkit.FakeStores;
import dev.wsl.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Invitation emails per recipient and per workspace and UTC day (PRODUCT.md section 11), on the in-memory
 * stores (the store contract holds DynamoDB to the same counters): resends count, nothing is written over a
 * limit, the answer says when to try again, and the window frees at midnight.
 */
class InvitationLimitTest {
    private static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");
    private static final InvitationLimits LIMITS = new InvitationLimits(3, 6, 9);

    private final FakeStores stores = new FakeStores();
    private final MutableClock clock = new MutableClock(NOW);
    private final MemberService members = new MemberService(stores.workspaces(), stores.licenses(), stores.credentials(),
            new FakeSealer(), clock, Duration.ofDays(7), RetryPolicy.withoutPauses(3), LIMITS);
    private final Caller admin = Arrange.caller("admin@example.com");
    private final String ws = members.workspaces().createWorkspace(admin, "Acme").workspace().workspaceId();

    private Member invite(String workspaceId, String email) {
        return members.invitations().invite(members.person(admin, workspaceId), workspaceId, new Invitations.InviteCommand("Placeholder", EmailAddress.parse(email),
                Access.MEMBER, Optional.empty()));
    }

    private Member resend(Member m) {
        return members.invitations().resend(members.person(admin, ws), ws, m.memberId(), Optional.empty());
    }

    private long emailsTo(String email) {
        return stores.outboxMessages().stream().map(OutboxMessage::to).filter(e -> e.value().equals(email)).count();
    }

    @Test
    void resends_shouldCountAgainstTheRecipient_andTheFirstOverTheLimitIs429WithRetryAfter() {
        Member jane = invite(ws, "jane@example.com");
        resend(jane);
        resend(jane);
        int auditBefore = stores.auditOf(ws).size();
        Member before = stores.workspaces().findMember(ws, jane.memberId()).orElseThrow();

        assertThatThrownBy(() -> resend(jane)).isInstanceOfSatisfying(TooManyRequests.class, e -> {
            assertThat(e.slug()).isEqualTo("recipient-invitation-limit");
            assertThat(e.retryAfterSeconds()).isEqualTo(2 * 3600); // until midnight UTC
            assertThat(e.detail()).contains("3 invitation emails today");
        });

        assertThat(emailsTo("jane@example.com")).isEqualTo(3);
        assertThat(stores.workspaces().findMember(ws, jane.memberId())).contains(before);
        assertThat(stores.auditOf(ws)).hasSize(auditBefore);
    }

    @Test
    void theRecipientsLimit_shouldCountEveryWorkspacesInvitations() {
        String other = members.workspaces().createWorkspace(admin, "Other").workspace().workspaceId();
        String third = members.workspaces().createWorkspace(admin, "Third").workspace().workspaceId();
        invite(ws, "jane@example.com");
        invite(other, "jane@example.com");
        invite(third, "jane@example.com");
        String fourth = members.workspaces().createWorkspace(admin, "Fourth").workspace().workspaceId();

        assertThatThrownBy(() -> invite(fourth, "JANE@example.com")).isInstanceOf(TooManyRequests.class);
        assertThat(emailsTo("jane@example.com")).isEqualTo(3);
        assertThat(stores.workspaces().findMemberIdByEmail(fourth, "jane@example.com")).isEmpty();
    }

    @Test
    void aReinvitationAfterRemoval_shouldCountToo() {
        Member jane = invite(ws, "jane@example.com");
        members.memberships().remove(members.person(admin, ws), ws, jane.memberId());
        invite(ws, "jane@example.com");
        members.memberships().remove(members.person(admin, ws), ws, jane.memberId());
        invite(ws, "jane@example.com");
        members.memberships().remove(members.person(admin, ws), ws, jane.memberId());

        assertThatThrownBy(() -> invite(ws, "jane@example.com")).isInstanceOf(TooManyRequests.class);
        assertThat(stores.workspaces().findMember(ws, jane.memberId()).orElseThrow().status().name()).isEqualTo("REMOVED");
    }

    @Test
    void aWorkspaceWithoutSubscription_shouldSendItsLimit_andOneWithAnActiveSubscriptionMore() {
        for (int i = 0; i < 6; i++) {
            invite(ws, "p" + i + "@example.com");
        }
        assertThatThrownBy(() -> invite(ws, "p6@example.com")).isInstanceOfSatisfying(TooManyRequests.class, e -> {
            assertThat(e.slug()).isEqualTo("workspace-invitation-limit");
            assertThat(e.detail()).contains("without an active subscription").contains("with one, 9 or its seats");
        });

        new Arrange(stores, NOW).seats(ws, 5);
        invite(ws, "p6@example.com");
        invite(ws, "p7@example.com");
        invite(ws, "p8@example.com");
        assertThatThrownBy(() -> invite(ws, "p9@example.com")).isInstanceOfSatisfying(TooManyRequests.class,
                e -> assertThat(e.detail()).contains("9 invitation emails today").doesNotContain("without"));
        assertThat(stores.outboxMessages()).hasSize(9);

        // A workspace with more seats than that may invite as many people a day as it has seats.
        new Arrange(stores, NOW).seats(ws, 12);
        invite(ws, "p9@example.com");
        invite(ws, "p10@example.com");
        invite(ws, "p11@example.com");
        assertThatThrownBy(() -> invite(ws, "p12@example.com")).isInstanceOfSatisfying(TooManyRequests.class,
                e -> assertThat(e.detail()).contains("12 invitation emails today"));
    }

    @Test
    void theWindow_shouldFreeAtMidnightUtc_onTheClock() {
        Member jane = invite(ws, "jane@example.com");
        resend(jane);
        resend(jane);
        assertThatThrownBy(() -> resend(jane)).isInstanceOf(TooManyRequests.class);

        clock.set(Instant.parse("2026-11-27T23:59:59Z"));
        assertThatThrownBy(() -> resend(jane)).isInstanceOfSatisfying(TooManyRequests.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));

        clock.set(Instant.parse("2026-11-28T00:00:00Z"));
        resend(jane);
        resend(jane);
        resend(jane);
        assertThatThrownBy(() -> resend(jane)).isInstanceOfSatisfying(TooManyRequests.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(24 * 3600));
        assertThat(emailsTo("jane@example.com")).isEqualTo(6);
    }

    @Test
    void aRefusedInvitation_shouldConsumeNothing() {
        invite(ws, "jane@example.com");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> invite(ws, "jane@example.com")).isInstanceOf(AlreadyExists.class);
        }
        Member again = members.directory().findByEmail(ws, new EmailAddress("jane@example.com")).orElseThrow();
        resend(again);
        resend(again);
        assertThat(emailsTo("jane@example.com")).isEqualTo(3);
    }

    @Test
    void parallelResendsAndInvites_shouldUseTheWorkspacesWholeLimit_andPassNeither() throws Exception {
        Member jane = invite(ws, "jane@example.com");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Object>> work = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                work.add(() -> resend(jane));
                int n = i;
                work.add(() -> invite(ws, "q" + n + "@example.com"));
            }
            int limited = 0;
            for (Future<Object> f : pool.invokeAll(work)) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(TooManyRequests.class);
                    limited++;
                }
            }
            // Both limits race for the same requests: the workspace's 6 are always all used, while how many of
            // them go to Jane's resends (up to her 3) depends on which requests win; neither limit is ever passed.
            assertThat(stores.outboxMessages()).hasSize(6);
            assertThat(emailsTo("jane@example.com")).isBetween(1L, 3L);
            for (int i = 0; i < 10; i++) {
                assertThat(emailsTo("q" + i + "@example.com")).isLessThanOrEqualTo(1L);
            }
            assertThat(limited).isEqualTo(21 - 6);
        } finally {
            pool.shutdownNow();
        }
    }
}
