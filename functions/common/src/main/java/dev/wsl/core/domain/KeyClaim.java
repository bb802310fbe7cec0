package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which import of a legacy key activates, when more than one workspace imported the same key.
 *
 * <p>Activation finds a key by its hash alone, so one import has to be <em>the holder</em>: the
 * first. An import of the same key by another workspace is answered exactly like a fresh import
 * (the key is stored there, holds a seat, is listed, assigned and sunset like any other), so that
 * importing never tells anyone that a key exists elsewhere; it <em>waits</em>, and activates only
 * once every earlier import is deleted: deleting the holder hands the key to the oldest waiting
 * import. Importing a key twice into the same workspace is refused ({@code key-exists}): that tells
 * the workspace's admins only about their own keys.
 *
 * @param holder  the import that activates
 * @param waiting later imports by other workspaces, by workspace id (at most one per workspace)
 */
public record KeyClaim(String hash, Import holder, Map<String, Import> waiting) {

    /** One workspace's import of the key. */
    public record Import(String workspaceId, String keyId, Instant importedAt) {
        public static Import of(LegacyKey key) {
            return new Import(key.workspaceId(), key.keyId(), key.importedAt());
        }

        boolean is(LegacyKey key) {
            return workspaceId.equals(key.workspaceId()) && keyId.equals(key.keyId());
        }
    }

    public KeyClaim {
        Objects.requireNonNull(hash);
        Objects.requireNonNull(holder);
        waiting = Map.copyOf(waiting);
    }

    /** Whether this workspace imported the key already (as holder or waiting). */
    public boolean importedBy(String workspaceId) {
        return holder.workspaceId().equals(workspaceId) || waiting.containsKey(workspaceId);
    }

    public boolean heldBy(LegacyKey key) {
        return holder.is(key);
    }

    public boolean awaitedBy(LegacyKey key) {
        Import w = waiting.get(key.workspaceId());
        return w != null && w.is(key);
    }

    /** The import that takes over when the holder is deleted: the oldest waiting one (ties: workspace id). */
    public Optional<Import> successor() {
        return waiting.values().stream()
                .min(Comparator.comparing(Import::importedAt).thenComparing(Import::workspaceId));
    }
}
