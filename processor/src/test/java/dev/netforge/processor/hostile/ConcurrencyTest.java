package dev.netforge.processor.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.netforge.processor.testing.RandomModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instances on N threads give bit-identical results to the single-threaded run, as the README's
 * sharing contract promises: one immutable {@code Weights} (the parameter arrays, BatchNormalization
 * folded in) is shared by any number of instances on any threads; each instance owns its scratch and
 * padding arrays and serves one thread at a time. Two ways of sharing are checked, each with all
 * threads released at once and every thread running every input, in its own order, several times:
 * instances built with {@code new XForward(weights)} over one {@code Weights.of(parameters)}, and
 * instances each built with {@code new XForward(parameters)} from one shared parameter array (which
 * the constructor only reads).
 */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int INPUTS = 40;
    static final int REPEATS = 5;

    static Stream<HostileRuntimeTest.Model> models() throws ReflectiveOperationException {
        return Stream.of(HostileRuntimeTest.Model.of("Cnn", HostileRuntimeTest.CNN),
                HostileRuntimeTest.Model.of("Mlp", HostileRuntimeTest.MLP),
                HostileRuntimeTest.Model.of("Deeper", """
                        @Model(input = {12, 12, 3})
                        public class Deeper {
                            @Conv2D(filters = 8, kernel = 3, padding = Padding.SAME) Layer c1;
                            @BatchNormalization Layer bn1;
                            @ActivationLayer(Activation.SWISH) Layer a1;
                            @Conv2D(filters = 8, kernel = {3, 5}, strides = 2, padding = Padding.SAME,
                                    activation = Activation.GELU) Layer c2;
                            @DepthwiseConv2D(kernel = 3, dilation = 2, padding = Padding.SAME) Layer dw;
                            @MaxPool(value = 3, strides = 2, padding = Padding.SAME) Layer pool;
                            @Flatten Layer flat;
                            @Dense(units = 16, activation = Activation.ELU) Layer d1;
                            @Dropout(rate = 0.3) Layer drop;
                            @Dense(units = 5, activation = Activation.SOFTMAX) Layer out;
                        }
                        """));
    }

    @ParameterizedTest
    @MethodSource("models")
    void threadsSharingOneWeightsAreBitIdenticalToOneThread(HostileRuntimeTest.Model m) throws Exception {
        float[] parameters = m.parameters(77);
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            inputs.add(RandomModels.input(m.inputSize(), 1000 + i));
        }
        Object single = m.build(m.weights(parameters));
        List<float[]> expected = new ArrayList<>();
        for (float[] input : inputs) {
            expected.add(m.run(single, input));
        }

        Object sharedWeights = m.weights(parameters);
        for (boolean viaWeights : new boolean[] {true, false}) {
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    Callable<Integer> task = () -> {
                        start.await();
                        Object net = viaWeights ? m.build(sharedWeights) : m.build(parameters);
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < INPUTS; i++) {
                            order.add(i);
                        }
                        int checked = 0;
                        for (int repeat = 0; repeat < REPEATS; repeat++) {
                            Collections.shuffle(order, new Random(thread * 31L + repeat));
                            for (int i : order) {
                                float[] out = m.run(net, inputs.get(i));
                                float[] want = expected.get(i);
                                for (int k = 0; k < out.length; k++) {
                                    if (Float.floatToRawIntBits(out[k]) != Float.floatToRawIntBits(want[k])) {
                                        throw new AssertionError(m + " thread " + thread + " input " + i + " output " + k
                                                + ": " + out[k] + " != " + want[k] + (viaWeights ? " (shared Weights)"
                                                : " (shared parameter array)"));
                                    }
                                }
                                checked++;
                            }
                        }
                        return checked;
                    };
                    results.add(pool.submit(task));
                }
                start.countDown();
                int total = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    int sum = 0;
                    for (Future<Integer> result : results) {
                        sum += result.get();
                    }
                    return sum;
                });
                assertEquals(THREADS * INPUTS * REPEATS, total);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
