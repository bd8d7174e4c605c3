package dev.netforge.benchmarks;

import ai.onnxruntime.OrtException;
import dev.netforge.runtime.Kernels;
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
 * {@link SmallResNet} (32x32x3, a stem and three stages of two basic blocks, 16/32/64 filters, global
 * average pooling, Dense 10), batch 1, one thread, with the seeded weights of {@link ResNetModels}.
 * Each state checks, before any timing, that its output is within 1e-5 of the naive reference's
 * (BatchNormalization applied as written); the fork prints the {@link MachineBanner} (CPU model, vector
 * width, the kernels in use, the JVM), so the figures carry them.
 *
 * <p>The {@code Unfused} rows run {@link SmallResNetUnfused}, the same network and parameters with
 * each Add left a pass of its own (and its ReLU another): the code before the Add was fused into the
 * convolution, in the same JMH run.
 *
 * <p>Forks carry the JVM flags each row needs, so pass extra flags with {@code -jvmArgsPrepend}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class ResNetBenchmark {

    /** The generated {@code SmallResNetForward} with the Vector API kernels. */
    @Benchmark
    @Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
    public float[] netforgeGeneratedVector(GeneratedVector state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** The same class without the module: the plain-Java kernels. */
    @Benchmark
    public float[] netforgeGenerated(Generated state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** {@code SmallResNetUnfusedForward} (every Add and its ReLU a pass of their own), Vector API kernels. */
    @Benchmark
    @Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
    public float[] netforgeUnfusedVector(UnfusedVector state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** {@code SmallResNetUnfusedForward} on the plain-Java kernels. */
    @Benchmark
    public float[] netforgeUnfused(Unfused state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** ONNX Runtime Java on the same weights ({@link ResNetModels#onnx}, BatchNormalization folded), NCHW input. */
    @Benchmark
    public float[] onnxRuntime(Onnx state) throws OrtException {
        state.runner.run(state.output);
        return state.output;
    }

    /** A generated class on whichever {@link Kernels} the fork's flags select; refuses to time the wrong one. */
    public abstract static class OnKernels {
        Net net;
        final float[] input = ResNetModels.input();
        final float[] output = new float[SmallResNetForward.OUTPUT_SIZE];

        /** The two generated classes' {@code forward}. */
        interface Net {
            void forward(float[] input, float[] output);
        }

        abstract String expectedKernels();

        abstract Net create(float[] parameters);

        @Setup
        public void setUp() {
            net = create(ResNetModels.parameters());
            KernelsInUse.require(expectedKernels());
            KernelsInUse.awaitWarm(() -> net.forward(input, output));
            net.forward(input, output);
            SyntheticModels.check(getClass().getSimpleName() + " on " + Kernels.get().name() + " kernels", output,
                    ResNetModels.reference());
            MachineBanner.printOnce(true);
        }
    }

    @State(Scope.Thread)
    public static class GeneratedVector extends OnKernels {
        @Override
        String expectedKernels() {
            return "vector";
        }

        @Override
        Net create(float[] parameters) {
            return new SmallResNetForward(parameters)::forward;
        }
    }

    @State(Scope.Thread)
    public static class Generated extends OnKernels {
        @Override
        String expectedKernels() {
            return "scalar";
        }

        @Override
        Net create(float[] parameters) {
            return new SmallResNetForward(parameters)::forward;
        }
    }

    @State(Scope.Thread)
    public static class UnfusedVector extends OnKernels {
        @Override
        String expectedKernels() {
            return "vector";
        }

        @Override
        Net create(float[] parameters) {
            return new SmallResNetUnfusedForward(parameters)::forward;
        }
    }

    @State(Scope.Thread)
    public static class Unfused extends OnKernels {
        @Override
        String expectedKernels() {
            return "scalar";
        }

        @Override
        Net create(float[] parameters) {
            return new SmallResNetUnfusedForward(parameters)::forward;
        }
    }

    @State(Scope.Thread)
    public static class Onnx {
        OnnxRuntimeRunner runner;
        final float[] output = new float[SmallResNetForward.OUTPUT_SIZE];

        @Setup
        public void setUp() throws OrtException {
            float[] nchwInput = SyntheticModels.nhwcToNchw(ResNetModels.input(), 32, 32, 3);
            runner = new OnnxRuntimeRunner(ResNetModels.onnx(ResNetModels.parameters()), nchwInput,
                    ResNetModels.ONNX_INPUT_SHAPE, SyntheticModels.ONNX_OUTPUT_SHAPE);
            runner.run(output);
            SyntheticModels.check("ONNX Runtime", output, ResNetModels.reference());
            MachineBanner.printOnce(false);
        }

        @TearDown
        public void tearDown() throws OrtException {
            runner.close();
        }
    }
}
