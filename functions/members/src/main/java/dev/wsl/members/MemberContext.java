package dev.wsl.members;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.access.Principal;
import dev.wsl.core.access.VerifiedDomains;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the members module's use cases share: the stores, the clock, the retry policy, the configuration, and
 * the reads and audit entries every one of them builds the same way. Thread-safe.
 */
final class MemberContext {
    final WorkspaceStore store;
    final LicenseStore licenses;
    final CredentialStore credentials;
    final Clock clock;
    final Duration defaultInvitationTtl;
    final RetryPolicy retry;
    final InvitationLimits invitationLimits;
    final Authorization authorization;
    final VerifiedDomains domains;

    MemberContext(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, Clock clock,
                  Duration defaultInvitationTtl, RetryPolicy retry, InvitationLimits invitationLimits) {
        this.store = Objects.requireNonNull(store);
        this.licenses = Objects.requireNonNull(licenses);
        this.credentials = Objects.requireNonNull(credentials);
        this.clock = Objects.requireNonNull(clock);
        if (defaultInvitationTtl.isNegative() || defaultInvitationTtl.isZero()
                || defaultInvitationTtl.compareTo(Duration.ofDays(MemberService.MAX_INVITATION_DAYS)) > 0) {
            throw new IllegalArgumentException("invitation lifetime must be 1 to 30 days");
        }
        this.defaultInvitationTtl = defaultInvitationTtl;
        this.retry = Objects.requireNonNull(retry);
        this.invitationLimits = Objects.requireNonNull(invitationLimits);
        this.authorization = new Authorization(store);
        this.domains = new VerifiedDomains(store);
    }

    /**
     * The authority a principal acts with in the workspace, checked for the permission: a person's own grant;
     * the identity provider (in its own workspace) and a job act with an admin's authority.
     */
    static Grant authority(Principal principal, String workspaceId, Permission permission) {
        Authorization.require(principal, workspaceId, permission);
        return principal instanceof Principal.Person person ? person.grant()
                : new Grant(workspaceId, principal.actor().id(), null, Access.ADMIN);
    }

    /**
     * The grant of a person the edge resolved, in the workspace of the request.
     *
     * @throws NotFound when the person's grant is for another workspace
     */
    static Grant grantIn(Principal.Person person, String workspaceId) {
        requireIn(person, workspaceId);
        return person.grant();
    }

    /** @throws NotFound unless the principal acts in this workspace (a job acts in any) */
    static void requireIn(Principal principal, String workspaceId) {
        boolean in = switch (principal) {
            case Principal.Person person -> person.grant().workspaceId().equals(workspaceId);
            case Principal.IdentityProvider idp -> idp.workspaceId().equals(workspaceId);
            case Principal.Job job -> true;
        };
        if (!in) {
            throw Authorization.workspaceNotFound();
        }
    }

    Member member(String workspaceId, String memberId) {
        if (!Ids.isWellFormed("m", memberId)) {
            throw memberNotFound();
        }
        return store.findMember(workspaceId, memberId).orElseThrow(MemberContext::memberNotFound);
    }

    Workspace workspace(String workspaceId) {
        return store.findWorkspace(workspaceId).orElseThrow(Authorization::workspaceNotFound);
    }

    static UserProfile profile(Caller caller) {
        return new UserProfile(caller.userId(), caller.email(), caller.username());
    }

    static AuditEntry audit(Caller caller, String workspaceId, Instant now, String action, String target,
                            Map<String, String> details) {
        return new AuditEntry(workspaceId, now, caller.userId(), caller.email().value(), action, target, details);
    }

    static Map<String, String> accessDetails(Access access) {
        return Map.of("role", access.role().name(), "permissions", String.join(",", access.permissionNames()));
    }

    static NotFound memberNotFound() {
        return new NotFound("member-not-found", "No member with this id exists in this workspace.");
    }

    static NotFound invitationNotFound() {
        return new NotFound("invitation-not-found",
                "This invitation link is not valid: it was used, replaced by a newer one, or withdrawn.");
    }
}
