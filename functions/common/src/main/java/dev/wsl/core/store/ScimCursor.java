package dev.wsl.core.store;

import dev.wsl.core.failure.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Where a page of a SCIM index set resumes: which of the set's key ranges, and the index key to start
 * after (null: the range's start). Encoded opaquely (base64url); accepted only for the workspace it was
 * issued for, so a cursor never reads another workspace's members. Immutable.
 */
record ScimCursor(int range, String indexSk, String sk) {
    private static final char SEPARATOR = '\n';

    /** The start of the set for a null cursor. @throws InvalidInput for one this set did not return */
    static ScimCursor decode(String cursor, String workspaceId, int ranges) {
        if (cursor == null) {
            return new ScimCursor(0, null, null);
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = raw.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != 4 || !parts[0].equals(workspaceId) || !parts[1].matches("\\d{1,2}")) {
            throw invalid();
        }
        int range = Integer.parseInt(parts[1]);
        if (range >= ranges || parts[2].isEmpty() != parts[3].isEmpty()
                || (!parts[3].isEmpty() && !parts[3].startsWith(Keys.MEMBER_PREFIX))) {
            throw invalid();
        }
        return new ScimCursor(range, parts[2].isEmpty() ? null : parts[2], parts[3].isEmpty() ? null : parts[3]);
    }

    String encode(String workspaceId) {
        String raw = workspaceId + SEPARATOR + range + SEPARATOR + (indexSk == null ? "" : indexSk) + SEPARATOR
                + (sk == null ? "" : sk);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The index's exclusive start key, or null at a range's start. */
    Map<String, AttributeValue> startKey(String workspaceId) {
        if (indexSk == null) {
            return null;
        }
        return Map.of(Keys.PK, Attrs.s(Keys.workspacePk(workspaceId)), Keys.SK, Attrs.s(sk),
                Keys.SCIM_INDEX_PK, Attrs.s(Keys.scimIndexPk(workspaceId)), Keys.SCIM_INDEX_SK, Attrs.s(indexSk));
    }

    /** Where to go on after this page of the current range: on in it, the next range, or nowhere (null). */
    ScimCursor next(QueryResponse page, int ranges) {
        if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
            Map<String, AttributeValue> last = page.lastEvaluatedKey();
            return new ScimCursor(range, last.get(Keys.SCIM_INDEX_SK).s(), last.get(Keys.SK).s());
        }
        return range + 1 < ranges ? new ScimCursor(range + 1, null, null) : null;
    }

    private static InvalidInput invalid() {
        return new InvalidInput("invalid-cursor", "cursor is not one this list returned.");
    }
}
