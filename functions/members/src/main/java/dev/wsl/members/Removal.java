package dev.wsl.members;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.IdpAdminLoss;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.HeldForAdmin;
import dev.wsl.core.failure.LastAdmin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one way a member leaves a workspace, whoever asks (a person at the console, the identity provider's
 * {@code active: false}, delete or Members group, an admin confirming such a change): the seat and legacy key
 * freed in the same step, the same audit details, and the identity provider's own changes held or refused when
 * they take ADMIN from an admin. Thread-safe.
 */
final class Removal {
    private final MemberContext c;
    private final MemberDirectory directory;

    Removal(MemberContext context, MemberDirectory directory) {
        this.c = context;
        this.directory = directory;
    }

    /**
     * The member removed by this principal: a person's removal sticks (the identity provider cannot undo it);
     * the identity provider's, or one of its changes an admin confirmed (a job), it may undo.
     */
    static Member removed(Principal principal, Member base, Instant now) {
        return principal instanceof Principal.Person
                ? base.removedBy(principal.actor(), now) : base.removedByIdentityProvider(principal.actor(), now);
    }

    /** Writes the removal {@code before → after}, audited under {@code action} with the same details for all. */
    Member write(Principal principal, Member before, Member after, int adminDelta, String action, Instant now) {
        Actor actor = principal.actor();
        String workspaceId = before.workspaceId();
        AuditEntry audit = actor.audit(workspaceId, now, action, before.memberId(), details(before));
        SeatChange freed = seatsFreedBy(actor, before, after, now);
        c.store.remove(before, after, adminDelta, audit, freed, freed == null ? null : c.licenses.pool(workspaceId),
                idpAdminLoss(principal, before, after, now));
        return after;
    }

    /** What every removal's audit entry says of the member before: status, license, legacy key (or ""). */
    static Map<String, String> details(Member before) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("previousStatus", before.status().name());
        details.put("licensed", Boolean.toString(before.holdings().licensed()));
        details.put("legacyKey", before.holdings().holdsKey() ? before.holdings().legacyKeyId() : "");
        return details;
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
            Optional<LegacyKey> key = c.licenses.findKey(before.workspaceId(), before.holdings().legacyKeyId());
            key.ifPresent(k -> {
                keys.add(new SeatChange.KeyChange(k, null));
                audits.add(actor.audit(before.workspaceId(), now, "legacy-key.deleted", k.keyId(),
                        Map.of("masked", k.shown(), "reason", "member removed", "member", before.memberId())));
            });
        }
        return new SeatChange(before.workspaceId(), List.of(new SeatChange.MemberChange(before, after)), keys, audits);
    }

    static boolean byIdentityProvider(Principal principal) {
        return principal instanceof Principal.IdentityProvider;
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
    IdpAdminLoss idpAdminLoss(Principal principal, Member before, Member after, Instant now) {
        if (!byIdentityProvider(principal) || !before.isActiveAdmin() || after.isActiveAdmin()) {
            return null;
        }
        String workspaceId = before.workspaceId();
        Optional<Instant> previous = c.store.lastIdpAdminLoss(workspaceId);
        if (previous.isPresent() && IdpAdminLoss.withinWindow(previous.get(), now)) {
            throw new HeldForAdmin("The identity provider took ADMIN from an admin at " + previous.get()
                    + "; taking it from another (" + before.email().value() + ") within an hour waits for a "
                    + "workspace admin's confirmation.");
        }
        String witness = null;
        if (before.isAppointedAdmin()) {
            List<Member> admins = directory.allMembers(workspaceId).stream()
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
    static Forbidden removalSticks(Member m) {
        String who = m.removedBy() == null ? " (before removals recorded who removed them)"
                : " by " + m.removedBy().email();
        String when = m.removedAt() == null ? "" : " at " + m.removedAt();
        return new Forbidden("removed-by-person", m.email().value() + " was removed from the workspace" + who
                + when + "; the identity provider cannot add them back. A workspace admin can invite them again, "
                + "or allow provisioning again on their member details in the console.");
    }
}
