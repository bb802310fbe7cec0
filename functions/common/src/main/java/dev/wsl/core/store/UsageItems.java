package dev.wsl.core.store;

import dev.wsl.core.domain.Usage;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The usage item: last activation (time, machine, system, credential kind) and CI keys' monthly counts; for a
 * member holding a license also its seat ({@link SeatItems}).
 */
final class UsageItems {
    /** Monthly counters are top-level attributes {@code activations#yyyy-MM}, so ADD creates them as needed. */
    static final String MONTH_PREFIX = "activations#";

    private UsageItems() {}

    static Usage usage(Map<String, AttributeValue> item) {
        String sk = Attrs.str(item, Keys.SK);
        Map<String, Long> months = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(MONTH_PREFIX) && value.n() != null) {
                months.put(name.substring(MONTH_PREFIX.length()), Long.parseLong(value.n()));
            }
        });
        // While the member holds a license, the seat index's sort key is the seat's last activity (issue 21).
        String seatsPk = Attrs.str(item, Keys.GSI1PK);
        String activity = Attrs.str(item, Keys.GSI1SK);
        Instant idleSince = seatsPk != null && seatsPk.startsWith(Keys.SEATS_PREFIX) && activity != null
                ? Instant.parse(activity) : null;
        return new Usage(sk.substring(Keys.USAGE_PREFIX.length()), Attrs.instant(item, "lastAt"),
                Attrs.str(item, "lastMachineId"), Attrs.str(item, "lastSystem"), Attrs.str(item, "lastCredential"),
                months, idleSince);
    }
}
