package dev.wsl.core.store;

import dev.wsl.core.failure.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque pagination cursors: the primary key to resume after, base64url encoded.
 * A cursor is accepted only for the partition and item kind it was issued for, so a
 * cursor can never read across workspaces.
 */
final class Cursors {
    private static final char SEPARATOR = '\n';

    private Cursors() {}

    static String encode(Map<String, AttributeValue> key) {
        if (key == null) {
            return null;
        }
        String raw = key.get(Keys.PK).s() + SEPARATOR + key.get(Keys.SK).s();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidInput when the cursor is malformed or belongs elsewhere */
    static Map<String, AttributeValue> decode(String cursor, String expectedPk, String skPrefix) {
        if (cursor == null) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int split = raw.indexOf(SEPARATOR);
        if (split < 0 || !raw.substring(0, split).equals(expectedPk) || !raw.substring(split + 1).startsWith(skPrefix)) {
            throw invalid();
        }
        return new Keys.Key(expectedPk, raw.substring(split + 1)).toMap();
    }

    private static InvalidInput invalid() {
        return new InvalidInput("invalid-cursor", "cursor is not one this list returned.");
    }
}
