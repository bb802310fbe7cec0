package dev.wsl.licenses;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.access.VerifiedDomains;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Caller;
import dev.wsl.core.domain.Grant;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.MemberStatus;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NoFreeSeat;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
import dev.wsl.core.failure.SeatsChanged;
import dev.wsl.core.port.CredentialStore;
import dev.wsl.core.port.LicenseStore;
import dev.wsl.core.port.WorkspaceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * License seats and legacy keys of a workspace. Every operation reads the current state,
 * describes the change as a {@link SeatChange} and lets the store apply it in one
 * conditioned step; when a concurrent request got there first the operation reads
 * again and plans again under the {@link RetryPolicy}, so callers see either success or a
 * 409 with the reason, never a lost update. Thread-safe.
 */
public final class LicenseService {
    /** Legacy keys are short pre-existing developer keys; this is the shape they were issued in. */
    static final Pattern LEGACY_KEY_SHAPE = LegacyKey.SHAPE;
    static final int MAX_IMPORT = 20;

    private final WorkspaceStore workspaces;
    private final LicenseStore licenses;
    private final CredentialStore credentials;
    private final Authorization authorization;
    private final Clock clock;
    private final RetryPolicy retry;
    private final VerifiedDomains domains;

    public LicenseService(WorkspaceStore workspaces, LicenseStore licenses, CredentialStore credentials, Clock clock,
                          RetryPolicy retry) {
        this.workspaces = Objects.requireNonNull(workspaces);
        this.credentials = Objects.requireNonNull(credentials);
        this.licenses = Objects.requireNonNull(licenses);
        this.authorization = new Authorization(workspaces);
        this.clock = Objects.requireNonNull(clock);
        this.retry = Objects.requireNonNull(retry);
        this.domains = new VerifiedDomains(workspaces);
    }

    /** A key to import and, optionally, the member to assign it to. */
    public record KeyImport(String key, String memberId) {}

    /**
     * The pool as the caller may see it: with {@code namesKeys} only for a caller who manages legacy keys,
     * who is shown which unassigned keys hold seats (masked); everyone else sees their number.
     */
    public record Summary(LicensePool pool, boolean namesKeys) {}

    public Summary summary(Caller caller, String workspaceId) {
        Grant grant = authorization.member(caller, workspaceId);
        return new Summary(licenses.pool(workspaceId), grant.access().allows(Permission.LEGACY_KEYS_MANAGE));
    }

    /** Idempotent: assigning to a member who holds a license already changes nothing. */
    public Member assign(Caller caller, String workspaceId, String memberId) {
        Grant grant = authorization.withPermission(caller, workspaceId, Permission.LICENSES_ASSIGN);
        return assignAs(actor(caller), workspaceId, memberId, grant.access().allows(Permission.LEGACY_KEYS_MANAGE));
    }

    /**
     * An assignment by an actor already authorized (an admin), or by billing for the purchaser. The license
     * is counted against the subscription with the most room ({@link LicensePool#subscriptionWithRoom()});
     * when none has room, a member whose legacy key holds a seat already still gets one, counted against
     * no subscription (it takes no seat), as before licenses named their subscription.
     */
    Member assignAs(Actor actor, String workspaceId, String memberId) {
        return assignAs(actor, workspaceId, memberId, false);
    }

    /** @param namesKeys whether a full pool's refusal names the unassigned keys (for those who manage them) */
    private Member assignAs(Actor actor, String workspaceId, String memberId, boolean namesKeys) {
        return seatChange(workspaceId, namesKeys, pool -> {
            Member before = member(workspaceId, memberId);
            requireHolder(before);
            requireJoined(before);
            SeatChange assignment = assignment(actor, before, pool);
            return new Planned<>(assignment, assignment == null ? before
                    : assignment.members().getFirst().after());
        });
    }

    /**
     * A license counted against a given subscription (its SCIM license group): a member licensed from another
     * subscription moves to this one (a member is in at most one license group). Idempotent.
     *
     * @throws NoFreeSeat when the subscription's seats are all given, or the pool has no free seat
     */
    public Member assignFrom(Actor actor, String workspaceId, String memberId, String subscriptionId) {
        return seatChange(workspaceId, pool -> {
            Member before = member(workspaceId, memberId);
            requireHolder(before);
            requireJoined(before);
            if (before.holdings().licensedFrom(subscriptionId)) {
                return new Planned<>(null, before);
            }
            Member after = before.withHoldings(before.holdings().withLicenseFrom(subscriptionId));
            return new Planned<>(change(workspaceId, List.of(new SeatChange.MemberChange(before, after)), List.of(),
                    actor.audit(workspaceId, clock.instant(), "license.assigned", memberId,
                            Map.of("seatTaken", Boolean.toString(!before.holdings().occupiesSeat()),
                                    "subscription", subscriptionId,
                                    "from", nullToEmpty(before.holdings().subscriptionId())))), after);
        });
    }

