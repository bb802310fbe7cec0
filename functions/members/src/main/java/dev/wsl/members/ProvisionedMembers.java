package dev.wsl.members;

import static dev.wsl.members.MemberContext.audit;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.HeldForAdmin;
import dev.wsl.core.failure.InvalidInput;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Provisioning (PRODUCT.md section 9): the identity provider's use cases on members (create, update, delete a
 * SCIM user); the person's first sign-in that claims what was provisioned for their email is {@link FirstSignIn}.
 * A removal here is the same {@link Removal} as the console's. Thread-safe.
 */
public final class ProvisionedMembers {
    private final MemberContext c;
    private final Removal removal;
    private final MemberDirectory directory;

    ProvisionedMembers(MemberContext context, Removal removal, MemberDirectory directory) {
        this.c = context;
        this.removal = removal;
        this.directory = directory;
    }

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
    public ProvisionOutcome provision(Principal principal, String workspaceId, Provisioned wanted) {
        requireProvisioner(principal, workspaceId);
        return c.retry.run(() -> provisionOnce(principal, workspaceId, wanted));
    }

    private ProvisionOutcome provisionOnce(Principal principal, String workspaceId, Provisioned wanted) {
        // The workspace exists (its token was found); the provisioning transaction checks it anyway.
        Optional<String> byUserName = c.store.findMemberIdByUserName(workspaceId, wanted.provisioning().userNameKey());
        if (byUserName.isPresent()) {
            // The IdP creates again a user it knows: the removal, if a person's, is the answer it needs.
            c.store.findMember(workspaceId, byUserName.get()).filter(Member::removalSticks).ifPresent(m -> {
                throw Removal.removalSticks(m);
            });
            throw new AlreadyExists("user-name-exists", "A user with this userName exists in the workspace.");
        }
        String externalId = wanted.provisioning().externalId();
        if (externalId != null && c.store.findMemberIdByExternalId(workspaceId, externalId).isPresent()) {
            throw new AlreadyExists("external-id-exists", "A user with this externalId exists in the workspace.");
        }
        Optional<String> byEmail = c.store.findMemberIdByEmail(workspaceId, wanted.email().value());
        if (byEmail.isPresent()) {
            Member existing = c.store.findMember(workspaceId, byEmail.get()).orElseThrow(MemberContext::memberNotFound);
            if (existing.removalSticks() && wanted.active()) {
                throw Removal.removalSticks(existing);
            }
            if (existing.provisioned()) {
                throw new AlreadyExists("member-exists",
                        "Another user of the identity provider has this email in the workspace.");
            }
            return new ProvisionOutcome(applyOnce(principal, existing, wanted, "member.provisioned"), false);
        }
        Instant now = c.clock.instant();
        Actor actor = principal.actor();
        Member.Builder member = Member.builder().workspaceId(workspaceId).memberId(Ids.newId("m", now.toEpochMilli()))
                .email(wanted.email()).name(wanted.name()).access(Access.MEMBER).invitedAt(now).invitedBy(actor.id())
                .provisioning(wanted.provisioning());
        Member created = wanted.active() ? member.status(MemberStatus.INVITED).build()
                : member.status(MemberStatus.REMOVED).removedAt(now).removedBy(actor).scimMayRestore(true).build();
        c.store.provision(created, actor.audit(workspaceId, now, "member.provisioned", created.memberId(),
                Map.of("email", created.email().value(), "userName", wanted.provisioning().userName(),
                        "active", Boolean.toString(wanted.active()))));
        return new ProvisionOutcome(created, true);
    }

