package dev.netforge.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.netforge.samples.fashion.FashionNetForward;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An app that runs one inference and exits: what {@link ColdStartHarness} launches, once per
 * measurement, to time launch-to-first-result of each implementation. Each variant does what a user's
 * app would: build the model the usual way, classify the golden Fashion-MNIST image, print the class.
 *
 * <p>Argument: {@code netforge} ({@code new FashionNetForward()}: bundled weights, golden check at
 * load, then the call; on whichever kernels the JVM's flags give), {@code onnx} (ONNX Runtime session
 * from {@code fashion_mnist.onnx}, one intra-op thread), or {@code naive} (the textbook loops).
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        float[] input = Fashion.goldenInput();
        float[] output = new float[10];
        switch (args.length == 1 ? args[0] : "") {
            case "netforge" -> new FashionNetForward().forward(input, output);
            case "naive" -> new NaiveMnistNet(Fashion.parameters()).forward(input, output);
            case "onnx" -> {
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(1);
                    options.setInterOpNumThreads(1);
                    try (OrtSession session = environment.createSession(Fashion.onnxModel(), options);
                            OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input),
                                    new long[] {1, 1, 28, 28});
                            OrtSession.Result result = session.run(
                                    Map.of(session.getInputNames().iterator().next(), tensor))) {
                        float[][] probabilities = (float[][]) result.get(0).getValue();
                        System.arraycopy(probabilities[0], 0, output, 0, 10);
                    }
                }
            }
            default -> throw new IllegalArgumentException("usage: ColdStart netforge|onnx|naive");
        }
        int best = 0;
        for (int i = 1; i < output.length; i++) {
            best = output[i] > output[best] ? i : best;
        }
        // a StringBuilder, not +: the first string concatenation of a JVM spins method handles for ~30 ms
        System.out.println(new StringBuilder("class ").append(best).append(" p=").append(output[best]));
    }
}
