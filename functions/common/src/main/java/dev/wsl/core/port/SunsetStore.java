package dev.wsl.core.port;

import dev.wsl.core.domain.EmailAddress;
import dev.wsl.core.domain.LegacyKey;
import dev.wsl.core.domain.Member;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.Busy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the legacy-key sunset job reads and writes besides seat changes: every legacy key of every
 * workspace in pages (in (workspace, key) order), each key's sunset state (notices sent, disabled),
 * the digests sent to admins, and the run's checkpoint and record.
 */
public interface SunsetStore {

    /**
     * A page of keys.
     *
     * @param last the position of the page's last key (where the next page starts), or null when empty
     * @param more whether keys may follow
     */
    record KeyPage(List<LegacyKey> keys, String last, boolean more) {}

    /** Keys after {@code after} (a position a page returned, or null for the start). */
    KeyPage keys(String after, int limit);

    /** The sunset state of one key. */
    record KeyState(Set<String> notices, Instant disabledAt) {
        public static final KeyState NEW = new KeyState(Set.of(), null);

        public KeyState {
            notices = Set.copyOf(notices);
        }
    }

    /** For a page of keys: their states, assignees and assignees' license usage. */
    record PageContext(Map<String, KeyState> states, Map<String, Member> assignees, Map<String, Usage> usage) {}

    /** @throws Busy when the table left part of the read unprocessed */
    PageContext context(List<LegacyKey> keys);

    /** A key's new sunset state, or (state null) its removal once the key is gone. */
    record StateWrite(LegacyKey key, KeyState state) {}

    /**
     * Writes whole state items: writing the same states again changes nothing, so a caller may repeat it.
     *
     * @throws Busy when the table left some writes unprocessed (the others are written)
     */
    void saveStates(List<StateWrite> writes);

    /** Notices whose digest this workspace's admins already got. */
    Set<String> digestsSent(String workspaceId);

    void recordDigest(String workspaceId, String notice, Instant at);

    /** The email addresses of a workspace's ACTIVE admins. */
    List<EmailAddress> admins(String workspaceId);

    /** The checkpoint of a run in progress. */
    record Checkpoint(String runId, String position, long invocations) {}

    Optional<Checkpoint> currentRun();

    /** Starts a run; false when another invocation started one meanwhile. */
    boolean startRun(String runId, Instant at, Map<String, String> plan);

    /**
     * Records the progress of one page: the counters are added to the run record and the position moves
     * on, in one step conditioned on the position read.
     *
     * @param counts counter name → amount to add
     * @param finished true when this was the last page: the checkpoint is removed and the run completed
     * @return false when the position had moved meanwhile (another invocation recorded this page)
     */
    boolean checkpoint(Checkpoint read, String position, Map<String, Long> counts, boolean finished,
                       boolean newInvocation, Instant at);

    /** A run's record: counters by name, status, times. */
    Map<String, Object> run(String runId);
}