    /**
     * Takes the license of a member licensed from the given subscription (null: whatever it is counted
     * against); a member licensed from another subscription, or not at all, is left as is.
     *
     * @return the member, changed or not
     */
    public Member unassignFrom(Actor actor, String workspaceId, String memberId, String subscriptionId) {
        return seatChange(workspaceId, pool -> {
            Member before = member(workspaceId, memberId);
            if (!before.holdings().licensed()
                    || (subscriptionId != null && !before.holdings().licensedFrom(subscriptionId))) {
                return new Planned<>(null, before);
            }
            Member after = before.withHoldings(before.holdings().withLicense(false));
            return new Planned<>(change(workspaceId, List.of(new SeatChange.MemberChange(before, after)), List.of(),
                    actor.audit(workspaceId, clock.instant(), "license.unassigned", memberId,
                            Map.of("seatFreed", Boolean.toString(!before.holdings().holdsKey()),
                                    "subscription", nullToEmpty(before.holdings().subscriptionId())))), after);
        });
    }

    /**
     * The change that gives a member (read now, not REMOVED) a license, with its audit entry; null when
     * they hold one already. It takes a seat unless the member holds a legacy key, and is counted against
     * the subscription of {@code pool} with the most room (none when none has room).
     */
    SeatChange assignment(Actor actor, Member before, LicensePool pool) {
        if (before.holdings().licensed()) {
            return null;
        }
        String subscription = pool.subscriptionWithRoom().orElse(null);
        Member after = before.withHoldings(before.holdings().withLicenseFrom(subscription));
        return change(before.workspaceId(), List.of(new SeatChange.MemberChange(before, after)), List.of(),
                actor.audit(before.workspaceId(), clock.instant(), "license.assigned", before.memberId(),
                        Map.of("seatTaken", Boolean.toString(!before.holdings().holdsKey()),
                                "subscription", nullToEmpty(subscription))));
    }

    public Member unassign(Caller caller, String workspaceId, String memberId) {
        authorization.withPermission(caller, workspaceId, Permission.LICENSES_ASSIGN);
        Actor actor = actor(caller);
        return seatChange(workspaceId, pool -> {
            Member before = member(workspaceId, memberId);
            if (!before.holdings().licensed()) {
                throw new Conflict("no-license", "The member holds no license.");
            }
            Member after = before.withHoldings(before.holdings().withLicense(false));
            return new Planned<>(change(workspaceId, List.of(new SeatChange.MemberChange(before, after)), List.of(),
                    actor.audit(workspaceId, clock.instant(), "license.unassigned", memberId,
                            Map.of("seatFreed", Boolean.toString(!before.holdings().holdsKey())))), after);
        });
    }

    /** Legacy keys with the last activation of each (one batch read). */
    public record ListedKeys(List<LegacyKey> keys, Map<String, Usage> usage) {}

