package dev.wsl.members;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.Gone;
import java.time.Instant;

/**
 * The rules of who may change whom, free of storage: each check either returns
 * or throws the refusal a caller sees. The last-admin rule is enforced by the
 * store's condition on the workspace's admin count; {@link #adminDelta} says how
 * a change moves that count.
 */
final class MemberRules {
    private MemberRules() {}

    static void requirePermission(Grant actor, Permission permission) {
        dev.wsl.core.access.Authorization.requirePermission(actor, permission);
    }

    static void checkInvite(Grant actor, Access requested) {
        requirePermission(actor, Permission.MEMBERS_INVITE);
        checkGrantable(actor, requested);
    }

    /** @return the change in the workspace's number of ACTIVE admins */
    static int checkAccessChange(Grant actor, Member target, Access requested) {
        requirePermission(actor, Permission.MEMBERS_PERMISSIONS);
        if (target.status() == MemberStatus.REMOVED) {
            throw new Conflict("member-removed", "A removed member has no access to change; invite them again.");
        }
        if (!actor.access().isAdmin()) {
            if (target.memberId().equals(actor.memberId())) {
                throw new Forbidden("own-access", "Only an admin may change their own access.");
            }
            if (target.access().isAdmin()) {
                throw new Forbidden("admin-target", "Only an admin may change an admin's access.");
            }
        }
        checkGrantable(actor, requested);
        return adminDelta(target, target.withAccess(requested));
    }

    /** @return the change in the workspace's number of ACTIVE admins */
    static int checkRemove(Grant actor, Member target) {
        requirePermission(actor, Permission.MEMBERS_REMOVE);
        if (target.status() == MemberStatus.REMOVED) {
            throw new Conflict("member-removed", "The member is already removed.");
        }
        if (target.access().isAdmin() && !actor.access().isAdmin()) {
            throw new Forbidden("admin-target", "Only an admin may remove an admin.");
        }
        return adminDelta(target, target.removed(Instant.EPOCH));
    }

    /** Authorized like a removal; only for a member whose removal sticks against the identity provider. */
    static void checkAllowProvisioning(Grant actor, Member target) {
        requirePermission(actor, Permission.MEMBERS_REMOVE);
        if (target.access().isAdmin() && !actor.access().isAdmin()) {
            throw new Forbidden("admin-target", "Only an admin may decide about an admin.");
        }
        if (!target.removalSticks()) {
            throw new Conflict("provisioning-allowed", target.status() == MemberStatus.REMOVED
                    ? "The identity provider may already provision this member again."
                    : "The member is not removed; there is nothing to allow.");
        }
    }

    static void checkResend(Grant actor, Member target) {
        requirePermission(actor, Permission.MEMBERS_INVITE);
        if (target.status() == MemberStatus.ACTIVE) {
            throw new Conflict("member-active", "The member has already accepted; there is nothing to resend.");
        }
        checkGrantable(actor, target.access());
    }

    /**
     * The link's token must be the member's current one, unexpired, and the caller's verified email must be
     * the invited one. A refusal leaves the invitation as it was.
     */
    static void checkAcceptance(Member member, String tokenHash, Caller caller, Instant now) {
        if (member.status() != MemberStatus.INVITED || member.invitation() == null
                || !tokenHash.equals(member.invitation().tokenHash())) {
            throw MemberContext.invitationNotFound();
        }
        if (member.invitation().expiredAt(now)) {
            throw new Gone("invitation-expired", "This invitation has expired; ask an admin to resend it.");
        }
        if (!member.email().equals(caller.email())) {
            throw new Forbidden("invitation-email-mismatch",
                    "This invitation was sent to a different email address than the one you are signed in with.");
        }
    }

    static int adminDelta(Member before, Member after) {
        return (after.isActiveAdmin() ? 1 : 0) - (before.isActiveAdmin() ? 1 : 0);
    }

    private static void checkGrantable(Grant actor, Access requested) {
        if (!actor.access().mayGrant(requested)) {
            throw new Forbidden("cannot-grant",
                    "Only an admin may grant ADMIN or permissions the granter does not hold.");
        }
    }
}
