package dev.netforge.processor.graph;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.testing.CompiledModel;
import dev.netforge.processor.testing.RandomModels;
import java.lang.reflect.Method;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Networks that branch and merge (version 1 of the contract, docs/SEMANTICS.md): they compile,
 * compute what an independent reference computes (tolerance 1e-5, relative to values above 1),
 * allocate nothing, and every wrong connection is a compile error on the {@code @From} at fault.
 */
class GraphModelTest {
    private static final double TOLERANCE = 1e-5;

    /** The contract's own example, with the shapes its comments imply. */
    static final String TINY_RESNET = """
            package graph;
            import dev.netforge.*;
            @Model(input = {32, 32, 3})
            public class TinyResNet {
                @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer stem;
                @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer a1;
                @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer a2;
                @Add @From({"stem", "a2"}) Layer sum1;
                @ActivationLayer(Activation.RELU) Layer relu1;
                @Conv2D(filters = 32, kernel = 3, strides = 2, padding = Padding.SAME, activation = Activation.RELU) Layer b1;
                @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME) Layer b2;
                @Conv2D(filters = 32, kernel = 1, strides = 2) @From("relu1") Layer proj;
                @Add @From({"b2", "proj"}) Layer sum2;
                @GlobalAveragePooling2D Layer gap;
                @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
            }
            """;

    static GraphModel tinyResNet() {
        return new GraphModel(32, 32, 3)
                .layer("stem", conv(16, 3, 1, true, "relu"))
                .layer("a1", conv(16, 3, 1, true, "relu"))
                .layer("a2", conv(16, 3, 1, true, "linear"))
                .merge("sum1", MergeOp.ADD, "stem", "a2")
                .layer("relu1", new RefLayer.ActivationLayer("relu"))
                .layer("b1", conv(32, 3, 2, true, "relu"))
                .layer("b2", conv(32, 3, 1, true, "linear"))
                .layer("proj", conv(32, 1, 2, false, "linear"), "relu1")
                .merge("sum2", MergeOp.ADD, "b2", "proj")
                .layer("gap", new RefLayer.GlobalAvgPool())
                .layer("output", new RefLayer.Dense(10, "softmax", true));
    }

    static RefLayer conv(int filters, int kernel, int strides, boolean same, String activation) {
        return new RefLayer.Conv2D(filters, kernel, kernel, strides, strides, 1, 1, same, activation, true);
    }

    private static void assertMatchesReference(GraphModel graph, String className, int inputSize) {
        assertMatchesReference(graph, className, inputSize, null);
    }

    /** With {@code source} null, the graph's own source. */
    private static void assertMatchesReference(GraphModel graph, String className, int inputSize, String source) {
        source = source == null ? graph.source("graph", className) : source;
        CompiledModel model = CompiledModel.compile("graph", className, source);
        float[] parameters = graph.parameters(11);
        CompiledModel.Instance net = model.instance(parameters);
        for (int sample = 0; sample < 3; sample++) {
            float[] x = RandomModels.input(inputSize, sample);
            float[] expected = graph.reference(parameters, x);
            float[] actual = new float[expected.length];
            net.forward(x, actual);
            for (int i = 0; i < expected.length; i++) {
                double error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
                assertTrue(error <= TOLERANCE, className + " output " + i + ": " + actual[i] + " vs reference "
                        + expected[i] + "\n" + source);
            }
        }
    }

