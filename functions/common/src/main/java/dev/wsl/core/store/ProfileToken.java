package dev.wsl.core.store;

import dev.wsl.core.domain.Overlap;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import dev.wsl.core.domain.UserProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The auth token's attributes on the user record: its hash, the sealed copy and a hint; during a rotation's
 * overlap also the old token's hash, hint and end (never a sealed copy of it: it is not shown again).
 */
final class ProfileToken {
    static final String SET_TOKEN =
            "tokenHash = :tokenHash, tokenSealed = :tokenSealed, tokenHint = :tokenHint, tokenIssuedAt = :tokenIssuedAt";
    static final String PREVIOUS_HASH = "previousTokenHash";
    static final String SET_PREVIOUS =
            "previousTokenHash = :previousHash, previousTokenHint = :previousHint, previousTokenUntil = :previousUntil";
    static final String REMOVE_PREVIOUS = "previousTokenHash, previousTokenHint, previousTokenUntil";
    /**
     * How long after its overlap an old lookup item may stay before TTL deletes it. Only {@code expiresAt}
     * decides; the margin keeps every item that a write may still name (an overlap not over by the wall clock)
     * from vanishing under it.
     */
    static final long TTL_MARGIN_SECONDS = 86_400;

    private ProfileToken() {}

    static Map<String, AttributeValue> values(PersonalToken token) {
        return Map.of(":tokenHash", Attrs.s(token.hash()), ":tokenSealed", Attrs.s(token.sealed()),
                ":tokenHint", Attrs.s(token.hint()), ":tokenIssuedAt", Attrs.time(token.issuedAt()));
    }

    static Map<String, AttributeValue> previousValues(Overlap previous) {
        return Map.of(":previousHash", Attrs.s(previous.hash()), ":previousHint", Attrs.s(previous.hint()),
                ":previousUntil", Attrs.time(previous.until()));
    }

    /** The old token the record names, ended or not; null when there is none. */
    static Overlap previous(Map<String, AttributeValue> profile) {
        String hash = Attrs.str(profile, PREVIOUS_HASH);
        Instant until = Attrs.instant(profile, "previousTokenUntil");
        return hash == null || until == null ? null : new Overlap(hash, Attrs.str(profile, "previousTokenHint"), until);
    }

    /**
     * The tokens that writes of the index must keep in step: the current one, and the old one while its overlap
     * lasts by the wall clock (TTL's clock: an item past its overlap is refused whatever its index says, and may
     * be deleted a day later).
     */
    static TokenHashes hashes(Map<String, AttributeValue> profile) {
        Overlap previous = previous(profile);
        return new TokenHashes(Attrs.str(profile, "tokenHash"),
                previous != null && previous.lastsAt(Instant.now()) ? previous.hash() : null);
    }

    /** The TTL of an old lookup item whose overlap ends at {@code until}. */
    static AttributeValue ttl(Instant until) {
        return Attrs.n(until.getEpochSecond() + TTL_MARGIN_SECONDS);
    }

    /**
     * Creates or refreshes the user record. With a new token, only if the record has none yet (two
     * first sign-ins racing issue one token); otherwise only if the token read is still current, so
     * that an index update in the same transaction goes to the right token.
     */
    static void upsert(Transaction tx, UserProfile profile, Instant now, PersonalToken newToken, TokenHashes current,
                       String preferIfUnset) {
        String currentHash = current == null ? null : current.current();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":email", Attrs.s(profile.email().value()),
                ":username", Attrs.s(profile.username()), ":uid", Attrs.s(profile.userId()), ":now", Attrs.time(now)));
        StringBuilder update = new StringBuilder(
                "SET email = :email, username = :username, userId = :uid, createdAt = if_not_exists(createdAt, :now)");
        String condition = null;
        if (newToken != null) {
            update.append(", ").append(ProfileToken.SET_TOKEN);
            values.putAll(ProfileToken.values(newToken));
            condition = "attribute_not_exists(tokenHash)";
        } else if (currentHash != null) {
            values.put(":current", Attrs.s(currentHash));
            condition = "tokenHash = :current";
        }
        Map<String, String> names = new HashMap<>();
        if (preferIfUnset != null && (newToken != null || currentHash != null)) {
            // Equal to the token's lookup item, which the same transaction gives the same value.
            update.append(", #pref = if_not_exists(#pref, :pref)");
            names.put("#pref", TokenIndex.ACTIVATES_IN);
            values.put(":pref", Attrs.s(preferIfUnset));
        }
        tx.update(Keys.user(profile.userId()), update.toString(), new Condition(condition, names, values),
                TokenIndex::rotatedMeanwhile);
    }
}
