package dev.netforge.benchmarks;

import dev.netforge.samples.MnistNetForward;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inferences per millisecond of the generated {@code MnistNetForward} (trained Fashion-MNIST weights,
 * Vector API kernels) on one and on two threads. The threads share one {@link MnistNetForward.Weights}
 * and each owns an instance built over it (only its scratch arrays are its own), as a server would
 * run it. JMH reports the sum over the threads, so perfect scaling doubles {@code oneThread}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Longer warm-up than the latency benchmarks: two threads running interpreted vector code reach C2 later.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ThroughputBenchmark {

    @Benchmark
    @Threads(1)
    public float[] oneThread(PerThread state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    @Benchmark
    @Threads(2)
    public float[] twoThreads(PerThread state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** The weights, built once per run and shared by every thread's instance. */
    @State(Scope.Benchmark)
    public static class SharedWeights {
        MnistNetForward.Weights weights;

        @Setup
        public void setUp() {
            weights = MnistNetForward.Weights.of(Fashion.parameters());
        }
    }

    /** One thread's instance over the shared weights, with its own input and output. */
    @State(Scope.Thread)
    public static class PerThread {
        MnistNetForward net;
        final float[] input = Fashion.goldenInput();
        final float[] output = new float[MnistNetForward.OUTPUT_SIZE];

        @Setup
        public void setUp(SharedWeights shared) {
            net = new MnistNetForward(shared.weights);
            if (net.weights() != shared.weights) {
                throw new IllegalStateException("the instance does not use the shared weights");
            }
            KernelsInUse.require("vector");
            KernelsInUse.awaitWarm(() -> net.forward(input, output));
            net.forward(input, output);
            Fashion.check("generated MnistNetForward over shared weights", output);
            MachineBanner.printOnce(true);
        }
    }
}
