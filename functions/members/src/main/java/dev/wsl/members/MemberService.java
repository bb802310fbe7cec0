package dev.wsl.members;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.InvitationLimits;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Membership;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.TokenSealer;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.domain.UserProfile;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.HeldForAdmin;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Workspace membership use cases. Every operation on a workspace starts by
 * authorizing the caller against that workspace (one consistent read of their
 * grant); a caller who is not an ACTIVE member learns only that the workspace
 * was not found. Each use case runs read → decide → write under the {@link RetryPolicy}:
 * a lost race (the member changed, a transaction collided) is decided again on fresh reads.
 * Thread-safe.
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
    private final RetryPolicy retry;
    private final dev.wsl.core.access.VerifiedDomains domains;
    private final InvitationLimits invitationLimits;

    /** With the default invitation limits ({@link InvitationLimits#DEFAULT}). */
    public MemberService(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, TokenSealer sealer,
                         Clock clock, Duration defaultInvitationTtl, RetryPolicy retry) {
        this(store, licenses, credentials, sealer, clock, defaultInvitationTtl, retry, InvitationLimits.DEFAULT);
    }

    public MemberService(WorkspaceStore store, LicenseStore licenses, CredentialStore credentials, TokenSealer sealer,
                         Clock clock, Duration defaultInvitationTtl, RetryPolicy retry,
                         InvitationLimits invitationLimits) {
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
        this.retry = Objects.requireNonNull(retry);
        this.domains = new dev.wsl.core.access.VerifiedDomains(store);
        this.invitationLimits = Objects.requireNonNull(invitationLimits);
    }

    /** A new invitation: placeholder name, email, the access the member will get, optional lifetime in days. */
    public record InviteCommand(String name, EmailAddress email, Access access, Optional<Integer> expiresInDays) {}

    public record WorkspaceWithGrant(Workspace workspace, Grant grant) {}

    public WorkspaceWithGrant createWorkspace(Caller caller, String name) {
        Instant now = clock.instant();
        String workspaceId = Ids.newId("ws", now.toEpochMilli());
        Workspace workspace = new Workspace(workspaceId, name, now, caller.userId(), 1);
        Member creator = Member.creator(workspaceId, Ids.newId("m", now.toEpochMilli()), caller, now);
        return retry.run(() -> {
            // The user record is created with the user's first workspace or membership, and with it their token.
            Optional<TokenHashes> current = store.authTokens(caller.userId());
            PersonalToken newToken = current.isPresent() ? null : PersonalToken.issue(caller.userId(), sealer, now);
            store.createWorkspace(workspace, creator, profile(caller), current.orElse(null), newToken,
                    audit(caller, workspaceId, now, "workspace.created", workspaceId, Map.of("name", name)));
            return new WorkspaceWithGrant(workspace,
                    new Grant(workspaceId, caller.userId(), creator.memberId(), creator.access()));
        });
    }

    /** The caller's own workspaces with their access in each; needs no grant (it names no workspace). */
    public List<Membership> workspacesOf(Caller caller) {
        return retry.run(() -> store.workspacesOf(caller.userId()));
    }

    public WorkspaceWithGrant getWorkspace(Caller caller, String workspaceId) {
        return retry.run(() -> {
            Grant grant = authorize(caller, workspaceId);
            Workspace workspace = store.findWorkspace(workspaceId).orElseThrow(MemberService::workspaceNotFound);
            return new WorkspaceWithGrant(workspace, grant);
        });
    }

    /**
     * Invites by email. The answer does not depend on whether the email has an account: accounts are not
     * consulted at all. An email that was REMOVED is invited again on its old member record.
     */
    public Member invite(Caller caller, String workspaceId, InviteCommand command) {
        return retry.run(() -> inviteOnce(caller, workspaceId, command));
    }

    private Member inviteOnce(Caller caller, String workspaceId, InviteCommand command) {
        Grant actor = authorize(caller, workspaceId);
        MemberRules.checkInvite(actor, command.access());
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime(command.expiresInDays()));
        Workspace workspace = store.findWorkspace(workspaceId).orElseThrow(MemberService::workspaceNotFound);
        Optional<String> existingId = store.findMemberIdByEmail(workspaceId, command.email().value());
        if (existingId.isPresent()) {
            Member existing = store.findMember(workspaceId, existingId.get()).orElseThrow(MemberService::workspaceNotFound);
            if (existing.status() != MemberStatus.REMOVED) {
                throw memberExists(existing);
            }
            Member reinvited = existing.renamed(command.name(), command.access()).reinvited(caller.userId(), now, expiresAt);
            store.reinvite(existing, reinvited, outbox(reinvited, workspace, caller, now),
                    quota(reinvited, now),
                    audit(caller, workspaceId, now, "member.reinvited", existing.memberId(), accessDetails(command.access())));
            return reinvited;
        }
        Member member = Member.invited(workspaceId, Ids.newId("m", now.toEpochMilli()), command.email(), command.name(),
                command.access(), caller.userId(), now, expiresAt);
        Map<String, String> details = new LinkedHashMap<>(accessDetails(command.access()));
        details.put("email", command.email().value());
        store.insertInvitedMember(member, outbox(member, workspace, caller, now), quota(member, now),
                audit(caller, workspaceId, now, "member.invited", member.memberId(), details));
        return member;
    }

    /** An email that is INVITED may be sent a new link (resend); an ACTIVE member has nothing to accept. */
    private static AlreadyExists memberExists(Member existing) {
        String detail = existing.status() == MemberStatus.ACTIVE
                ? "This email is already an active member of the workspace."
                : "This email is already invited to the workspace; resend the invitation to send a new link.";
        return new AlreadyExists("member-exists", detail, Map.of("memberId", existing.memberId()));
    }

    /** A page of members with the last activation of each one's license (one batch read for the page). */
    public record Listed(Page<Member> page, Map<String, Usage> usage) {
        /** One member with the last activation of their license, or null. */
        public record One(Member member, Usage usage) {}
    }

    public Listed listMembers(Caller caller, String workspaceId, boolean includeRemoved, int limit, String cursor) {
        return retry.run(() -> {
            authorize(caller, workspaceId);
            return listed(workspaceId, includeRemoved, limit, cursor);
        });
    }

    /**
     * A page of members with the usage of those who may have one: ACTIVE members (their last activation) and
     * members holding a license (their seat's idle time, issue 21). For a caller already authorized.
     */
    Listed listed(String workspaceId, boolean includeRemoved, int limit, String cursor) {
        Page<Member> page = store.listMembers(workspaceId, includeRemoved, limit, cursor);
        List<String> used = page.items().stream()
                .filter(m -> m.status() == MemberStatus.ACTIVE || m.holdings().licensed()).map(Member::memberId).toList();
        return new Listed(page, used.isEmpty() ? Map.of() : credentials.usage(workspaceId, used));
    }

    public Listed.One getMember(Caller caller, String workspaceId, String memberId) {
        return retry.run(() -> {
            authorize(caller, workspaceId);
            Member member = member(workspaceId, memberId);
            return new Listed.One(member, credentials.usage(workspaceId, List.of(memberId)).get(memberId));
        });
    }

    public Member remove(Caller caller, String workspaceId, String memberId) {
        // A person's removal: the identity provider cannot undo it on its own (removalSticks).
        return retry.run(() -> removeOnce(Actor.of(caller), authorize(caller, workspaceId), workspaceId, memberId, true));
    }

    /**
     * The one removal, whoever asks for it ({@link #remove}, {@link #removeAs}): the same rules against
     * {@code authority}, the same seat and legacy key freed, the same audit entry. Only who removed them
     * differs: a person's removal sticks ({@code byPerson}); the identity provider's may be undone by it, and
     * is held or refused when it takes ADMIN from an admin ({@link #idpAdminLoss}).
     */
    private Member removeOnce(Actor actor, Grant authority, String workspaceId, String memberId, boolean byPerson) {
        Member before = member(workspaceId, memberId);
        int adminDelta = MemberRules.checkRemove(authority, before);
        Instant now = clock.instant();
        Member after = byPerson ? before.removedBy(actor, now) : before.removedByIdentityProvider(actor, now);
        AuditEntry removal = actor.audit(workspaceId, now, "member.removed", memberId,
                Map.of("previousStatus", before.status().name(), "licensed", Boolean.toString(before.holdings().licensed()),
                        "legacyKey", before.holdings().holdsKey() ? before.holdings().legacyKeyId() : ""));
        SeatChange freed = seatsFreedBy(actor, before, after, now);
        store.remove(before, after, adminDelta, removal, freed, freed == null ? null : licenses.pool(workspaceId),
                idpAdminLoss(actor, before, after, now));
        return after;
    }

    /**
     * The license pool's side of a removal, written in the same step: the seat is freed, and the member's
     * legacy key is deleted with them, since nothing a removed person holds may activate anything afterwards.
     * Null when the member held nothing.
     */
    SeatChange seatsFreedBy(Actor actor, Member before, Member after, Instant now) {
        if (!before.holdings().occupiesSeat()) {
            return null;
        }
        List<SeatChange.KeyChange> keys = new ArrayList<>();
        List<AuditEntry> audits = new ArrayList<>();
        if (before.holdings().holdsKey()) {
            Optional<LegacyKey> key = licenses.findKey(before.workspaceId(), before.holdings().legacyKeyId());
            key.ifPresent(k -> {
                keys.add(new SeatChange.KeyChange(k, null));
                audits.add(actor.audit(before.workspaceId(), now, "legacy-key.deleted", k.keyId(),
                        Map.of("masked", k.shown(), "reason", "member removed", "member", before.memberId())));
            });
        }
        return new SeatChange(before.workspaceId(), List.of(new SeatChange.MemberChange(before, after)), keys, audits);
    }

    /**
     * Sends a new link to an INVITED or REMOVED member; earlier links stop working at once. A REMOVED member is
     * invited again as a MEMBER with no advanced permissions (coming back starts from nothing; a resend names no
     * role: an admin who wants more invites them with the role, or changes their access afterwards).
     */
    public Member resend(Caller caller, String workspaceId, String memberId, Optional<Integer> expiresInDays) {
        return retry.run(() -> resendOnce(caller, workspaceId, memberId, expiresInDays));
    }

    private Member resendOnce(Caller caller, String workspaceId, String memberId, Optional<Integer> expiresInDays) {
        Grant actor = authorize(caller, workspaceId);
        Member before = member(workspaceId, memberId);
        Member base = before.status() == MemberStatus.REMOVED ? before.withAccess(Access.MEMBER) : before;
        MemberRules.checkResend(actor, base);
        Workspace workspace = store.findWorkspace(workspaceId).orElseThrow(MemberService::workspaceNotFound);
        Instant now = clock.instant();
        Member after = base.reinvited(caller.userId(), now, now.plus(lifetime(expiresInDays)));
        store.reinvite(before, after, outbox(after, workspace, caller, now), quota(after, now),
                audit(caller, workspaceId, now, "invitation.resent", memberId,
                        Map.of("previousStatus", before.status().name(),
                                "sequence", Long.toString(after.invitation().sequence()))));
        return after;
    }

    public Member setAccess(Caller caller, String workspaceId, String memberId, Access access) {
        return retry.run(() -> setAccessOnce(caller, workspaceId, memberId, access));
    }

    private Member setAccessOnce(Caller caller, String workspaceId, String memberId, Access access) {
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
     * superseded, expired, for another email) change nothing. A lost race is decided again on fresh
     * reads: another acceptance won (the link is then used: 404), or an admin changed the member (a
     * license, their access) and the still-valid link deserves another try, or a first sign-in elsewhere
     * or a rotation changed the user record.
     */
    public Member accept(Caller caller, String token) {
        if (!Secrets.looksLikeInvitationToken(token)) {
            throw invitationNotFound();
        }
        String tokenHash = Secrets.sha256Hex(token);
        return retry.run(() -> {
            WorkspaceStore.InvitationRef ref = store.findInvitation(tokenHash)
                    .orElseThrow(MemberService::invitationNotFound);
            Member before = store.findMember(ref.workspaceId(), ref.memberId())
                    .orElseThrow(MemberService::invitationNotFound);
            Instant now = clock.instant();
            MemberRules.checkAcceptance(before, tokenHash, caller, now);
            Member after = before.accepted(caller.userId(), caller.username(), now);
            Optional<TokenHashes> authToken = store.authTokens(caller.userId());
            PersonalToken newToken = authToken.isPresent() ? null : PersonalToken.issue(caller.userId(), sealer, now);
            store.accept(before, after, tokenHash, profile(caller), authToken.orElse(null), newToken,
                    MemberRules.adminDelta(before, after),
                    audit(caller, ref.workspaceId(), now, "invitation.accepted", before.memberId(),
                            Map.of("placeholderName", before.name(), "username", caller.username())));
            return after;
        });
    }

    public Page<AuditEntry> audit(Caller caller, String workspaceId, int limit, String cursor) {
        return retry.run(() -> {
            Grant actor = authorize(caller, workspaceId);
            MemberRules.requirePermission(actor, Permission.AUDIT_READ);
            Page<AuditEntry> page = store.listAudit(workspaceId, limit, cursor);
            // Legacy keys' masks only for those who manage legacy keys (PRODUCT.md section 11, "Masks reveal little").
            return new Page<>(page.items().stream().map(e -> e.shownTo(actor.access())).toList(), page.nextCursor());
        });
    }

    // ------------------------------------------------------------------ SCIM provisioning (PRODUCT.md section 9)

    /**
     * What an identity provider says of a user: how it knows them, the name to show, the email the
     * membership binds to, and whether the user is active (inactive: the member is removed).
     */
    public record Provisioned(Provisioning provisioning, String name, EmailAddress email, boolean active) {
        public Provisioned {
            Objects.requireNonNull(provisioning);
            Objects.requireNonNull(name);
            Objects.requireNonNull(email);
        }
    }

    /** A provisioned member and whether the request created it (201) rather than adopting an existing one. */
    public record ProvisionOutcome(Member member, boolean created) {}

    /**
     * Creates a member for a user the identity provider assigned to the workspace: INVITED without an
     * invitation link (no email is sent) until that email's first sign-in ({@link #claimProvisioned}).
     * An email that is already a member invited or added by hand is adopted (it keeps its state, and a
     * removed one comes back as after {@code active: true}); one that another IdP user has is refused. A member
     * a person removed is not brought back ({@link Member#removalSticks()}): refused, naming the removal.
     *
     * @throws AlreadyExists {@code user-name-exists}, {@code external-id-exists} or {@code member-exists}
     * @throws Forbidden {@code removed-by-person} for a member whose removal sticks
     */
    public ProvisionOutcome provision(Actor actor, String workspaceId, Provisioned wanted) {
        return retry.run(() -> provisionOnce(actor, workspaceId, wanted));
    }

    private ProvisionOutcome provisionOnce(Actor actor, String workspaceId, Provisioned wanted) {
        // The workspace exists (its token was found); the provisioning transaction checks it anyway.
        Optional<String> byUserName = store.findMemberIdByUserName(workspaceId, wanted.provisioning().userNameKey());
        if (byUserName.isPresent()) {
            // The IdP creates again a user it knows: the removal, if a person's, is the answer it needs.
            store.findMember(workspaceId, byUserName.get()).filter(Member::removalSticks).ifPresent(m -> {
                throw removalSticks(m);
            });
            throw new AlreadyExists("user-name-exists", "A user with this userName exists in the workspace.");
        }
        String externalId = wanted.provisioning().externalId();
        if (externalId != null && store.findMemberIdByExternalId(workspaceId, externalId).isPresent()) {
            throw new AlreadyExists("external-id-exists", "A user with this externalId exists in the workspace.");
        }
        Optional<String> byEmail = store.findMemberIdByEmail(workspaceId, wanted.email().value());
        if (byEmail.isPresent()) {
            Member existing = store.findMember(workspaceId, byEmail.get()).orElseThrow(MemberService::memberNotFound);
            if (existing.removalSticks() && wanted.active()) {
                throw removalSticks(existing);
            }
            if (existing.provisioned()) {
                throw new AlreadyExists("member-exists",
                        "Another user of the identity provider has this email in the workspace.");
            }
            return new ProvisionOutcome(applyOnce(actor, existing, wanted, "member.provisioned"), false);
        }
        Instant now = clock.instant();
        Member.Builder member = Member.builder().workspaceId(workspaceId).memberId(Ids.newId("m", now.toEpochMilli()))
                .email(wanted.email()).name(wanted.name()).access(Access.MEMBER).invitedAt(now).invitedBy(actor.id())
                .provisioning(wanted.provisioning());
        Member created = wanted.active() ? member.status(MemberStatus.INVITED).build()
                : member.status(MemberStatus.REMOVED).removedAt(now).removedBy(actor).scimMayRestore(true).build();
        store.provision(created, actor.audit(workspaceId, now, "member.provisioned", created.memberId(),
                Map.of("email", created.email().value(), "userName", wanted.provisioning().userName(),
                        "active", Boolean.toString(wanted.active()))));
        return new ProvisionOutcome(created, true);
    }

    /**
     * Brings a member to what the identity provider now says (PUT and PATCH of a SCIM user): name, email
     * (only while they have not signed in: an ACTIVE member's email is their account's), userName and
     * externalId, and {@code active}: false removes the member as {@link #remove} does (the seat is freed, a
     * legacy key deleted, the last admin kept); true again brings a removed member back, ACTIVE at once
     * when they had signed in before, else INVITED until their next sign-in, as a MEMBER holding nothing.
     * A member a person removed is not brought back ({@link Member#removalSticks()}).
     *
     * @throws Forbidden {@code removed-by-person} for a member whose removal sticks
     * @throws HeldForAdmin when it would take ADMIN from a second admin within the hour
     */
    public Member updateProvisioned(Actor actor, String workspaceId, String memberId, Provisioned wanted) {
        return retry.run(() -> applyOnce(actor, provisionedMember(workspaceId, memberId), wanted,
                "member.provisioning-changed"));
    }

    /** The member behind a SCIM user id: every member but those removed by hand or deleted by the IdP. */
    public Member provisionedMember(String workspaceId, String memberId) {
        Member member = member(workspaceId, memberId);
        if (member.status() == MemberStatus.REMOVED && !member.provisioned()) {
            throw memberNotFound();
        }
        return member;
    }

    private Member applyOnce(Actor actor, Member before, Provisioned wanted, String action) {
        Instant now = clock.instant();
        if (before.status() == MemberStatus.ACTIVE && !before.email().equals(wanted.email())) {
            throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "This member has signed in as " + before.email().value()
                    + "; their email is their account's and the identity provider cannot change it.");
        }
        String name = before.status() == MemberStatus.ACTIVE ? before.name() : wanted.name();
        Member updated = before.reprovisioned(name, wanted.email(), wanted.provisioning());
        String workspaceId = before.workspaceId();
        boolean active = before.status() != MemberStatus.REMOVED;
        if (active && !wanted.active()) {
            Member after = updated.removedByIdentityProvider(actor, now);
            SeatChange freed = seatsFreedBy(actor, before, after, now);
            store.remove(before, after, MemberRules.adminDelta(before, after),
                    actor.audit(workspaceId, now, "member.deactivated", before.memberId(),
                            Map.of("previousStatus", before.status().name(),
                                    "licensed", Boolean.toString(before.holdings().licensed()))),
                    freed, freed == null ? null : licenses.pool(workspaceId), idpAdminLoss(actor, before, after, now));
            return after;
        }
        if (!active && wanted.active()) {
            if (before.removalSticks()) {
                throw removalSticks(before);
            }
            Member back = updated.reactivated(actor.id(), now);
            AuditEntry audit = actor.audit(workspaceId, now, "member.reactivated", before.memberId(),
                    Map.of("signedInBefore", Boolean.toString(before.userId() != null),
                            "previousRole", before.access().role().name()));
            if (before.userId() == null) {
                store.reprovision(before, back, audit);
                return back;
            }
            // They signed in before with this account: the membership is theirs again at once (it holds nothing yet).
            Member after = back.accepted(before.userId(), name, now);
            store.activate(before, after, null, null, null, MemberRules.adminDelta(before, after), audit);
            return after;
        }
        if (updated.email().equals(before.email()) && updated.name().equals(before.name())
                && Objects.equals(updated.provisioning(), before.provisioning())) {
            return before;
        }
        store.reprovision(before, updated, actor.audit(workspaceId, now, action, before.memberId(),
                Map.of("email", updated.email().value(), "userName", wanted.provisioning().userName())));
        return updated;
    }

    /**
     * The identity provider deletes the user: the member is removed (as {@link #remove}) and is no longer a
     * SCIM user (its userName and externalId are free again); the member record stays, REMOVED, like any
     * removed member (a person's removal keeps sticking).
     */
    public Member deprovision(Actor actor, String workspaceId, String memberId) {
        return retry.run(() -> {
            Member before = provisionedMember(workspaceId, memberId);
            Instant now = clock.instant();
            Member forgotten = before.withProvisioning(null);
            AuditEntry audit = actor.audit(workspaceId, now, "member.deprovisioned", memberId,
                    Map.of("previousStatus", before.status().name()));
            if (before.status() == MemberStatus.REMOVED) {
                store.reprovision(before, forgotten, audit);
                return forgotten;
            }
            Member after = forgotten.removedByIdentityProvider(actor, now);
            SeatChange freed = seatsFreedBy(actor, before, after, now);
            store.remove(before, after, MemberRules.adminDelta(before, after), audit, freed,
                    freed == null ? null : licenses.pool(workspaceId), idpAdminLoss(actor, before, after, now));
            return after;
        });
    }

    /**
     * A removal by the identity provider (a member taken out of its Members group, or such a change an admin
     * confirmed): the rules of {@link #remove}, with an admin's authority; the member stays a SCIM user
     * (inactive) if it was one, and the identity provider may bring them back.
     */
    public Member removeAs(Actor actor, String workspaceId, String memberId) {
        return retry.run(() -> removeOnce(actor, new Grant(workspaceId, actor.id(), null, Access.ADMIN), workspaceId,
                memberId, false));
    }

    /**
     * A role set by the identity provider (its Admins group); the rules of {@link #setAccess}, with an admin's
     * authority. The role is the identity provider's ({@link Member#roleFromScim()}) unless an admin applies it
     * (a confirmed held change), which makes it a person's decision.
     */
    public Member setAccessAs(Actor actor, String workspaceId, String memberId, Access access) {
        return retry.run(() -> {
            Member before = member(workspaceId, memberId);
            if (before.access().equals(access)) {
                return before;
            }
            Grant authority = new Grant(workspaceId, actor.id(), null, Access.ADMIN);
            int adminDelta = MemberRules.checkAccessChange(authority, before, access);
            Member after = byIdentityProvider(actor) ? before.withAccessFromScim(access) : before.withAccess(access);
            Instant now = clock.instant();
            Map<String, String> details = new LinkedHashMap<>(accessDetails(access));
            details.put("previousRole", before.access().role().name());
            store.changeAccess(before, after, adminDelta,
                    actor.audit(workspaceId, now, "member.access-changed", memberId, details),
                    idpAdminLoss(actor, before, after, now));
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
    public Member allowProvisioning(Caller caller, String workspaceId, String memberId) {
        return retry.run(() -> {
            Grant actor = authorize(caller, workspaceId);
            Member before = member(workspaceId, memberId);
            MemberRules.checkAllowProvisioning(actor, before);
            Instant now = clock.instant();
            Member after = before.provisioningAllowed();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("removedAt", before.removedAt() == null ? "" : before.removedAt().toString());
            details.put("removedBy", before.removedBy() == null ? "" : before.removedBy().email());
            store.reprovision(before, after, audit(caller, workspaceId, now, "member.provisioning-allowed", memberId,
                    details));
            return after;
        });
    }

    private static boolean byIdentityProvider(Actor actor) {
        return Actor.SCIM.equals(actor);
    }

    /**
     * The conditions of a change the identity provider makes on its own that takes ADMIN from an active admin
     * (null for any other change, and for an admin applying a held change: a person's decision): held when
     * another such change was made within the hour; refused when the member is the last appointed admin.
     *
     * @throws HeldForAdmin when another admin lost ADMIN by the identity provider within {@link IdpAdminLoss#WINDOW}
     * @throws LastAdmin when the member is the workspace's only active admin
     * @throws Conflict {@code last-appointed-admin} when the member is the last admin a person appointed
     */
    private IdpAdminLoss idpAdminLoss(Actor actor, Member before, Member after, Instant now) {
        if (!byIdentityProvider(actor) || !before.isActiveAdmin() || after.isActiveAdmin()) {
            return null;
        }
        String workspaceId = before.workspaceId();
        Optional<Instant> previous = store.lastIdpAdminLoss(workspaceId);
        if (previous.isPresent() && IdpAdminLoss.withinWindow(previous.get(), now)) {
            throw new HeldForAdmin("The identity provider took ADMIN from an admin at " + previous.get()
                    + "; taking it from another (" + before.email().value() + ") within an hour waits for a "
                    + "workspace admin's confirmation.");
        }
        String witness = null;
        if (before.isAppointedAdmin()) {
            List<Member> admins = allMembers(workspaceId).stream()
                    .filter(m -> m.isActiveAdmin() && !m.memberId().equals(before.memberId())).toList();
            if (admins.isEmpty()) {
                throw new LastAdmin();
            }
            witness = admins.stream().filter(Member::isAppointedAdmin).map(Member::memberId).findFirst()
                    .orElseThrow(() -> new Conflict("last-appointed-admin", before.email().value()
                            + " is the last admin a person appointed (the other admins got ADMIN from the identity "
                            + "provider); the identity provider cannot take ADMIN from them. An admin can change it "
                            + "in the console."));
        }
        return new IdpAdminLoss(previous.orElse(null), now, witness);
    }

    /** The SCIM error for a member a person removed: who, and when; and what lets the identity provider back in. */
    private static Forbidden removalSticks(Member m) {
        String who = m.removedBy() == null ? " (before removals recorded who removed them)"
                : " by " + m.removedBy().email();
        String when = m.removedAt() == null ? "" : " at " + m.removedAt();
        return new Forbidden("removed-by-person", m.email().value() + " was removed from the workspace" + who
                + when + "; the identity provider cannot add them back. A workspace admin can invite them again, "
                + "or allow provisioning again on their member details in the console.");
    }

    /**
     * The caller's first sign-in with a verified email that identity providers provisioned: each such
     * membership in a workspace that verified the email's domain becomes ACTIVE for the caller's account, as an
     * accepted invitation does (grant, the caller's first auth token if they have none, a license they got
     * meanwhile starts activating). Every other one waits for the person's Join ({@link ConsentService}) and
     * this sign-in writes nothing about them to that workspace. Memberships the caller's account already has
     * another way are left alone.
     *
     * @return the memberships activated now
     */
    public List<Membership> claimProvisioned(Caller caller) {
        List<Member> waiting = retry.run(() -> store.awaitingSignIn(caller.email()));
        List<Membership> claimed = new ArrayList<>();
        for (Member candidate : waiting) {
            if (!retry.run(() -> domains.vouchFor(candidate.workspaceId(), caller.email(), clock.instant()))) {
                continue; // asked first: Join or Decline
            }
            try {
                Member m = retry.run(() -> claimOnce(caller, candidate.workspaceId(), candidate.memberId()));
                String name = store.findWorkspace(m.workspaceId()).map(Workspace::name).orElse(m.workspaceId());
                claimed.add(new Membership(m.workspaceId(), name, m.memberId(), m.access()));
            } catch (AlreadyExists | NotFound notThisOne) {
                // The account is another member there already, or the membership changed meanwhile.
            }
        }
        return claimed;
    }

    private Member claimOnce(Caller caller, String workspaceId, String memberId) {
        Member before = store.findMember(workspaceId, memberId).orElseThrow(MemberService::memberNotFound);
        if (!before.awaitsFirstSignIn() || !before.email().equals(caller.email())) {
            throw memberNotFound();
        }
        Instant now = clock.instant();
        Member after = before.accepted(caller.userId(), before.name(), now);
        Optional<TokenHashes> authToken = store.authTokens(caller.userId());
        PersonalToken newToken = authToken.isPresent() ? null : PersonalToken.issue(caller.userId(), sealer, now);
        store.activate(before, after, profile(caller), authToken.orElse(null), newToken,
                MemberRules.adminDelta(before, after),
                audit(caller, workspaceId, now, "member.signed-in", memberId,
                        Map.of("provisionedAs", before.provisioning().userName())));
        return after;
    }

    /** Every member of the workspace, REMOVED ones included, in id order (pages of 100). */
    public List<Member> allMembers(String workspaceId) {
        return retry.run(() -> {
            List<Member> out = new ArrayList<>();
            String cursor = null;
            do {
                Page<Member> page = store.listMembers(workspaceId, true, 100, cursor);
                out.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null);
            return out;
        });
    }

    /** The members with these ids (unknown ids are missing). */
    public Map<String, Member> membersById(String workspaceId, java.util.Collection<String> memberIds) {
        List<String> wellFormed = memberIds.stream().filter(id -> Ids.isWellFormed("m", id)).toList();
        return wellFormed.isEmpty() ? Map.of() : retry.run(() -> store.findMembers(workspaceId, wellFormed));
    }

    /** The member an identity provider knows by this userName, or by this email when it knows none by it. */
    public Optional<Member> findByUserName(String workspaceId, String userName) {
        return retry.run(() -> {
            Optional<String> id = store.findMemberIdByUserName(workspaceId, Provisioning.userNameKey(userName));
            if (id.isPresent()) {
                return store.findMember(workspaceId, id.get());
            }
            // A member invited by hand is a SCIM user whose userName is their email (IdPs match them that way).
            Optional<EmailAddress> email = EmailAddress.tryParse(userName); // ASCII before case folding, as every door
            if (email.isEmpty()) {
                return Optional.empty();
            }
            return store.findMemberIdByEmail(workspaceId, email.get().value()).flatMap(m -> store.findMember(workspaceId, m))
                    .filter(m -> !m.provisioned() && m.status() != MemberStatus.REMOVED);
        });
    }

    public Optional<Member> findByExternalId(String workspaceId, String externalId) {
        return retry.run(() -> store.findMemberIdByExternalId(workspaceId, externalId)
                .flatMap(id -> store.findMember(workspaceId, id)));
    }

    public Optional<Member> findByEmail(String workspaceId, EmailAddress email) {
        return retry.run(() -> store.findMemberIdByEmail(workspaceId, email.value())
                .flatMap(id -> store.findMember(workspaceId, id))
                .filter(m -> m.status() != MemberStatus.REMOVED || m.provisioned()));
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

    /**
     * The counters the invitation email to this member counts against (PRODUCT.md section 11). Whether the
     * workspace has an active subscription, and its seats (a higher workspace limit), is read from its pool:
     * one GetItem.
     */
    private InvitationQuota quota(Member invited, Instant now) {
        var pool = licenses.pool(invited.workspaceId());
        return invitationLimits.quota(invited.email(), invited.workspaceId(), pool.hasActiveSubscription(now),
                pool.seats(), now);
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

    private static NotFound workspaceNotFound() {
        return Authorization.workspaceNotFound();
    }

    private static NotFound memberNotFound() {
        return new NotFound("member-not-found", "No member with this id exists in this workspace.");
    }

    static NotFound invitationNotFound() {
        return new NotFound("invitation-not-found",
                "This invitation link is not valid: it was used, replaced by a newer one, or withdrawn.");
    }
}
