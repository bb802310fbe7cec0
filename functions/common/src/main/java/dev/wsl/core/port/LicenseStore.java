package dev.wsl.core.port;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.KeyClaim;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.SeatChange;
import dev.wsl.core.domain.Subscription;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.SeatsChanged;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * License pools and legacy keys. A seat change writes its members and keys (each conditioned on its
 * version), the keys' claims ({@link KeyClaim}) and the change's derived delta to the pool's counters
 * in one step; when the delta takes seats, the pool write is conditioned on the seats being the value
 * read and the seats in use leaving room, so seats in use never exceed seats under any concurrency.
 */
public interface LicenseStore {

    /** The workspace's pool; an empty one (no seats, version 0) when billing never reported anything. */
    LicensePool pool(String workspaceId);

    Optional<LegacyKey> findKey(String workspaceId, String keyId);

    List<LegacyKey> listKeys(String workspaceId);

    /** The keys of these ids (absent ones are missing from the answer), by id: a page's keys in one batch read. */
    default Map<String, LegacyKey> findKeys(String workspaceId, java.util.Collection<String> keyIds) {
        Map<String, LegacyKey> out = new java.util.LinkedHashMap<>();
        new java.util.LinkedHashSet<>(keyIds).forEach(id -> findKey(workspaceId, id).ifPresent(k -> out.put(id, k)));
        return out;
    }

    /**
     * Applies a change as planned on {@code poolRead}.
     *
     * @throws ChangedMeanwhile when a member, key or claim changed since read
     * @throws SeatsChanged when the change takes seats and the pool's seats or seats in use changed since read
     * @throws AlreadyExists {@code key-exists} when an imported key was already imported by the same workspace
     */
    void apply(SeatChange change, LicensePool poolRead);

    /**
     * Records billing's view of the subscriptions, with its audit entry. The counters are left as they
     * are (created at zero for a new pool); a downgrade below the seats in use keeps every assignment.
     *
     * @throws ChangedMeanwhile when the pool changed since {@code read}
     */
    default void saveSubscriptions(LicensePool read, Map<String, Subscription> subscriptions, long seats,
                                   AuditEntry audit) {
        saveSubscriptions(read, subscriptions, seats, audit, null);
    }

    /**
     * As {@link #saveSubscriptions(LicensePool, Map, long, AuditEntry)}, with a seat change planned on
     * {@code read} against the new {@code seats} (billing's license for the purchaser) in the same
     * step: both are written or neither, so nothing is left half done for a redelivery to finish. The
     * change's delta goes to the counters; when it takes seats, the write is also conditioned on the
     * seats in use leaving room for it in {@code seats}.
     *
     * @param alongside the change, or null for none
     * @throws ChangedMeanwhile when the pool changed since {@code read}, or a member or key of the change
     */
    void saveSubscriptions(LicensePool read, Map<String, Subscription> subscriptions, long seats, AuditEntry audit,
                           SeatChange alongside);
}
