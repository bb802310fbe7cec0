package dev.wsl.core.port;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.EmailDomain;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A workspace's email domains (keyed items under the workspace, counted on the workspace), and what the
 * daily check needs: every domain of every workspace in pages of an index, and its checkpoint, so that a
 * run that stops continues where it stopped.
 */
public interface DomainStore {

    /** The workspace's domains, by name (one keyed query; at most {@link EmailDomain#MAX_PER_WORKSPACE}). */
    List<EmailDomain> list(String workspaceId);

    Optional<EmailDomain> find(String workspaceId, String name);

    /**
     * Adds a domain, counted on the workspace, with its audit entry.
     *
     * @throws AlreadyExists {@code domain-exists} when the workspace holds the domain already
     * @throws Conflict {@code domain-limit} when the workspace holds {@code limit} domains already
     * @throws NotFound when the workspace does not exist
     */
    void add(EmailDomain domain, int limit, AuditEntry audit);

    /**
     * Writes a check's outcome, conditioned on the version read, with an audit entry when one is given.
     *
     * @throws ChangedMeanwhile when the domain changed or was removed since read
     */
    void saveCheck(EmailDomain before, EmailDomain after, AuditEntry audit);

    /**
     * Removes the domain (and its count), conditioned on the version read.
     *
     * @throws ChangedMeanwhile when the domain changed or was removed since read
     */
    void remove(EmailDomain before, AuditEntry audit);

    /**
     * A page of every workspace's domains, in (workspace, name) order.
     *
     * @param last the position of the page's last domain (where the next page starts), or null when empty
     * @param more whether domains may follow
     */
    record Page(List<EmailDomain> domains, String last, boolean more) {}

    /** Domains after {@code after} (a position a page returned, or null for the start). */
    Page page(String after, int limit);

    /** The daily check's run in progress: its id and position (null before the first page). */
    record Run(String runId, String position) {}

    Optional<Run> currentRun();

    /** Starts a run; false when another invocation started one meanwhile. */
    boolean startRun(String runId, Instant at);

    /**
     * Moves the run past a page, conditioned on the position read; the last page ends the run.
     *
     * @return false when another invocation moved it meanwhile
     */
    boolean advance(Run read, String position, boolean finished);
}
