package dev.wsl.members;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.domain.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Response bodies: what the API shows of the domain, and nothing more (no token hashes, no
 * member's account id; the audit trail names the acting account, since "who" is its point).
 */
final class Views {
    private Views() {}

    record WorkspaceView(String id, String name, String createdAt, YouView you) {}

    record YouView(String memberId, String role, List<String> permissions) {}

    record MemberView(String id, String email, String name, String status, String role, List<String> permissions,
                      boolean licensed, String legacyKeyId, String invitedAt, String acceptedAt, String removedAt,
                      InvitationView invitation, UsageView lastActivation, String licenseSubscription,
                      ProvisioningView provisioning, RemovalView removal, boolean roleFromIdentityProvider,
                      Long idleDays) {}

    /**
     * Who removed a REMOVED member ({@code by}: their email, {@code scim} for the identity provider, absent when
     * not recorded) and whether the removal {@code sticks}: then the identity provider cannot bring them back
     * until an admin invites them again or allows provisioning again.
     */
    record RemovalView(String at, String by, boolean sticks) {}

    /**
     * How the workspace's identity provider knows the member (SCIM); {@code awaitingSignIn} while the member
     * it created has not signed in yet (the console shows "Provisioned").
     */
    record ProvisioningView(String userName, String externalId, boolean awaitingSignIn) {}

    /** The last activation of the member's license (accurate to the hour), or of a key. */
    record UsageView(String at, String machineId, String system, String credential) {}

    /** @param previous the old token a rotation's overlap keeps valid (hint and end, never the token), or null */
    record TokenView(String token, String hint, String issuedAt, OverlapView previous) {}

    /** A credential that a rotation replaced and that still activates until {@code until}. */
    record OverlapView(String hint, String until) {}

    record InvitationView(String expiresAt, String delivery, int attempts) {}

    record AuditView(String at, ActorView actor, String action, String target, Map<String, String> details) {}

    record ActorView(String id, String email) {}

    record PageView<T>(List<T> items, String nextCursor) {}

    /** A page of idle seats' holders, and after how many days without an activation the workspace calls a seat idle. */
    record IdlePageView(List<MemberView> items, String nextCursor, int idleDays) {}

    /** One of the caller's workspaces: its id and name, and the caller's member id and access there. */
    record MembershipView(String id, String name, String memberId, String role, List<String> permissions) {}

    record MembershipsView(List<MembershipView> items) {}

    record AcceptedView(String workspaceId, String memberId, String status, String role) {}

    static WorkspaceView workspace(Workspace ws, Grant you) {
        return new WorkspaceView(ws.workspaceId(), ws.name(), iso(ws.createdAt()),
                new YouView(you.memberId(), you.access().role().name(), you.access().permissionNames()));
    }

    static MembershipsView memberships(List<Membership> memberships) {
        return new MembershipsView(memberships.stream().map(m -> new MembershipView(m.workspaceId(), m.workspaceName(),
                m.memberId(), m.access().role().name(), m.access().permissionNames())).toList());
    }

    static MemberView member(Member m) {
        return member(m, null);
    }

    static TokenView token(AuthTokenService.Shown shown) {
        return new TokenView(shown.token(), shown.hint(), iso(shown.issuedAt()), shown.previous() == null ? null
                : new OverlapView(shown.previous().hint(), iso(shown.previous().until())));
    }

    static UsageView usage(Usage u) {
        return u == null || u.at() == null ? null
                : new UsageView(iso(u.at()), u.machineId(), u.system(), u.credential());
    }

    /**
     * A member with their last activation and, for a member holding a license, the whole days since their seat's
     * last activity ({@code idleDays}; absent for licenses given before seats were tracked, issue 21).
     */
    static MemberView member(Member m, Usage usage, Instant now) {
        MemberView v = member(m, usage);
        Long idle = m.holdings().licensed() && usage != null ? usage.idleDays(now) : null;
        return new MemberView(v.id(), v.email(), v.name(), v.status(), v.role(), v.permissions(), v.licensed(),
                v.legacyKeyId(), v.invitedAt(), v.acceptedAt(), v.removedAt(), v.invitation(), v.lastActivation(),
                v.licenseSubscription(), v.provisioning(), v.removal(), v.roleFromIdentityProvider(), idle);
    }

    static MemberView member(Member m, Usage usage) {
        InvitationView invitation = m.status() != dev.wsl.core.domain.MemberStatus.INVITED || m.invitation() == null ? null : new InvitationView(
                iso(m.invitation().expiresAt()), m.invitation().delivery().name(), m.invitation().attempts());
        return new MemberView(m.memberId(), m.email().value(), m.name(), m.status().name(),
                m.access().role().name(), m.access().permissionNames(), m.holdings().licensed(),
                m.holdings().legacyKeyId(), iso(m.invitedAt()), iso(m.acceptedAt()),
                iso(m.removedAt()), invitation, usage(usage), m.holdings().subscriptionId(),
                m.provisioning() == null ? null : new ProvisioningView(m.provisioning().userName(),
                        m.provisioning().externalId(), m.awaitsFirstSignIn()),
                m.status() != dev.wsl.core.domain.MemberStatus.REMOVED ? null : new RemovalView(iso(m.removedAt()),
                        m.removedBy() == null ? null : m.removedBy().email(), m.removalSticks()),
                m.roleFromScim() && m.access().isAdmin(), null);
    }

    static AuditView audit(AuditEntry e) {
        return new AuditView(iso(e.at()), new ActorView(e.actorId(), e.actorEmail()), e.action(), e.target(),
                e.details());
    }

    static <T, V> PageView<V> page(Page<T> page, Function<T, V> view) {
        return new PageView<>(page.items().stream().map(view).toList(), page.nextCursor());
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    // ------------------------------------------------------------------ consent, domains, the token's workspace (issue 17, part B)

    /** A membership waiting for the caller's Join or Decline, and who set up the identity provider that provisioned them. */
    record PendingView(String workspaceId, String workspaceName, String memberId, String provisionedAt,
                       ProvisionedByView provisionedBy) {}

    /** {@code kind} is {@code scim}: the workspace's identity provider; {@code setUpBy} the admin who connected it, or null. */
    record ProvisionedByView(String kind, String setUpBy) {}

    record PendingListView(List<PendingView> items) {}

    static PendingListView pending(List<ConsentService.Pending> pending) {
        return new PendingListView(pending.stream().map(p -> new PendingView(p.workspaceId(), p.workspaceName(),
                p.memberId(), iso(p.provisionedAt()), new ProvisionedByView("scim", p.setUpBy()))).toList());
    }

    /** An email domain: the TXT record to publish, where it stands, and what its latest check saw. */
    record DomainView(String domain, String status, RecordView record, String addedAt, String addedBy,
                      String verifiedAt, String missingSince, String lapsesAt, String lapsedAt, String checkedAt,
                      String lastResult, String detail) {}

    record RecordView(String type, String name, String value) {}

    record DomainsView(List<DomainView> items) {}

    static DomainView domain(dev.wsl.core.domain.EmailDomain d, Instant now) {
        return new DomainView(d.name(), d.status(now).name(), new RecordView("TXT", d.recordName(), d.recordValue()),
                iso(d.addedAt()), d.addedBy(), iso(d.verified(now) ? d.verifiedAt() : null), iso(d.missingSince()),
                iso(d.verified(now) ? d.lapsesAt() : null), iso(d.lapsedAt() != null ? d.lapsedAt()
                : d.status(now) == dev.wsl.core.domain.EmailDomain.Status.LAPSED ? d.lapsesAt() : null),
                iso(d.checkedAt()), d.lastResult() == null ? null : d.lastResult().name(),
                DomainService.describe(d, now));
    }

    /** Where the caller's token activates: their choice, where it goes now, and their workspaces. */
    record TokenChoiceView(String chosen, String activatesIn, List<TokenOptionView> items) {}

    record TokenOptionView(String id, String name, boolean licensed, boolean chosen) {}

    static TokenChoiceView tokenChoice(TokenWorkspaceService.Choice c) {
        return new TokenChoiceView(c.chosen(), c.activatesIn(), c.options().stream().map(o -> new TokenOptionView(
                o.workspaceId(), o.name(), o.licensed(), o.workspaceId().equals(c.chosen()))).toList());
    }
}
