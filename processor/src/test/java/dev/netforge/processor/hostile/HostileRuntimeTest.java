package dev.netforge.processor.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.Activation;
import dev.netforge.processor.reference.ReferenceNetwork;
import dev.netforge.processor.testing.CompiledModel;
import dev.netforge.processor.testing.RandomModels;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input to the generated runtime API: {@code XForward(float[])}, {@code Weights.of},
 * {@code XForward(Weights)} and {@code forward} with null, wrong-length, aliased, NaN and infinite
 * arguments. Always the documented exception ({@code NullPointerException} naming the argument,
 * {@code IllegalArgumentException} with the expected and actual length), thrown before anything is
 * computed or written, never a hang, and never a half-built or poisoned instance: after any rejected
 * or non-finite call an instance computes exactly what a fresh one does.
 *
 * <p>What non-finite values produce, as the generated {@code forward} javadoc says ("they propagate as
 * IEEE 754 arithmetic (and Keras) would") and asserted here: a NaN input makes NaN every output it
 * reaches (and only those: a convolution keeps it inside the receptive field), including through
 * max-pooling, ReLU and softmax; a NaN or infinite parameter is accepted by the constructors (the
 * parameter vector is not scanned) and propagates the same way; each element-wise activation maps
 * NaN to NaN and infinities to the value of its Keras formula evaluated in IEEE arithmetic.
 *
 * <p>Weight files (truncated, bit-flipped, absurd sizes) are the importer module's and are tested
 * there, not here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRuntimeTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** A name, its source body, input shape. */
    static final String MLP = """
            @Model(input = {6})
            public class Mlp {
                @Dense(units = 5, activation = Activation.RELU) Layer hidden;
                @BatchNormalization Layer norm;
                @Dense(units = 4, activation = Activation.SOFTMAX) Layer out;
            }
            """;
    static final String CNN = """
            @Model(input = {7, 6, 2})
            public class Cnn {
                @Conv2D(filters = 3, kernel = 3, padding = Padding.SAME, activation = Activation.TANH) Layer conv;
                @MaxPool(value = 2, padding = Padding.SAME) Layer pool;
                @DepthwiseConv2D(kernel = 2, depthMultiplier = 2) Layer depthwise;
                @BatchNormalization Layer folded;
                @ActivationLayer(Activation.RELU) Layer relu;
                @ZeroPadding2D(1) Layer zeros;
                @AvgPool(value = 2, strides = 1, padding = Padding.SAME) Layer avg;
                @GlobalAveragePooling2D Layer gap;
                @Dense(units = 3, activation = Activation.SOFTMAX) Layer out;
            }
            """;
    static final String CONV_ONLY = """
            @Model(input = {6, 6, 1})
            public class ConvOnly {
                @Conv2D(filters = 2, kernel = 3, padding = Padding.SAME) Layer conv;
            }
            """;
    static final String PASSTHROUGH = """
            @Model(input = {4})
            public class Passthrough {
                @Dropout(rate = 0.5) Layer dropout;
            }
            """;

    private final List<Model> models = new ArrayList<>();

    /** One compiled model with reflective handles on its API. */
    record Model(String name, Class<?> type, Class<?> weightsType, Constructor<?> fromParameters,
                 Constructor<?> fromWeights, Method weightsOf, Method forward, int inputSize, int outputSize,
                 int parameterCount) {
        static Model of(String name, String body) throws ReflectiveOperationException {
            CompiledModel compiled = CompiledModel.compile("hostile", name,
                    "package hostile;\nimport dev.netforge.*;\n" + body);
            Class<?> type = compiled.forwardClass();
            Class<?> weights = Arrays.stream(type.getClasses()).filter(c -> c.getSimpleName().equals("Weights"))
                    .findFirst().orElseThrow();
            return new Model(name, type, weights, type.getConstructor(float[].class), type.getConstructor(weights),
                    weights.getMethod("of", float[].class), type.getMethod("forward", float[].class, float[].class),
                    compiled.constant("INPUT_SIZE"), compiled.constant("OUTPUT_SIZE"),
                    compiled.constant("PARAMETER_COUNT"));
        }

        float[] parameters(long seed) {
            float[] p = RandomModels.input(parameterCount, seed);
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.abs(p[i]) * 0.5f + 0.25f; // positive, so BatchNormalization variances are too
            }
            return p;
        }

        Object build(float[] parameters) {
            return invoke(() -> fromParameters.newInstance((Object) parameters));
        }

        Object weights(float[] parameters) {
            return invoke(() -> weightsOf.invoke(null, (Object) parameters));
        }

        Object build(Object weights) {
            return invoke(() -> fromWeights.newInstance(weights));
        }

        void forward(Object net, float[] in, float[] out) {
            invoke(() -> forward.invoke(net, in, out));
        }

        float[] run(Object net, float[] in) {
            float[] out = new float[outputSize];
            forward(net, in, out);
            return out;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    interface Call {
        Object call() throws ReflectiveOperationException;
    }

    /** Calls reflectively and rethrows what the generated code threw, unwrapped. */
    static Object invoke(Call call) {
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeAll
    void compile() throws ReflectiveOperationException {
        models.add(Model.of("Mlp", MLP));
        models.add(Model.of("Cnn", CNN));
        models.add(Model.of("ConvOnly", CONV_ONLY));
        models.add(Model.of("Passthrough", PASSTHROUGH));
    }

    Stream<Model> models() {
        return models.stream();
    }

    Model model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------------------------------
    // Constructors
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("models")
    void nullParametersAreANullPointerExceptionNamingThem(Model m) {
        NullPointerException e = assertThrows(NullPointerException.class, () -> m.build((float[]) null));
        assertEquals("parameters", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> m.weights(null));
        assertEquals("parameters", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> m.build((Object) null));
        assertEquals("weights", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("models")
    void wrongParameterLengthsSayExpectedAndActual(Model m) {
        int n = m.parameterCount();
        for (int length : new int[] {0, 1, n - 1, n + 1, 2 * n + 7, 1 << 20}) {
            if (length == n || length < 0) {
                continue;
            }
            float[] wrong = new float[length];
            for (Call constructor : List.<Call>of(() -> m.fromParameters.newInstance((Object) wrong),
                    () -> m.weightsOf.invoke(null, (Object) wrong))) {
                IllegalArgumentException e = assertTimeoutPreemptively(LIMIT,
                        () -> assertThrows(IllegalArgumentException.class, () -> invoke(constructor)));
                assertTrue(e.getMessage().contains(m.name() + " expects " + n + " parameters, got " + length),
                        e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void parametersAreCopiedSoTheCallerMayReuseTheArray(Model m) {
        float[] parameters = m.parameters(3);
        Object net = m.build(parameters);
        Object shared = m.weights(parameters);
        float[] input = RandomModels.input(m.inputSize(), 4);
        float[] before = m.run(net, input);
        float[] sharedBefore = m.run(m.build(shared), input);
        Arrays.fill(parameters, Float.NaN);
        assertArrayEquals(before, m.run(net, input), "mutating the caller's array changed the instance");
        assertArrayEquals(sharedBefore, m.run(m.build(shared), input), "mutating the caller's array changed Weights");
    }

    @ParameterizedTest
    @MethodSource("models")
    void instancesShareTheirWeights(Model m) throws ReflectiveOperationException {
        Object weights = m.weights(m.parameters(5));
        Object a = m.build(weights);
        Object b = m.build(weights);
        Method accessor = m.type().getMethod("weights");
        assertSame(weights, accessor.invoke(a));
        assertSame(weights, accessor.invoke(b));
    }

    /**
     * NaN, infinite parameters and a negative BatchNormalization variance are refused when the
     * weights are built, naming the layer, the tensor and the index: they would otherwise give NaN
     * outputs with no hint.
     */
    @Test
    void nonFiniteParametersAndNegativeVariancesAreRefusedByName() {
        Model m = model("Mlp");
        for (float special : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] parameters = m.parameters(8);
            parameters[7] = special; // hidden's kernel (6, 5) at [1, 2]
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.build(parameters));
            assertEquals("Mlp: parameter 7 is " + special + ": hidden's kernel (6, 5) at [1, 2]", e.getMessage());
        }
        float[] parameters = m.parameters(8);
        int varianceOfChannel0 = 6 * 5 + 5 + 3 * 5; // after hidden's kernel and bias: gamma, beta, mean, variance
        parameters[varianceOfChannel0] = -1f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.build(parameters));
        assertTrue(e.getMessage().contains("moving_variance (5,) is -1.0 at [0] (parameter 50): a variance cannot be"
                + " negative"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------
    // forward
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("models")
    void forwardRejectsNullWrongLengthAndAliasedArraysBeforeWritingAnything(Model m) {
        Object net = m.build(m.parameters(11));
        float[] input = RandomModels.input(m.inputSize(), 12);
        float[] expected = m.run(net, input);
        float[] output = new float[m.outputSize()];
        Arrays.fill(output, 42f);

        NullPointerException npe = assertThrows(NullPointerException.class, () -> m.forward(net, null, output));
        assertEquals("input", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> m.forward(net, input, null));
        assertEquals("output", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> m.forward(net, null, null));
        assertEquals("input", npe.getMessage());
        for (int length : new int[] {0, 1, m.inputSize() - 1, m.inputSize() + 1, 10 * m.inputSize()}) {
            if (length == m.inputSize()) {
                continue;
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(net, new float[length], output));
            assertTrue(e.getMessage().contains("input has " + length + " values")
                    && e.getMessage().contains("expects " + m.inputSize()), e.getMessage());
        }
        for (int length : new int[] {0, 1, m.outputSize() - 1, m.outputSize() + 1, 10 * m.outputSize()}) {
            if (length == m.outputSize()) {
                continue;
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(net, input, new float[length]));
            assertTrue(e.getMessage().contains("output has " + length + " values")
                    && e.getMessage().contains("produces " + m.outputSize()), e.getMessage());
        }
        if (m.inputSize() == m.outputSize()) {
            float[] both = input.clone();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(net, both, both));
            assertTrue(e.getMessage().contains("different arrays"), e.getMessage());
            assertArrayEquals(input, both, "an aliased call wrote into the array");
        }
        for (float v : output) {
            assertEquals(42f, v, "a rejected call wrote into output");
        }
        assertArrayEquals(expected, m.run(net, input), "the instance changed after rejected calls");
    }

    @Test
    void aliasedInputAndOutputOfEqualLengthAreRejected() {
        Model m = model("Passthrough");
        Object net = m.build(m.parameters(1));
        float[] both = {1, 2, 3, 4};
        assertThrows(IllegalArgumentException.class, () -> m.forward(net, both, both));
        assertArrayEquals(new float[] {1, 2, 3, 4}, both);
    }

    /** Every element NaN, or +inf, or -inf, or huge: no exception, no hang, and the instance recovers. */
    @ParameterizedTest
    @MethodSource("models")
    void nonFiniteInputsPropagateAndNeverPoisonTheInstance(Model m) {
        Object net = m.build(m.parameters(21));
        Object fresh = m.build(m.parameters(21));
        float[] clean = RandomModels.input(m.inputSize(), 22);
        float[] expected = m.run(fresh, clean);
        for (float special : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f}) {
            float[] input = new float[m.inputSize()];
            Arrays.fill(input, special);
            float[] out = assertTimeoutPreemptively(LIMIT, () -> m.run(net, input));
            if (Float.isNaN(special)) {
                for (float v : out) {
                    assertTrue(Float.isNaN(v), m + ": all-NaN input gave " + Arrays.toString(out));
                }
            }
            assertArrayEquals(expected, m.run(net, clean), m + ": after a " + special + " input the instance"
                    + " no longer computes what a fresh one does");
        }
    }

    /** One NaN reaches every output of a Dense/softmax model, through max-pooling and ReLU too. */
    @Test
    void oneNaNInputReachesEveryOutputThroughDenseLayers() {
        for (String name : List.of("Mlp", "Cnn")) {
            Model m = model(name);
            Object net = m.build(m.parameters(31));
            for (int position : new int[] {0, m.inputSize() / 2, m.inputSize() - 1}) {
                float[] input = RandomModels.input(m.inputSize(), 32);
                input[position] = Float.NaN;
                float[] out = m.run(net, input);
                for (float v : out) {
                    assertTrue(Float.isNaN(v), name + " NaN at " + position + ": " + Arrays.toString(out));
                }
            }
        }
    }

    /** A convolution keeps a NaN inside its receptive field: exactly the outputs whose window holds it. */
    @Test
    void oneNaNInputStaysInsideTheReceptiveField() {
        Model m = model("ConvOnly"); // 6x6x1 -> 'same' 3x3 conv -> 6x6x2
        Object net = m.build(m.parameters(41));
        float[] clean = RandomModels.input(m.inputSize(), 42);
        float[] cleanOut = m.run(net, clean);
        for (int[] at : new int[][] {{0, 0}, {2, 3}, {5, 5}, {0, 5}}) {
            float[] input = clean.clone();
            input[at[0] * 6 + at[1]] = Float.NaN;
            float[] out = m.run(net, input);
            for (int h = 0; h < 6; h++) {
                for (int w = 0; w < 6; w++) {
                    boolean inside = Math.abs(h - at[0]) <= 1 && Math.abs(w - at[1]) <= 1;
                    for (int f = 0; f < 2; f++) {
                        float v = out[(h * 6 + w) * 2 + f];
                        if (inside) {
                            assertTrue(Float.isNaN(v), "NaN at " + Arrays.toString(at) + " should reach (" + h + ", " + w + ")");
                        } else {
                            assertEquals(cleanOut[(h * 6 + w) * 2 + f], v, 0f, "NaN at " + Arrays.toString(at)
                                    + " leaked to (" + h + ", " + w + ")");
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Activations on special values
    // ------------------------------------------------------------------------------------------

    static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
        -Float.MAX_VALUE, 1e30f, -1e30f, 100f, -100f, 88.8f, -88.8f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, 0f, -0f};

    static Stream<Arguments> elementwise() {
        return Arrays.stream(Activation.values()).filter(a -> a != Activation.SOFTMAX).map(Arguments::of);
    }

    /**
     * Each element-wise activation as a layer on a vector of special values: NaN stays NaN, and every
     * other value (infinities included) gives Keras's formula evaluated in IEEE double arithmetic
     * ({@link ReferenceNetwork#activate}), rounded to float; where that formula itself gives NaN (swish
     * and gelu at -inf: {@code -inf * 0}) so does the generated code, exactly as TensorFlow does.
     */
    @ParameterizedTest
    @MethodSource("elementwise")
    void elementwiseActivationsOnSpecialValues(Activation activation) throws ReflectiveOperationException {
        String name = "Act" + activation.name().replace("_", "");
        Model m = Model.of(name, "@Model(input = {" + SPECIALS.length + "})\npublic class " + name + " {\n"
                + "    @ActivationLayer(Activation." + activation.name() + ") Layer act;\n}\n");
        float[] out = assertTimeoutPreemptively(LIMIT, () -> m.run(m.build(new float[0]), SPECIALS.clone()));
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < SPECIALS.length; i++) {
            float x = SPECIALS[i];
            double expected = (float) ReferenceNetwork.activate(activation.name().toLowerCase(Locale.ROOT), x);
            boolean ok = Double.isNaN(expected) ? Float.isNaN(out[i])
                    : Double.isInfinite(expected) ? out[i] == expected
                    : Math.abs(out[i] - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
            if (Float.isNaN(x) && !Float.isNaN(out[i])) {
                ok = false;
            }
            if (!ok) {
                mismatches.add(activation + "(" + x + ") = " + out[i] + ", Keras's formula gives " + expected);
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /** Softmax is stable for huge finite logits, and NaN or +inf in a run makes that whole run NaN. */
    @Test
    void softmaxOnSpecialValues() throws ReflectiveOperationException {
        Model m = Model.of("SoftmaxImage", """
                @Model(input = {1, 3, 3})
                public class SoftmaxImage {
                    @ActivationLayer(Activation.SOFTMAX) Layer softmax;
                }
                """);
        Object net = m.build(new float[0]);
        float[] out = m.run(net, new float[] {
            Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, // pixel 0: stable, no overflow
            Float.NaN, 1f, 2f,                                  // pixel 1: NaN spreads over its channels
            Float.POSITIVE_INFINITY, 0f, 0f});                  // pixel 2: inf - inf = NaN
        assertEquals(0.5f, out[0], 1e-7f);
        assertEquals(0.5f, out[1], 1e-7f);
        assertEquals(0f, out[2], 0f);
        for (int i = 3; i < 9; i++) {
            assertTrue(Float.isNaN(out[i]), "softmax output " + i + ": " + Arrays.toString(out));
        }
        assertNotNull(net);
    }

    @Test
    void passthroughCopiesNonFiniteValuesUnchanged() {
        Model m = model("Passthrough");
        float[] in = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        float[] out = m.run(m.build(new float[0]), in);
        for (int i = 0; i < in.length; i++) {
            assertEquals(Float.floatToRawIntBits(in[i]), Float.floatToRawIntBits(out[i]));
        }
    }

}
