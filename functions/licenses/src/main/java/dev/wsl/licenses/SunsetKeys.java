package dev.wsl.licenses;

import static dev.wsl.licenses.SeatPlanner.nullToEmpty;

import dev.wsl.core.access.Principal;
import dev.wsl.core.domain.Actor;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.failure.Busy;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.port.LicenseStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sunset job's entry points to legacy keys: the keys of a workspace for its digests, and deletions a page
 * at a time, {@link #BATCH} keys per transaction. A key deleted on its own is deleted through the one door
 * ({@link LegacyKeyService#deleteKey}) with the job as its principal. Thread-safe.
 */
public final class SunsetKeys {
    /** Keys per sunset deletion transaction: each takes up to 4 of DynamoDB's 100 items, plus the pool. */
    public static final int BATCH = 20;
    static final Principal.Job SUNSET = new Principal.Job(new Actor("sunset-job", "sunset-job"));

    private final SeatPlanner seats;
    private final LegacyKeyService keys;

    public SunsetKeys(LegacyKeyService keys) {
        this.keys = Objects.requireNonNull(keys);
        this.seats = keys.planner();
    }

    /** Every legacy key of a workspace, for the sunset job's digests. */
    public List<LegacyKey> keysOf(String workspaceId) {
        return seats.retry().run(() -> seats.licenses().listKeys(workspaceId));
    }

    /**
     * Deletes several keys of one workspace in one transaction (at most {@link #BATCH} keys), from what the job
     * read for its page: no further read but the pool. When anything changed since (a version condition fails),
     * each key is deleted on its own from fresh reads instead.
     *
     * @param holders the keys' holders as read, by member id
     * @param action  the audit entries' action ({@code legacy-key.retired}, {@code legacy-key.deleted-by-sunset})
     * @return how many of the keys were deleted now
     */
    public int deleteKeys(String workspaceId, List<LegacyKey> keys, Map<String, Member> holders, String action) {
        if (keys.isEmpty()) {
            return 0;
        }
        if (keys.size() > BATCH) {
            throw new IllegalArgumentException("at most " + BATCH + " keys per transaction");
        }
        List<SeatChange.MemberChange> members = new ArrayList<>();
        List<SeatChange.KeyChange> changes = new ArrayList<>();
        List<AuditEntry> audits = new ArrayList<>();
        Instant now = seats.clock().instant();
        for (LegacyKey key : keys) {
            changes.add(new SeatChange.KeyChange(key, null));
            Member holder = key.assigned() ? holders.get(key.assigneeMemberId()) : null;
            if (holder != null && key.keyId().equals(holder.holdings().legacyKeyId())) {
                members.add(new SeatChange.MemberChange(holder, holder.withHoldings(holder.holdings().withKey(null))));
            }
            audits.add(SUNSET.actor().audit(workspaceId, now, action, key.keyId(),
                    Map.of("masked", key.shown(), "holder", nullToEmpty(key.assigneeMemberId()))));
        }
        LicenseStore licenses = seats.licenses();
        try {
            licenses.apply(new SeatChange(workspaceId, members, changes, audits), licenses.pool(workspaceId));
            return keys.size();
        } catch (ChangedMeanwhile | Busy lostTheRace) {
            // Something of the page changed since the job read it: each key is deleted on its own from
            // fresh reads (each under the retry policy) instead. This is a fallback, not a retry of the batch.
            int deleted = 0;
            for (LegacyKey key : keys) {
                deleted += this.keys.deleteKey(SUNSET, workspaceId, key.keyId(), action) ? 1 : 0;
            }
            return deleted;
        }
    }
}
