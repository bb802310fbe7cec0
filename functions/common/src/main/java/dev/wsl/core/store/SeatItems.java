package dev.wsl.core.store;

import dev.wsl.core.domain.Ids;
import dev.wsl.core.domain.Seat;
import dev.wsl.core.domain.SeatPolicy;
import dev.wsl.core.failure.ChangedMeanwhile;
import dev.wsl.core.failure.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Mapping of seats and seat policies (issue 21). A seat lives on its member's usage item ({@code USE#{memberId}}):
 * while the member holds a license the item is on the seat index (GSI1 {@code SEATS#{ws}}, sorted by the seat's
 * last activity, {@link Keys#seatActivity}), with when the license was given and the latest reclaim notice. The
 * activation's usage write sets the same sort key when it records an activation with the member's auth token.
 */
final class SeatItems {
    static final String LICENSED_AT = "licensedAt";
    static final String NOTICE = "reclaimNotice";

    private SeatItems() {}

    /**
     * The usage item of a license given now: on the index, idle since {@code at}, no activation yet. It replaces
     * whatever usage the member had: a new license starts without activations (the sunset job retires a legacy
     * key only once its holder activated with their auth token after getting it).
     */
    static Map<String, AttributeValue> newSeat(String workspaceId, String memberId, Instant at) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.usage(workspaceId, memberId).toMap());
        item.put("type", Attrs.s("usage"));
        item.put(LICENSED_AT, Attrs.time(at));
        item.putAll(onIndex(workspaceId, at));
        return item;
    }

    /** The attributes that put a usage item on the seat index, idle since {@code lastActivity}. */
    static Map<String, AttributeValue> onIndex(String workspaceId, Instant lastActivity) {
        return Map.of(Keys.GSI1PK, Attrs.s(Keys.seatsPk(workspaceId)),
                Keys.GSI1SK, Attrs.s(Keys.seatActivity(lastActivity)));
    }

    /**
     * The end of a license: the usage item leaves the index (the last activation stays, for the members list).
     * With {@code unusedSince}, only while the seat's last activity is still that one (nobody activated since).
     */
    static void release(Transaction tx, String workspaceId, String memberId, Instant unusedSince) {
        Condition condition = unusedSince == null ? new Condition(null, Map.of("#type", "type"),
                Map.of(":usage", Attrs.s("usage")))
                : new Condition("GSI1SK = :since", Map.of("#type", "type"),
                Map.of(":usage", Attrs.s("usage"), ":since", Attrs.s(Keys.seatActivity(unusedSince))));
        tx.update(Keys.usage(workspaceId, memberId), "SET #type = :usage REMOVE GSI1PK, GSI1SK, " + LICENSED_AT + ", "
                + NOTICE, condition, unusedSince == null ? null
                : () -> new ChangedMeanwhile("The license was used meanwhile; it is not reclaimed."));
    }

    /** A usage item on the seat index as a seat. */
    static Seat seat(String workspaceId, Map<String, AttributeValue> item) {
        String memberId = Attrs.str(item, Keys.SK).substring(Keys.USAGE_PREFIX.length());
        Seat.ReclaimNotice notice = null;
        AttributeValue n = item.get(NOTICE);
        if (n != null && n.hasM()) {
            notice = new Seat.ReclaimNotice(Attrs.instant(n.m(), "for"), Attrs.instant(n.m(), "at"),
                    Attrs.instant(n.m(), "deadline"));
        }
        var usage = UsageItems.usage(item);
        return new Seat(workspaceId, memberId, Instant.parse(Attrs.str(item, Keys.GSI1SK)),
                Attrs.instant(item, LICENSED_AT), usage.at() == null ? null : usage, notice);
    }

    static boolean isSeat(Map<String, AttributeValue> item) {
        String pk = Attrs.str(item, Keys.GSI1PK);
        return pk != null && pk.startsWith(Keys.SEATS_PREFIX) && Attrs.str(item, Keys.GSI1SK) != null;
    }

    static AttributeValue notice(Seat.ReclaimNotice notice) {
        return AttributeValue.fromM(Map.of("for", Attrs.s(Keys.seatActivity(notice.forActivity())),
                "at", Attrs.time(notice.noticedAt()), "deadline", Attrs.time(notice.deadline())));
    }

    // ------------------------------------------------------------------ positions in the seat index

    /** A page's position: the last seat's activity and member (the workspace is the caller's own). */
    static String position(Seat seat) {
        String raw = Keys.seatActivity(seat.lastActivity()) + "\n" + seat.memberId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The index key to resume after, in this workspace's partition only.
     *
     * @throws InvalidInput when the position is malformed
     */
    static Map<String, AttributeValue> startAfter(String workspaceId, String position) {
        if (position == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(position), StandardCharsets.UTF_8);
            int split = raw.indexOf('\n');
            String activity = raw.substring(0, Math.max(0, split));
            String memberId = raw.substring(split + 1);
            if (split <= 0 || !Ids.isWellFormed("m", memberId)
                    || !Keys.seatActivity(Instant.parse(activity)).equals(activity)) {
                throw invalidPosition();
            }
            Map<String, AttributeValue> key = new LinkedHashMap<>(Keys.usage(workspaceId, memberId).toMap());
            key.put(Keys.GSI1PK, Attrs.s(Keys.seatsPk(workspaceId)));
            key.put(Keys.GSI1SK, Attrs.s(activity));
            return key;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw invalidPosition();
        }
    }

    private static InvalidInput invalidPosition() {
        return new InvalidInput("invalid-cursor", "cursor is not one this list returned.");
    }

    // ------------------------------------------------------------------ seat policies

    /**
     * Puts the workspace on the reclaim job's work list ({@code SEATPOLICIES}): a missing policy item is created with
     * the defaults (reclaim off); an existing one keeps whatever an admin chose. Unconditioned: it is the same
     * whoever writes it first.
     */
    static Transaction joinWorkList(Transaction tx, String workspaceId) {
        return tx.update(Keys.seatPolicy(workspaceId), "SET #type = if_not_exists(#type, :policyType),"
                        + " GSI1PK = :policies, GSI1SK = if_not_exists(GSI1SK, :off)",
                new Condition(null, Map.of("#type", "type"), Map.of(":policyType", Attrs.s("seat-policy"),
                        ":policies", Attrs.s(Keys.ALL_SEAT_POLICIES),
                        ":off", Attrs.s(Keys.seatPolicyIndexSk(false, workspaceId)))), null);
    }

    static SeatPolicy policy(String workspaceId, Map<String, AttributeValue> item) {
        SeatPolicy defaults = SeatPolicy.defaults(workspaceId);
        if (item == null) {
            return defaults;
        }
        AttributeValue reclaim = item.get("reclaim");
        return new SeatPolicy(workspaceId, (int) Attrs.num(item, "idleDays", defaults.idleDays()),
                reclaim != null && Boolean.TRUE.equals(reclaim.bool()),
                (int) Attrs.num(item, "reclaimDays", defaults.reclaimDays()), Attrs.num(item, "version", 0),
                Attrs.instant(item, "changedAt"), Attrs.str(item, "changedBy"),
                new SeatPolicy.IdleCounts(Attrs.instant(item, "idleAsOf"), Attrs.num(item, "idle30", 0),
                        Attrs.num(item, "idle60", 0), Attrs.num(item, "idle90", 0)));
    }
}
