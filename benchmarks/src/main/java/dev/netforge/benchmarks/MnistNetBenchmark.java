package dev.netforge.benchmarks;

import ai.onnxruntime.OrtException;
import dev.netforge.runtime.Kernels;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MnistNet (SEMANTICS.md; 2,631,040 multiply-adds), batch 1, one thread, trained Fashion-MNIST
 * weights, the same golden image every call. Each implementation's state checks, before any timing,
 * that its output on the golden input is within 1e-5 of the naive Java reference and of PyTorch's.
 *
 * <p>Forks carry the JVM flags each row needs (the Vector API module, the kernel choice), so pass
 * extra flags with {@code -jvmArgsPrepend}: {@code -jvmArgsAppend} on the command line would
 * replace the annotations' own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
public class MnistNetBenchmark {

    /**
     * The generated {@code MnistNetForward} of netforge-samples, without the Vector API module: its
     * own specialised scalar loops (what a user gets by default).
     */
    @Benchmark
    public float[] netforgeGenerated(Generated state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** The same generated class with the module added: it then calls the {@link Kernels} vector path. */
    @Benchmark
    @Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
    public float[] netforgeGeneratedVector(Generated state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** MnistNet on {@link Kernels}, the Vector API implementation. */
    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnetforge.kernels=vector"})
    public float[] kernelsVector(VectorKernels state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** MnistNet on {@link Kernels}, the plain-Java implementation (what users get without the module). */
    @Benchmark
    @Fork(jvmArgsAppend = "-Dnetforge.kernels=scalar")
    public float[] kernelsScalar(ScalarKernels state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    /** ONNX Runtime Java, same weights (fashion_mnist.onnx), one intra-op and one inter-op thread. */
    @Benchmark
    public float[] onnxRuntime(Onnx state) throws OrtException {
        state.runner.run(state.output);
        return state.output;
    }

    /** The textbook loops of {@link NaiveMnistNet}. */
    @Benchmark
    public float[] naiveJava(Naive state) {
        state.net.forward(state.input, state.output);
        return state.output;
    }

    @State(Scope.Thread)
    public static class Generated {
        MnistNetForward net;
        final float[] input = Fashion.goldenInput();
        final float[] output = new float[MnistNetForward.OUTPUT_SIZE];

        @Setup
        public void setUp() {
            net = new MnistNetForward(Fashion.parameters());
            KernelsInUse.awaitWarm(() -> net.forward(input, output));
            net.forward(input, output);
            Fashion.check("generated MnistNetForward", output);
            MachineBanner.printOnce(true);
        }
    }

    /** MnistNet on whichever {@link Kernels} the fork's flags select; refuses to time the wrong one. */
    public abstract static class OnKernels {
        KernelsMnistNet net;
        final float[] input = Fashion.goldenInput();
        final float[] output = new float[10];

        abstract String expected();

        @Setup
        public void setUp() {
            Kernels kernels = Kernels.get();
            if (!kernels.name().startsWith(expected())) {
                throw new IllegalStateException("expected the " + expected() + " kernels, the JVM chose "
                        + kernels.name() + ": run this benchmark with its @Fork flags");
            }
            net = new KernelsMnistNet(kernels, Fashion.parameters());
            net.forward(input, output);
            Fashion.check("MnistNet on " + kernels.name() + " kernels", output);
            MachineBanner.printOnce(true);
        }
    }

    @State(Scope.Thread)
    public static class VectorKernels extends OnKernels {
        @Override
        String expected() {
            return "vector";
        }
    }

    @State(Scope.Thread)
    public static class ScalarKernels extends OnKernels {
        @Override
        String expected() {
            return "scalar";
        }
    }

    @State(Scope.Thread)
    public static class Onnx {
        OnnxRuntimeRunner runner;
        final float[] output = new float[10];

        @Setup
        public void setUp() throws OrtException {
            runner = new OnnxRuntimeRunner(Fashion.onnxModel(), Fashion.goldenInput(), new long[] {1, 1, 28, 28},
                    new long[] {1, 10});
            runner.run(output);
            Fashion.check("ONNX Runtime", output);
            MachineBanner.printOnce(false);
        }

        @TearDown
        public void tearDown() throws OrtException {
            runner.close();
        }
    }

    @State(Scope.Thread)
    public static class Naive {
        NaiveMnistNet net;
        final float[] input = Fashion.goldenInput();
        final float[] output = new float[10];

        @Setup
        public void setUp() {
            net = new NaiveMnistNet(Fashion.parameters());
            net.forward(input, output);
            Fashion.check("naive Java", output);
            MachineBanner.printOnce(false);
        }
    }
}
