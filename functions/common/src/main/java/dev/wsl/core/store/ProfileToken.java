package dev.wsl.core.store;

import dev.wsl.core.domain.PersonalToken;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The auth token's attributes on the user record: its hash, the sealed copy and a hint. */
final class ProfileToken {
    static final String SET_TOKEN =
            "tokenHash = :tokenHash, tokenSealed = :tokenSealed, tokenHint = :tokenHint, tokenIssuedAt = :tokenIssuedAt";

    private ProfileToken() {}

    static Map<String, AttributeValue> values(PersonalToken token) {
        return Map.of(":tokenHash", Attrs.s(token.hash()), ":tokenSealed", Attrs.s(token.sealed()),
                ":tokenHint", Attrs.s(token.hint()), ":tokenIssuedAt", Attrs.time(token.issuedAt()));
    }
}
