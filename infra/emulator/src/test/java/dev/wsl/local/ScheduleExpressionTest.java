package dev.wsl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {

    private static Instant next(String expression, String after) {
        return ScheduleExpression.parse(expression).next(Instant.parse(after)).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            cron(0 6 * * ? *)          | 2026-11-30T05:59:59Z | 2026-11-30T06:00:00Z
            cron(0 6 * * ? *)          | 2026-11-30T06:00:00Z | 2026-12-01T06:00:00Z
            cron(0 6 * * ? *)          | 2026-12-31T07:00:00Z | 2027-01-01T06:00:00Z
            cron(*/15 * * * ? *)       | 2026-11-30T10:07:00Z | 2026-11-30T10:15:00Z
            cron(5,35 14 * * ? *)      | 2026-11-30T14:05:00Z | 2026-11-30T14:35:00Z
            cron(0 12 ? * MON-FRI *)   | 2026-11-28T13:00:00Z | 2026-11-30T12:00:00Z
            cron(0 9 ? * 1 *)          | 2026-11-30T09:00:00Z | 2026-12-06T09:00:00Z
            cron(0 0 1 * ? *)          | 2026-11-30T00:00:00Z | 2026-12-01T00:00:00Z
            cron(30 23 29 FEB ? *)     | 2026-01-01T00:00:00Z | 2028-02-29T23:30:00Z
            cron(0 8 15 6 ? 2027)      | 2026-11-30T00:00:00Z | 2027-06-15T08:00:00Z
            at(2027-01-02T03:04:05)    | 2026-11-30T00:00:00Z | 2027-01-02T03:04:05Z
            """)
    void cronAndAt_shouldFireAtTheTimesTheyName_inUtc(String expression, String after, String expected) {
        assertThat(next(expression, after)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void aRate_shouldCountFromItsStart() {
        ScheduleExpression.Rate rate = ((ScheduleExpression.Rate) ScheduleExpression.parse("rate(5 minutes)"))
                .from(Instant.parse("2026-11-30T10:00:00Z"));

        assertThat(rate.next(Instant.parse("2026-11-30T10:00:00Z"))).contains(Instant.parse("2026-11-30T10:05:00Z"));
        assertThat(rate.next(Instant.parse("2026-11-30T10:07:00Z"))).contains(Instant.parse("2026-11-30T10:10:00Z"));
        assertThat(((ScheduleExpression.Rate) ScheduleExpression.parse("rate(1 day)")).period).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void whatNeverFiresAgain_shouldSaySo() {
        assertThat(ScheduleExpression.parse("at(2020-01-01T00:00:00)").next(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(ScheduleExpression.parse("cron(0 8 15 6 ? 2020)").next(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cron(0 6 L * ? *)", "cron(0 6 ? * 2#1 *)", "cron(0 6 15W * ? *)", "cron(0 6 * * *)",
            "cron(0 6 * * * *)", "cron(61 6 * * ? *)", "rate(0 minutes)", "every day", "cron(0 6 ? * FUNDAY *)"})
    void unsupportedOrInvalidExpressions_shouldBeRefused(String expression) {
        assertThatThrownBy(() -> ScheduleExpression.parse(expression)).isInstanceOf(IllegalArgumentException.class);
    }
}
