package dev.wsl.scim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.Role;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.Forbidden;
import dev.wsl.core.failure.HeldForAdmin;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.LastAdmin;
import dev.wsl.core.failure.NoFreeSeat;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.ScimStore;
import dev.wsl.licenses.LicenseService;
import dev.wsl.members.ProvisioningUseCases;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The workspace's SCIM groups (PRODUCT.md section 9): the role groups <b>Admins</b> (members with the ADMIN
 * role: adding promotes, removing demotes, the last admin stays) and <b>Members</b> (every member of the
 * workspace: removing removes the member, adding brings a deactivated user back), and one <b>license group</b>
 * per subscription, named {@code <plan> (<subscription id>)} as the console shows it, whose members are
 * exactly the members licensed from that subscription (adding licenses from it, removing takes the license).
 * Groups are fixed: they cannot be created, renamed or deleted.
 *
 * <p>Every change goes through the member and license services, one member at a time, each in its own
 * conditioned transaction: a license group never gives more licenses than its subscription's seats or the
 * pool's free seats; additions that do not fit are not applied and the identity provider is told which
 * (409, the rest applied). A request that would take licenses or memberships from more members than the
 * guard allows at once is not applied at all: it waits as a {@link PendingChange} for an admin; so does one that
 * would take ADMIN from more than one admin, or from a second within the hour (no lock-out through SCIM).
 * Thread-safe.
 */
public final class ScimGroups {
    static final String ADMINS = "admins";
    static final String MEMBERS = "members";
    static final String LICENSE_PREFIX = "license_";

    enum Kind { ADMINS, MEMBERS, LICENSE }

    /** A group: its id, its name, what membership means, and for a license group its subscription. */
    record Group(String id, String displayName, Kind kind, String subscriptionId) {
        boolean contains(Member m) {
            if (m.status() == MemberStatus.REMOVED) {
                return false;
            }
            return switch (kind) {
                case ADMINS -> m.access().isAdmin();
                case MEMBERS -> true;
                case LICENSE -> m.holdings().licensedFrom(subscriptionId);
            };
        }

        /** Whether taking members out of it takes something the guard protects (a license, a membership). */
        boolean guarded() {
            return kind != Kind.ADMINS;
        }
    }

    /** The threshold: a request may take at most {@code minimum} members out, or {@code percent} % of the group. */
    public record Guard(int minimum, int percent) {
        public Guard {
            if (minimum < 0 || percent < 0 || percent > 100) {
                throw new IllegalArgumentException("the guard needs a minimum >= 0 and a percentage of 0 to 100");
            }
        }

        boolean holds(int removed, long groupSize) {
            return removed > minimum && removed * 100L > (long) percent * groupSize;
        }
    }

    private final ProvisioningUseCases members;
    private final LicenseService licenses;
    private final LicenseStore pools;
    private final ScimStore scim;
    private final ScimTokenService tokens;
    private final Guard guard;
    private final Clock clock;
    private final RetryPolicy retry;
    private final HeldChanges held;

    public ScimGroups(ProvisioningUseCases members, LicenseService licenses, LicenseStore pools, ScimStore scim,
                      ScimTokenService tokens, Guard guard, Clock clock, RetryPolicy retry) {
        this.members = Objects.requireNonNull(members);
        this.licenses = Objects.requireNonNull(licenses);
        this.pools = Objects.requireNonNull(pools);
        this.scim = Objects.requireNonNull(scim);
        this.tokens = Objects.requireNonNull(tokens);
        this.guard = Objects.requireNonNull(guard);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
        this.held = new HeldChanges(this, members, scim, tokens, clock, retry);
    }

    // ------------------------------------------------------------------ reading

    /** Admins, Members, then a license group per subscription the pool knows, by subscription id. */
    List<Group> groups(String workspaceId) {
        LicensePool pool = retry.run(() -> pools.pool(workspaceId));
        return groups(pool);
    }

