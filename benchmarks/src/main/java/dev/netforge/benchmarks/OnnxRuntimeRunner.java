package dev.netforge.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An ONNX Runtime session as every benchmark here uses it, set up for the fairest batch-1
 * comparison: one intra-op and one inter-op thread, sequential execution, all graph optimisations,
 * and input and (pinned) output tensors built once over direct buffers, so a call copies nothing
 * and allocates only ONNX Runtime's {@code Result} wrapper.
 */
final class OnnxRuntimeRunner implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor inputTensor;
    private final OnnxTensor outputTensor;
    private final FloatBuffer outputBuffer;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;

    /**
     * @param model      a serialised ONNX model with one input and one output
     * @param input      the input the benchmark feeds on every call, in the model's layout
     * @param inputShape the model input's shape
     * @param outputShape the model output's shape
     */
    OnnxRuntimeRunner(byte[] model, float[] input, long[] inputShape, long[] outputShape) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = sessionOptions()) {
            session = environment.createSession(model, options);
        }
        FloatBuffer inputBuffer = directFloats(input.length);
        inputBuffer.put(input).rewind();
        inputTensor = OnnxTensor.createTensor(environment, inputBuffer, inputShape);
        outputBuffer = directFloats(Math.toIntExact(count(outputShape)));
        outputTensor = OnnxTensor.createTensor(environment, outputBuffer, outputShape);
        inputs = Map.of(session.getInputNames().iterator().next(), inputTensor);
        outputs = Map.of(session.getOutputNames().iterator().next(), outputTensor);
    }

    /**
     * The session options of every ONNX Runtime row: one intra-op and one inter-op thread, sequential
     * execution, every graph optimisation. The caller closes them.
     */
    static OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    /** Runs the model on the input given at construction and copies its output into {@code output}. */
    void run(float[] output) throws OrtException {
        // The output was written to the pinned buffer; the Result only wraps it, and closing it
        // leaves pinned outputs open.
        session.run(inputs, outputs).close();
        outputBuffer.get(0, output);
    }

    @Override
    public void close() throws OrtException {
        inputTensor.close();
        outputTensor.close();
        session.close();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
