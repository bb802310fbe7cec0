package dev.wsl.scim;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.ScimStore;
import dev.wsl.members.ProvisioningUseCases;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admins' side of the SCIM changes the guard held ({@link ScimGroups}): the pending ones, confirming one
 * (applied in full through the same services) and discarding one. Every door needs a workspace admin.
 * Thread-safe.
 */
public final class HeldChanges {
    private final ScimGroups groups;
    private final ProvisioningUseCases members;
    private final ScimStore scim;
    private final ScimTokenService tokens;
    private final Clock clock;
    private final RetryPolicy retry;

    HeldChanges(ScimGroups groups, ProvisioningUseCases members, ScimStore scim, ScimTokenService tokens, Clock clock,
                RetryPolicy retry) {
        this.groups = groups;
        this.members = members;
        this.scim = scim;
        this.tokens = tokens;
        this.clock = clock;
        this.retry = retry;
    }

    public List<PendingChange> pending(Caller caller, String workspaceId) {
        tokens.requireAdmin(caller, workspaceId);
        return retry.run(() -> scim.pendingChanges(workspaceId));
    }

    /** What confirming a held change did. */
    public record Confirmed(PendingChange change, int added, int removed, Map<String, String> notApplied) {}

    /**
     * Applies a held change in full, as the confirming admin, through the same services (members that
     * changed since are planned from their state now: one already out of the group is not taken out again).
     */
    public Confirmed confirm(Caller caller, String workspaceId, String changeId) {
        return confirm(caller, workspaceId, changeId, held -> null);
    }

    /**
     * As {@link #confirm(Caller, String, String)}, but a change {@code elsewhere} applies (an admin's mapping of
     * an IdP group: it answers what it did) is applied there once closed.
     */
    public Confirmed confirm(Caller caller, String workspaceId, String changeId,
                             java.util.function.Function<PendingChange, IdpGroupMappings.Mapped> elsewhere) {
        tokens.requireAdmin(caller, workspaceId);
        PendingChange before = open(workspaceId, changeId);
        Instant now = clock.instant();
        PendingChange after = before.closed(PendingChange.Status.CONFIRMED, now, caller.userId());
        Actor admin = Actor.of(caller);
        retry.run(() -> scim.closeChange(before, after, admin.audit(workspaceId, now, "scim.change-confirmed", changeId,
                Map.of("group", before.groupName(), "remove", Integer.toString(before.remove().size()),
                        "add", Integer.toString(before.add().size())))));
        IdpGroupMappings.Mapped mapped = elsewhere.apply(before);
        if (mapped != null) {
            return new Confirmed(after, mapped.added(), mapped.removed(), mapped.notApplied());
        }
        ScimGroups.Group g = groups.group(workspaceId, before.groupId());
        GroupRequests.Wanted w = new GroupRequests.Wanted();
        before.remove().forEach(id -> w.members.put(id, false));
        before.add().forEach(id -> w.members.put(id, true));
        Map<String, Member> known = members.directory().membersById(workspaceId, w.members.keySet());
        ScimGroups.Plan plan;
        try {
            plan = groups.plan(workspaceId, g, w, known);
        } catch (InvalidInput gone) {
            // Users deleted since: leave them out.
            w.members.keySet().removeIf(id -> !known.containsKey(id));
            plan = groups.plan(workspaceId, g, w, known);
        }
        // The identity provider's change, applied on the confirming admin's authority (checked above) and named
        // after them: not a person's own removal (the identity provider may undo it), nor held again.
        ScimGroups.Outcome outcome = groups.apply(new Principal.Job(admin), workspaceId, plan);
        return new Confirmed(after, outcome.added(), outcome.removed(), outcome.refused());
    }

    public PendingChange discard(Caller caller, String workspaceId, String changeId) {
        tokens.requireAdmin(caller, workspaceId);
        PendingChange before = open(workspaceId, changeId);
        Instant now = clock.instant();
        PendingChange after = before.closed(PendingChange.Status.DISCARDED, now, caller.userId());
        retry.run(() -> scim.closeChange(before, after, Actor.of(caller).audit(workspaceId, now, "scim.change-discarded",
                changeId, Map.of("group", before.groupName(), "remove", Integer.toString(before.remove().size())))));
        return after;
    }

    private PendingChange open(String workspaceId, String changeId) {
        PendingChange c = (Ids.isWellFormed("chg", changeId) ? retry.run(() -> scim.findChange(workspaceId, changeId))
                : java.util.Optional.<PendingChange>empty()).orElseThrow(() ->
                new NotFound("change-not-found", "No held SCIM change with this id exists in this workspace."));
        if (c.status() != PendingChange.Status.PENDING) {
            throw new Conflict("change-closed", "The change was already " + c.status().name().toLowerCase(Locale.ROOT) + ".");
        }
        return c;
    }
}
