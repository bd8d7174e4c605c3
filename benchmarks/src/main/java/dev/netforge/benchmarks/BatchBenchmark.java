package dev.netforge.benchmarks;

import ai.onnxruntime.OrtException;
import dev.netforge.samples.CifarVgg;
import dev.netforge.samples.CifarVggForward;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batched inference, one thread: {@code XForward.Batch.forward(inputs, outputs, count)} of the generated class
 * (Vector API module) against ONNX Runtime running the same model exported with a batch dimension
 * of {@code batch}, on {@link CifarVgg} and {@link MlpNet} with the seeded weights of
 * {@link SyntheticModels}. A score is the time of one call on the whole batch; divide by
 * {@code batch} for the time per input. Before timing, each state checks every output of the batch
 * against the naive Java reference on that input (1e-5).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class BatchBenchmark {

    @Benchmark
    public float[] netforge(NetForge state) {
        state.forward.run();
        return state.outputs;
    }

    @Benchmark
    public float[] onnxRuntime(Onnx state) throws OrtException {
        state.runner.run(state.outputs);
        return state.outputs;
    }

    /** The model and batch size of a row, with the batch's inputs and their reference outputs. */
    @State(Scope.Thread)
    public static class Rows {
        @Param({"CifarVgg", "MlpNet"})
        String model;

        @Param({"1", "8", "64"})
        int batch;

        float[] inputs;
        float[] expected;
        float[] outputs;

        boolean vgg() {
            return model.equals("CifarVgg");
        }

        int inputSize() {
            return vgg() ? 32 * 32 * 3 : 784;
        }

        void prepare() {
            // each input a different one: the seeded input shifted by its row, so no two rows are equal
            float[] base = vgg() ? SyntheticModels.vggInput() : SyntheticModels.mlpInput();
            inputs = new float[batch * inputSize()];
            expected = new float[batch * 10];
            outputs = new float[batch * 10];
            for (int r = 0; r < batch; r++) {
                for (int i = 0; i < base.length; i++) {
                    inputs[r * base.length + i] = base[(i + 31 * r) % base.length];
                }
                float[] row = java.util.Arrays.copyOfRange(inputs, r * base.length, (r + 1) * base.length);
                float[] reference = new float[10];
                if (vgg()) {
                    new NaiveVggNet(SyntheticModels.vggParameters()).forward(row, reference);
                } else {
                    new NaiveMlpNet(SyntheticModels.mlpParameters()).forward(row, reference);
                }
                System.arraycopy(reference, 0, expected, r * 10, 10);
            }
        }

        void check(String who) {
            for (int r = 0; r < batch; r++) {
                SyntheticModels.check(who + " " + model + " row " + r + " of " + batch,
                        java.util.Arrays.copyOfRange(outputs, r * 10, r * 10 + 10),
                        java.util.Arrays.copyOfRange(expected, r * 10, r * 10 + 10));
            }
        }
    }

    @State(Scope.Thread)
    public static class NetForge extends Rows {
        Runnable forward;

        @Setup
        public void setUp() {
            MachineBanner.printOnce(true);
            prepare();
            if (vgg()) {
                CifarVggForward.Batch net =
                        new CifarVggForward.Batch(CifarVggForward.Weights.of(SyntheticModels.vggParameters()));
                forward = () -> net.forward(inputs, outputs, batch);
            } else {
                MlpNetForward.Batch net = new MlpNetForward.Batch(MlpNetForward.Weights.of(SyntheticModels.mlpParameters()));
                forward = () -> net.forward(inputs, outputs, batch);
            }
            KernelsInUse.awaitWarm(forward);
            forward.run();
            check("NetForge");
        }
    }

    @State(Scope.Thread)
    public static class Onnx extends Rows {
        OnnxRuntimeRunner runner;

        @Setup
        public void setUp() throws OrtException {
            MachineBanner.printOnce(false);
            prepare();
            float[] onnxInputs = inputs;
            long[] shape;
            byte[] onnx;
            if (vgg()) {
                onnxInputs = new float[inputs.length];
                for (int r = 0; r < batch; r++) {
                    float[] row = java.util.Arrays.copyOfRange(inputs, r * inputSize(), (r + 1) * inputSize());
                    System.arraycopy(SyntheticModels.nhwcToNchw(row, 32, 32, 3), 0, onnxInputs, r * inputSize(),
                            inputSize());
                }
                shape = new long[] {batch, 3, 32, 32};
                onnx = SyntheticModels.vggOnnx(SyntheticModels.vggParameters(), batch);
            } else {
                shape = new long[] {batch, 784};
                onnx = SyntheticModels.mlpOnnx(SyntheticModels.mlpParameters(), batch);
            }
            runner = new OnnxRuntimeRunner(onnx, onnxInputs, shape, new long[] {batch, 10});
            runner.run(outputs);
            check("ONNX Runtime");
        }

        @TearDown
        public void tearDown() throws OrtException {
            runner.close();
        }
    }
}
