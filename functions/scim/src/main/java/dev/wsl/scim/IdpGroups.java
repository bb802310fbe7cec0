package dev.wsl.scim;

import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.BoundedText;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.Provisioning;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.ScimStore;
import dev.wsl.core.port.WorkspaceStore;
import dev.wsl.members.ProvisioningUseCases;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The groups identity providers create ({@code POST /Groups}; PRODUCT.md section 9, "IdP groups"). A group
 * keeps its members as items of its own, whatever it is mapped to. Until an admin maps it (console,
 * Provisioning page) to Admins, Members or one subscription's license it has no effect; mapped, a change of
 * its members acts as the same change of the target's fixed group would, through {@link ScimGroups#change}
 * (seat limits, the mass-revocation guard, and every other rule of that path), with one difference: a
 * member taken out keeps the target while another IdP group mapped to the same target still holds them.
 * Mapping, unmapping and deleting a mapped group give and take the target like any other change, guarded
 * alike. Every lookup is keyed. Thread-safe.
 */
final class IdpGroups {
    /** Most members of a group one answer lists (a page of the group's members; docs/scim.md, "Fixed groups"). */
    static final int MAX_MEMBERS_SHOWN = 1000;

    private final ScimStore store;
    private final ScimGroups fixed;
    private final ProvisioningUseCases members;
    private final WorkspaceStore workspaces;
    private final LicenseStore pools;
    private final Clock clock;
    private final RetryPolicy retry;
    private final IdpGroupMappings mappings;

    IdpGroups(ScimStore store, ScimGroups fixed, ProvisioningUseCases members, WorkspaceStore workspaces,
              LicenseStore pools,
              ScimTokenService tokens, Clock clock, RetryPolicy retry) {
        this.store = Objects.requireNonNull(store);
        this.fixed = Objects.requireNonNull(fixed);
        this.members = Objects.requireNonNull(members);
        this.workspaces = Objects.requireNonNull(workspaces);
        this.pools = Objects.requireNonNull(pools);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
        this.mappings = new IdpGroupMappings(this, store, fixed, members, pools, Objects.requireNonNull(tokens), clock, retry);
    }

    static boolean isIdpGroupId(String id) {
        return Ids.isWellFormed("g", id);
    }

    // ------------------------------------------------------------------ reading

    /** @throws NotFound {@code group-not-found} */
    ScimGroup group(String workspaceId, String groupId) {
        return (isIdpGroupId(groupId) ? retry.run(() -> store.group(workspaceId, groupId)) : Optional.<ScimGroup>empty())
                .orElseThrow(IdpGroups::notFound);
    }

    Optional<ScimGroup> byName(String workspaceId, String displayName) {
        return retry.run(() -> store.groupIdByName(workspaceId, ScimGroup.nameKey(displayName))
                .flatMap(id -> store.group(workspaceId, id)));
    }

    Optional<ScimGroup> byExternalId(String workspaceId, String externalId) {
        return retry.run(() -> store.groupIdByExternalId(workspaceId, externalId).flatMap(id -> store.group(workspaceId, id)));
    }

    /** The IdP groups the member is in. */
    List<ScimGroup> groupsOf(String workspaceId, String memberId) {
        return retry.run(() -> store.groupsOf(workspaceId, memberId).stream()
                .map(id -> store.group(workspaceId, id)).flatMap(Optional::stream).toList());
    }

    boolean contains(String workspaceId, String groupId, String memberId) {
        return retry.run(() -> store.membersIn(workspaceId, groupId, List.of(memberId))).contains(memberId);
    }

    /** Every member id of the group (for a replacement or a mapping: their size is the group's, not the workspace's). */
    List<String> allMembers(String workspaceId, String groupId) {
        return retry.run(() -> {
            List<String> out = new ArrayList<>();
            String cursor = null;
            do {
                Page<String> page = store.groupMembers(workspaceId, groupId, 1000, cursor);
                out.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null);
            return out;
        });
    }

    // ------------------------------------------------------------------ the identity provider's changes

