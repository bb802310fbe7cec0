package dev.wsl.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a record of the table's stream means for the daily usage items, read with the items' layout (which only
 * the store package knows): a seat's usage record written ({@code USE#…}, by activation) or the license pool
 * changed ({@code LICENSES}). Images are given as attribute name → text of a string or number attribute.
 */
public final class UsageChanges {
    private UsageChanges() {}

    /** Something the daily usage items follow. */
    public sealed interface Change permits SeatUse, PoolChange {}

    /**
     * A seat's usage record as activation wrote it.
     *
     * @param credential how activation labels the credential ({@code auth-token}, {@code ci-key}, {@code legacy-key})
     * @param previousAt the last activation the record held before (null: a new record)
     */
    public record SeatUse(String workspaceId, String subjectId, String credential, Instant previousAt, Instant lastAt)
            implements Change {}

    /** The pool's seats in use and seats before and after a write of it (zero before its first write). */
    public record PoolChange(String workspaceId, long inUseBefore, long seatsBefore, long inUseAfter, long seatsAfter)
            implements Change {}

    /** The change a record's keys and images describe; empty for any other item, or an item deleted. */
    public static Optional<Change> of(String pk, String sk, Map<String, String> oldImage, Map<String, String> newImage) {
        if (pk == null || sk == null || !pk.startsWith(Keys.WORKSPACE_PREFIX) || newImage == null) {
            return Optional.empty();
        }
        String workspaceId = pk.substring(Keys.WORKSPACE_PREFIX.length());
        Map<String, String> old = oldImage == null ? Map.of() : oldImage;
        if (sk.startsWith(Keys.USAGE_PREFIX)) {
            return Optional.of(new SeatUse(workspaceId, sk.substring(Keys.USAGE_PREFIX.length()),
                    newImage.get("lastCredential"), instant(old.get("lastAt")), instant(newImage.get("lastAt"))));
        }
        if (sk.equals(Keys.licensePool(workspaceId).sk())) {
            return Optional.of(new PoolChange(workspaceId, number(old.get("inUse")), number(old.get("seats")),
                    number(newImage.get("inUse")), number(newImage.get("seats"))));
        }
        return Optional.empty();
    }

    private static Instant instant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }

    private static long number(String text) {
        return text == null ? 0 : Long.parseLong(text);
    }
}
