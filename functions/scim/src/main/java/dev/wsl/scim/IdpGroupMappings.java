package dev.wsl.scim;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.ScimStore;
import dev.wsl.members.ProvisioningUseCases;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The admins' side of the groups identity providers create ({@link IdpGroups}): listing them, and mapping one
 * to what it gives its members (Admins, Members, a subscription's licenses) or unmapping it, through the fixed
 * groups' plans, with the guard's hold for a mapping that would take too much at once. Thread-safe.
 */
final class IdpGroupMappings {
    private final IdpGroups groups;
    private final ScimStore store;
    private final ScimGroups fixed;
    private final ProvisioningUseCases members;
    private final LicenseStore pools;
    private final ScimTokenService tokens;
    private final Clock clock;
    private final RetryPolicy retry;

    IdpGroupMappings(IdpGroups groups, ScimStore store, ScimGroups fixed, ProvisioningUseCases members,
                     LicenseStore pools,
                     ScimTokenService tokens, Clock clock, RetryPolicy retry) {
        this.groups = groups;
        this.store = store;
        this.fixed = fixed;
        this.members = members;
        this.pools = pools;
        this.tokens = tokens;
        this.clock = clock;
        this.retry = retry;
    }

    /** A page of the workspace's IdP groups, for the console (admins only). */
    Page<ScimGroup> list(Caller caller, String workspaceId, int limit, String cursor) {
        tokens.requireAdmin(caller, workspaceId);
        return retry.run(() -> store.groupPage(workspaceId, limit, cursor));
    }

    /** What an IdP group may be mapped to now: Admins, Members, and each subscription's license group. */
    List<ScimGroups.Group> targets(String workspaceId) {
        return ScimGroups.groups(retry.run(() -> pools.pool(workspaceId)));
    }

    /** The mapping a fixed group stands for. */
    static String mappingOf(ScimGroups.Group g) {
        return switch (g.kind()) {
            case ADMINS -> ScimGroup.ADMINS;
            case MEMBERS -> ScimGroup.MEMBERS;
            case LICENSE -> ScimGroup.license(g.subscriptionId());
        };
    }

    /** What a mapping did: the group as now mapped, and its members given and taken the target, and who was not. */
    record Mapped(ScimGroup group, int added, int removed, Map<String, String> notApplied) {}

    /**
     * Maps the group to a target ({@code admins}, {@code members}, {@code license:{subscriptionId}}) or
     * unmaps it (null), as the calling admin: the members lose what the old target gave (unless another group
     * mapped to it holds them), then get what the new one gives, through the member and license services.
     * Taking more than the guard allows is held as a change for an admin to confirm, with the new mapping.
     *
     * @throws Conflict {@code change-held} when held
     */
    Mapped map(Caller caller, String workspaceId, String groupId, String mapping) {
        tokens.requireAdmin(caller, workspaceId);
        ScimGroup g = groups.group(workspaceId, groupId);
        LicensePool pool = retry.run(() -> pools.pool(workspaceId));
        if (mapping != null && ScimGroups.target(pool, mapping) == null) {
            throw new InvalidInput("invalid-field", "target must be admins, members, or license with a subscriptionId of "
                    + "this workspace.");
        }
        if (Objects.equals(mapping, g.mapping())) {
            return new Mapped(g, 0, 0, Map.of());
        }
        List<String> everyone = groups.allMembers(workspaceId, groupId);
        List<String> take = taken(workspaceId, g, pool, everyone);
        ScimGroups.Group old = ScimGroups.target(pool, g.mapping());
        if (old != null && old.guarded() && fixed.guard().holds(take.size(), groups.targetSize(workspaceId, old, pool))) {
            throw hold(caller, workspaceId, g, old, take, mapping, groups.targetSize(workspaceId, old, pool));
        }
        return remap(Actor.of(caller), workspaceId, g, mapping, pool, take, everyone);
    }

    /** The members the group's current target would be taken from. */
    private List<String> taken(String workspaceId, ScimGroup g, LicensePool pool, List<String> everyone) {
        ScimGroups.Group old = ScimGroups.target(pool, g.mapping());
        if (old == null || everyone.isEmpty()) {
            return List.of();
        }
        Map<String, Member> known = members.directory().membersById(workspaceId, everyone);
        Set<String> covered = groups.coveredElsewhere(workspaceId, g, everyone);
        return everyone.stream().filter(id -> known.containsKey(id) && old.contains(known.get(id)) && !covered.contains(id))
                .toList();
    }

    private Mapped remap(Actor admin, String workspaceId, ScimGroup g, String mapping, LicensePool pool, List<String> take,
                         List<String> everyone) {
        ScimGroups.Group old = ScimGroups.target(pool, g.mapping());
        Map<String, String> notApplied = new LinkedHashMap<>();
        int removed = 0;
        if (old != null && !take.isEmpty()) {
            ScimGroups.Outcome o = fixed.apply(new Principal.Job(admin), workspaceId, new ScimGroups.Plan(old, List.of(), take));
            removed = o.removed();
            notApplied.putAll(o.refused());
        }
        ScimGroup after = retry.run(() -> {
            ScimGroup before = store.group(workspaceId, g.groupId()).orElseThrow(IdpGroups::notFound);
            ScimGroup next = before.mappedTo(mapping, clock.instant());
            store.updateGroup(before, next, admin.audit(workspaceId, clock.instant(), "scim.group-mapped", g.groupId(),
                    Map.of("name", before.displayName(), "mapping", mapping == null ? "" : mapping,
                            "previousMapping", before.mapping() == null ? "" : before.mapping(),
                            "members", Long.toString(before.memberCount()))));
            return next;
        });
        int added = 0;
        ScimGroups.Group target = ScimGroups.target(pool, mapping);
        if (target != null && !everyone.isEmpty()) {
            Map<String, Member> known = members.directory().membersById(workspaceId, everyone);
            List<String> give = everyone.stream().filter(id -> known.containsKey(id) && !target.contains(known.get(id))
                    && !(known.get(id).status() == MemberStatus.REMOVED && target.kind() != ScimGroups.Kind.MEMBERS))
                    .toList();
            ScimGroups.Outcome o = fixed.apply(new Principal.Job(admin), workspaceId, new ScimGroups.Plan(target, give, List.of()));
            added = o.added();
            notApplied.putAll(o.refused());
        }
        return new Mapped(after, added, removed, notApplied);
    }

    private Conflict hold(Caller caller, String workspaceId, ScimGroup g, ScimGroups.Group old, List<String> take,
                          String mapping, long size) {
        String followUp = PendingChange.MAP_PREFIX + (mapping == null ? "none" : mapping);
        String request = "Mapping of " + g.displayName() + " changed from " + g.mapping() + " to "
                + (mapping == null ? "no target" : mapping) + " by " + caller.email().value();
        PendingChange held = retry.run(() -> {
            for (PendingChange c : store.pendingChanges(workspaceId)) {
                if (c.groupId().equals(g.groupId()) && followUp.equals(c.followUp())) {
                    return c;
                }
            }
            Instant now = clock.instant();
            PendingChange c = new PendingChange(workspaceId, Ids.newId("chg", now.toEpochMilli()), g.groupId(),
                    g.displayName(), take, List.of(), request, now, caller.userId(), PendingChange.Status.PENDING, null,
                    null, followUp);
            store.recordPending(c, Actor.of(caller).audit(workspaceId, now, "scim.change-held", c.changeId(),
                    Map.of("group", g.displayName(), "remove", Integer.toString(take.size()), "followUp", followUp,
                            "request", request)));
            return c;
        });
        return new Conflict("change-held", "Not applied: this would take what " + old.displayName() + " gives from "
                + take.size() + " of its " + size + " members at once (the guard holds changes that take more than "
                + fixed.guard().minimum() + " and more than " + fixed.guard().percent() + "% of a group). It waits as "
                + "change " + held.changeId() + " under Pending changes: confirm it there to apply it.");
    }

    /** Whether a held change is an admin's mapping of an IdP group (confirmed here, not by {@link ScimGroups}). */
    static boolean isMapping(PendingChange c) {
        return c.followUp() != null && c.followUp().startsWith(PendingChange.MAP_PREFIX);
    }

    /** Confirms a held mapping: the members it takes from are planned again from their state now. */
    Mapped confirmMapping(Caller caller, String workspaceId, PendingChange held) {
        String target = held.followUp().substring(PendingChange.MAP_PREFIX.length());
        String mapping = target.equals("none") ? null : target;
        ScimGroup g = groups.group(workspaceId, held.groupId());
        LicensePool pool = retry.run(() -> pools.pool(workspaceId));
        List<String> everyone = groups.allMembers(workspaceId, g.groupId());
        return remap(Actor.of(caller), workspaceId, g, mapping, pool, taken(workspaceId, g, pool, everyone), everyone);
    }
}
