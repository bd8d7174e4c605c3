package dev.netforge.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.testing.CompiledModel;
import dev.netforge.processor.testing.ModelSource;
import dev.netforge.processor.testing.RandomModels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code XForward.Batch.forward(inputs, outputs, count)}: every row bit for bit what {@code forward}
 * gives that input alone, for batch sizes around the blocks of rows (64 here) and the 4-row groups
 * of the dense kernel, on a classifier (convolutions, then a dense tail with a folded
 * BatchNormalization and softmax), an MLP (all tail), a tail too wide for more than 3 rows at a
 * time, a network with no dense layer, and one whose last Dense reads a merge; 0 bytes per batch
 * call; and clear errors for bad arguments.
 */
class BatchForwardTest {
    private static final String PROBE = """
            package test;
            import java.lang.management.ManagementFactory;
            public final class Probe {
                public static %1$sForward.Batch batch(%1$sForward net) {
                    return new %1$sForward.Batch(net.weights());
                }

                public static long allocatedBytes(%1$sForward.Batch net, float[] in, float[] out, int count, int calls) {
                    com.sun.management.ThreadMXBean threads =
                            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < calls; i++) {
                        net.forward(in, out, count);
                    }
                    return threads.getCurrentThreadAllocatedBytes() - before;
                }
            }
            """;

    private static final int[] COUNTS = {0, 1, 3, 4, 5, 8, 9, 17, 64, 65, 130};

    record Case(int[] input, List<RefLayer> layers, String source) {
    }