    /**
     * A new group with its members (who must be users of this workspace). A name a fixed group or another
     * group has is {@code 409 uniqueness}: Entra ID and Okta link to an existing group by looking its name up.
     */
    ScimGroup create(String workspaceId, String displayName, String externalId, List<String> memberIds) {
        String name = checkedName(displayName);
        LicensePool pool = retry.run(() -> pools.pool(workspaceId));
        if (ScimGroups.groups(pool).stream().anyMatch(g -> g.displayName().equalsIgnoreCase(name))) {
            throw new AlreadyExists("group-exists", "The group " + name + " exists (a role or a subscription's license "
                    + "group): look it up with filter displayName eq and change its members instead of creating it.");
        }
        requireUsers(workspaceId, memberIds);
        Instant now = clock.instant();
        ScimGroup g = new ScimGroup(workspaceId, Ids.newId("g", now.toEpochMilli()), name, checkedExternalId(externalId),
                null, 0, 0, now, now);
        retry.run(() -> {
            store.createGroup(g, Actor.SCIM.audit(workspaceId, now, "scim.group-created", g.groupId(),
                    g.externalId() == null ? Map.of("name", name) : Map.of("name", name, "externalId", g.externalId())));
            return null;
        });
        return writeMembers(workspaceId, g.groupId(), new LinkedHashSet<>(memberIds), Set.of());
    }

    /** What a request asks of an IdP group: a new name or externalId (null: unchanged) and member changes. */
    static final class Wanted {
        String displayName;
        String externalId;
        boolean externalIdSet;
        final GroupRequests.Wanted members = new GroupRequests.Wanted();
    }

    /**
     * Applies a PATCH or PUT: the name and externalId, then the members, and, when the group is mapped, the
     * same change of its target through {@link ScimGroups#change} (which may hold it: then nothing is written).
     *
     * @return the outcome of the target's change (empty when the group is not mapped)
     * @throws Conflict {@code change-held} when the guard holds the change to the target
     */
    ScimGroups.Outcome change(String workspaceId, ScimGroup g, Wanted wanted) {
        // Bad input changes nothing: the new name and externalId are checked before the target is changed.
        Renaming renaming = renaming(workspaceId, g, wanted);
        Map<String, Boolean> asked = wanted.members.members;
        Set<String> current;
        if (wanted.members.wholeGroup) {
            current = new LinkedHashSet<>(allMembers(workspaceId, g.groupId()));
            for (String id : current) {
                asked.putIfAbsent(id, false); // a replacement takes out whom it does not name
            }
        } else {
            current = asked.isEmpty() ? Set.of() : retry.run(() -> store.membersIn(workspaceId, g.groupId(), asked.keySet()));
        }
        List<String> in = asked.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        requireUsers(workspaceId, in.stream().filter(id -> !current.contains(id)).toList());
        List<String> out = asked.entrySet().stream().filter(e -> !e.getValue() && current.contains(e.getKey()))
                .map(Map.Entry::getKey).toList();

        // The target first: when the guard holds its change, nothing of the request is written.
        ScimGroups.Outcome outcome = g.mapped() ? applyToTarget(workspaceId, g, in, out, wanted.members.request)
                : new ScimGroups.Outcome(0, 0, Map.of());
        if (renaming != null) {
            rename(workspaceId, g, renaming);
        }
        Set<String> add = new LinkedHashSet<>(in);
        add.removeAll(current);
        writeMembers(workspaceId, g.groupId(), add, new LinkedHashSet<>(out));
        return outcome;
    }

    /** A new name and externalId for a group, checked. */
    private record Renaming(String name, String externalId) {}

    /**
     * The name and externalId the request gives the group, held to the text rule and checked against the fixed
     * groups' names and the other IdP groups' locks; null when neither changes.
     *
     * @throws InvalidInput {@code invalid-value} for a text breaking the rule
     * @throws AlreadyExists when a fixed group or another IdP group has the name, or another the externalId
     */
    private Renaming renaming(String workspaceId, ScimGroup g, Wanted wanted) {
        String name = wanted.displayName == null ? g.displayName() : checkedName(wanted.displayName);
        String externalId = wanted.externalIdSet ? checkedExternalId(wanted.externalId) : g.externalId();
        if (name.equals(g.displayName()) && Objects.equals(externalId, g.externalId())) {
            return null;
        }
        if (!ScimGroup.nameKey(name).equals(g.nameKey())) {
            LicensePool pool = retry.run(() -> pools.pool(workspaceId));
            if (ScimGroups.groups(pool).stream().anyMatch(f -> f.displayName().equalsIgnoreCase(name))) {
                throw new AlreadyExists("group-exists", "A role or license group of the workspace is named " + name + ".");
            }
            if (retry.run(() -> store.groupIdByName(workspaceId, ScimGroup.nameKey(name)))
                    .filter(other -> !other.equals(g.groupId())).isPresent()) {
                throw new AlreadyExists("group-exists", "Another group of the workspace has this displayName.");
            }
        }
        if (externalId != null && !externalId.equals(g.externalId()) && retry.run(() -> store.groupIdByExternalId(
                workspaceId, externalId)).filter(other -> !other.equals(g.groupId())).isPresent()) {
            throw new AlreadyExists("external-id-exists", "Another group of the workspace has this externalId.");
        }
        return new Renaming(name, externalId);
    }

