package dev.wsl.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsl.activation.priming.CannedPriming;
import dev.wsl.telemetry.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Priming through the handlers the functions are made of, as their composition roots hand them in. */
class CannedPrimingTest {
    private static final CannedPriming.ActivationHandlers ACTIVATIONS = ActivationServices.canned(ActivationHandler::new);
    private static final CannedPriming.AuthorizerHandlers AUTHORIZATIONS =
            AuthorizerServices.canned(TokenAuthorizerHandler::new);

    @Test
    void primingActivations_runTheRealHandler_grantEachOne_andCountThemInTheirLines() {
        String printed = printedDuring(() -> CannedPriming.activations(25, ACTIVATIONS));

        assertThat(printed.lines()).hasSize(25).allSatisfy(line -> assertThat(line)
                .contains("\"function_name\":\"unknown\"", "\"outcome\":\"granted\"", "\"Activations\":1"));
    }

    @Test
    void primingAuthorizations_grantEachOne() {
        String printed = printedDuring(() -> CannedPriming.authorizations(10, AUTHORIZATIONS));

        assertThat(printed.lines()).hasSize(10).allSatisfy(line -> assertThat(line)
                .contains("\"outcome\":\"allowed\"", "\"Authorizations\":1"));
    }

    @Test
    void asSnapStartRunsIt_primingWritesNoLine_andCountsNothing() {
        String printed = printedDuring(() -> Invocation.priming(() -> {
            CannedPriming.activations(25, ACTIVATIONS);
            CannedPriming.authorizations(10, AUTHORIZATIONS);
        }));

        assertThat(printed).isEmpty();
    }

    @Test
    void priming_stopsAtItsTimeBudget_afterWholeBatches() {
        String printed = printedDuring(() -> {
            assertThat(CannedPriming.activations(1_000_000, Duration.ZERO, ACTIVATIONS)).isEqualTo(CannedPriming.BATCH);
            assertThat(CannedPriming.authorizations(1_000_000, Duration.ZERO, AUTHORIZATIONS)).isEqualTo(CannedPriming.BATCH);
            assertThat(CannedPriming.activations(7, Duration.ZERO, ACTIVATIONS)).isEqualTo(7);
        });

        assertThat(printed.lines()).hasSize(2 * CannedPriming.BATCH + 7);
    }

    @Test
    void noPrimingInvocations_byDefault() {
        assertThat(CannedPriming.fromEnvironment()).isZero();
        assertThat(printedDuring(() -> CannedPriming.activations(CannedPriming.fromEnvironment(), ACTIVATIONS))).isEmpty();
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
