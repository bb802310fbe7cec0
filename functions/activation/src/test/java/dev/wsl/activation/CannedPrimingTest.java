package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.telemetry.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CannedPrimingTest {

    @Test
    void primingActivations_runTheRealHandler_grantEachOne_andCountThemInTheirLines() {
        String printed = printedDuring(() -> CannedPriming.activations(25));

        assertThat(printed.lines()).hasSize(25).allSatisfy(line -> assertThat(line)
                .contains("\"function\":\"unknown\"", "\"outcome\":\"granted\"", "\"Activations\":1"));
    }

    @Test
    void primingAuthorizations_grantEachOne() {
        String printed = printedDuring(() -> CannedPriming.authorizations(10));

        assertThat(printed.lines()).hasSize(10).allSatisfy(line -> assertThat(line)
                .contains("\"outcome\":\"allowed\"", "\"Authorizations\":1"));
    }

    @Test
    void asSnapStartRunsIt_primingWritesNoLine_andCountsNothing() {
        String printed = printedDuring(() -> Invocation.priming(() -> {
            CannedPriming.activations(25);
            CannedPriming.authorizations(10);
        }));

        assertThat(printed).isEmpty();
    }

    @Test
    void priming_stopsAtItsTimeBudget_afterWholeBatches() {
        String printed = printedDuring(() -> {
            assertThat(CannedPriming.activations(1_000_000, Duration.ZERO)).isEqualTo(CannedPriming.BATCH);
            assertThat(CannedPriming.authorizations(1_000_000, Duration.ZERO)).isEqualTo(CannedPriming.BATCH);
            assertThat(CannedPriming.activations(7, Duration.ZERO)).isEqualTo(7);
        });

        assertThat(printed.lines()).hasSize(2 * CannedPriming.BATCH + 7);
    }

    @Test
    void noPrimingInvocations_byDefault() {
        assertThat(CannedPriming.fromEnvironment()).isZero();
        assertThat(printedDuring(() -> CannedPriming.activations(CannedPriming.fromEnvironment()))).isEmpty();
    }

    private static String printedDuring(Runnable action) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
