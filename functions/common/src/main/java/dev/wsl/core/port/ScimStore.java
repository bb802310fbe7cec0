package dev.wsl.core.port;

import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.PendingChange;
import dev.wsl.core.domain.Page;
import dev.wsl.core.domain.ScimGroup;
import dev.wsl.core.domain.ScimToken;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A workspace's SCIM token, the changes its identity provider sent that wait for an admin, the groups the
 * identity provider created with their members, and the bookmarks of SCIM list walks.
 */
public interface ScimStore {

    /** What a token's hash leads to: its workspace and the hour of its last recorded use. */
    record TokenRef(String workspaceId, String hash, Instant lastUseHour) {
        @Override
        public String toString() {
            return "TokenRef[workspaceId=" + workspaceId + "]";
        }
    }

    /** One consistent read of the token's lookup item: how every SCIM request is authenticated. */
    Optional<TokenRef> findToken(String tokenHash);

    Optional<ScimToken> token(String workspaceId);

    /**
     * Creates the workspace's token, or replaces {@code before}: the old token's lookup item is deleted in
     * the same step, so it stops working at once.
     *
     * @throws ChangedMeanwhile when the workspace's token is no longer {@code before}
     * @throws NotFound when the workspace does not exist
     */
    void saveToken(ScimToken before, ScimToken after, AuditEntry audit);

    /** @throws ChangedMeanwhile when the token was regenerated or revoked meanwhile */
    void revokeToken(ScimToken before, AuditEntry audit);

    /**
     * Records a use of the token, at most once per hour: nothing is written when {@code ref} already names
     * this hour (so a busy identity provider costs one write an hour), and a token revoked meanwhile is left alone.
     */
    void recordUse(TokenRef ref, Instant at);

    /** @throws ChangedMeanwhile when a change with this id exists (a collision) */
    void recordPending(PendingChange change, AuditEntry audit);

    /** The workspace's pending changes, oldest first (closed ones are not listed). */
    List<PendingChange> pendingChanges(String workspaceId);

    Optional<PendingChange> findChange(String workspaceId, String changeId);

    /**
     * Marks a pending change confirmed or discarded.
     *
     * @throws Conflict {@code change-closed} when someone confirmed or discarded it meanwhile
     */
    void closeChange(PendingChange before, PendingChange after, AuditEntry audit);

    // ------------------------------------------------------------------ IdP groups (issue 18)

    Optional<ScimGroup> group(String workspaceId, String groupId);

    /** The group with this name (compared without case: {@link ScimGroup#nameKey}), by its lock item. */
    Optional<String> groupIdByName(String workspaceId, String nameKey);

    /** The group with this externalId (compared exactly), by its lock item. */
    Optional<String> groupIdByExternalId(String workspaceId, String externalId);

    /** A page of the workspace's IdP groups in id (creation) order. @throws InvalidInput for a foreign cursor */
    Page<ScimGroup> groupPage(String workspaceId, int limit, String cursor);

    /** The cursor {@code count} groups further than {@code cursor}, or null past the end; reads keys only. */
    String skipGroups(String workspaceId, long count, String cursor);

    /** How many IdP groups the workspace has (a counter kept in the transactions that create and delete them). */
    long groupCount(String workspaceId);

    /**
     * Creates a group (without members) with the locks of its name and externalId.
     *
     * @throws AlreadyExists {@code group-exists} or {@code external-id-exists} when another group holds one
     */
    void createGroup(ScimGroup group, AuditEntry audit);

    /**
     * Renames a group or changes its externalId or mapping, moving the locks of what changed (and the
     * workspace's list of mapped groups) in the same step.
     *
     * @throws ChangedMeanwhile when the group changed since read
     * @throws AlreadyExists when another group holds the new name or externalId
     */
    void updateGroup(ScimGroup before, ScimGroup after, AuditEntry audit);

    /**
     * Puts members into a group and takes others out, with the group's new count, in one step: at most
     * {@link #MAX_MEMBERS_PER_CHANGE} members in all.
     *
     * @throws ChangedMeanwhile when the group, or one of these memberships, changed since read
     */
    void changeMembers(ScimGroup before, ScimGroup after, List<String> add, List<String> remove, AuditEntry audit);

    int MAX_MEMBERS_PER_CHANGE = 45;

    /** Deletes a group that has no members left, and its locks. @throws ChangedMeanwhile when it changed */
    void deleteGroup(ScimGroup before, AuditEntry audit);

    /** A page of a group's member ids, in id order: one keyed Query of the group's own items. */
    Page<String> groupMembers(String workspaceId, String groupId, int limit, String cursor);

    /** The cursor {@code count} members further into the group than {@code cursor}, or null past its end. */
    String skipGroupMembers(String workspaceId, String groupId, long count, String cursor);

    /** Which of these members are in the group (one batch read of their membership items). */
    Set<String> membersIn(String workspaceId, String groupId, Collection<String> memberIds);

    /** The IdP groups the member is in (a keyed Query of the member's side of the memberships). */
    List<String> groupsOf(String workspaceId, String memberId);

    /** The groups an admin mapped, by id, with their targets (one read). */
    Map<String, String> mappedGroups(String workspaceId);

    /** Where a page of a SCIM list starts: its startIndex and the store cursor there. */
    record Bookmark(long startIndex, String cursor) {}

    /** The bookmark of the list at the greatest startIndex not above this one, if a walk left one (they expire). */
    Optional<Bookmark> bookmark(String workspaceId, String list, long startIndex);

    /** Leaves a bookmark for the page at this startIndex (kept an hour). */
    void saveBookmark(String workspaceId, String list, Bookmark bookmark, Instant now);

    /** The typed failures of the IdP group writes, in one wording whichever store answers. */
    final class GroupFailures {
        private GroupFailures() {}

        public static AlreadyExists nameTaken() {
            return new AlreadyExists("group-exists", "Another group of the workspace has this displayName.");
        }

        public static AlreadyExists externalIdTaken() {
            return new AlreadyExists("external-id-exists", "Another group of the workspace has this externalId.");
        }

        public static ChangedMeanwhile groupChanged() {
            return new ChangedMeanwhile("The group was changed by another request meanwhile; retry.");
        }

        public static ChangedMeanwhile membershipChanged() {
            return new ChangedMeanwhile("The group's members were changed by another request meanwhile; retry.");
        }
    }
}
