package dev.wsl.core.store;

import dev.wsl.core.domain.UsageDay;
import dev.wsl.core.failure.AlreadyExists;
import dev.wsl.core.port.UsageStore;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link UsageStore} in the single table. A day's item ({@code USAGEDAY#{day}}) holds numbers only, so 90 of
 * them (a few hundred bytes each) come back in one page of one Query; the markers that keep each count to once
 * ({@code USAGEMARK#…}) sort apart from the days and are never read, only conditioned on. Both expire by TTL
 * after the window. Thread-safe.
 */
public final class DynamoUsageStore extends TableStore implements UsageStore {
    /** Day items outlive the longest window a little; markers need only outlive the stream's retries of a day. */
    static final long DAY_TTL_DAYS = 100;
    static final long MARK_TTL_DAYS = 3;

    public DynamoUsageStore(DynamoDbClient dynamo, String table) {
        super(dynamo, table);
    }

    /** The seat's marker, the member's marker (if named) and the day's counters, in one transaction. */
    @Override
    public Count countSeat(SeatDay seat) {
        String day = seat.day().toString();
        // Told apart by identity: the transaction throws the failure of its first write whose condition failed.
        AlreadyExists seatCounted = new AlreadyExists("seat-counted", "The seat was counted that day already.");
        AlreadyExists memberCounted = new AlreadyExists("member-counted", "The member was counted that day already.");
        Transaction tx = new Transaction(table)
                .put(mark(seat.workspaceId(), day, "seat", seat.subjectId()), Condition.notExists(), () -> seatCounted);
        Map<String, String> names = new HashMap<>(dayNames());
        names.put("#counter", counter(seat.credential()));
        String add = "ADD #counter :one";
        if (seat.memberId() != null) {
            tx.put(mark(seat.workspaceId(), day, "member", seat.memberId()), Condition.notExists(), () -> memberCounted);
            names.put("#members", "members");
            add += ", #members :one";
        }
        tx.update(Keys.usageDay(seat.workspaceId(), day), dayFields() + " " + add,
                // Counters only grow; the markers above are what keep each count to once.
                new Condition(null, names, dayValues(seat.day(), Map.of(":one", Attrs.n(1)))), null);
        try {
            tx.execute(dynamo);
            return Count.COUNTED;
        } catch (AlreadyExists e) {
            if (e == seatCounted) {
                return Count.SEAT_COUNTED_BEFORE;
            }
            if (e == memberCounted) {
                return Count.MEMBER_COUNTED_BEFORE;
            }
            throw e;
        }
    }

    @Override
    public void recordPool(String workspaceId, LocalDate day, long inUseBefore, long seatsBefore, long inUseAfter,
                           long seatsAfter) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":inUseBefore", Attrs.n(inUseBefore),
                ":seatsBefore", Attrs.n(seatsBefore), ":inUse", Attrs.n(inUseAfter), ":seats", Attrs.n(seatsAfter)));
        // No condition: the last change of the day wins (the stream delivers one item's changes in order), and the
        // day's start is set by its first change only.
        Map<String, String> names = new HashMap<>(dayNames());
        names.putAll(Map.of("#inUse", "seatsInUse", "#seats", "seats", "#inUseStart", "seatsInUseAtStart",
                "#seatsStart", "seatsAtStart"));
        dynamo.updateItem(u -> u.tableName(table).key(Keys.usageDay(workspaceId, day.toString()).toMap())
                .updateExpression(dayFields() + ", #inUse = :inUse, #seats = :seats,"
                        + " #inUseStart = if_not_exists(#inUseStart, :inUseBefore),"
                        + " #seatsStart = if_not_exists(#seatsStart, :seatsBefore)")
                .expressionAttributeNames(names).expressionAttributeValues(dayValues(day, values)));
    }

    /** One strongly consistent Query of the window's day items (at most 90 small items: one page). */
    @Override
    public List<UsageDay> days(String workspaceId, LocalDate from, LocalDate to) {
        return dynamo.query(QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", Attrs.s(Keys.workspacePk(workspaceId)),
                                ":from", Attrs.s(Keys.usageDay(workspaceId, from.toString()).sk()),
                                ":to", Attrs.s(Keys.usageDay(workspaceId, to.toString()).sk())))
                        .build())
                .items().stream().map(DynamoUsageStore::day).toList();
    }

    private static String counter(Credential credential) {
        return switch (credential) {
            case AUTH_TOKEN -> "authTokens";
            case CI_KEY -> "ciKeys";
            case LEGACY_KEY -> "legacyKeys";
        };
    }

    private static String dayFields() {
        return "SET #type = :type, #day = :day, #ttl = if_not_exists(#ttl, :ttl)";
    }

    private static Map<String, String> dayNames() {
        return Map.of("#type", "type", "#day", "day", "#ttl", Keys.TTL);
    }

    private static Map<String, AttributeValue> dayValues(LocalDate day, Map<String, AttributeValue> more) {
        Map<String, AttributeValue> values = new HashMap<>(more);
        values.put(":type", Attrs.s("usage-day"));
        values.put(":day", Attrs.s(day.toString()));
        values.put(":ttl", Attrs.n(day.plusDays(DAY_TTL_DAYS).atStartOfDay(ZoneOffset.UTC).toEpochSecond()));
        return values;
    }

    private static Map<String, AttributeValue> mark(String workspaceId, String day, String what, String id) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(Keys.usageMark(workspaceId, day, what, id).toMap());
        item.put("type", Attrs.s("usage-mark"));
        item.put(Keys.TTL, Attrs.n(LocalDate.parse(day).plusDays(MARK_TTL_DAYS).atStartOfDay(ZoneOffset.UTC)
                .toEpochSecond()));
        return item;
    }

    private static UsageDay day(Map<String, AttributeValue> item) {
        return new UsageDay(LocalDate.parse(Attrs.str(item, "day")), Attrs.num(item, "members", 0),
                Attrs.num(item, "authTokens", 0), Attrs.num(item, "ciKeys", 0), Attrs.num(item, "legacyKeys", 0),
                optional(item, "seatsInUseAtStart"), optional(item, "seatsInUse"), optional(item, "seatsAtStart"),
                optional(item, "seats"));
    }

    private static Long optional(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }
}