    /** Writes a checked renaming (the store's locks still decide a race). */
    private ScimGroup rename(String workspaceId, ScimGroup g, Renaming renaming) {
        String name = renaming.name();
        String externalId = renaming.externalId();
        return retry.run(() -> {
            ScimGroup before = store.group(workspaceId, g.groupId()).orElseThrow(IdpGroups::notFound);
            ScimGroup after = before.renamed(name, externalId, clock.instant());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("name", name);
            details.put("previousName", before.displayName());
            if (externalId != null) {
                details.put("externalId", externalId);
            }
            store.updateGroup(before, after, Actor.SCIM.audit(workspaceId, clock.instant(), "scim.group-changed",
                    g.groupId(), details));
            return after;
        });
    }

    /**
     * The identity provider deletes the group. A mapped group first gives up what it gave (as if every member
     * were taken out, through the guard); then its members and the group go.
     */
    void delete(String workspaceId, ScimGroup g) {
        if (g.mapped()) {
            List<String> everyone = allMembers(workspaceId, g.groupId());
            ScimGroups.Outcome outcome = applyToTarget(workspaceId, g, List.of(), everyone, "DELETE /Groups/" + g.groupId()
                    + " (mapped to " + g.mapping() + ", " + everyone.size() + " members)");
            if (!outcome.complete()) {
                throw new Conflict("partly-applied", "Not deleted: " + outcome.refused().size() + " of its members keep "
                        + "what the group gave them (" + String.join("; ", new LinkedHashSet<>(outcome.refused().values()))
                        + "). Retry after resolving that, or ask an admin to unmap the group.");
            }
        }
        writeMembers(workspaceId, g.groupId(), Set.of(), new LinkedHashSet<>(allMembers(workspaceId, g.groupId())));
        retry.run(() -> {
            ScimGroup before = store.group(workspaceId, g.groupId()).orElseThrow(IdpGroups::notFound);
            store.deleteGroup(before, Actor.SCIM.audit(workspaceId, clock.instant(), "scim.group-deleted", g.groupId(),
                    Map.of("name", before.displayName(), "mapping", before.mapping() == null ? "" : before.mapping())));
            return null;
        });
    }

    /** The identity provider deleted a user: it leaves its IdP groups (what they gave went with the removal). */
    void forget(String workspaceId, String memberId) {
        for (String groupId : retry.run(() -> store.groupsOf(workspaceId, memberId))) {
            writeMembers(workspaceId, groupId, Set.of(), Set.of(memberId));
        }
    }

    /**
     * The target's side of a membership change: members put in get what the target gives (those who have it
     * already are left alone, so a retried request only adds who is still missing); members taken out lose it
     * unless another IdP group mapped to the same target holds them.
     */
    private ScimGroups.Outcome applyToTarget(String workspaceId, ScimGroup g, List<String> in, List<String> out,
                                             String request) {
        LicensePool pool = retry.run(() -> pools.pool(workspaceId));
        ScimGroups.Group target = ScimGroups.target(pool, g.mapping());
        if (target == null) {
            return new ScimGroups.Outcome(0, 0, Map.of());
        }
        Set<String> named = new LinkedHashSet<>(in);
        named.addAll(out);
        Map<String, Member> known = members.directory().membersById(workspaceId, named);
        List<String> give = in.stream().filter(id -> known.containsKey(id) && !target.contains(known.get(id))).toList();
        Set<String> covered = coveredElsewhere(workspaceId, g, out);
        List<String> take = out.stream().filter(id -> known.containsKey(id) && target.contains(known.get(id))
                && !covered.contains(id)).toList();
        if (give.isEmpty() && take.isEmpty()) {
            return new ScimGroups.Outcome(0, 0, Map.of());
        }
        // Planned as the fixed group's own change: ADMIN taken from more than one admin at once is held the same way.
        ScimGroups.Plan plan = ScimGroups.Plan.of(target, give, take, known);
        return fixed.change(workspaceId, plan, request + " (IdP group " + g.displayName() + ")",
                () -> targetSize(workspaceId, target, pool));
    }

