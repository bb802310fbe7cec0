package dev.wsl.members;

import static dev.wsl.members.MemberContext.accessDetails;
import static dev.wsl.members.MemberContext.audit;
import static dev.wsl.members.MemberContext.profile;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.InvitationQuota;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.OutboxMessage;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.Workspace;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Invitations: inviting by email, sending a new link, and accepting one. Each runs read → decide → write under
 * the retry policy. Thread-safe.
 */
public final class Invitations {
    private final MemberContext c;
    private final TokenIssuer tokens;

    Invitations(MemberContext context, TokenIssuer tokens) {
        this.tokens = tokens;
        this.c = context;
    }

    /** A new invitation: placeholder name, email, the access the member will get, optional lifetime in days. */
    public record InviteCommand(String name, EmailAddress email, Access access, Optional<Integer> expiresInDays) {}

    /**
     * Invites by email. The answer does not depend on whether the email has an account: accounts are not
     * consulted at all. An email that was REMOVED is invited again on its old member record.
     */
    public Member invite(Principal.Person person, String workspaceId, InviteCommand command) {
        Grant actor = MemberContext.grantIn(person, workspaceId);
        MemberRules.checkInvite(actor, command.access());
        return c.retry.run(() -> inviteOnce(person.caller(), workspaceId, command));
    }

    private Member inviteOnce(Caller caller, String workspaceId, InviteCommand command) {
        Instant now = c.clock.instant();
        Instant expiresAt = now.plus(lifetime(command.expiresInDays()));
        WorkspaceStore.InvitationSubject subject = c.store.invitationSubject(workspaceId, command.email().value());
        Workspace workspace = subject.workspace().orElseThrow(Authorization::workspaceNotFound);
        Optional<String> existingId = subject.memberIdByEmail();
        if (existingId.isPresent()) {
            Member existing = c.store.findMember(workspaceId, existingId.get())
                    .orElseThrow(Authorization::workspaceNotFound);
            if (existing.status() != MemberStatus.REMOVED) {
                throw memberExists(existing);
            }
            Member reinvited = existing.renamed(command.name(), command.access()).reinvited(caller.userId(), now, expiresAt);
            c.store.reinvite(existing, reinvited, outbox(reinvited, workspace, caller, now),
                    quota(reinvited, subject.pool(), now),
                    audit(caller, workspaceId, now, "member.reinvited", existing.memberId(), accessDetails(command.access())));
            return reinvited;
        }
        Member member = Member.invited(workspaceId, Ids.newId("m", now.toEpochMilli()), command.email(), command.name(),
                command.access(), caller.userId(), now, expiresAt);
        Map<String, String> details = new LinkedHashMap<>(accessDetails(command.access()));
        details.put("email", command.email().value());
        c.store.insertInvitedMember(member, outbox(member, workspace, caller, now),
                quota(member, subject.pool(), now),
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

    /**
     * Sends a new link to an INVITED or REMOVED member; earlier links stop working at once. A REMOVED member is
     * invited again as a MEMBER with no advanced permissions (coming back starts from nothing; a resend names no
     * role: an admin who wants more invites them with the role, or changes their access afterwards).
     */
    public Member resend(Principal.Person person, String workspaceId, String memberId, Optional<Integer> expiresInDays) {
        Grant actor = MemberContext.grantIn(person, workspaceId);
        return c.retry.run(() -> resendOnce(person.caller(), actor, workspaceId, memberId, expiresInDays));
    }

    private Member resendOnce(Caller caller, Grant actor, String workspaceId, String memberId,
                              Optional<Integer> expiresInDays) {
        Member before = c.member(workspaceId, memberId);
        Member base = before.status() == MemberStatus.REMOVED ? before.withAccess(Access.MEMBER) : before;
        MemberRules.checkResend(actor, base);
        Workspace workspace = c.workspace(workspaceId);
        Instant now = c.clock.instant();
        Member after = base.reinvited(caller.userId(), now, now.plus(lifetime(expiresInDays)));
        c.store.reinvite(before, after, outbox(after, workspace, caller, now),
                quota(after, c.licenses.pool(workspaceId), now),
                audit(caller, workspaceId, now, "invitation.resent", memberId,
                        Map.of("previousStatus", before.status().name(),
                                "sequence", Long.toString(after.invitation().sequence()))));
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
            throw MemberContext.invitationNotFound();
        }
        String tokenHash = Secrets.sha256Hex(token);
        return c.retry.run(() -> {
            WorkspaceStore.InvitationRef ref = c.store.findInvitation(tokenHash)
                    .orElseThrow(MemberContext::invitationNotFound);
            Member before = c.store.findMember(ref.workspaceId(), ref.memberId())
                    .orElseThrow(MemberContext::invitationNotFound);
            Instant now = c.clock.instant();
            MemberRules.checkAcceptance(before, tokenHash, caller, now);
            Member after = before.accepted(caller.userId(), caller.username(), now);
            Optional<TokenHashes> authToken = c.store.authTokens(caller.userId());
            PersonalToken newToken = tokens.unless(authToken, caller, now);
            c.store.accept(before, after, tokenHash, profile(caller), authToken.orElse(null), newToken,
                    MemberRules.adminDelta(before, after),
                    audit(caller, ref.workspaceId(), now, "invitation.accepted", before.memberId(),
                            Map.of("placeholderName", before.name(), "username", caller.username())));
            return after;
        });
    }

    /**
     * The counters the invitation email to this member counts against (PRODUCT.md section 11). Whether the
     * workspace has an active subscription, and its seats (a higher workspace limit), is read from its pool.
     */
    private InvitationQuota quota(Member invited, LicensePool pool, Instant now) {
        return c.invitationLimits.quota(invited.email(), invited.workspaceId(), pool.hasActiveSubscription(now),
                pool.seats(), now);
    }

    private Duration lifetime(Optional<Integer> days) {
        return days.map(d -> Duration.ofDays(d)).orElse(c.defaultInvitationTtl);
    }

    private static OutboxMessage outbox(Member member, Workspace workspace, Caller inviter, Instant now) {
        return new OutboxMessage(member.workspaceId(), member.memberId(), member.invitation().sequence(),
                member.email(), member.name(), workspace.name(), inviter.username(), member.invitation().expiresAt(),
                now);
    }
}
