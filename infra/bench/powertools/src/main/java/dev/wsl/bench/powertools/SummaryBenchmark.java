package dev.wsl.bench.powertools;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-invocation cost of the activation's summary line and metric: telemetry against Powertools.
 * Both write to a standard output that discards the bytes (set before log4j starts, so its console
 * appender holds the same stream), with the activation function's flags (the default tiered JIT).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-XX:+TieredCompilation"})
public class SummaryBenchmark {
    private APIGatewayV2HTTPEvent event;
    private ProbeContext context;

    @Setup(Level.Trial)
    public void setUp() {
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false));
        event = Summary.event();
        context = new ProbeContext("8f7e6d5c-0000-4000-8000-000000000001");
    }

    @Benchmark
    public APIGatewayV2HTTPResponse telemetry() {
        return Summary.telemetry(event, context);
    }

    @Benchmark
    public APIGatewayV2HTTPResponse powertools() {
        return Summary.powertools(event, context);
    }
}