    /** Of these members, those another IdP group mapped to the same target holds. */
    Set<String> coveredElsewhere(String workspaceId, ScimGroup g, List<String> memberIds) {
        if (memberIds.isEmpty()) {
            return Set.of();
        }
        Set<String> covered = new HashSet<>();
        Map<String, String> mapped = retry.run(() -> store.mappedGroups(workspaceId));
        mapped.forEach((groupId, mapping) -> {
            if (!groupId.equals(g.groupId()) && mapping.equals(g.mapping())) {
                covered.addAll(retry.run(() -> store.membersIn(workspaceId, groupId, memberIds)));
            }
        });
        return covered;
    }

    /** The target's size for the guard's percentage, from counters (no listing). */
    long targetSize(String workspaceId, ScimGroups.Group target, LicensePool pool) {
        return switch (target.kind()) {
            case LICENSE -> pool.licensedFrom(target.subscriptionId());
            case MEMBERS -> retry.run(() -> workspaces.scimUserCount(workspaceId));
            case ADMINS -> retry.run(() -> workspaces.findWorkspace(workspaceId)).map(w -> w.activeAdmins()).orElse(0L);
        };
    }

    /**
     * Writes membership changes in steps of at most {@link ScimStore#MAX_MEMBERS_PER_CHANGE}, each conditioned
     * on the group's version; a lost race re-reads which of these members are in and writes what is left.
     */
    private ScimGroup writeMembers(String workspaceId, String groupId, Set<String> add, Set<String> remove) {
        List<String> ids = new ArrayList<>(add);
        ids.addAll(remove);
        ScimGroup last = null;
        int step = ScimStore.MAX_MEMBERS_PER_CHANGE;
        for (int from = 0; from < ids.size() || (from == 0 && last == null); from += step) {
            List<String> chunk = ids.subList(Math.min(from, ids.size()), Math.min(from + step, ids.size()));
            last = retry.run(() -> {
                ScimGroup before = store.group(workspaceId, groupId).orElseThrow(IdpGroups::notFound);
                if (chunk.isEmpty()) {
                    return before;
                }
                Set<String> in = store.membersIn(workspaceId, groupId, chunk);
                List<String> put = chunk.stream().filter(id -> add.contains(id) && !in.contains(id)).toList();
                List<String> take = chunk.stream().filter(id -> remove.contains(id) && in.contains(id)).toList();
                if (put.isEmpty() && take.isEmpty()) {
                    return before;
                }
                Instant now = clock.instant();
                ScimGroup after = before.withMembers(before.memberCount() + put.size() - take.size(), now);
                store.changeMembers(before, after, put, take, Actor.SCIM.audit(workspaceId, now, "scim.group-members-changed",
                        groupId, Map.of("added", String.join(",", put), "removed", String.join(",", take))));
                return after;
            });
            if (ids.isEmpty()) {
                break;
            }
        }
        return last;
    }

    /** The admins' side: listing the groups and mapping one to what it gives. */
    IdpGroupMappings mappings() {
        return mappings;
    }

    // ------------------------------------------------------------------ checks

    private void requireUsers(String workspaceId, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Member> known = members.directory().membersById(workspaceId, ids);
        List<String> unknown = ids.stream().filter(id -> !known.containsKey(id)
                || (known.get(id).status() == MemberStatus.REMOVED && !known.get(id).provisioned())).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInput("invalid-value", "No user with the id" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown.stream().limit(10).toList()) + (unknown.size() > 10 ? ", …" : "")
                    + " exists in this workspace; provision the users before adding them to groups.");
        }
    }

    /**
     * An IdP group's displayName, held to the one rule for text a client sends ({@link BoundedText}), as a
     * user's attributes are: required, at most {@link ScimGroup#MAX_DISPLAY_NAME} characters, no control or
     * formatting characters (SCIM {@code invalidValue}).
     */
    static String checkedName(String displayName) {
        return BoundedText.required("'displayName'", displayName, ScimGroup.MAX_DISPLAY_NAME, INVALID_VALUE);
    }

    /** An IdP group's externalId, bounded as a user's is; absent when null or blank. */
    private static String checkedExternalId(String externalId) {
        return BoundedText.optional("'externalId'", externalId, Provisioning.MAX_EXTERNAL_ID, INVALID_VALUE);
    }

    /** SCIM's {@code invalidValue}. */
    private static final String INVALID_VALUE = "invalid-value";

    static NotFound notFound() {
        return new NotFound("group-not-found", "No group with this id exists in this workspace.");
    }

    static String describe(String mapping) {
        return mapping == null ? "no target" : mapping.toLowerCase(Locale.ROOT);
    }
}
