package dev.wsl.members;

import dev.wsl.core.Authorization;
import dev.wsl.core.api.ApiException;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Holdings;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Invitation;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.store.CredentialStore;
import dev.wsl.core.store.LicenseStore;
import dev.wsl.core.store.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Workspace membership use cases. Every operation on a workspace starts by
 * authorizing the caller against that workspace (one consistent read of their
 * grant); a caller who is not an ACTIVE member learns only that the workspace
 * was not found. Thread-safe.
 */
public final class MemberService {
    public static final int MAX_INVITATION_DAYS = 30;

    private final WorkspaceStore store;
    private final LicenseStore licenses;
    private final Authorization authorization;
    private final CredentialStore credentials;
    private final TokenSealer sealer;
    private final Clock clock;
    private final Duration defaultInvitationTtl;

    public MemberService(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, TokenSealer sealer,
                         Clock clock, Duration defaultInvitationTtl) {
        this.store = Objects.requireNonNull(store);
        this.credentials = Objects.requireNonNull(credentials);
        this.sealer = Objects.requireNonNull(sealer);
        this.licenses = Objects.requireNonNull(licenses);
        this.authorization = new Authorization(store);
        this.clock = Objects.requireNonNull(clock);
        if (defaultInvitationTtl.isNegative() || defaultInvitationTtl.isZero()
                || defaultInvitationTtl.compareTo(Duration.ofDays(MAX_INVITATION_DAYS)) > 0) {
            throw new IllegalArgumentException("invitation lifetime must be 1 to 30 days");
        }
        this.defaultInvitationTtl = defaultInvitationTtl;
    }

    /** A new invitation: placeholder name, email, the access the member will get, optional lifetime in days. */
    public record InviteCommand(String name, EmailAddress email, Access access, Optional<Integer> expiresInDays) {}

    public record WorkspaceWithGrant(Workspace workspace, Grant grant) {}

    public WorkspaceWithGrant createWorkspace(Caller caller, String name) {
        Instant now = clock.instant();
        String workspaceId = Ids.newId("ws", now.toEpochMilli());
        Workspace workspace = new Workspace(workspaceId, name, now, caller.userId(), 1);
        Member creator = new Member(workspaceId, Ids.newId("m", now.toEpochMilli()), caller.email(),
                caller.username(), MemberStatus.ACTIVE, Access.ADMIN, caller.userId(), now, caller.userId(), now,
                null, null, Holdings.NONE, 0);
        // The user record is created with the user's first workspace or membership, and with it their token.
        PersonalToken newToken = store.authTokenHash(caller.userId()).isPresent() ? null
                : PersonalToken.issue(caller.userId(), sealer, now);
        store.createWorkspace(workspace, creator, profile(caller), newToken,
                audit(caller, workspaceId, now, "workspace.created", workspaceId, Map.of("name", name)));
        return new WorkspaceWithGrant(workspace,
                new Grant(workspaceId, caller.userId(), creator.memberId(), creator.access()));
    }

    /** The caller's own workspaces with their access in each; needs no grant (it names no workspace). */
    public List<Membership> workspacesOf(Caller caller) {
        return store.workspacesOf(caller.userId());
    }

    public WorkspaceWithGrant getWorkspace(Caller caller, String workspaceId) {
        Grant grant = authorize(caller, workspaceId);
        Workspace workspace = store.findWorkspace(workspaceId).orElseThrow(MemberService::workspaceNotFound);
        return new WorkspaceWithGrant(workspace, grant);
    }

