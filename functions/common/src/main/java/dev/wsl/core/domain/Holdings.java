package dev.wsl.core.domain;

/**
 * What a member holds of the workspace's license pool: a license, a legacy API key, both,
 * or nothing. A member holding anything occupies exactly one seat.
 *
 * @param legacyKeyId    the id of the legacy key assigned to the member, or null
 * @param subscriptionId the subscription the license is counted against (its license group in SCIM), or null
 *                       for no license, or for a license assigned before licenses named their subscription
 */
public record Holdings(boolean licensed, String legacyKeyId, String subscriptionId) {
    public static final Holdings NONE = new Holdings(false, null, null);

    public Holdings {
        if (!licensed) {
            subscriptionId = null;
        }
    }

    /** A license from no named subscription (or none), and perhaps a key. */
    public Holdings(boolean licensed, String legacyKeyId) {
        this(licensed, legacyKeyId, null);
    }

    public boolean holdsKey() {
        return legacyKeyId != null;
    }

    public boolean occupiesSeat() {
        return licensed || holdsKey();
    }

    /** Whether the license is counted against this subscription. */
    public boolean licensedFrom(String subscription) {
        return licensed && subscription != null && subscription.equals(subscriptionId);
    }

    public Holdings withLicense(boolean value) {
        return new Holdings(value, legacyKeyId, value ? subscriptionId : null);
    }

    /** A license counted against the given subscription. */
    public Holdings withLicenseFrom(String subscription) {
        return new Holdings(true, legacyKeyId, subscription);
    }

    public Holdings withKey(String keyId) {
        return new Holdings(licensed, keyId, subscriptionId);
    }
}
