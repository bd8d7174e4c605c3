package dev.netforge.benchmarks;

import ai.onnxruntime.OrtException;
import dev.netforge.runtime.Kernels;
import dev.netforge.samples.CifarVgg;
import dev.netforge.samples.CifarVggForward;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link CifarVgg} (32x32x3, two blocks of two 'same' 3x3 convolutions of 16 filters and a max pool,
 * Dense 128, Dense 10; 4,113,664 multiply-adds), batch 1, one thread, with the seeded He-scaled
 * weights of {@link SyntheticModels}. Each state checks, before any timing, that its output on the
 * input is within 1e-5 of the naive Java reference's.
 *
 * <p>Forks carry the JVM flags each row needs, so pass extra flags with {@code -jvmArgsPrepend}:
 * {@code -jvmArgsAppend} on the command line would replace the annotations' own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class VggBenchmark {

    /** The generated {@code CifarVggForward} without the Vector API module: the plain-Java kernels. */
    @Benchmark
    public float[] netforgeGenerated(Generated state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** The same generated class with the module added: the Vector API kernels. */
    @Benchmark
    @Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
    public float[] netforgeGeneratedVector(GeneratedVector state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** ONNX Runtime Java on the same weights exported by {@link SyntheticModels#vggOnnx}, NCHW input. */
    @Benchmark
    public float[] onnxRuntime(Onnx state) throws OrtException {
        state.runner.run(state.output);
        return state.output;
    }

    /** The textbook loops of {@link NaiveVggNet}. */
    @Benchmark
    public float[] naiveJava(Naive state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** The generated class on whichever {@link Kernels} the fork's flags select; refuses to time the wrong one. */
    public abstract static class OnKernels {
        CifarVggForward net;
        final float[] input = SyntheticModels.vggInput();
        final float[] output = new float[CifarVggForward.OUTPUT_SIZE];

        abstract String expectedKernels();

        @Setup
        public void setUp() {
            net = new CifarVggForward(SyntheticModels.vggParameters());
            KernelsInUse.require(expectedKernels());
            KernelsInUse.awaitWarm(() -> net.forward(input, output));
            net.forward(input, output);
            SyntheticModels.check("CifarVggForward on " + Kernels.get().name() + " kernels", output,
                    SyntheticModels.vggReference());
            MachineBanner.printOnce(true);
        }
    }

    @State(Scope.Thread)
    public static class Generated extends OnKernels {
        @Override
        String expectedKernels() {
            return "scalar";
        }
    }

    @State(Scope.Thread)
    public static class GeneratedVector extends OnKernels {
        @Override
        String expectedKernels() {
            return "vector";
        }
    }

    @State(Scope.Thread)
    public static class Onnx {
        OnnxRuntimeRunner runner;
        final float[] output = new float[CifarVggForward.OUTPUT_SIZE];

        @Setup
        public void setUp() throws OrtException {
            float[] parameters = SyntheticModels.vggParameters();
            float[] nchwInput = SyntheticModels.nhwcToNchw(SyntheticModels.vggInput(), 32, 32, 3);
            runner = new OnnxRuntimeRunner(SyntheticModels.vggOnnx(parameters), nchwInput,
                    SyntheticModels.VGG_ONNX_INPUT_SHAPE, SyntheticModels.ONNX_OUTPUT_SHAPE);
            runner.run(output);
            SyntheticModels.check("ONNX Runtime", output, SyntheticModels.vggReference());
            MachineBanner.printOnce(false);
        }

        @TearDown
        public void tearDown() throws OrtException {
            runner.close();
        }
    }

    @State(Scope.Thread)
    public static class Naive {
        NaiveVggNet net;
        final float[] input = SyntheticModels.vggInput();
        final float[] output = new float[CifarVggForward.OUTPUT_SIZE];

        @Setup
        public void setUp() {
            net = new NaiveVggNet(SyntheticModels.vggParameters());
            net.forward(input, output);
            SyntheticModels.check("naive Java", output, SyntheticModels.vggReference());
            MachineBanner.printOnce(false);
        }
    }
}
