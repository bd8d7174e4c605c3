package dev.netforge.processor.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.processor.testing.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * NetForge against a real framework with Keras's semantics (TensorFlow.js 4.22 layers, fixtures
 * made once by {@code fixtures-gen/generate.mjs}): per fixture, the compiled model's per-layer
 * output shapes and parameter counts equal Keras's exactly, and its outputs match the framework's
 * within 1e-5 (absolute, on outputs of order 1). Functional fixtures (networks that branch and
 * merge) become models with {@code @From} and the merging annotations, declared in Keras's
 * {@code model.layers} order, and the summary's "Connected to" column must name each layer's
 * Keras inputs. Every fixture runs (a fixture using something NetForge does not offer
 * would be listed, and fails the count).
 */
class KerasFixturesTest {
    static final double TOLERANCE = 1e-5;
    static double worstError;
    static double worstGraphError;
    static String worstFixture = "";

    @TestFactory
    Stream<DynamicTest> everyFixture() {
        List<String> unsupported = new ArrayList<>();
        List<DynamicTest> tests = new ArrayList<>();
        int graphs = 0;
        for (String name : KerasFixture.names()) {
            KerasFixture fixture = KerasFixture.load(name);
            try {
                fixture.nodes();
            } catch (UnsupportedOperationException e) {
                unsupported.add(name + " (" + e.getMessage() + ")");
                continue;
            }
            graphs += fixture.functional() ? 1 : 0;
            tests.add(DynamicTest.dynamicTest(name, () -> check(fixture)));
        }
        int run = tests.size(), graphsRun = graphs;
        tests.add(DynamicTest.dynamicTest("few fixtures unsupported", () -> {
            System.out.println("Keras fixtures: " + run + " run (" + graphsRun + " functional), largest abs error "
                    + worstError + " (" + worstFixture + "), functional " + worstGraphError
                    + "; not expressible in NetForge: " + unsupported);
            assertTrue(unsupported.isEmpty(), "unsupported: " + unsupported);
            assertTrue(run >= 194, "fixtures run: " + run);
            assertTrue(graphsRun >= 14, "functional fixtures run: " + graphsRun);
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
            String row = " " + fixture.field(i) + " (";
            String line = summary.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow(
                    () -> new AssertionError("no summary row for layer " + i + " in\n" + summary));
            long parameters = ((Number) layer.get("paramCount")).longValue();
            total += parameters;
            assertTrue(line.contains(keras + ")"), fixture.name() + " layer " + i + ": Keras shape " + keras
                    + ") in " + line);
            String count = String.format(java.util.Locale.ROOT, "%,d", parameters);
            assertTrue(line.matches(".*\\)\\s+" + count + "\\s.*"),
                    fixture.name() + " layer " + i + ": Keras count " + parameters + " in " + line);
            if (fixture.functional()) {
                // Keras's "Connected to": the layer's inputs, in order.
                String connected = String.join(", ", fixture.inbound(i));
                assertTrue(line.matches(".*\\)\\s+" + count + "\\s+" + Pattern.quote(connected) + "\\s+[0-9,]+"),
                        fixture.name() + " layer " + i + ": Keras inputs " + connected + " in " + line);
            }
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
                if (worst > worstError) {
                    worstError = worst;
                    worstFixture = fixture.name();
                }
                if (fixture.functional()) {
                    worstGraphError = Math.max(worstGraphError, worst);
                }
            }
            assertTrue(worst <= TOLERANCE, fixture.name() + " case " + c + ": max abs error " + worst);
        }
    }
}
