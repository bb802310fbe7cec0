package dev.wsl.licenses;

import static dev.wsl.licenses.SeatPlanner.nullToEmpty;

import dev.wsl.core.access.Authorization;
import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Permission;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Secrets;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.NotFound;
import dev.wsl.core.failure.RetryPolicy;
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
import java.util.regex.Pattern;

/**
 * A workspace's legacy keys (pre-existing developer keys that hold seats until their holders move to auth
 * tokens): listed, imported, given to a member, deleted, one door per use case for every principal (a person
 * with {@code legacy-keys:manage}, the sunset job). Each change is planned and applied by the
 * {@link SeatPlanner}. Thread-safe.
 */
public final class LegacyKeyService {
    /** Legacy keys are short pre-existing developer keys; this is the shape they were issued in. */
    static final Pattern LEGACY_KEY_SHAPE = LegacyKey.SHAPE;
    static final int MAX_IMPORT = 20;
    /** The action of a key's deletion by a person. */
    static final String DELETED = "legacy-key.deleted";

    private final SeatPlanner seats;
    private final CredentialStore credentials;

    public LegacyKeyService(WorkspaceStore workspaces, LicenseStore licenses, CredentialStore credentials, Clock clock,
                            RetryPolicy retry) {
        this(new SeatPlanner(workspaces, licenses, clock, retry), credentials);
    }

    LegacyKeyService(SeatPlanner seats, CredentialStore credentials) {
        this.seats = Objects.requireNonNull(seats);
        this.credentials = Objects.requireNonNull(credentials);
    }

    /** A key to import and, optionally, the member to assign it to. */
    public record KeyImport(String key, String memberId) {}

    /** Legacy keys with the last activation of each (one batch read). */
    public record ListedKeys(List<LegacyKey> keys, Map<String, Usage> usage) {}

    public ListedKeys listKeys(Principal who, String workspaceId) {
        Authorization.require(who, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        return seats.retry().run(() -> {
            List<LegacyKey> keys = seats.licenses().listKeys(workspaceId);
            return new ListedKeys(keys, keys.isEmpty() ? Map.of()
                    : credentials.usage(workspaceId, keys.stream().map(LegacyKey::keyId).toList()));
        });
    }

    /**
     * All keys or none: a malformed, duplicate or unassignable key refuses the whole import. A key that
     * another workspace imported first is imported the same way and waits for that import to be deleted
     * ({@link dev.wsl.core.domain.KeyClaim}): the answer never tells whether a key exists elsewhere.
     */
    public List<LegacyKey> importKeys(Principal who, String workspaceId, List<KeyImport> imports) {
        Authorization.require(who, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        requireImportable(imports);
        Actor actor = who.actor();
        Instant now = seats.clock().instant();
        List<String> keyIds = imports.stream().map(i -> Ids.newId("lk", now.toEpochMilli())).toList();
        return seats.seatChange(workspaceId, true, pool -> {
            List<SeatChange.MemberChange> members = new ArrayList<>();
            List<SeatChange.KeyChange> keys = new ArrayList<>();
            List<AuditEntry> audits = new ArrayList<>();
            List<LegacyKey> imported = new ArrayList<>();
            for (int n = 0; n < imports.size(); n++) {
                KeyImport i = imports.get(n);
                LegacyKey key = new LegacyKey(workspaceId, keyIds.get(n), Secrets.sha256Hex(i.key()),
                        LegacyKey.mask(i.key()), i.memberId(), now, 0);
                if (i.memberId() != null) {
                    Member before = seats.member(workspaceId, i.memberId());
                    SeatPlanner.requireHolder(before);
                    requireNoKey(before);
                    members.add(new SeatChange.MemberChange(before,
                            before.withHoldings(before.holdings().withKey(key.keyId()))));
                }
                keys.add(new SeatChange.KeyChange(null, key));
                imported.add(key);
                audits.add(actor.audit(workspaceId, now, "legacy-key.imported", key.keyId(),
                        Map.of("masked", key.shown(), "assignee", i.memberId() == null ? "" : i.memberId())));
            }
            return new SeatPlanner.Planned<>(new SeatChange(workspaceId, members, keys, audits), imported);
        });
    }

    private static void requireImportable(List<KeyImport> imports) {
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
    }

    /**
     * Gives the key to a member, or to nobody when {@code memberId} is null. A member who holds another
     * key gets this one instead: their key goes to nobody (where it still holds a seat) in the same
     * change, so that replacing a member's key is one step that takes no seat.
     */
    public LegacyKey assignKey(Principal who, String workspaceId, String keyId, String memberId) {
        Authorization.require(who, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        Actor actor = who.actor();
        return seats.seatChange(workspaceId, true, pool -> {
            LegacyKey before = seats.key(workspaceId, keyId);
            if (Objects.equals(before.assigneeMemberId(), memberId)) {
                return new SeatPlanner.Planned<>(null, before);
            }
            Instant now = seats.clock().instant();
            List<SeatChange.MemberChange> members = new ArrayList<>();
            List<SeatChange.KeyChange> keys = new ArrayList<>();
            List<AuditEntry> audits = new ArrayList<>();
            if (before.assigned()) {
                Member holder = seats.member(workspaceId, before.assigneeMemberId());
                members.add(new SeatChange.MemberChange(holder, holder.withHoldings(holder.holdings().withKey(null))));
            }
            if (memberId != null) {
                Member target = seats.member(workspaceId, memberId);
                SeatPlanner.requireHolder(target);
                if (target.holdings().holdsKey()) {
                    LegacyKey released = seats.key(workspaceId, target.holdings().legacyKeyId());
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
            return new SeatPlanner.Planned<>(new SeatChange(workspaceId, members, keys, audits), after);
        });
    }

    /**
     * Deletes the key: the key, its lookup item, the holder's key and the seat counters change in one
     * transaction with the audit entry, which says who held it.
     *
     * @param action the audit entry's action: {@link #DELETED} for a person; the sunset job says why
     *               ({@code legacy-key.retired}, {@code legacy-key.deleted-by-sunset})
     * @return false when the key was already gone, for a job (a re-run deletes nothing twice)
     * @throws NotFound {@code key-not-found} for a person, when the workspace has no such key
     */
    public boolean deleteKey(Principal who, String workspaceId, String keyId, String action) {
        Authorization.require(who, workspaceId, Permission.LEGACY_KEYS_MANAGE);
        return seats.seatChange(workspaceId, false, pool -> {
            // A job's re-run finds the keys it deleted gone; a person asked for a key that is not there.
            Optional<LegacyKey> found = who instanceof Principal.Job ? seats.licenses().findKey(workspaceId, keyId)
                    : Optional.of(seats.key(workspaceId, keyId));
            if (found.isEmpty()) {
                return new SeatPlanner.Planned<>(null, false);
            }
            LegacyKey before = found.get();
            Optional<Member> holder = before.assigned()
                    ? seats.workspaces().findMember(workspaceId, before.assigneeMemberId()) : Optional.empty();
            return new SeatPlanner.Planned<>(seats.deletion(before, holder, who.actor(), action), true);
        });
    }

    /** The seats' planner, for the sunset job's batch deletions ({@link SunsetKeys}). */
    SeatPlanner planner() {
        return seats;
    }

    private static void requireNoKey(Member member) {
        if (member.holdings().holdsKey()) {
            throw new Conflict("member-has-key", "The member already holds a legacy key; a member holds at most one.");
        }
    }
}
