package dev.wsl.core.port;

import dev.wsl.core.domain.Access;
import dev.wsl.core.domain.AuditEntry;
import dev.wsl.core.domain.CiKey;
import dev.wsl.core.domain.Overlap;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.Usage;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.Conflict;
import dev.wsl.core.failure.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials as their owners and admins manage them: the personal auth token on the user record
 * (view, rotate, end a rotation's overlap), CI keys (create, list, rotate, end an overlap, revoke) and the
 * recorded usage of credentials.
 */
public interface CredentialStore {

    /**
     * What the user record holds of the user's token.
     *
     * @param previous the token a rotation replaced and kept valid, or null (it may have ended already:
     *                 {@link Overlap#lastsAt})
     */
    record StoredToken(String userId, String hash, String sealed, String hint, Instant issuedAt, Overlap previous) {
        public StoredToken(String userId, String hash, String sealed, String hint, Instant issuedAt) {
            this(userId, hash, sealed, hint, issuedAt, null);
        }

        @Override
        public String toString() {
            return "StoredToken[userId=" + userId + ", hint=" + hint + ", previous=" + previous + "]";
        }
    }

    /** Empty when there is no user record or no token. */
    Optional<StoredToken> personalToken(String userId);

    /**
     * Replaces the user's token: the old one stops activating at once and the new one activates exactly
     * the licenses the old one did.
     *
     * @throws ChangedMeanwhile when a license change or another rotation changed the token meanwhile
     */
    default void rotate(StoredToken current, PersonalToken next) {
        rotate(current, next, null);
    }

    /**
     * Replaces the user's token; the new one activates exactly the licenses the old one did. The old one stops
     * at once, or, with {@code keepOldUntil}, activates the same as the new one until then (its lookup item says
     * until when; the index and the user's choice are kept on both meanwhile). An earlier overlap that still
     * lasts ends now: a user has at most two valid tokens, and two only during an overlap they chose.
     *
     * @param keepOldUntil null: no overlap
     * @throws ChangedMeanwhile when a license change or another rotation changed the token meanwhile
     */
    void rotate(StoredToken current, PersonalToken next, Instant keepOldUntil);

    /**
     * Ends the overlap of {@code current.previous()} now: the old token stops activating at once.
     *
     * @throws ChangedMeanwhile when a rotation or another end changed the token meanwhile
     */
    void endOverlap(StoredToken current);

    /** @throws NotFound when the workspace does not exist */
    void createCiKey(CiKey key, AuditEntry audit);

    Optional<CiKey> findCiKey(String workspaceId, String keyId);

    List<CiKey> listCiKeys(String workspaceId);

    /**
     * Marks the key revoked; the next activation with it fails, with an old secret that an overlap kept too.
     *
     * @throws Conflict {@code already-revoked} when it was revoked meanwhile
     */
    void revokeCiKey(CiKey before, Instant at, AuditEntry audit);

    /**
     * Gives the key the secret of {@code after} ({@link CiKey#rotated}): the old secret's lookup item is deleted,
     * or, when {@code after.previous()} keeps it, marked to expire then; an old secret of an earlier overlap
     * stops now.
     *
     * @throws ChangedMeanwhile when the key was rotated, revoked or its overlap ended meanwhile
     */
    void rotateCiKey(CiKey before, CiKey after, AuditEntry audit);

    /**
     * Ends the overlap of {@code before.previous()} now: the old secret stops activating at once.
     *
     * @throws ChangedMeanwhile when the key was rotated, revoked or its overlap ended meanwhile
     */
    void endCiKeyOverlap(CiKey before, AuditEntry audit);

    /** The recorded usage of members' licenses, CI keys or legacy keys of a workspace, by subject id. */
    Map<String, Usage> usage(String workspaceId, List<String> subjectIds);

    /**
     * Who created a credential, as they stand in the workspace now: their account's email and name (from their
     * user record; null when there is none) and their access there (null unless they are an ACTIVE member).
     */
    record Creator(String userId, String email, String name, Access access) {
        public boolean isAdmin() {
            return access != null && access.isAdmin();
        }

        public boolean isMember() {
            return access != null;
        }
    }

    /**
     * The creators of a page of credentials, by account: one batch read of their grants in the workspace and their
     * user records, however many credentials they created (every account asked for is in the answer).
     */
    Map<String, Creator> creators(String workspaceId, java.util.Collection<String> userIds);

    // ------------------------------------------------------------------ where the auth token activates (issue 17, part B)

    /**
     * Where the user's auth token activates: the workspace they chose (or the default, the first they joined
     * themselves; null when there is none yet) and the workspaces where it activates a license now
     * (workspace id → member id), as the token's lookup item holds them.
     */
    record TokenWorkspaces(String tokenHash, String chosen, Map<String, String> licensedIn, String previousHash) {
        public TokenWorkspaces {
            licensedIn = Map.copyOf(licensedIn);
        }

        public TokenWorkspaces(String tokenHash, String chosen, Map<String, String> licensedIn) {
            this(tokenHash, chosen, licensedIn, null);
        }

        /** The token and, during an overlap, the one it replaced: both follow the choice. */
        public TokenHashes hashes() {
            return new TokenHashes(tokenHash, previousHash);
        }

        @Override
        public String toString() {
            return "TokenWorkspaces[chosen=" + chosen + ", licensedIn=" + licensedIn.keySet() + "]";
        }
    }

    /** Empty when the user has no token. */
    Optional<TokenWorkspaces> tokenWorkspaces(String userId);

    /**
     * The user's choice of where their token activates, on the token's lookup item (both, during a rotation's
     * overlap) and the user record in one step; nothing else changes it.
     *
     * @throws ChangedMeanwhile when the token was rotated, or its overlap ended, meanwhile
     */
    void chooseWorkspace(String userId, TokenHashes tokens, String workspaceId);
}
