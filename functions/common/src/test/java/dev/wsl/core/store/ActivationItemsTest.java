package dev.wsl.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.core.domain.LicensePool;
import dev.wsl.core.domain.SeatTally;
import dev.wsl.core.domain.Subscription;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The whole items that canned reads answer with read back as what they were built from. */
class ActivationItemsTest {
    private static final Instant AT = Instant.parse("2026-01-05T09:30:12Z");

    @Test
    void aPoolItem_readsBackAsThePool() {
        Subscription team = new Subscription("sub_1", "Team", 5, AT, AT.plusSeconds(86_400), Subscription.Status.ACTIVE, 2);
        LicensePool pool = new LicensePool("ws_1", Map.of("sub_1", team), 5, new SeatTally(3, 2, 1, 1, 0),
                new TreeSet<>(java.util.List.of("abc…xyz")), 4, Map.of("sub_1", 2L));

        assertThat(LicenseItems.pool("ws_1", ActivationItems.pool(pool))).isEqualTo(pool);
    }

    @Test
    void aTokensLookupItem_hasItsKeyTheIndexAndTheHour() {
        var item = ActivationItems.authToken("u1", "h4sh", AT, Map.of("ws_1", "m_1"), "2026-01-05T09");

        assertThat(item.get(Keys.PK).s()).isEqualTo(Keys.credential("h4sh").pk());
        assertThat(item.get("licensedIn").m().get("ws_1").s()).isEqualTo("m_1");
        assertThat(item.get(TokenIndex.LAST_USE_HOUR).s()).isEqualTo("2026-01-05T09");
    }
}
