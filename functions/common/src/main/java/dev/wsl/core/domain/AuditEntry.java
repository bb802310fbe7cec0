package dev.wsl.core.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One change in a workspace: who did what to whom, and when. Written in the same
 * transaction as the change it records, so the trail has no gaps and no ghosts.
 *
 * @param actorId    the acting user's id ({@code sub})
 * @param actorEmail the acting user's verified email at the time
 * @param action     dotted verb, e.g. {@code member.invited}
 * @param target     the member id or other object changed
 * @param details    small string facts (no secrets)
 */
public record AuditEntry(String workspaceId, Instant at, String actorId, String actorEmail, String action,
                         String target, Map<String, String> details) {
    public AuditEntry {
        details = Map.copyOf(details);
    }

    /** The detail that holds a legacy key's mask (legacy-key entries, a removal that deleted the member's key). */
    public static final String KEY_MASK_DETAIL = "masked";

    /**
     * The entry as a reader with this access may see it: a legacy key's mask only for one who manages legacy
     * keys (everyone else sees the entry and the key's id, not its mask), and in its present form
     * ({@link Masks#legacyShown}: entries written before the present rule held a longer one).
     */
    public AuditEntry shownTo(Access reader) {
        String mask = details.get(KEY_MASK_DETAIL);
        if (mask == null) {
            return this;
        }
        Map<String, String> shown = new java.util.HashMap<>(details);
        if (reader.allows(Permission.LEGACY_KEYS_MANAGE)) {
            shown.put(KEY_MASK_DETAIL, Masks.legacyShown(mask));
        } else {
            shown.remove(KEY_MASK_DETAIL);
        }
        return new AuditEntry(workspaceId, at, actorId, actorEmail, action, target, shown);
    }
}
