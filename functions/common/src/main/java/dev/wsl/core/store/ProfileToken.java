package dev.wsl.core.store;

import dev.wsl.core.domain.Overlap;
import dev.wsl.core.domain.PersonalToken;
import dev.wsl.core.domain.TokenHashes;
import java.time.Instant;
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
}
