package dev.wsl.core.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A workspace's SCIM bearer token (PRODUCT.md section 9): what its identity provider authenticates with.
 * One per workspace; the plaintext ({@code scim-} and 256 random bits, URL-safe) is shown once, when it is
 * created or regenerated, and only its SHA-256 is stored (the lookup key) with a hint.
 *
 * <p>The token carries its creator's authority (PRODUCT.md section 11): it stops working in the same
 * transaction that removes the admin who created it or takes ADMIN from them ({@link #stoppedBy}); a stopped
 * token stays readable for the console (why and when), and is replaced by creating a new one.
 *
 * @param createdBy      the creating admin's account ({@code sub})
 * @param lastUsedAt     the start of the hour of the last request made with it (recorded at most once an hour), or null
 * @param createdByEmail the creating admin's email, or null for a token created before it was recorded
 * @param stopped        why and when it stopped working, or null while it works
 */
public record ScimToken(String workspaceId, String hash, String hint, Instant createdAt, String createdBy,
                        Instant lastUsedAt, String createdByEmail, Stopped stopped) {
    public static final String PREFIX = "scim-";
    private static final Pattern SHAPE = Pattern.compile("^scim-[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a token stopped: its creator was removed, or is no longer an admin. */
    public enum Reason { CREATOR_REMOVED, CREATOR_NOT_ADMIN }

    /**
     * The end of a token with its creator's authority.
     *
     * @param creator who created the token (their email then), as the console says "stopped because … was removed"
     * @param by      who removed the creator or took ADMIN from them (a person, or {@link Actor#SCIM})
     */
    public record Stopped(Instant at, Reason reason, String creator, Actor by) {
        public Stopped {
            Objects.requireNonNull(at);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(creator);
            Objects.requireNonNull(by);
        }
    }

    public ScimToken {
        Objects.requireNonNull(workspaceId);
        Objects.requireNonNull(hash);
        Objects.requireNonNull(hint);
    }

    /** A token an admin creates now; it works until regenerated, revoked, or its creator loses ADMIN. */
    public static ScimToken created(String workspaceId, String hash, String hint, Instant at, Caller creator) {
        return new ScimToken(workspaceId, hash, hint, at, creator.userId(), null, creator.email().value(), null);
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether the text could be a SCIM token: anything else is refused without a read. */
    public static boolean isWellFormed(String token) {
        return token != null && SHAPE.matcher(token).matches();
    }

    public boolean works() {
        return stopped == null;
    }

    /**
     * Why a member change ends the authority of the tokens its member created: the member was an ACTIVE admin
     * before and is not after (removed, deactivated, deleted, or demoted, by anyone); empty otherwise.
     */
    public static Optional<Reason> authorityEndedBy(Member before, Member after) {
        if (!before.isActiveAdmin() || after.isActiveAdmin() || before.userId() == null) {
            return Optional.empty();
        }
        return Optional.of(after.status() == MemberStatus.REMOVED ? Reason.CREATOR_REMOVED : Reason.CREATOR_NOT_ADMIN);
    }

    /**
     * This token stopped by a change of its creator's membership ({@code before} → {@code after}), as the change's
     * own audit entry names its actor and time; empty when the change leaves the token working: it ends no
     * authority, the token is another admin's, or it stopped already.
     */
    public Optional<ScimToken> stoppedBy(Member before, Member after, AuditEntry cause) {
        if (!works() || !before.userId().equals(createdBy) || !before.workspaceId().equals(workspaceId)) {
            return Optional.empty();
        }
        return authorityEndedBy(before, after).map(reason -> new ScimToken(workspaceId, hash, hint, createdAt,
                createdBy, lastUsedAt, createdByEmail, new Stopped(cause.at(), reason, before.email().value(),
                        new Actor(cause.actorId(), cause.actorEmail()))));
    }

    /** The audit entry of a stop, by whoever made the change that stopped it, at that time. */
    public AuditEntry stopAudit() {
        Stopped s = Objects.requireNonNull(stopped, "not stopped");
        Map<String, String> details = new LinkedHashMap<>();
        details.put("hint", hint);
        details.put("reason", s.reason() == Reason.CREATOR_REMOVED ? "creator removed" : "creator no longer an admin");
        details.put("creator", s.creator());
        return s.by().audit(workspaceId, s.at(), "scim-token.stopped", "scim-token", details);
    }

    @Override
    public String toString() {
        return "ScimToken[workspaceId=" + workspaceId + ", hint=" + hint + (stopped == null ? "" : ", stopped") + "]";
    }
}