    /**
     * Brings a member to what the identity provider now says (PUT and PATCH of a SCIM user): name, email
     * (only while they have not signed in: an ACTIVE member's email is their account's), userName and
     * externalId, and {@code active}: false removes the member as {@link Memberships#remove} does (the seat is
     * freed, a legacy key deleted, the last admin kept); true again brings a removed member back, ACTIVE at once
     * when they had signed in before, else INVITED until their next sign-in, as a MEMBER holding nothing.
     * A member a person removed is not brought back ({@link Member#removalSticks()}).
     *
     * @throws Forbidden {@code removed-by-person} for a member whose removal sticks
     * @throws HeldForAdmin when it would take ADMIN from a second admin within the hour
     */
    public Member updateProvisioned(Principal principal, String workspaceId, String memberId, Provisioned wanted) {
        requireProvisioner(principal, workspaceId);
        return c.retry.run(() -> applyOnce(principal, directory.provisionedMember(workspaceId, memberId), wanted,
                "member.provisioning-changed"));
    }

    private Member applyOnce(Principal principal, Member before, Provisioned wanted, String action) {
        Instant now = c.clock.instant();
        if (before.status() == MemberStatus.ACTIVE && !before.email().equals(wanted.email())) {
            throw new InvalidInput(InvalidInput.Kind.MUTABILITY, "mutability", "This member has signed in as " + before.email().value()
                    + "; their email is their account's and the identity provider cannot change it.");
        }
        String name = before.status() == MemberStatus.ACTIVE ? before.name() : wanted.name();
        Member updated = before.reprovisioned(name, wanted.email(), wanted.provisioning());
        boolean active = before.status() != MemberStatus.REMOVED;
        if (active && !wanted.active()) {
            Member after = Removal.removed(principal, updated, now);
            return removal.write(principal, before, after, MemberRules.adminDelta(before, after), "member.deactivated",
                    now);
        }
        Actor actor = principal.actor();
        String workspaceId = before.workspaceId();
        if (!active && wanted.active()) {
            if (before.removalSticks()) {
                throw Removal.removalSticks(before);
            }
            Member back = updated.reactivated(actor.id(), now);
            AuditEntry audit = actor.audit(workspaceId, now, "member.reactivated", before.memberId(),
                    Map.of("signedInBefore", Boolean.toString(before.userId() != null),
                            "previousRole", before.access().role().name()));
            if (before.userId() == null) {
                c.store.reprovision(before, back, audit);
                return back;
            }
            // They signed in before with this account: the membership is theirs again at once (it holds nothing yet).
            Member after = back.accepted(before.userId(), name, now);
            c.store.activate(before, after, null, null, null, MemberRules.adminDelta(before, after), audit);
            return after;
        }
        if (updated.email().equals(before.email()) && updated.name().equals(before.name())
                && Objects.equals(updated.provisioning(), before.provisioning())) {
            return before;
        }
        c.store.reprovision(before, updated, actor.audit(workspaceId, now, action, before.memberId(),
                Map.of("email", updated.email().value(), "userName", wanted.provisioning().userName())));
        return updated;
    }

    /**
     * The identity provider deletes the user: the member is removed (as {@link Memberships#remove}) and is no
     * longer a SCIM user (its userName and externalId are free again); the member record stays, REMOVED, like any
     * removed member (a person's removal keeps sticking).
     */
    public Member deprovision(Principal principal, String workspaceId, String memberId) {
        requireProvisioner(principal, workspaceId);
        return c.retry.run(() -> {
            Member before = directory.provisionedMember(workspaceId, memberId);
            Instant now = c.clock.instant();
            Member forgotten = before.withProvisioning(null);
            if (before.status() == MemberStatus.REMOVED) {
                c.store.reprovision(before, forgotten, principal.actor().audit(workspaceId, now, "member.deprovisioned",
                        memberId, Removal.details(before)));
                return forgotten;
            }
            Member after = Removal.removed(principal, forgotten, now);
            return removal.write(principal, before, after, MemberRules.adminDelta(before, after),
                    "member.deprovisioned", now);
        });
    }

    /** The identity provider's use cases are its own (and those of a job applying its held changes). */
    private static void requireProvisioner(Principal principal, String workspaceId) {
        Authorization.require(principal, workspaceId, Permission.MEMBERS_INVITE);
        if (principal instanceof Principal.Person) {
            throw new Forbidden("identity-provider-only", "Only the workspace's identity provider provisions members.");
        }
    }
}
