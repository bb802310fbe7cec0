package dev.wsl.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one-off backfill after an upgrade (docs/deploying.md, "Upgrading an existing deployment"): the data that issue 18 (the
 * SCIM index and its users counter) and issue 21 A (the seat index and the reclaim job's work list) write with every
 * change, but that items written before those changes lack. Every step is per workspace, reads what is stored
 * (consistently), writes only what differs, each write conditioned on what it read, so a concurrent live write wins
 * and the step reads again; a step that finds nothing to do writes nothing (re-running changes nothing). With
 * {@code dryRun} a step answers what it would change and writes nothing.
 */
public interface BackfillStore {

    /**
     * A page of the table's workspaces, in the table's own order (a Scan: no index lists every workspace; this is a
     * one-off migration, not an access pattern).
     *
     * @param next where the following page starts, or null after the last page
     */
    record WorkspacePage(List<String> workspaceIds, String next) {}

    /**
     * @param from  a position a previous page returned, or null from the start
     * @param limit items the Scan reads for the page (most of them are no workspace items)
     */
    WorkspacePage workspaces(String from, int limit);

    /**
     * Gives every member item of the workspace the SCIM index keys its member calls for (as the member's mapper writes
     * them), conditioned on the item's {@code version} as read. Answers how many items it changed.
     */
    long indexScimUsers(String workspaceId, boolean dryRun);

    /**
     * Sets the workspace's SCIM users counter to its members that are SCIM users (counted from the member items,
     * consistently), conditioned on the counter not having moved since it was read before counting. Answers whether
     * the counter was (or would be) set.
     */
    boolean recountScimUsers(String workspaceId, boolean dryRun);

    /**
     * Puts every license held in the workspace without a seat on the seat index, as a license-giving transaction
     * does, idle since the license's last activation, or since {@code now} when it has none; conditioned on the
     * member still holding it as read and no activation meanwhile. Answers how many seats it put.
     */
    long trackSeats(String workspaceId, Instant now, boolean dryRun);

    /**
     * Puts a workspace that has a license pool but no seat policy on the reclaim job's work list (the default policy,
     * as a purchase does). Answers whether it did.
     */
    boolean joinWorkList(String workspaceId, boolean dryRun);

    /**
     * Where a run stands.
     *
     * @param runId           when the run started (ISO-8601)
     * @param position        the workspace page in progress ({@link #workspaces}'s {@code from}), null at the start
     * @param afterWorkspace  the last workspace of that page that is done, or null
     * @param step            how many checkpoints were saved (the condition of the next)
     * @param counts          what the run changed so far, by name
     * @param invocations     invocations that advanced the run
     */
    record Checkpoint(String runId, String position, String afterWorkspace, long step, Map<String, Long> counts,
                      long invocations) {
        public Checkpoint {
            counts = Map.copyOf(counts);
        }
    }

    /** The run in progress, if any. */
    Optional<Checkpoint> checkpoint();

    /**
     * Saves where the run stands, conditioned on the checkpoint read ({@code read} null: none existed). False when
     * another invocation saved or ended one meanwhile.
     */
    boolean saveCheckpoint(Checkpoint read, Checkpoint next);

    /** Ends the run (the checkpoint goes), conditioned on the checkpoint read; false when it moved meanwhile. */
    boolean endRun(Checkpoint read);
}
