package dev.wsl.members;

import static dev.wsl.members.MemberContext.accessDetails;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.Conflict;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workspace's members: listing them, and the changes an admin or the identity provider makes to one
 * (access, removal, letting the identity provider back in). Each change has one door, taking the
 * {@link Principal} the edge resolved; only what the principal is decides what differs (who the audit names,
 * whether a removal sticks, whether the identity provider's loss-of-ADMIN guard applies). Thread-safe.
 */
public final class Memberships {
    private final MemberContext c;
    private final Removal removal;

    Memberships(MemberContext context, Removal removal) {
        this.c = context;
        this.removal = removal;
    }

    /** A page of members with the last activation of each one's license (one batch read for the page). */
    public record Listed(Page<Member> page, Map<String, Usage> usage) {
        /** One member with the last activation of their license, or null. */
        public record One(Member member, Usage usage) {}
    }

    public Listed listMembers(Principal principal, String workspaceId, boolean includeRemoved, int limit,
                              String cursor) {
        MemberContext.requireIn(principal, workspaceId);
        return c.retry.run(() -> listed(workspaceId, includeRemoved, limit, cursor));
    }

    /**
     * A page of members with the usage of those who may have one: ACTIVE members (their last activation) and
     * members holding a license (their seat's idle time, issue 21). For a caller already authorized.
     */
    Listed listed(String workspaceId, boolean includeRemoved, int limit, String cursor) {
        Page<Member> page = c.store.listMembers(workspaceId, includeRemoved, limit, cursor);
        List<String> used = page.items().stream()
                .filter(m -> m.status() == MemberStatus.ACTIVE || m.holdings().licensed()).map(Member::memberId).toList();
        return new Listed(page, used.isEmpty() ? Map.of() : c.credentials.usage(workspaceId, used));
    }

    public Listed.One getMember(Principal principal, String workspaceId, String memberId) {
        MemberContext.requireIn(principal, workspaceId);
        return c.retry.run(() -> {
            Member member = c.member(workspaceId, memberId);
            return new Listed.One(member, c.credentials.usage(workspaceId, List.of(memberId)).get(memberId));
        });
    }

    /**
     * Removes a member, whoever asks: the same rules against the principal's authority (a person's grant; the
     * identity provider and a job act as an admin), the seat and legacy key freed, the same audit entry. A
     * person's removal sticks; the identity provider's may be undone by it, and is held or refused when it takes
     * ADMIN from an admin.
     */
    public Member remove(Principal principal, String workspaceId, String memberId) {
        return c.retry.run(() -> {
            Grant authority = MemberContext.authority(principal, workspaceId, Permission.MEMBERS_REMOVE);
            Member before = c.member(workspaceId, memberId);
            int adminDelta = MemberRules.checkRemove(authority, before);
            Instant now = c.clock.instant();
            return removal.write(principal, before, Removal.removed(principal, before, now), adminDelta,
                    "member.removed", now);
        });
    }

    /**
     * Sets a member's access, whoever asks. The role is the identity provider's ({@link Member#roleFromScim()})
     * when it sets it (its Admins group), else a person's decision (an admin at the console, or confirming a held
     * change). The same access again writes nothing when the identity provider or a job asks (a group push repeats
     * itself); a person's is applied as before: it makes the role theirs, and a removed member is a conflict. The
     * audit entry says what the access was.
     */
    public Member setAccess(Principal principal, String workspaceId, String memberId, Access access) {
        return c.retry.run(() -> {
            Grant authority = MemberContext.authority(principal, workspaceId, Permission.MEMBERS_PERMISSIONS);
            Member before = c.member(workspaceId, memberId);
            if (!(principal instanceof Principal.Person) && before.access().equals(access)) {
                return before;
            }
            int adminDelta = MemberRules.checkAccessChange(authority, before, access);
            Member after = Removal.byIdentityProvider(principal) ? before.withAccessFromScim(access)
                    : before.withAccess(access);
            Instant now = c.clock.instant();
            Map<String, String> details = new LinkedHashMap<>(accessDetails(access));
            details.put("previousRole", before.access().role().name());
            details.put("previousPermissions", String.join(",", before.access().permissionNames()));
            c.store.changeAccess(before, after, adminDelta,
                    principal.actor().audit(workspaceId, now, "member.access-changed", memberId, details),
                    removal.idpAdminLoss(principal, before, after, now));
            return after;
        });
    }

    /**
     * Lets the identity provider provision again a member a person removed ("Allow provisioning again" on the
     * member's details): authorized like a removal ({@code members:remove}; only an admin for a member who was
     * an admin). The member stays REMOVED; a later provisioning brings them back as a MEMBER holding nothing.
     *
     * @throws Conflict {@code provisioning-allowed} when the identity provider may already bring them back (or
     *                  they are not removed)
     */
    public Member allowProvisioning(Principal principal, String workspaceId, String memberId) {
        return c.retry.run(() -> {
            Grant authority = MemberContext.authority(principal, workspaceId, Permission.MEMBERS_REMOVE);
            Member before = c.member(workspaceId, memberId);
            MemberRules.checkAllowProvisioning(authority, before);
            Instant now = c.clock.instant();
            Member after = before.provisioningAllowed();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("removedAt", before.removedAt() == null ? "" : before.removedAt().toString());
            details.put("removedBy", before.removedBy() == null ? "" : before.removedBy().email());
            c.store.reprovision(before, after, principal.actor().audit(workspaceId, now, "member.provisioning-allowed",
                    memberId, details));
            return after;
        });
    }
}
