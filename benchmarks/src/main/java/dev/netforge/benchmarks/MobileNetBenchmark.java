package dev.netforge.benchmarks;

import ai.onnxruntime.OrtException;
import dev.netforge.runtime.Kernels;
import dev.netforge.samples.MobileNetV2Forward;
import java.util.Locale;
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
 * {@link dev.netforge.samples.MobileNetV2} (the samples module's declaration) (Keras's MobileNetV2, alpha 1.0, 224x224x3, 1000 classes, 3,538,984
 * parameters), batch 1, one thread, with the seeded weights of {@link MobileNetModels}. Each state
 * checks, before any timing, that its output (the 1000 softmax probabilities) is within 1e-5 of the naive
 * reference's (BatchNormalization applied as written, sums in double), and prints the largest
 * difference, absolute and relative (with these weights the probabilities are of order 1e-3, at most
 * about 7e-3, so the relative one says more); the fork prints the {@link MachineBanner} (CPU model, vector width, the kernels in use,
 * the JVM), so the figures carry them.
 *
 * <p>Forks carry the JVM flags each row needs, so pass extra flags with {@code -jvmArgsPrepend}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class MobileNetBenchmark {

    /** The generated {@code MobileNetV2Forward} with the Vector API kernels. */
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

    /** ONNX Runtime Java on the same weights ({@link MobileNetModels#onnx}, BatchNormalization folded), NCHW input. */
    @Benchmark
    public float[] onnxRuntime(Onnx state) throws OrtException {
        state.runner.run(state.output);
        return state.output;
    }

    /**
     * Prints the largest difference between {@code actual} and the naive reference, then fails unless
     * every output is within {@link SyntheticModels#TOLERANCE} of it ({@link SyntheticModels#check}).
     */
    static void check(String implementation, float[] actual) {
        float[] reference = MobileNetModels.reference();
        float largest = 0;
        double largestRelative = 0;
        int argmax = 0;
        int referenceArgmax = 0;
        for (int i = 0; i < Math.min(actual.length, reference.length); i++) {
            largest = Math.max(largest, Math.abs(actual[i] - reference[i]));
            largestRelative = Math.max(largestRelative, Math.abs(actual[i] - reference[i]) / (double) reference[i]);
            argmax = actual[i] > actual[argmax] ? i : argmax;
            referenceArgmax = reference[i] > reference[referenceArgmax] ? i : referenceArgmax;
        }
        System.out.printf(Locale.ROOT, "# check: %s vs the naive reference: %d softmax outputs, largest difference"
                + " %.3g (tolerance %.0e), relative %.3g; top class %d (p = %.5f), reference's %d (p = %.5f)%n",
                implementation, actual.length, largest, SyntheticModels.TOLERANCE, largestRelative, argmax,
                actual[argmax], referenceArgmax, reference[referenceArgmax]);
        SyntheticModels.check(implementation, actual, reference);
    }

    /** The generated class on whichever {@link Kernels} the fork's flags select; refuses to time the wrong one. */
    public abstract static class OnKernels {
        MobileNetV2Forward net;
        final float[] input = MobileNetModels.input();
        final float[] output = new float[MobileNetV2Forward.OUTPUT_SIZE];

        abstract String expectedKernels();

        @Setup
        public void setUp() {
            net = new MobileNetV2Forward(MobileNetModels.parameters());
            KernelsInUse.require(expectedKernels());
            KernelsInUse.awaitWarm(() -> net.forward(input, output));
            net.forward(input, output);
            check(getClass().getSimpleName() + " on " + Kernels.get().name() + " kernels", output);
            MachineBanner.printOnce(true);
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
    public static class Generated extends OnKernels {
        @Override
        String expectedKernels() {
            return "scalar";
        }
    }

    @State(Scope.Thread)
    public static class Onnx {
        OnnxRuntimeRunner runner;
        final float[] output = new float[MobileNetV2Forward.OUTPUT_SIZE];

        @Setup
        public void setUp() throws OrtException {
            float[] nchwInput = SyntheticModels.nhwcToNchw(MobileNetModels.input(), MobileNetModels.SIZE,
                    MobileNetModels.SIZE, 3);
            runner = new OnnxRuntimeRunner(MobileNetModels.onnx(MobileNetModels.parameters()), nchwInput,
                    MobileNetModels.ONNX_INPUT_SHAPE, MobileNetModels.ONNX_OUTPUT_SHAPE);
            runner.run(output);
            check("ONNX Runtime", output);
            MachineBanner.printOnce(false);
        }

        @TearDown
        public void tearDown() throws OrtException {
            runner.close();
        }
    }
}
