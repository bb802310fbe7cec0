package dev.wsl.licenses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wsl.core.json.Json;
import dev.wsl.core.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every view of the licenses API, written by the streaming writer, is byte for byte what the ObjectMapper wrote. */
class LicenseViewsJsonTest {
    private static final String AT = "2026-12-08T00:00:00Z";

    static Stream<Object> views() {
        var policy = new LicenseViews.PolicyView(30, true, 14, 7, AT, "admin@exämple.com");
        var plan = new LicenseViews.PlanView("sub_1", "Team", 10, AT, AT, "ACTIVE", "Team (sub_1) ✓", 4);
        Map<String, Long> perMonth = new LinkedHashMap<>();
        perMonth.put("2026-11", 12L);
        perMonth.put("2026-12", 0L);
        var usage = new LicenseViews.UsageView(AT, "ci-runner \"7\"\t", "linux", perMonth);
        var creator = new LicenseViews.CreatorView("u_1", "a@b.c", null, "NOT_ADMIN", true);
        var ciKey = new LicenseViews.CiKeyView("ck_1", "GitHub \u0000 Actions", "…x9", AT, "u_1", "ACTIVE", null, usage,
                creator, AT, new LicenseViews.OverlapView("…a1", AT));
        var key = new LicenseViews.KeyView("lk_1", "ls-****-1234", null, AT,
                new LicenseViews.UsageView(null, null, null, null));
        return Stream.of(
                new LicenseViews.SummaryView(List.of(plan), 10, 4, 6, 4, new LicenseViews.LegacyKeysView(1, 2,
                        List.of("ls-****-1", "ls-****-2")), 1, false, "No free seat \u2014 buy more.",
                        new LicenseViews.IdleView(30, 2L, AT), policy),
                new LicenseViews.SummaryView(List.of(), 0, 0, 0, 0, new LicenseViews.LegacyKeysView(0, 0, null), 0,
                        true, null, new LicenseViews.IdleView(30, null, null), null),
                policy, new LicenseViews.PolicyView(30, false, 14, 7, null, null),
                new LicenseViews.PreviewView(policy, AT, List.of(new LicenseViews.PreviewItemView("m_1", "Zoë",
                        "z@x.io", AT, 45L, null, "NOTICE", AT, null, "Idle for 45 days.")), "cursor/+="),
                new LicenseViews.HoldingView("m_1", "ACTIVE", true, null), key, ciKey,
                new LicenseViews.CiKeysView(List.of(ciKey, new LicenseViews.CiKeyView("ck_2", "n", "…", AT, "u", "REVOKED",
                        AT, null, null, null, null))),
                new LicenseViews.CreatedCiKeyView("ck_1", "n", "ls-secret", "…et", AT, null, null, "Shown once."),
                new LicenseViews.KeysView(List.of(key)),
                new LicenseViews.UsageOverTimeView("2026-12-01", "2026-12-08", List.of(new LicenseViews.UsageDayView(
                        "2026-12-01", 3, 10, 2, new LicenseViews.ActivationsView(2, 1, 0)))));
    }

    @ParameterizedTest
    @MethodSource("views")
    void everyView_shouldBeWrittenAsTheObjectMapperWroteIt(Object view) throws JsonProcessingException {
        assertThat(JsonWriter.write(view)).isEqualTo(Json.mapper().writeValueAsString(view));
    }
}
