package dev.wsl.licenses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wsl.core.failure.InvalidInput;
import java.util.Iterator;

/** Parses one entry of an import: {@code {"key": "...", "memberId": "m_..." (optional)}}. */
final class KeyImports {
    private KeyImports() {}

    static LegacyKeyService.KeyImport parse(JsonNode entry) {
        if (!entry.isObject()) {
            throw invalid();
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("key") && !name.equals("memberId")) {
                throw new InvalidInput("unknown-field", "Each key entry allows only 'key' and 'memberId'.");
            }
        }
        JsonNode key = entry.get("key");
        JsonNode member = entry.get("memberId");
        if (key == null || !key.isTextual() || (member != null && !member.isNull() && !member.isTextual())) {
            throw invalid();
        }
        return new LegacyKeyService.KeyImport(key.textValue(), member == null || member.isNull() ? null : member.textValue());
    }

    private static InvalidInput invalid() {
        return new InvalidInput("invalid-field", "Each entry of 'keys' must be {\"key\": string, \"memberId\": string?}.");
    }
}