    private static Case model(String name) {
        return switch (name) {
            case "Classifier" -> {
                int[] input = {12, 12, 2};
                List<RefLayer> layers = List.of(new RefLayer.Conv2D(8, 3, 3, 1, 1, 1, 1, false, "relu", true),
                        new RefLayer.MaxPool(2, 2, 2, 2, false), new RefLayer.Flatten(),
                        new RefLayer.Dense(300, "linear", false), new RefLayer.BatchNorm(0.001),
                        new RefLayer.Dense(133, "tanh", true), new RefLayer.Dense(10, "softmax", true));
                yield new Case(input, layers, ModelSource.of("test", name, input, layers));
            }
            case "Mlp" -> {
                int[] input = {100};
                List<RefLayer> layers = List.of(new RefLayer.Dense(256, "relu", true), new RefLayer.Dense(64, "gelu", true),
                        new RefLayer.Dense(5, "linear", true));
                yield new Case(input, layers, ModelSource.of("test", name, input, layers));
            }
            case "Wide" -> { // a tail so wide that its arrays hold 3 rows: blocks of 3, no group of four
                int[] input = {70_000};
                List<RefLayer> layers = List.of(new RefLayer.Dense(3, "softmax", true));
                yield new Case(input, layers, ModelSource.of("test", name, input, layers));
            }
            case "NoDense" -> {
                int[] input = {8, 8, 3};
                List<RefLayer> layers = List.of(new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, true, "relu", true),
                        new RefLayer.GlobalAvgPool());
                yield new Case(input, layers, ModelSource.of("test", name, input, layers));
            }
            default -> { // a Dense that reads an Add: the tail is the one Dense after the merge
                int[] input = {40};
                List<RefLayer> layers = List.of(new RefLayer.Dense(40, "relu", true), new RefLayer.Dense(40, "linear", true),
                        new RefLayer.Dense(3, "softmax", true));
                String source = """
                        package test;
                        import dev.netforge.*;
                        @Model(input = {40})
                        public class Merged {
                            @Dense(units = 40, activation = Activation.RELU) Layer a;
                            @Dense(units = 40) Layer b;
                            @Add @From({"a", "b"}) Layer sum;
                            @Dense(units = 3, activation = Activation.SOFTMAX) Layer out;
                        }
                        """;
                yield new Case(input, layers, source);
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"Classifier", "Mlp", "NoDense", "Merged", "Wide"})
    void everyRowIsWhatForwardGivesIt(String name) throws Exception {
        Case c = model(name);
        CompiledModel model = CompiledModel.compile("test." + name,
                JavaFileObjects.forSourceString("test." + name, c.source()),
                JavaFileObjects.forSourceString("test.Probe", String.format(PROBE, name)));
        int parameters = model.constant("PARAMETER_COUNT");
        float[] weights = name.equals("Merged") ? RandomModels.input(parameters, 11)
                : RandomModels.parameters(c.input(), c.layers(), 7);
        CompiledModel.Instance single = model.instance(weights);
        Class<?> probeClass = model.load("test.Probe");
        Object net = probeClass.getMethod("batch", model.forwardClass()).invoke(null, model.instance(weights).target());
        Method batch = net.getClass().getMethod("forward", float[].class, float[].class, int.class);
        int in = model.constant("INPUT_SIZE");
        int out = model.constant("OUTPUT_SIZE");
        for (int count : COUNTS) {
            float[] inputs = RandomModels.input(count * in + 3, 100 + count);
            float[] outputs = new float[count * out + 2];
            Arrays.fill(outputs, -7f);
            batch.invoke(net, inputs, outputs, count);
            for (int i = 0; i < count; i++) {
                float[] expected = new float[out];
                single.forward(Arrays.copyOfRange(inputs, i * in, (i + 1) * in), expected);
                assertArrayEquals(expected, Arrays.copyOfRange(outputs, i * out, (i + 1) * out),
                        name + ": row " + i + " of " + count);
            }
            assertEquals(-7f, outputs[count * out], "written past the outputs");
        }
        // 0 bytes per call, a batch of 12 (a block of 8 and a rest of 4), after warm-up
        Method probe = probeClass.getMethod("allocatedBytes", net.getClass(),
                float[].class, float[].class, int.class, int.class);
        float[] inputs = RandomModels.input(12 * in, 5);
        float[] outputs = new float[12 * out];
        probe.invoke(null, net, inputs, outputs, 12, 2_000);
        long overhead = (long) probe.invoke(null, net, inputs, outputs, 12, 0);
        assertEquals(0, overhead, "the probe itself allocates nothing");
        assertEquals(0L, (long) probe.invoke(null, net, inputs, outputs, 12, 2_000), "bytes allocated by 2,000 batches");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Classifier", "NoDense"})
    void badArgumentsAreClearErrors(String name) throws Exception {
        Case c = model(name);
        CompiledModel model = CompiledModel.compile("test." + name,
                JavaFileObjects.forSourceString("test." + name, c.source()),
                JavaFileObjects.forSourceString("test.Probe", String.format(PROBE, name)));
        Object net = model.load("test.Probe").getMethod("batch", model.forwardClass()).invoke(null,
                model.instance(RandomModels.parameters(c.input(), c.layers(), 7)).target());
        Method batch = net.getClass().getMethod("forward", float[].class, float[].class, int.class);
        int in = model.constant("INPUT_SIZE");
        int out = model.constant("OUTPUT_SIZE");
        assertEquals("count must be 0 or more, got -1",
                error(batch, net, new float[in], new float[out], -1).getMessage());
        assertEquals("inputs has " + (2 * in - 1) + " values; 2 inputs of " + in + " need " + 2 * in,
                error(batch, net, new float[2 * in - 1], new float[2 * out], 2).getMessage());
        assertEquals("outputs has " + out + " values; 2 outputs of " + out + " need " + 2 * out,
                error(batch, net, new float[2 * in], new float[out], 2).getMessage());
        float[] same = new float[Math.max(in, out) * 2];
        assertEquals("inputs and outputs must be different arrays", error(batch, net, same, same, 1).getMessage());
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> batch.invoke(net, null, new float[out], 1));
        assertTrue(e.getCause() instanceof NullPointerException && e.getCause().getMessage().equals("inputs"));
    }

    private static IllegalArgumentException error(Method batch, Object net, float[] in, float[] out, int count) {
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> batch.invoke(net, in, out, count));
        return assertThrowsCause(e);
    }

    private static IllegalArgumentException assertThrowsCause(InvocationTargetException e) {
        assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
        return (IllegalArgumentException) e.getCause();
    }
}
