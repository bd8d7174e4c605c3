package dev.netforge.processor.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.processor.testing.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * NetForge against a real framework with Keras's semantics (TensorFlow.js 4.22 layers, fixtures
 * made once by {@code fixtures-gen/generate.mjs}): per fixture, the compiled model's per-layer
 * output shapes and parameter counts equal Keras's exactly, and its outputs match the framework's
 * within 1e-5 (absolute, on outputs of order 1). Fixtures using something NetForge does not offer
 * (mish, softsign, tanh-approximated gelu, a LeakyReLU slope other than 0.2, BatchNormalization
 * without center/scale) are counted and listed, and must stay few.
 */
class KerasFixturesTest {
    static final double TOLERANCE = 1e-5;
    static double worstError;

    @TestFactory
    Stream<DynamicTest> everyFixture() {
        List<String> unsupported = new ArrayList<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : KerasFixture.names()) {
            KerasFixture fixture = KerasFixture.load(name);
            try {
                fixture.refLayers();
            } catch (UnsupportedOperationException e) {
                unsupported.add(name + " (" + e.getMessage() + ")");
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name, () -> check(fixture)));
        }
        tests.add(DynamicTest.dynamicTest("few fixtures unsupported", () -> {
            System.out.println("Keras fixtures: " + (tests.size() - 1) + " run, largest abs error " + worstError
                    + "; not expressible in NetForge: " + unsupported);
            assertTrue(unsupported.size() <= 20, "unsupported: " + unsupported);
            assertTrue(tests.size() >= 120, "fixtures run: " + tests.size());
        }));
        return tests.stream();
    }

    private static void check(KerasFixture fixture) {
        CompiledModel model = CompiledModel.compile("test", fixture.className(), fixture.source());
        String summary = model.summary();
        long total = 0;
        for (int index = 0; index < fixture.layers().size(); index++) {
            int i = index;
            Map<String, Object> layer = fixture.layers().get(i);
            int[] shape = KerasFixture.ints(layer.get("outputShape"));
            StringBuilder keras = new StringBuilder("(None");
            for (int d : shape) {
                keras.append(", ").append(d);
            }
            String row = " l" + i + " (";
            String line = summary.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow(
                    () -> new AssertionError("no summary row for layer " + i + " in\n" + summary));
            long parameters = ((Number) layer.get("paramCount")).longValue();
            total += parameters;
            assertTrue(line.contains(keras + ")"), fixture.name() + " layer " + i + ": Keras shape " + keras
                    + ") in " + line);
            assertTrue(line.matches(".*\\)\\s+" + String.format(java.util.Locale.ROOT, "%,d", parameters) + "\\s.*"),
                    fixture.name() + " layer " + i + ": Keras count " + parameters + " in " + line);
        }
        assertEquals(total, model.constant("PARAMETER_COUNT"));
        assertEquals(fixture.weights().length, model.constant("PARAMETER_COUNT"));
        CompiledModel.Instance net = model.instance(fixture.weights());
        for (int c = 0; c < fixture.inputs().size(); c++) {
            float[] expected = fixture.outputs().get(c);
            float[] actual = new float[expected.length];
            net.forward(fixture.inputs().get(c), actual);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            }
            synchronized (KerasFixturesTest.class) {
                worstError = Math.max(worstError, worst);
            }
            assertTrue(worst <= TOLERANCE, fixture.name() + " case " + c + ": max abs error " + worst);
        }
    }
}