    public ListedKeys listKeys(Caller caller, String workspaceId) {
        authorization.withPermission(caller, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        return retry.run(() -> {
            List<LegacyKey> keys = licenses.listKeys(workspaceId);
            return new ListedKeys(keys, keys.isEmpty() ? Map.of()
                    : credentials.usage(workspaceId, keys.stream().map(LegacyKey::keyId).toList()));
        });
    }

    /**
     * All keys or none: a malformed, duplicate or unassignable key refuses the whole import. A key that
     * another workspace imported first is imported the same way and waits for that import to be deleted
     * ({@link dev.wsl.core.domain.KeyClaim}): the answer never tells whether a key exists elsewhere.
     */
    public List<LegacyKey> importKeys(Caller caller, String workspaceId, List<KeyImport> imports) {
        authorization.withPermission(caller, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        if (imports.isEmpty() || imports.size() > MAX_IMPORT) {
            throw new InvalidInput("invalid-field", "keys must hold 1 to " + MAX_IMPORT + " keys.");
        }
        Set<String> seenKeys = new HashSet<>();
        Set<String> seenMembers = new HashSet<>();
        for (KeyImport i : imports) {
            if (i.key() == null || !LEGACY_KEY_SHAPE.matcher(i.key()).matches()) {
                throw new InvalidInput("invalid-key",
                        "Each key must be 8 to 64 letters, digits, '-' or '_'.");
            }
            if (!seenKeys.add(i.key())) {
                throw new InvalidInput("duplicate-key", "The same key appears twice in the import.");
            }
            if (i.memberId() != null && !seenMembers.add(i.memberId())) {
                throw new InvalidInput("duplicate-member", "A member can hold at most one legacy key.");
            }
        }
        Actor actor = actor(caller);
        Instant now = clock.instant();
        List<String> keyIds = imports.stream().map(i -> Ids.newId("lk", now.toEpochMilli())).toList();
        return seatChange(workspaceId, true, pool -> {
            List<SeatChange.MemberChange> members = new ArrayList<>();
            List<SeatChange.KeyChange> keys = new ArrayList<>();
            List<AuditEntry> audits = new ArrayList<>();
            List<LegacyKey> imported = new ArrayList<>();
            for (int n = 0; n < imports.size(); n++) {
                KeyImport i = imports.get(n);
                LegacyKey key = new LegacyKey(workspaceId, keyIds.get(n), Secrets.sha256Hex(i.key()),
                        LegacyKey.mask(i.key()), i.memberId(), now, 0);
                if (i.memberId() != null) {
                    Member before = member(workspaceId, i.memberId());
                    requireHolder(before);
                    requireNoKey(before);
                    members.add(new SeatChange.MemberChange(before,
                            before.withHoldings(before.holdings().withKey(key.keyId()))));
                }
                keys.add(new SeatChange.KeyChange(null, key));
                imported.add(key);
                audits.add(actor.audit(workspaceId, now, "legacy-key.imported", key.keyId(),
                        Map.of("masked", key.shown(), "assignee", i.memberId() == null ? "" : i.memberId())));
            }
            return new Planned<>(new SeatChange(workspaceId, members, keys, audits), imported);
        });
    }

    /**
     * Gives the key to a member, or to nobody when {@code memberId} is null. A member who holds another
     * key gets this one instead: their key goes to nobody (where it still holds a seat) in the same
     * change, so that replacing a member's key is one step that takes no seat.
     */
    public LegacyKey assignKey(Caller caller, String workspaceId, String keyId, String memberId) {
        authorization.withPermission(caller, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        Actor actor = actor(caller);
        return seatChange(workspaceId, true, pool -> {
            LegacyKey before = key(workspaceId, keyId);
            if (Objects.equals(before.assigneeMemberId(), memberId)) {
                return new Planned<>(null, before);
            }
            Instant now = clock.instant();
            List<SeatChange.MemberChange> members = new ArrayList<>();
            List<SeatChange.KeyChange> keys = new ArrayList<>();
            List<AuditEntry> audits = new ArrayList<>();
            if (before.assigned()) {
                Member holder = member(workspaceId, before.assigneeMemberId());
                members.add(new SeatChange.MemberChange(holder, holder.withHoldings(holder.holdings().withKey(null))));
            }
            if (memberId != null) {
                Member target = member(workspaceId, memberId);
                requireHolder(target);
                if (target.holdings().holdsKey()) {
                    LegacyKey released = key(workspaceId, target.holdings().legacyKeyId());
                    keys.add(new SeatChange.KeyChange(released, released.assignedTo(null)));
                    audits.add(actor.audit(workspaceId, now, "legacy-key.assigned", released.keyId(),
                            Map.of("masked", released.shown(), "from", memberId, "to", "")));
                }
                members.add(new SeatChange.MemberChange(target, target.withHoldings(target.holdings().withKey(keyId))));
            }
            LegacyKey after = before.assignedTo(memberId);
            keys.add(new SeatChange.KeyChange(before, after));
            audits.add(actor.audit(workspaceId, now, "legacy-key.assigned", keyId,
                    Map.of("masked", before.shown(), "from", nullToEmpty(before.assigneeMemberId()),
                            "to", nullToEmpty(memberId))));
            return new Planned<>(new SeatChange(workspaceId, members, keys, audits), after);
        });
    }

    public void deleteKey(Caller caller, String workspaceId, String keyId) {
        authorization.withPermission(caller, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        Actor actor = actor(caller);
        seatChange(workspaceId, pool -> {
            LegacyKey before = key(workspaceId, keyId);
            Optional<Member> holder = before.assigned() ? Optional.of(member(workspaceId, before.assigneeMemberId()))
                    : Optional.empty();
            return new Planned<>(deletion(before, holder, actor, "legacy-key.deleted"), before);
        });
    }

    /** Every legacy key of a workspace, for the sunset job's digests (no caller: the job is the actor). */
    public List<LegacyKey> keysOf(String workspaceId) {
        return retry.run(() -> licenses.listKeys(workspaceId));
    }

    /**
     * Deletes a legacy key for the sunset job (retired because its holder migrated, or deleted after
     * the clean-up delay): the key, its lookup item, the holder's key and the seat counters change in
     * one transaction with the audit entry, as when an admin deletes it.
     *
     * @return false when the key was already gone (a re-run deletes nothing twice)
     */
    public boolean deleteKeyForSunset(String workspaceId, String keyId, String action) {
        return seatChange(workspaceId, pool -> {
            LegacyKey before = licenses.findKey(workspaceId, keyId).orElse(null);
            if (before == null) {
                return new Planned<>(null, false);
            }
            Optional<Member> holder = before.assigned() ? workspaces.findMember(workspaceId, before.assigneeMemberId())
                    : Optional.empty();
            return new Planned<>(deletion(before, holder, SUNSET, action), true);
        });
    }

    /**
     * A key's deletion, as an admin's and the sunset job's alike: its holder (as read) loses it, the key
     * (with its claim, in the store) goes, and the audit entry says who held it.
     */
    private SeatChange deletion(LegacyKey key, Optional<Member> holder, Actor actor, String action) {
        List<SeatChange.MemberChange> members = holder.map(h -> List.of(new SeatChange.MemberChange(h,
                h.withHoldings(h.holdings().withKey(null))))).orElse(List.of());
        return new SeatChange(key.workspaceId(), members, List.of(new SeatChange.KeyChange(key, null)),
                List.of(actor.audit(key.workspaceId(), clock.instant(), action, key.keyId(),
                        Map.of("masked", key.shown(), "holder", nullToEmpty(key.assigneeMemberId())))));
    }

    /**
     * Deletes several keys of one workspace for the sunset job in one transaction (at most
     * {@link #SUNSET_BATCH} keys), from what the job read for its page: no further read but the
     * pool. When anything changed since (a version condition fails), each key is deleted on its own
     * from fresh reads instead.
     *
     * @param holders the keys' holders as read, by member id
     * @return how many of the keys were deleted now
     */
    public int deleteKeysForSunset(String workspaceId, List<LegacyKey> keys, Map<String, Member> holders,
                                   String action) {
        if (keys.isEmpty()) {
            return 0;
        }
        if (keys.size() > SUNSET_BATCH) {
            throw new IllegalArgumentException("at most " + SUNSET_BATCH + " keys per transaction");
        }
        List<SeatChange.MemberChange> members = new ArrayList<>();
        List<SeatChange.KeyChange> changes = new ArrayList<>();
        List<AuditEntry> audits = new ArrayList<>();
        Instant now = clock.instant();
        for (LegacyKey key : keys) {
            changes.add(new SeatChange.KeyChange(key, null));
            Member holder = key.assigned() ? holders.get(key.assigneeMemberId()) : null;
            if (holder != null && key.keyId().equals(holder.holdings().legacyKeyId())) {
                members.add(new SeatChange.MemberChange(holder, holder.withHoldings(holder.holdings().withKey(null))));
            }
            audits.add(SUNSET.audit(workspaceId, now, action, key.keyId(),
                    Map.of("masked", key.shown(), "holder", nullToEmpty(key.assigneeMemberId()))));
        }
        try {
            licenses.apply(new SeatChange(workspaceId, members, changes, audits), licenses.pool(workspaceId));
            return keys.size();
        } catch (ChangedMeanwhile | Busy lostTheRace) {
            // Something of the page changed since the job read it: each key is deleted on its own from
            // fresh reads (each under the retry policy) instead. This is a fallback, not a retry of the batch.
            int deleted = 0;
            for (LegacyKey key : keys) {
                deleted += deleteKeyForSunset(workspaceId, key.keyId(), action) ? 1 : 0;
            }
            return deleted;
        }
    }

    /** Keys per sunset deletion transaction: each takes up to 4 of DynamoDB's 100 items, plus the pool. */
    public static final int SUNSET_BATCH = 20;

    static final Actor BILLING = new Actor("billing", "billing");
    static final Actor SUNSET = new Actor("sunset-job", "sunset-job");

    private static Actor actor(Caller caller) {
        return Actor.of(caller);
    }

    /** A change to apply (null: nothing to do) and what the operation answers. */
    private record Planned<T>(SeatChange change, T result) {}

    /**
     * Reads the pool, plans against fresh reads and applies, under the retry policy: a lost race (a member
     * or key changed, or the seats changed under a seat-taking write) is planned again. A pool that really
     * is full is answered with why; when every attempt lost the seats to concurrent requests, too.
     */
    private <T> T seatChange(String workspaceId, Function<LicensePool, Planned<T>> plan) {
        return seatChange(workspaceId, false, plan);
    }

    /** @param namesKeys whether a full pool's refusal names the unassigned keys (the caller manages legacy keys) */
    private <T> T seatChange(String workspaceId, boolean namesKeys, Function<LicensePool, Planned<T>> plan) {
        try {
            return retry.run(() -> {
                LicensePool pool = licenses.pool(workspaceId);
                Planned<T> planned = plan.apply(pool);
                if (planned.change() == null) {
                    return planned.result();
                }
                long needed = planned.change().delta().inUse();
                if (needed > 0 && pool.tally().inUse() + needed > pool.seats()) {
                    throw noFreeSeat(pool, namesKeys);
                }
                planned.change().subscriptionDelta().forEach((subscription, given) -> {
                    if (given > 0 && pool.licensedFrom(subscription) + given > pool.seatsOf(subscription)) {
                        throw subscriptionFull(pool, subscription);
                    }
                });
                licenses.apply(planned.change(), pool);
                return planned.result();
            });
        } catch (SeatsChanged lostEveryRace) {
            throw noFreeSeat(licenses.pool(workspaceId), namesKeys);
        }
    }

    /** A subscription whose seats are all given: its license group takes nobody more. */
    static NoFreeSeat subscriptionFull(LicensePool pool, String subscriptionId) {
        var s = pool.subscriptions().get(subscriptionId);
        String name = s == null ? subscriptionId : s.plan() + " (" + subscriptionId + ")";
        return new NoFreeSeat("No free license in " + name + ": all " + pool.seatsOf(subscriptionId)
                + " of its seats are given.", pool.seats(), pool.tally().inUse(), pool.unassignedKeys().size());
    }

    /** @param namesKeys whether the refusal names the unassigned keys holding seats, or counts them */
    private static NoFreeSeat noFreeSeat(LicensePool pool, boolean namesKeys) {
        String reason = pool.blockedReason(namesKeys);
        String detail = reason == null ? "The seats were taken by concurrent requests; retry." : reason;
        return namesKeys ? new NoFreeSeat(detail, pool.seats(), pool.tally().inUse(), pool.unassignedKeysShown())
                : new NoFreeSeat(detail, pool.seats(), pool.tally().inUse(), pool.unassignedKeys().size());
    }

    private Member member(String workspaceId, String memberId) {
        if (memberId == null || !Ids.isWellFormed("m", memberId)) {
            throw memberNotFound();
        }
        return workspaces.findMember(workspaceId, memberId).orElseThrow(LicenseService::memberNotFound);
    }

    private LegacyKey key(String workspaceId, String keyId) {
        if (!Ids.isWellFormed("lk", keyId)) {
            throw keyNotFound();
        }
        return licenses.findKey(workspaceId, keyId).orElseThrow(LicenseService::keyNotFound);
    }

    private static NotFound memberNotFound() {
        return new NotFound("member-not-found", "No member with this id exists in this workspace.");
    }

    private static NotFound keyNotFound() {
        return new NotFound("key-not-found", "No legacy key with this id exists in this workspace.");
    }

    private static void requireHolder(Member member) {
        if (member.status() == MemberStatus.REMOVED) {
            throw new Conflict("member-removed", "A removed member cannot hold a license or a legacy key.");
        }
    }

    /**
     * A membership an identity provider created holds no license until the person joins, unless the workspace
     * verified the domain of their email (then they join at their first sign-in, licensed as assigned).
     */
    private void requireJoined(Member member) {
        if (awaitsConsent(member)) {
            throw new Conflict("awaiting-join", "Waiting for the person to join: " + member.email().value()
                    + " was provisioned by the identity provider and has not chosen to join the workspace yet"
                    + " (their email's domain is not verified by this workspace). A license can be assigned once"
                    + " they join.");
        }
    }

    /** Whether the member waits for the person's consent (see {@link VerifiedDomains#awaitsConsent}). */
    boolean awaitsConsent(Member member) {
        return domains.awaitsConsent(member, clock.instant());
    }

    private static void requireNoKey(Member member) {
        if (member.holdings().holdsKey()) {
            throw new Conflict("member-has-key", "The member already holds a legacy key; a member holds at most one.");
        }
    }

    private static SeatChange change(String workspaceId, List<SeatChange.MemberChange> members,
                                     List<SeatChange.KeyChange> keys, AuditEntry audit) {
        return new SeatChange(workspaceId, members, keys, List.of(audit));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    WorkspaceStore workspaces() {
        return workspaces;
    }

    LicenseStore licenses() {
        return licenses;
    }

    Clock clock() {
        return clock;
    }
}