    @Test
    void theContractsTinyResNetCompilesAndMatchesTheReference() {
        // the contract's text itself, against the reference of the same graph
        assertMatchesReference(tinyResNet(), "TinyResNet", 32 * 32 * 3, TINY_RESNET);
        assertMatchesReference(tinyResNet(), "TinyResNet", 32 * 32 * 3, null);
        CompiledModel model = CompiledModel.compile("graph", "TinyResNet", TINY_RESNET);
        String summary = model.summary();
        assertTrue(summary.contains("Connected to"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" sum2 (Add)") && l.contains("b2, proj")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" proj (Conv2D)") && l.contains("(None, 16, 16, 32)")
                && l.contains("relu1")), summary);
    }

    @ParameterizedTest
    @EnumSource(MergeOp.class)
    void everyMergeOfImagesMatchesTheReference(MergeOp op) {
        GraphModel graph = new GraphModel(5, 4, 3)
                .layer("a", conv(3, 3, 1, true, "tanh"))
                .layer("b", conv(3, 1, 1, false, "linear"), "input");
        if (op == MergeOp.SUBTRACT) {
            graph.merge("m", op, "a", "b"); // first minus second
        } else {
            graph.merge("m", op, "a", "b", "input", "a"); // three distinct and a repeat
        }
        graph.layer("flat", new RefLayer.Flatten()).layer("out", new RefLayer.Dense(4, "linear", true));
        assertMatchesReference(graph, "Images" + op.kerasName(), 5 * 4 * 3);
    }

    @ParameterizedTest
    @EnumSource(MergeOp.class)
    void everyMergeOfVectorsMatchesTheReference(MergeOp op) {
        GraphModel graph = new GraphModel(6)
                .layer("a", new RefLayer.Dense(6, "relu", true))
                .layer("b", new RefLayer.Dense(op == MergeOp.CONCATENATE ? 3 : 6, "sigmoid", true), "input");
        graph.merge("m", op, "a", "b");
        graph.layer("out", new RefLayer.Dense(2, "softmax", true));
        assertMatchesReference(graph, "Vectors" + op.kerasName(), 6);
    }

    @Test
    void aNormalizationIsNotFoldedIntoALayerWhoseOutputAnotherLayerReads() {
        // stem's raw output feeds both bn and the shortcut: folding bn into stem would change the shortcut
        GraphModel graph = new GraphModel(6, 6, 2)
                .layer("stem", conv(4, 3, 1, true, "linear"))
                .layer("bn", new RefLayer.BatchNorm(1e-3))
                .layer("relu", new RefLayer.ActivationLayer("relu"))
                .layer("branch", conv(4, 3, 1, true, "linear"))
                .merge("sum", MergeOp.ADD, "stem", "branch")
                .layer("pool", new RefLayer.MaxPool(2, 2, 2, 2, false))
                .layer("flat", new RefLayer.Flatten())
                .layer("out", new RefLayer.Dense(3, "linear", true));
        assertMatchesReference(graph, "SharedStem", 6 * 6 * 2);
    }

    @Test
    void aNormalizationDeclaredAfterABranchLayerIsStillFolded() throws java.io.IOException {
        // Keras's model.layers order in ResNets: conv, then the shortcut's projection, then the conv's
        // BatchNormalization; the normalization still folds into the conv (its only reader)
        GraphModel graph = new GraphModel(8, 8, 3)
                .layer("stem", conv(4, 3, 1, true, "relu"))
                .layer("conv", conv(4, 3, 1, true, "linear"))
                .layer("projection", conv(4, 1, 1, false, "linear"), "stem")
                .layer("bn", new RefLayer.BatchNorm(1e-3), "conv")
                .merge("sum", MergeOp.ADD, "projection", "bn")
                .layer("gap", new RefLayer.GlobalAvgPool())
                .layer("out", new RefLayer.Dense(3, "linear", true));
        assertMatchesReference(graph, "LateNorm", 8 * 8 * 3);
        CompiledModel model = CompiledModel.compile("graph", "LateNorm2", graph.source("graph", "LateNorm2"));
        String generated = model.compilation().generatedSourceFiles().get(0).getCharContent(false).toString();
        // and the Add joins that step too: it runs where the Add is declared, after the projection it adds
        assertTrue(generated.contains("conv + bn + sum: Conv2D 4 filters") && generated.contains("bn folded into the weights")
                && generated.contains("plus projection (sum, added as the kernels store)"), generated);
    }

    // ------------------------------------------------------------------ the fused residual add

    /** The generated source of a graph, compiled. */
    private static String generated(GraphModel graph, String className) throws java.io.IOException {
        CompiledModel model = CompiledModel.compile("graph", className, graph.source("graph", className));
        return model.compilation().generatedSourceFiles().get(0).getCharContent(false).toString();
    }

    @Test
    void aResidualAddAndItsReluJoinTheConvolutionsStore() throws java.io.IOException {
        // conv -> bn -> add(shortcut) -> relu, the shortcut the block's input (here the model's input)
        GraphModel graph = new GraphModel(6, 5, 4)
                .layer("conv", conv(4, 3, 1, true, "linear"))
                .layer("bn", new RefLayer.BatchNorm(1e-3))
                .merge("sum", MergeOp.ADD, "bn", "input")
                .layer("relu", new RefLayer.ActivationLayer("relu"))
                .layer("conv2", conv(4, 3, 1, true, "linear"))
                .merge("sum2", MergeOp.ADD, "relu", "conv2") // the convolution second
                .layer("gap", new RefLayer.GlobalAvgPool())
                .layer("out", new RefLayer.Dense(3, "linear", true));
        assertMatchesReference(graph, "FusedAdd", 6 * 5 * 4);
        String generated = generated(graph, "FusedAdd2");
        assertTrue(generated.contains("conv + bn + sum + relu: Conv2D 4 filters")
                && generated.contains("plus input (sum, added as the kernels store), RELU")
                && generated.contains("layer0(input, input, scratchA, pad, kernelScratch,"), generated);
        assertTrue(generated.contains("conv2 + sum2: Conv2D 4 filters") && generated.contains("plus relu (sum2, added"),
                generated);
        assertTrue(generated.contains(", out, 6, 5, residual, true, kernelScratch)")
                && generated.contains(", out, 6, 5, residual, false, kernelScratch)"), generated);
        assertTrue(!generated.contains("in0[i] + in1[i]"), "no merge loop is left:\n" + generated);
    }

    @Test
    void anAddIsNotFusedWhereTheSumWouldChange() throws java.io.IOException {
        GraphModel graph = new GraphModel(6, 6, 3)
                .layer("stem", conv(4, 3, 1, true, "linear"))
                // a convolution with its own ReLU: the ReLU comes before the add, so it cannot join
                .layer("activated", conv(4, 3, 1, true, "relu"))
                .merge("sum", MergeOp.ADD, "stem", "activated")
                // a convolution whose output another layer also reads
                .layer("shared", conv(4, 3, 1, true, "linear"))
                .merge("sum2", MergeOp.ADD, "sum", "shared")
                .merge("sum3", MergeOp.ADD, "sum2", "shared")
                // an Add of three
                .layer("third", conv(4, 1, 1, true, "linear"))
                .merge("sum4", MergeOp.ADD, "sum3", "third", "stem")
                // a dilated convolution (not on the kernels), and a convolution added to itself
                .layer("dilated", new RefLayer.Conv2D(4, 3, 3, 1, 1, 2, 2, true, "linear", true))
                .merge("sum5", MergeOp.ADD, "sum4", "dilated")
                .layer("twice", conv(4, 1, 1, true, "linear"))
                .merge("sum6", MergeOp.ADD, "twice", "twice")
                // a max pool after the convolution, then the add
                .layer("pooled", conv(4, 3, 1, true, "linear"), "sum6")
                .layer("pool", new RefLayer.MaxPool(2, 2, 2, 2, false))
                .layer("down", new RefLayer.MaxPool(2, 2, 2, 2, false), "sum6")
                .merge("sum7", MergeOp.ADD, "pool", "down")
                .layer("flat", new RefLayer.Flatten())
                .layer("out", new RefLayer.Dense(3, "linear", true));
        assertMatchesReference(graph, "Unfused", 6 * 6 * 3);
        String generated = generated(graph, "Unfused2");
        assertTrue(!generated.contains("added as the kernels store"), generated);
    }

    @Test
    void anAddOfTwoConvolutionsJoinsTheFirstAndTheOtherIsItsResidual() throws java.io.IOException {
        GraphModel graph = new GraphModel(5, 5, 2)
                .layer("left", conv(8, 3, 1, true, "linear"))
                .layer("right", conv(8, 1, 1, true, "linear"), "input")
                .merge("sum", MergeOp.ADD, "left", "right")
                .layer("relu", new RefLayer.ActivationLayer("relu"))
                .layer("gap", new RefLayer.GlobalAvgPool())
                .layer("out", new RefLayer.Dense(2, "softmax", true));
        assertMatchesReference(graph, "TwoConvs", 5 * 5 * 2);
        String generated = generated(graph, "TwoConvs2");
        assertTrue(generated.contains("left + sum + relu: Conv2D 8 filters") && generated.contains("plus right (sum,"),
                generated);
    }

    @Test
    void aUNetSkipAndADenseBlockMatchTheReference() {
        GraphModel graph = new GraphModel(8, 8, 2)
                .layer("down", conv(4, 3, 1, true, "relu"))
                .layer("pool", new RefLayer.MaxPool(2, 2, 2, 2, false))
                .layer("mid", conv(4, 3, 1, true, "relu"))
                .layer("mid2", conv(4, 3, 1, true, "relu"))
                .merge("dense1", MergeOp.CONCATENATE, "pool", "mid", "mid2")
                .layer("padded", new RefLayer.ZeroPadding(4, 4, 4, 4))
                .layer("back", conv(4, 5, 1, false, "linear"))
                .merge("skip", MergeOp.CONCATENATE, "down", "back", "input")
                .layer("head", conv(2, 1, 1, false, "sigmoid"))
                .layer("flat", new RefLayer.Flatten())
                .layer("drop", new RefLayer.Dropout(0.5))
                .layer("out", new RefLayer.Dense(3, "softmax", true));
        assertMatchesReference(graph, "SkipNet", 8 * 8 * 2);
    }

    @Test
    void forwardAllocatesNothingAndForwardByLayerNamesEveryStep() throws ReflectiveOperationException {
        String probe = """
                package graph;
                public final class Probe {
                    public static long allocatedBytes(TinyResNetForward net, float[] in, float[] out, int calls) {
                        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                                java.lang.management.ManagementFactory.getThreadMXBean();
                        long before = threads.getCurrentThreadAllocatedBytes();
                        for (int i = 0; i < calls; i++) {
                            net.forward(in, out);
                        }
                        return threads.getCurrentThreadAllocatedBytes() - before;
                    }
                }
                """;
        CompiledModel model = CompiledModel.compile("graph.TinyResNet",
                JavaFileObjects.forSourceString("graph.TinyResNet", TINY_RESNET),
                JavaFileObjects.forSourceString("graph.Probe", probe));
        Object net = model.instance(tinyResNet().parameters(3)).target();
        Method allocated = model.load("graph.Probe").getMethod("allocatedBytes", model.forwardClass(),
                float[].class, float[].class, int.class);
        float[] in = RandomModels.input(32 * 32 * 3, 1);
        float[] out = new float[10];
        allocated.invoke(null, net, in, out, 3_000); // warm-up
        assertEquals(0L, allocated.invoke(null, net, in, out, 2_000), "bytes allocated by 2,000 forward calls");

        @SuppressWarnings("unchecked")
        Map<String, float[]> byLayer = (Map<String, float[]>) model.forwardClass().getMethod("forwardByLayer",
                float[].class).invoke(net, (Object) in);
        // a2 + sum1 + relu1 and b2 + sum2 are single steps (the Add fused into the convolution's store); b2's
        // runs where sum2 is declared, after proj, the residual it adds
        assertEquals(java.util.List.of("stem", "a1", "a2 + sum1 + relu1", "b1", "proj", "b2 + sum2", "gap", "output"),
                java.util.List.copyOf(byLayer.keySet()));
        float[] last = byLayer.get("output");
        for (int i = 0; i < out.length; i++) {
            assertEquals(out[i], last[i], 1e-6f, "forwardByLayer's last entry is forward's output");
        }
    }

    // ------------------------------------------------------------------ errors

    private static Compilation compile(JavaFileObject source) {
        return Compiler.javac().withProcessors(new NetForgeProcessor()).compile(source);
    }

    private static JavaFileObject model(String name, String... fields) {
        return JavaFileObjects.forSourceString("graph." + name, "package graph;\nimport dev.netforge.*;\n"
                + "@Model(input = {8, 8, 3})\npublic class " + name + " {\n" + String.join("\n", fields) + "\n}\n");
    }

    private static final String STEM = "    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer stem;";
    private static final String HEAD = "    @GlobalAveragePooling2D Layer gap;";

    @Test
    void anUnknownNameIsAnErrorOnFromWithTheNearMiss() {
        JavaFileObject source = model("Unknown", STEM,
                "    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer a2;",
                "    @Add @From({\"Stem\", \"a2\"}) Layer sum;", HEAD);
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("[netforge.from] sum: @From names \"Stem\", which is neither a"
                + " layer field of Unknown nor \"input\"; did you mean \"stem\"?").inFile(source)
                .onLineContaining("@From({\"Stem\"");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void aLaterOrOwnNameIsAnError() {
        JavaFileObject source = model("Later", STEM,
                "    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) @From(\"a2\") Layer a1;",
                "    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) @From(\"a2\") Layer a2;",
                "    @Add @From({\"a1\", \"stem\"}) Layer sum;", HEAD);
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("a1: @From names \"a2\", declared after it; a layer takes only"
                + " layers declared before it").inFile(source).onLineContaining("Layer a1;");
        assertThat(compilation).hadErrorContaining("a2: @From names \"a2\", the layer itself").inFile(source)
                .onLineContaining("Layer a2;");
    }

    @Test
    void wrongInputCountsAreErrors() {
        JavaFileObject source = model("Counts", STEM,
                "    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer a;",
                "    @Add Layer noFrom;",
                "    @Subtract @From({\"stem\", \"a\", \"noFrom\"}) Layer three;",
                "    @Conv2D(filters = 4, kernel = 1) @From({\"stem\", \"three\"}) Layer two;",
                "    @Concatenate @From(\"two\") Layer one;", HEAD);
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("noFrom: @Add merges two or more layers: name them with @From")
                .inFile(source).onLineContaining("Layer noFrom;");
        assertThat(compilation).hadErrorContaining("three: @Subtract takes exactly two inputs (the first minus the"
                + " second), but @From names 3").inFile(source).onLineContaining("Layer three;");
        assertThat(compilation).hadErrorContaining("two: @Conv2D takes exactly one input, but @From names 2")
                .inFile(source).onLineContaining("Layer two;");
        assertThat(compilation).hadErrorContaining("one: @Concatenate takes two or more inputs, but @From names 1")
                .inFile(source).onLineContaining("Layer one;");
    }

    @Test
    void mergedShapesThatDifferAreAnErrorWithEveryInputsTrail() {
        JavaFileObject source = model("Shapes", STEM,
                "    @Conv2D(filters = 16, kernel = 3, strides = 2, padding = Padding.SAME) Layer down;",
                "    @Add @From({\"stem\", \"down\"}) Layer sum;",
                "    @Conv2D(filters = 8, kernel = 3) @From(\"stem\") Layer valid;",
                "    @Concatenate @From({\"stem\", \"valid\"}) Layer joined;",
                "    @Add @From({\"sum\", \"joined\"}) Layer both;", HEAD);
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("[netforge.merge-shapes] sum: @Add needs inputs of identical shape"
                + " (no broadcasting, as in Keras); found stem 8x8x16, down 4x4x16. Shape trails: stem: 8x8x3 -> stem"
                + " 8x8x16; down: 8x8x3 -> stem 8x8x16 -> down 4x4x16").inFile(source).onLineContaining("Layer sum;");
        assertThat(compilation).hadErrorContaining("joined: @Concatenate needs inputs of the same rank that agree in"
                + " every axis but the channels").inFile(source).onLineContaining("Layer joined;");
        assertThat(compilation).hadErrorCount(2); // "both" takes unknown shapes: nothing more to say
    }

    @Test
    void aLayerWhoseOutputReachesNothingIsAnError() {
        JavaFileObject source = model("Unused", STEM,
                "    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer dangling;",
                "    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) @From(\"stem\") Layer a;",
                "    @Add @From({\"stem\", \"a\"}) Layer sum;", HEAD);
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("[netforge.unused-layer] dangling: its output reaches no later layer")
                .inFile(source).onLineContaining("Layer dangling;");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void aFieldCalledInputIsAnErrorOnlyWhereInputNamesTheModelsInput() {
        JavaFileObject graph = model("InputField",
                "    @Conv2D(filters = 3, kernel = 3, padding = Padding.SAME) Layer input;",
                "    @Add @From({\"input\", \"input\"}) Layer twice;", HEAD);
        assertThat(compile(graph)).hadErrorContaining("input: in a model that uses @From or a merging layer, \"input\""
                + " names the model's input").inFile(graph).onLineContaining("Layer input;");
        JavaFileObject chain = model("InputChain",
                "    @Conv2D(filters = 3, kernel = 3, padding = Padding.SAME) Layer input;", HEAD);
        assertThat(compile(chain)).succeededWithoutWarnings();
    }

    @Test
    void fromOnAFieldWithoutALayerIsAnError() {
        JavaFileObject source = model("Stray", STEM, "    @From(\"stem\") Layer nothing;", HEAD);
        assertThat(compile(source)).hadErrorContaining("nothing: @From names a layer's inputs, but this field declares"
                + " no layer").inFile(source).onLineContaining("Layer nothing;");
    }

    @Test
    void fromInputOnTheFirstLayerIsRedundantAndLegalAndKeepsWeightsImport() {
        JavaFileObject source = model("Redundant",
                "    @Conv2D(filters = 3, kernel = 3, padding = Padding.SAME) @From(\"input\") Layer first;", HEAD);
        assertThat(compile(source)).succeededWithoutWarnings();
    }
}