    static List<Group> groups(LicensePool pool) {
        List<Group> out = new ArrayList<>(List.of(new Group(ADMINS, "Admins", Kind.ADMINS, null),
                new Group(MEMBERS, "Members", Kind.MEMBERS, null)));
        pool.subscriptions().values().stream().sorted(java.util.Comparator.comparing(Subscription::subscriptionId))
                .forEach(s -> out.add(new Group(LICENSE_PREFIX + s.subscriptionId(), licenseGroupName(s),
                        Kind.LICENSE, s.subscriptionId())));
        return out;
    }

    /**
     * The fixed group an IdP group's mapping names ({@link dev.wsl.core.domain.ScimGroup#mapping}), or null
     * when it is unmapped or names a subscription the pool no longer has.
     */
    static Group target(LicensePool pool, String mapping) {
        if (mapping == null) {
            return null;
        }
        return groups(pool).stream().filter(g -> switch (g.kind()) {
            case ADMINS -> mapping.equals(dev.wsl.core.domain.ScimGroup.ADMINS);
            case MEMBERS -> mapping.equals(dev.wsl.core.domain.ScimGroup.MEMBERS);
            case LICENSE -> mapping.equals(dev.wsl.core.domain.ScimGroup.license(g.subscriptionId()));
        }).findFirst().orElse(null);
    }

    Guard guard() {
        return guard;
    }

    /** How the console, the API and SCIM name a subscription's license group. */
    public static String licenseGroupName(Subscription s) {
        return s.displayName();
    }

    Group group(String workspaceId, String groupId) {
        return groups(workspaceId).stream().filter(g -> g.id().equals(groupId)).findFirst()
                .orElseThrow(() -> new NotFound("group-not-found", "No group with this id exists in this workspace."));
    }

    /** The group's resource; its members read from the workspace's members when asked for. */
    ObjectNode resource(Group g, List<Member> all, String baseUrl) {
        ObjectNode r = ScimJson.object();
        r.putArray("schemas").add(ScimSchemas.GROUP);
        r.put("id", g.id());
        r.put("displayName", g.displayName());
        if (all != null) {
            ArrayNode list = r.putArray("members");
            for (Member m : all) {
                if (g.contains(m)) {
                    list.addObject().put("value", m.memberId()).put("display", m.name()).put("type", "User")
                            .put("$ref", baseUrl + "/Users/" + m.memberId());
                }
            }
        }
        r.putObject("meta").put("resourceType", "Group").put("location", baseUrl + "/Groups/" + g.id());
        return r;
    }

    // ------------------------------------------------------------------ changing

    /**
     * What changes: members to put in and to take out, in request order; and of those taken out, the ACTIVE admins
     * who lose ADMIN by it (out of the Admins group, or out of the workspace through the Members group).
     */
    record Plan(Group group, List<String> add, List<String> remove, List<String> adminLosses) {
        Plan(Group group, List<String> add, List<String> remove) {
            this(group, add, remove, List.of());
        }

        /**
         * A plan whose admin losses are read from the members as known: every ACTIVE admin it takes out of Admins, or
         * out of the workspace through Members. Every change the identity provider asks of a fixed group, directly
         * or through an IdP group mapped to it, is planned so, for {@link #change} to hold one that takes ADMIN from
         * more than one admin.
         */
        static Plan of(Group group, List<String> add, List<String> remove, Map<String, Member> known) {
            List<String> losses = group.kind() == Kind.LICENSE ? List.of() : remove.stream()
                    .filter(id -> known.containsKey(id) && known.get(id).isActiveAdmin()).toList();
            return new Plan(group, add, remove, losses);
        }
    }

