package dev.wsl.core.domain;

/**
 * What a member holds of the workspace's license pool: a license, a legacy API key, both,
 * or nothing. A member holding anything occupies exactly one seat.
 *
 * @param legacyKeyId the id of the legacy key assigned to the member, or null
 */
public record Holdings(boolean licensed, String legacyKeyId) {
    public static final Holdings NONE = new Holdings(false, null);

    public boolean holdsKey() {
        return legacyKeyId != null;
    }

    public boolean occupiesSeat() {
        return licensed || holdsKey();
    }

    public Holdings withLicense(boolean value) {
        return new Holdings(value, legacyKeyId);
    }

    public Holdings withKey(String keyId) {
        return new Holdings(licensed, keyId);
    }
}