    /**
     * Invites by email. The answer does not depend on whether the email has an account: accounts are not
     * consulted at all. An email that was REMOVED is invited again on its old member record.
     */
    public Member invite(Caller caller, String workspaceId, InviteCommand command) {
        Grant actor = authorize(caller, workspaceId);
        MemberRules.checkInvite(actor, command.access());
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime(command.expiresInDays()));
        Workspace workspace = store.findWorkspace(workspaceId).orElseThrow(MemberService::workspaceNotFound);
        Optional<String> existingId = store.findMemberIdByEmail(workspaceId, command.email().value());
        if (existingId.isPresent()) {
            Member existing = store.findMember(workspaceId, existingId.get()).orElseThrow(MemberService::workspaceNotFound);
            if (existing.status() != MemberStatus.REMOVED) {
                throw ApiException.conflict("member-exists",
                        "This email is already a member of the workspace or invited to it; use resend to invite again.",
                        Map.of("memberId", existing.memberId()));
            }
            Member reinvited = new Member(existing.workspaceId(), existing.memberId(), existing.email(),
                    command.name(), existing.status(), command.access(), existing.userId(), existing.invitedAt(),
                    existing.invitedBy(), existing.acceptedAt(), existing.removedAt(), existing.invitation(),
                    existing.holdings(), existing.version()).reinvited(caller.userId(), now, expiresAt);
            store.reinvite(existing, reinvited, outbox(reinvited, workspace, caller, now),
                    audit(caller, workspaceId, now, "member.reinvited", existing.memberId(), accessDetails(command.access())));
            return reinvited;
        }
        Member member = new Member(workspaceId, Ids.newId("m", now.toEpochMilli()), command.email(), command.name(),
                MemberStatus.INVITED, command.access(), null, now, caller.userId(), null, null,
                new Invitation(1, expiresAt, Invitation.Delivery.PENDING, 0, null), Holdings.NONE, 0);
        Map<String, String> details = new LinkedHashMap<>(accessDetails(command.access()));
        details.put("email", command.email().value());
        store.insertInvitedMember(member, outbox(member, workspace, caller, now),
                audit(caller, workspaceId, now, "member.invited", member.memberId(), details));
        return member;
    }

    /** A page of members with the last activation of each one's license (one batch read for the page). */
    public record Listed(Page<Member> page, Map<String, Usage> usage) {
        /** One member with the last activation of their license, or null. */
        public record One(Member member, Usage usage) {}
    }

    public Listed listMembers(Caller caller, String workspaceId, boolean includeRemoved, int limit, String cursor) {
        authorize(caller, workspaceId);
        Page<Member> page = store.listMembers(workspaceId, includeRemoved, limit, cursor);
        List<String> active = page.items().stream().filter(m -> m.status() == MemberStatus.ACTIVE)
                .map(Member::memberId).toList();
        return new Listed(page, active.isEmpty() ? Map.of() : credentials.usage(workspaceId, active));
    }

    public Listed.One getMember(Caller caller, String workspaceId, String memberId) {
        authorize(caller, workspaceId);
        Member member = member(workspaceId, memberId);
        return new Listed.One(member, credentials.usage(workspaceId, List.of(memberId)).get(memberId));
    }

    public Member remove(Caller caller, String workspaceId, String memberId) {
        Grant actor = authorize(caller, workspaceId);
        Member before = member(workspaceId, memberId);
        int adminDelta = MemberRules.checkRemove(actor, before);
        Instant now = clock.instant();
        Member after = before.removed(now);
        AuditEntry removal = audit(caller, workspaceId, now, "member.removed", memberId,
                Map.of("previousStatus", before.status().name(), "licensed", Boolean.toString(before.holdings().licensed()),
                        "legacyKey", before.holdings().holdsKey() ? before.holdings().legacyKeyId() : ""));
        store.remove(before, after, adminDelta, removal, seatsFreedBy(caller, before, after, now));
        return after;
    }

    /**
     * The license pool's side of a removal, in the same transaction: the seat is freed, and the member's
     * legacy key is deleted with them, since nothing a removed person holds may activate anything afterwards.
     */
    private java.util.function.Consumer<dev.wsl.core.store.Transaction> seatsFreedBy(Caller caller, Member before,
                                                                                  Member after, Instant now) {
        if (!before.holdings().occupiesSeat()) {
            return tx -> { };
        }
        java.util.List<SeatChange.KeyChange> keys = new java.util.ArrayList<>();
        java.util.List<AuditEntry> audits = new java.util.ArrayList<>();
        if (before.holdings().holdsKey()) {
            licenses.findKey(before.workspaceId(), before.holdings().legacyKeyId()).ifPresent(key -> {
                keys.add(new SeatChange.KeyChange(key, null));
                audits.add(audit(caller, before.workspaceId(), now, "legacy-key.deleted", key.keyId(),
                        Map.of("masked", key.masked(), "reason", "member removed", "member", before.memberId())));
            });
        }
        SeatChange change = new SeatChange(before.workspaceId(),
                java.util.List.of(new SeatChange.MemberChange(before, after)), keys, audits);
        LicensePool pool = licenses.pool(before.workspaceId());
        return tx -> licenses.contribute(tx, change, pool, false);
    }

    /** Sends a new link to an INVITED or REMOVED member; earlier links stop working at once. */
    public Member resend(Caller caller, String workspaceId, String memberId, Optional<Integer> expiresInDays) {
        Grant actor = authorize(caller, workspaceId);
        Member before = member(workspaceId, memberId);
        MemberRules.checkResend(actor, before);
        Workspace workspace = store.findWorkspace(workspaceId).orElseThrow(MemberService::workspaceNotFound);
        Instant now = clock.instant();
        Member after = before.reinvited(caller.userId(), now, now.plus(lifetime(expiresInDays)));
        store.reinvite(before, after, outbox(after, workspace, caller, now),
                audit(caller, workspaceId, now, "invitation.resent", memberId,
                        Map.of("previousStatus", before.status().name(),
                                "sequence", Long.toString(after.invitation().sequence()))));
        return after;
    }

    public Member setAccess(Caller caller, String workspaceId, String memberId, Access access) {
        Grant actor = authorize(caller, workspaceId);
        Member before = member(workspaceId, memberId);
        int adminDelta = MemberRules.checkAccessChange(actor, before, access);
        Instant now = clock.instant();
        Member after = before.withAccess(access);
        Map<String, String> details = new LinkedHashMap<>(accessDetails(access));
        details.put("previousRole", before.access().role().name());
        details.put("previousPermissions", String.join(",", before.access().permissionNames()));
        store.changeAccess(before, after, adminDelta,
                audit(caller, workspaceId, now, "member.access-changed", memberId, details));
        return after;
    }

    /**
     * Accepts the invitation behind a link's token for the signed-in caller. Refusals (unknown, used,
     * superseded, expired, for another email) change nothing.
     */
    public Member accept(Caller caller, String token) {
        if (!Secrets.looksLikeInvitationToken(token)) {
            throw invitationNotFound();
        }
        String tokenHash = Secrets.sha256Hex(token);
        for (int attempt = 1; ; attempt++) {
            WorkspaceStore.InvitationRef ref = store.findInvitation(tokenHash)
                    .orElseThrow(MemberService::invitationNotFound);
            Member before = store.findMember(ref.workspaceId(), ref.memberId())
                    .orElseThrow(MemberService::invitationNotFound);
            Instant now = clock.instant();
            MemberRules.checkAcceptance(before, tokenHash, caller, now);
            Member after = before.accepted(caller.userId(), caller.username(), now);
            Optional<String> authToken = store.authTokenHash(caller.userId());
            PersonalToken newToken = authToken.isPresent() ? null : PersonalToken.issue(caller.userId(), sealer, now);
            try {
                store.accept(before, after, tokenHash, profile(caller), authToken.orElse(null), newToken,
                        MemberRules.adminDelta(before, after),
                        audit(caller, ref.workspaceId(), now, "invitation.accepted", before.memberId(),
                                Map.of("placeholderName", before.name(), "username", caller.username())));
                return after;
            } catch (ApiException e) {
                // The member changed meanwhile: another acceptance won (the next read says so), or an admin
                // edited them (a license, their access) and the still-valid link deserves another try.
                // A first sign-in racing elsewhere, or a rotation, changed the user record: read it again.
                if (!(e.type().equals("invitation-used") || e.type().equals("concurrent-change")) || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    public Page<AuditEntry> audit(Caller caller, String workspaceId, int limit, String cursor) {
        Grant actor = authorize(caller, workspaceId);
        MemberRules.requirePermission(actor, Permission.AUDIT_READ);
        return store.listAudit(workspaceId, limit, cursor);
    }

    private Grant authorize(Caller caller, String workspaceId) {
        return authorization.member(caller, workspaceId);
    }

    private Member member(String workspaceId, String memberId) {
        if (!Ids.isWellFormed("m", memberId)) {
            throw memberNotFound();
        }
        return store.findMember(workspaceId, memberId).orElseThrow(MemberService::memberNotFound);
    }

    private Duration lifetime(Optional<Integer> days) {
        return days.map(d -> Duration.ofDays(d)).orElse(defaultInvitationTtl);
    }

    private static OutboxMessage outbox(Member member, Workspace workspace, Caller inviter, Instant now) {
        return new OutboxMessage(member.workspaceId(), member.memberId(), member.invitation().sequence(),
                member.email(), member.name(), workspace.name(), inviter.username(), member.invitation().expiresAt(),
                now);
    }

    private static UserProfile profile(Caller caller) {
        return new UserProfile(caller.userId(), caller.email(), caller.username());
    }

    private static AuditEntry audit(Caller caller, String workspaceId, Instant now, String action, String target,
                                    Map<String, String> details) {
        return new AuditEntry(workspaceId, now, caller.userId(), caller.email().value(), action, target, details);
    }

    private static Map<String, String> accessDetails(Access access) {
        return Map.of("role", access.role().name(), "permissions", String.join(",", access.permissionNames()));
    }

    private static ApiException workspaceNotFound() {
        return Authorization.workspaceNotFound();
    }

    private static ApiException memberNotFound() {
        return ApiException.notFound("member-not-found", "No member with this id exists in this workspace.");
    }

    private static ApiException invitationNotFound() {
        return ApiException.notFound("invitation-not-found",
                "This invitation link is not valid: it was used, replaced by a newer one, or withdrawn.");
    }
}
