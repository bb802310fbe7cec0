package dev.wsl.core.domain;

import java.time.Instant;

/**
 * A pre-existing developer API key imported for migration. Only its SHA-256 and a masked
 * form are stored; no new keys are ever generated.
 *
 * @param assigneeMemberId the member holding the key, or null when it is assigned to nobody
 */
public record LegacyKey(String workspaceId, String keyId, String hash, String masked, String assigneeMemberId,
                        Instant importedAt, long version) {

    /** What an imported key may look like; a presented key of another shape is refused before any read. */
    public static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile("^[A-Za-z0-9_-]{8,64}$");

    public static boolean isWellFormed(String key) {
        return key != null && SHAPE.matcher(key).matches();
    }

    public boolean assigned() {
        return assigneeMemberId != null;
    }

    public LegacyKey assignedTo(String memberId) {
        return new LegacyKey(workspaceId, keyId, hash, masked, memberId, importedAt, version + 1);
    }

    /** The masked form stored with a new key: its last characters as {@link Masks} allows (2 of 8, 4 of 16 or more). */
    public static String mask(String key) {
        return Masks.mask(key);
    }

    /**
     * The mask as it may be shown (in answers, refusals, emails, audit details): {@link #masked()} is what the
     * table holds, which for keys imported before the present rule showed more ({@link Masks#legacyShown}).
     */
    public String shown() {
        return Masks.legacyShown(masked);
    }
}