    /**
     * The plan for what the request wants, from the members it names (one batch read) or, for a whole-group
     * request, from every member. Unknown ids put into the group are refused (400); unknown ids taken out are
     * not in it anyway.
     */
    Plan plan(String workspaceId, Group g, GroupRequests.Wanted wanted, Map<String, Member> known) {
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        wanted.members.forEach((id, in) -> {
            Member m = known.get(id);
            if (m == null || (m.status() == MemberStatus.REMOVED && !m.provisioned())) {
                if (in) {
                    unknown.add(id);
                }
                return;
            }
            boolean member = g.contains(m);
            if (in && !member) {
                add.add(id);
            } else if (!in && member) {
                remove.add(id);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidInput("invalid-value", "No user with the id" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown.stream().limit(10).toList()) + (unknown.size() > 10 ? ", …" : "")
                    + " exists in this workspace; provision the users before adding them to groups.");
        }
        return Plan.of(g, add, remove, known);
    }

    /** The outcome of applying a plan: what was done, and each member it could not do with why. */
    record Outcome(int added, int removed, Map<String, String> refused) {
        boolean complete() {
            return refused.isEmpty();
        }

        /** For the IdP's 409: counts, the reasons, and the first ids. */
        String detail(Plan plan) {
            return detail(plan.group().displayName());
        }

        /** As {@link #detail(Plan)}: every change a plan asks is applied or refused, so they add up to its size. */
        String detail(String groupName) {
            Map<String, List<String>> byReason = new LinkedHashMap<>();
            refused.forEach((id, why) -> byReason.computeIfAbsent(why, k -> new ArrayList<>()).add(id));
            StringBuilder d = new StringBuilder("Applied ").append(added + removed).append(" of ")
                    .append(added + removed + refused.size()).append(" membership changes to ")
                    .append(groupName).append(". ");
            byReason.forEach((why, ids) -> d.append(ids.size()).append(ids.size() == 1 ? " member was" : " members were")
                    .append(" not changed: ").append(why).append(" (").append(String.join(", ", ids.stream().limit(10).toList()))
                    .append(ids.size() > 10 ? ", …" : "").append("). "));
            return d.toString().strip();
        }
    }

    /**
     * Applies a plan member by member through the services, removals first (they free seats). License
     * additions stop being tried once the group or the pool is full: the rest are reported, not licensed.
     */
    Outcome apply(Principal principal, String workspaceId, Plan plan) {
        Group g = plan.group();
        Map<String, String> refused = new LinkedHashMap<>();
        int removed = 0;
        for (String id : plan.remove()) {
            try {
                switch (g.kind()) {
                    case LICENSE -> licenses.unassign(principal, workspaceId, id, g.subscriptionId());
                    case MEMBERS -> members.memberships().remove(principal, workspaceId, id);
                    case ADMINS -> members.memberships().setAccess(principal, workspaceId, id, Access.MEMBER);
                }
                removed++;
            } catch (LastAdmin e) {
                refused.put(id, "the workspace keeps at least one admin");
            } catch (HeldForAdmin e) {
                PendingChange held = record(workspaceId, g, List.of(id), List.of(), (g.kind() == Kind.ADMINS
                        ? "taking ADMIN from " : "removing the admin ") + id + " through the " + g.displayName()
                        + " group within an hour of another admin's");
                refused.put(id, "held for an admin's confirmation as change " + held.changeId() + ": " + e.detail());
            } catch (Conflict | NotFound | Forbidden e) {
                refused.put(id, e.detail());
            }
        }
        int added = 0;
        String full = null;
        for (String id : plan.add()) {
            if (full != null) {
                refused.put(id, full);
                continue;
            }
            try {
                switch (g.kind()) {
                    case LICENSE -> licenses.assign(principal, workspaceId, id, g.subscriptionId());
                    case MEMBERS -> members.provisioning().updateProvisioned(principal, workspaceId, id,
                            UserState.of(members.directory().provisionedMember(workspaceId, id)).activated().provisioned());
                    case ADMINS -> members.memberships().setAccess(principal, workspaceId, id, new Access(Role.ADMIN, Set.of()));
                }
                added++;
            } catch (NoFreeSeat e) {
                full = "not licensed: " + e.detail();
                refused.put(id, full);
            } catch (Conflict | NotFound | InvalidInput | Forbidden e) {
                refused.put(id, e.detail());
            }
        }
        return new Outcome(added, removed, refused);
    }

    /**
     * A request that passed parsing: held when it would take more than the guard allows, else applied.
     *
     * @return the outcome; never null
     * @throws Conflict {@code change-held} when the guard holds it (recorded, or recorded already)
     */
    Outcome change(String workspaceId, Plan plan, String request, java.util.function.LongSupplier groupSize) {
        Group g = plan.group();
        if (plan.adminLosses().size() > 1) {
            // No lock-out through SCIM: taking ADMIN from more than one member at once waits for an admin.
            PendingChange held = record(workspaceId, g, plan.remove(), plan.add(), request);
            throw new Conflict("change-held", "Not applied: this request would take ADMIN from "
                    + plan.adminLosses().size() + " admins at once (the identity provider may take ADMIN from one "
                    + "member per request and one per hour). It waits as change " + held.changeId() + " for a "
                    + "workspace admin to confirm or discard it in the console; nothing was changed.");
        }
        if (g.guarded() && !plan.remove().isEmpty()) {
            long size = groupSize.getAsLong();
            if (guard.holds(plan.remove().size(), size)) {
                throw hold(workspaceId, plan, request, size);
            }
        }
        return apply(new Principal.IdentityProvider(workspaceId), workspaceId, plan);
    }

    private Conflict hold(String workspaceId, Plan plan, String request, long size) {
        Group g = plan.group();
        PendingChange held = record(workspaceId, g, plan.remove(), plan.add(), request);
        String what = g.kind() == Kind.LICENSE ? "take the license of " : "remove ";
        return new Conflict("change-held", "Not applied: this request would " + what + plan.remove().size() + " of the "
                + size + " members of " + g.displayName() + " at once (the guard holds requests that take more than "
                + guard.minimum() + " and more than " + guard.percent() + "% of a group). It waits as change "
                + held.changeId() + " for a workspace admin to confirm or discard it in the console; nothing was changed.");
    }

    /**
     * A change of one user (a deactivation or a delete) that would take ADMIN from a second admin within the
     * hour: held as taking them out of the Members group (confirmed, it removes them), answered as the guard's
     * holds are.
     *
     * @throws Conflict {@code change-held} when the member service held it
     */
    <T> T holdingAdminLoss(String workspaceId, String memberId, String request, java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (HeldForAdmin e) {
            Group members = new Group(MEMBERS, "Members", Kind.MEMBERS, null);
            PendingChange held = record(workspaceId, members, List.of(memberId), List.of(), request);
            throw new Conflict("change-held", "Not applied: " + e.detail() + " It waits as change "
                    + held.changeId() + " (removing the member) for a workspace admin to confirm or discard it in the "
                    + "console; nothing was changed.");
        }
    }

    /** Records a held change, or answers the one held already for the same group and members (the IdP retries). */
    private PendingChange record(String workspaceId, Group g, List<String> remove, List<String> add, String request) {
        return retry.run(() -> {
            // The IdP retries a refused request: the same change is held once.
            for (PendingChange c : scim.pendingChanges(workspaceId)) {
                if (c.groupId().equals(g.id()) && new HashSet<>(c.remove()).equals(new HashSet<>(remove))
                        && new HashSet<>(c.add()).equals(new HashSet<>(add))) {
                    return c;
                }
            }
            Instant now = clock.instant();
            PendingChange c = new PendingChange(workspaceId, Ids.newId("chg", now.toEpochMilli()), g.id(),
                    g.displayName(), remove, add, request, now, Actor.SCIM.id(),
                    PendingChange.Status.PENDING, null, null);
            scim.recordPending(c, Actor.SCIM.audit(workspaceId, now, "scim.change-held", c.changeId(),
                    Map.of("group", g.displayName(), "remove", Integer.toString(remove.size()),
                            "add", Integer.toString(add.size()), "request", request)));
            return c;
        });
    }

    /** The admins' side of the changes this class holds: list, confirm, discard. */
    public HeldChanges held() {
        return held;
    }
}
