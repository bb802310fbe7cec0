package dev.wsl.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 4180 records whose fields a spreadsheet reads as text, never as a formula (OWASP, "CSV Injection"). */
class CsvTest {
    @Test
    void aRecord_shouldQuoteEveryField_doubleInnerQuotes_andEndWithCrlf() {
        assertThat(Csv.record(List.of("Jane", "a,b", "say \"hi\"", "two\r\nlines")))
                .isEqualTo("\"Jane\",\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n");
    }

    @Test
    void nullAndEmptyFields_shouldBeEmptyQuotedFields() {
        assertThat(Csv.record(Arrays.asList(null, "", "x"))).isEqualTo("\"\",\"\",\"x\"\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "\nLF",
            "\0NUL", "=cmd|' /C calc'!A0"})
    void aFieldThatCouldStartAFormula_shouldGetALeadingApostrophe_insideItsQuotes(String value) {
        String field = Csv.field(value);

        assertThat(field).startsWith("\"'").endsWith("\"");
        assertThat(field.substring(2, field.length() - 1).replace("\"\"", "\"")).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Jane Doe", "jane@example.com", "2026-01-01T00:00:00Z", "42", "…a2", " =not first", "'quoted"})
    void anOrdinaryField_shouldBeKeptAsItIs(String value) {
        assertThat(Csv.field(value)).isEqualTo("\"" + value + "\"");
    }

    @Test
    void csvIsWhatTheAcceptHeaderAsksFor() {
        assertThat(Csv.accepted(request("text/csv"))).isTrue();
        assertThat(Csv.accepted(request("text/csv, application/json;q=0.5"))).isTrue();
        assertThat(Csv.accepted(request("application/json"))).isFalse();
        assertThat(Csv.accepted(request("*/*"))).isFalse();
        assertThat(Csv.accepted(request(null))).isFalse();
    }

    private static ApiRequest request(String accept) {
        return new ApiRequest("r", null, Map.of(), Map.of(), accept == null ? Map.of() : Map.of("accept", accept), null);
    }
}
