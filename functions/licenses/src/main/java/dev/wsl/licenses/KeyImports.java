package dev.wsl.licenses;

import dev.wsl.core.failure.InvalidInput;
import dev.wsl.core.json.JsonValue;

/** Parses one entry of an import: {@code {"key": "...", "memberId": "m_..." (optional)}}. */
final class KeyImports {
    private KeyImports() {}

    static LegacyKeyService.KeyImport parse(JsonValue value) {
        if (!(value instanceof JsonValue.Obj entry)) {
            throw invalid();
        }
        for (String name : entry.fields().keySet()) {
            if (!name.equals("key") && !name.equals("memberId")) {
                throw new InvalidInput("unknown-field", "Each key entry allows only 'key' and 'memberId'.");
            }
        }
        JsonValue member = entry.get("memberId");
        if (!(entry.get("key") instanceof JsonValue.Str key)
                || (member != null && member != JsonValue.Null.NULL && !(member instanceof JsonValue.Str))) {
            throw invalid();
        }
        return new LegacyKeyService.KeyImport(key.value(), member instanceof JsonValue.Str id ? id.value() : null);
    }

    private static InvalidInput invalid() {
        return new InvalidInput("invalid-field", "Each entry of 'keys' must be {\"key\": string, \"memberId\": string?}.");
    }
}
