package dev.wsl.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Invitation;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Role;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Failure;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import dev.wsl.core.failure.NotFound;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Grant ADMIN = new Grant("ws_1", "u-admin", "m_admin", Access.ADMIN);
    private static final Grant PLAIN = new Grant("ws_1", "u-plain", "m_plain", Access.MEMBER);
    private static final Grant PERMISSIONS_MANAGER = new Grant("ws_1", "u-pm", "m_pm",
            new Access(Role.MEMBER, Set.of(Permission.MEMBERS_PERMISSIONS, Permission.AUDIT_READ)));

    private static Member member(String id, MemberStatus status, Access access) {
        Invitation invitation = status == MemberStatus.INVITED
                ? new Invitation(1, NOW.plusSeconds(3600), Invitation.Delivery.SENT, 1, "hash") : null;
        return Member.builder().workspaceId("ws_1").memberId(id).email(new EmailAddress("jane@example.com"))
                .name("Jane").status(status).access(access).userId(status == MemberStatus.ACTIVE ? "u-" + id : null)
                .invitedAt(NOW).invitedBy("u-admin").invitation(invitation).version(3).build();
    }

    /** The status the one error map gives the refusal (200 when the check passes). */
    private static int status(Runnable check) {
        try {
            check.run();
            return 200;
        } catch (Failure e) {
            return switch (e) {
                case Forbidden f -> 403;
                case NotFound f -> 404;
                case Conflict f -> 409;
                case Gone f -> 410;
                default -> throw new AssertionError("unexpected " + e);
            };
        }
    }

    @Test
    void invite_shouldNeedMembersInvite_andNeverEscalate() {
        Grant inviter = new Grant("ws_1", "u-i", "m_i", new Access(Role.MEMBER, Set.of(Permission.MEMBERS_INVITE)));

        assertThat(status(() -> MemberRules.checkInvite(PLAIN, Access.MEMBER))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkInvite(inviter, Access.MEMBER))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkInvite(inviter, Access.ADMIN))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkInvite(inviter,
                new Access(Role.MEMBER, Set.of(Permission.LICENSES_ASSIGN))))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkInvite(ADMIN, Access.ADMIN))).isEqualTo(200);
    }

    @Test
    void accessChange_shouldProtectAdminsAndOwnAccessFromNonAdmins() {
        Member admin = member("m_other_admin", MemberStatus.ACTIVE, Access.ADMIN);
        Member self = member("m_pm", MemberStatus.ACTIVE, PERMISSIONS_MANAGER.access());
        Member plain = member("m_x", MemberStatus.ACTIVE, Access.MEMBER);
        Access auditor = new Access(Role.MEMBER, Set.of(Permission.AUDIT_READ));

        assertThat(status(() -> MemberRules.checkAccessChange(PERMISSIONS_MANAGER, admin, Access.MEMBER))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkAccessChange(PERMISSIONS_MANAGER, self, Access.MEMBER))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkAccessChange(PERMISSIONS_MANAGER, plain, auditor))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkAccessChange(PLAIN, plain, auditor))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkAccessChange(ADMIN,
                member("m_r", MemberStatus.REMOVED, Access.MEMBER), auditor))).isEqualTo(409);
    }

    @Test
    void adminDelta_shouldCountOnlyActiveAdmins() {
        Member activeAdmin = member("m_a", MemberStatus.ACTIVE, Access.ADMIN);
        Member invitedAdmin = member("m_b", MemberStatus.INVITED, Access.ADMIN);
        Member activeMember = member("m_c", MemberStatus.ACTIVE, Access.MEMBER);

        assertThat(MemberRules.checkAccessChange(ADMIN, activeAdmin, Access.MEMBER)).isEqualTo(-1);
        assertThat(MemberRules.checkAccessChange(ADMIN, activeMember, Access.ADMIN)).isEqualTo(1);
        assertThat(MemberRules.checkAccessChange(ADMIN, invitedAdmin, Access.MEMBER)).isZero();
        assertThat(MemberRules.checkRemove(ADMIN, activeAdmin)).isEqualTo(-1);
        assertThat(MemberRules.checkRemove(ADMIN, invitedAdmin)).isZero();
        assertThat(MemberRules.adminDelta(invitedAdmin, invitedAdmin.accepted("u-b", "bee", NOW))).isEqualTo(1);
    }

    @Test
    void remove_shouldNeedPermission_andRefuseRemovedOrAdminByNonAdmin() {
        Grant remover = new Grant("ws_1", "u-r", "m_r", new Access(Role.MEMBER, Set.of(Permission.MEMBERS_REMOVE)));

        assertThat(status(() -> MemberRules.checkRemove(PLAIN, member("m_x", MemberStatus.ACTIVE, Access.MEMBER)))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkRemove(remover, member("m_x", MemberStatus.ACTIVE, Access.MEMBER)))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkRemove(remover, member("m_y", MemberStatus.ACTIVE, Access.ADMIN)))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkRemove(ADMIN, member("m_z", MemberStatus.REMOVED, Access.MEMBER)))).isEqualTo(409);
    }

    @Test
    void resend_shouldBeForInvitedAndRemovedOnly() {
        assertThat(status(() -> MemberRules.checkResend(ADMIN, member("m_a", MemberStatus.INVITED, Access.MEMBER)))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkResend(ADMIN, member("m_b", MemberStatus.REMOVED, Access.MEMBER)))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkResend(ADMIN, member("m_c", MemberStatus.ACTIVE, Access.MEMBER)))).isEqualTo(409);
    }

    @Test
    void accessChangeAndResend_shouldNeedTheirPermission_evenWhenNothingWouldBeGranted() {
        Member plain = member("m_x", MemberStatus.ACTIVE, Access.MEMBER);
        Member invited = member("m_i", MemberStatus.INVITED, Access.MEMBER);
        Member invitedAdmin = member("m_j", MemberStatus.INVITED, Access.ADMIN);
        Grant inviter = new Grant("ws_1", "u-i", "m_inv", new Access(Role.MEMBER, Set.of(Permission.MEMBERS_INVITE)));

        // Access.MEMBER grants nothing, so only the missing permission can refuse these.
        assertThat(status(() -> MemberRules.checkAccessChange(PLAIN, plain, Access.MEMBER))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkAccessChange(inviter, plain, Access.MEMBER))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkAccessChange(PERMISSIONS_MANAGER, plain, Access.MEMBER))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkResend(PLAIN, invited))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkResend(PERMISSIONS_MANAGER, invited))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkResend(inviter, invited))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkResend(inviter, invitedAdmin))).as("resending never escalates")
                .isEqualTo(403);
    }

    @Test
    void allowingProvisioningAgain_shouldSayWhyThereIsNothingToAllow() {
        Member active = member("m_a", MemberStatus.ACTIVE, Access.MEMBER);
        Member restorable = member("m_b", MemberStatus.REMOVED, Access.MEMBER).provisioningAllowed();

        assertThatThrownBy(() -> MemberRules.checkAllowProvisioning(ADMIN, active)).isInstanceOfSatisfying(Conflict.class,
                e -> assertThat(e.detail()).isEqualTo("The member is not removed; there is nothing to allow."));
        assertThatThrownBy(() -> MemberRules.checkAllowProvisioning(ADMIN, restorable))
                .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.detail())
                        .isEqualTo("The identity provider may already provision this member again."));
        assertThat(status(() -> MemberRules.checkAllowProvisioning(ADMIN,
                member("m_c", MemberStatus.REMOVED, Access.MEMBER)))).isEqualTo(200);
    }

    @Test
    void allowingProvisioningAgain_shouldNeedTheRemovePermission_evenForAMemberWhoseRemovalSticks() {
        Member sticking = member("m_c", MemberStatus.REMOVED, Access.MEMBER);

        assertThat(status(() -> MemberRules.checkAllowProvisioning(PLAIN, sticking))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkAllowProvisioning(PERMISSIONS_MANAGER, sticking))).isEqualTo(403);
    }

    @Test
    void acceptance_shouldBindToCurrentToken_expiry_andVerifiedEmail() {
        Member invited = member("m_a", MemberStatus.INVITED, Access.MEMBER);
        Caller jane = new Caller("u-jane", new EmailAddress("jane@example.com"), "jane");
        Caller mallory = new Caller("u-m", new EmailAddress("mallory@example.com"), "mallory");

        assertThat(status(() -> MemberRules.checkAcceptance(invited, "hash", jane, NOW))).isEqualTo(200);
        assertThat(status(() -> MemberRules.checkAcceptance(invited, "older-hash", jane, NOW))).isEqualTo(404);
        assertThat(status(() -> MemberRules.checkAcceptance(invited, "hash", mallory, NOW))).isEqualTo(403);
        assertThat(status(() -> MemberRules.checkAcceptance(invited, "hash", jane, NOW.plusSeconds(3600)))).isEqualTo(410);
        assertThat(status(() -> MemberRules.checkAcceptance(invited.accepted("u-jane", "jane", NOW), "hash", jane, NOW)))
                .isEqualTo(404);
    }

    @Test
    void reinvite_shouldKeepGrowingTheSequence_acrossRemoval() {
        Member invited = member("m_a", MemberStatus.INVITED, Access.MEMBER);
        Member removed = invited.removed(NOW);
        Member again = removed.reinvited("u-admin", NOW, NOW.plusSeconds(60));

        assertThat(removed.invitation().tokenHash()).isNull();
        assertThat(again.status()).isEqualTo(MemberStatus.INVITED);
        assertThat(again.invitation().sequence()).isEqualTo(2);
        assertThat(again.version()).isEqualTo(invited.version() + 2);
    }
}
