package dev.netforge.processor.graph;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netforge.processor.graph.OnnxSemantics.binary;
import static dev.netforge.processor.graph.OnnxSemantics.clip;
import static dev.netforge.processor.graph.OnnxSemantics.concatChannels;
import static dev.netforge.processor.graph.OnnxSemantics.conv;
import static dev.netforge.processor.graph.OnnxSemantics.convTranspose;
import static dev.netforge.processor.graph.OnnxSemantics.relu;
import static dev.netforge.processor.graph.OnnxSemantics.sigmoid;
import static dev.netforge.processor.graph.OnnxSemantics.toNhwc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.importer.ImportedModel;
import dev.netforge.importer.Importer;
import dev.netforge.importer.ModelScaffold;
import dev.netforge.importer.OnnxGraphs;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.graph.OnnxSemantics.Op;
import dev.netforge.processor.graph.OnnxSemantics.T;
import dev.netforge.processor.testing.CompiledModel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX graphs as PyTorch and tf2onnx write them (the importer's test graphs, {@link OnnxGraphs}):
 * the scaffold's class compiles unchanged, from the parameter vector and bundling the file with
 * {@code @Model(weights)}, and its forward pass gives what the ONNX operators give (1e-5). The
 * expected outputs are computed here from ONNX's definitions on N x C x H x W tensors with the
 * ONNX weights ({@link OnnxSemantics}), then moved to NetForge's H x W x C: nothing of NetForge's
 * code or the importer's conversions is used for them.
 */
class OnnxGraphImportTest {
    @TempDir
    Path project;

    /** One graph: its file, its NetForge input size, and its output from an NCHW input (ONNX's semantics). */
    private record Graph(byte[] file, int[] chw, boolean nhwcInput, Function<T, T> onnx) {
    }

    private static Graph graph(String name) {
        switch (name) {
            case "resnet": {
                float[][] w = OnnxGraphs.resnetWeights();
                int[] same = {1, 1, 1, 1};
                return new Graph(OnnxGraphs.resnet(w).build(), new int[] {4, 7, 9}, false, x -> {
                    T c1 = relu(conv(x, w[0], 4, 3, 3, w[1], 1, same));
                    T a = relu(conv(c1, w[2], 4, 3, 3, w[3], 1, same));
                    T a2 = conv(a, w[4], 4, 3, 3, w[5], 1, same);
                    T s1 = relu(binary(Op.ADD, a2, c1));
                    T b = relu(conv(s1, w[6], 8, 3, 3, w[7], 2, same));
                    T b2 = conv(b, w[8], 8, 3, 3, w[9], 1, same);
                    T p = conv(s1, w[10], 8, 1, 1, w[11], 2, new int[4]);
                    T s2 = relu(binary(Op.ADD, b2, p));
                    return OnnxSemantics.gemmTransB(OnnxSemantics.globalAveragePool(s2), w[12], 3, w[13]);
                });
            }
            case "unet": {
                float[][] w = OnnxGraphs.unetWeights();
                return new Graph(OnnxGraphs.unet(w).build(), new int[] {2, 8, 6}, false, x -> {
                    T e = relu(conv(x, w[0], 4, 3, 3, w[1], 1, new int[] {1, 1, 1, 1}));
                    T m = relu(conv(OnnxSemantics.maxPool(e, 2, 2), w[2], 8, 3, 3, w[3], 1, new int[] {1, 1, 1, 1}));
                    T u = convTranspose(m, w[4], 4, 2, 2, w[5], 2, new int[4], new int[2]);
                    return sigmoid(conv(concatChannels(u, e), w[6], 3, 1, 1, w[7], 1, new int[4]));
                });
            }
            case "generator": {
                float[][] w = OnnxGraphs.generatorWeights();
                return new Graph(OnnxGraphs.generator(w).build(), new int[] {5}, false, z -> {
                    T g = OnnxSemantics.gemmTransB(z, w[0], 12, w[1]);
                    T r = relu(OnnxSemantics.batchNorm(g, w[2], w[3], w[4], w[5], 1e-5f));
                    T img = OnnxSemantics.reshape(r, 3, 2, 2);
                    return OnnxSemantics.tanh(convTranspose(img, w[6], 2, 3, 3, null, 2, new int[4], new int[2]));
                });
            }
            case "tf2onnx": {
                float[][] w = OnnxGraphs.tf2onnxWeights();
                // the ONNX input is N x H x W x C: transposed to N x C x H x W for the Conv, back for the flatten
                return new Graph(OnnxGraphs.tf2onnx(w).build(), new int[] {4, 5, 2}, true, nhwc -> {
                    T x = OnnxSemantics.toNchw(nhwc.v(), 4, 5, 2);
                    T c = relu(conv(x, w[0], 3, 3, 3, w[1], 1, new int[] {1, 1, 1, 1}));
                    T flat = OnnxSemantics.reshape(toNhwc(c), 60);
                    return OnnxSemantics.softmax(OnnxSemantics.matMulAdd(flat, w[2], 2, w[3]));
                });
            }
            case "mixed": {
                float[][] w = OnnxGraphs.mixedWeights();
                return new Graph(OnnxGraphs.mixed(w).build(), new int[] {2, 4, 6}, false, x -> {
                    T c6 = clip(conv(x, w[0], 3, 3, 3, w[1], 1, new int[] {1, 1, 1, 1}), 0, 6);
                    T l = OnnxSemantics.leakyRelu(c6, 0.2f);
                    T s = sigmoid(c6);
                    T d = binary(Op.SUB, l, s);
                    T p = binary(Op.MUL, d, s);
                    T mx = binary(Op.MAX, p, l);
                    T mn = binary(Op.MIN, mx, s);
                    T av = OnnxSemantics.mean(mn, l, s);
                    T sm = OnnxSemantics.sum(av, av, d);
                    T up = OnnxSemantics.resizeNearest(OnnxSemantics.maxPool(sm, 2, 2), 2, 2, "half_pixel", "round_prefer_floor");
                    T cb = conv(concatChannels(up, sm), w[2], 2, 1, 1, w[3], 1, new int[4]);
                    T fs = binary(Op.ADD, OnnxSemantics.reshape(cb, 48), OnnxSemantics.reshape(x, 48));
                    return OnnxSemantics.softmax(OnnxSemantics.gemmTransB(relu(fs), w[4], 5, w[5]));
                });
            }
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /** A random input in [-1, 1), C order of {@code dims}. */
    private static T input(int[] dims, long seed) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return new T(v, dims);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet", "unet", "generator", "tf2onnx", "mixed"})
    void theScaffoldCompilesAndComputesWhatOnnxComputes(String name) throws Exception {
        Graph g = graph(name);
        String file = name + ".onnx";
        ImportedModel imported = Importer.read(g.file(), file);
        String className = "Onnx" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String scaffold = ModelScaffold.javaSource(imported, className);

        // 1. compiled from the scaffold, with the importer's parameter vector
        CompiledModel model = CompiledModel.compile("ograph", className, "package ograph;\n" + scaffold);
        CompiledModel.Instance fromVector = model.instance(imported.parameters());

        // 2. the same class bundling the file: @Model(weights) checks every layer, connection and shape against it
        Files.write(Files.createDirectories(project.resolve("resources/ograph")).resolve(file), g.file());
        String withWeights = "package ograph;\n" + scaffold.replaceFirst("@Model\\(input = (\\{[0-9, ]+\\})\\)",
                "@Model(input = $1, weights = \"" + file + "\")");
        assertTrue(withWeights.contains("weights = \"" + file + "\""), withWeights);
        List<File> classPath = new ArrayList<>(List.of(project.resolve("resources").toFile()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry));
        }
        Compilation compilation = Compiler.javac().withProcessors(new NetForgeProcessor()).withClasspath(classPath)
                .withOptions("-Xlint:all", "-Werror").compile(JavaFileObjects.forSourceString("ograph." + className, withWeights));
        assertThat(compilation).succeededWithoutWarnings();
        Path classes = writeOutput(compilation, Files.createDirectories(project.resolve("classes")));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                OnnxGraphImportTest.class.getClassLoader())) {
            Class<?> forward = Class.forName("ograph." + className + "Forward", true, loader);
            Object bundled = forward.getConstructor().newInstance();
            Method call = forward.getMethod("forward", float[].class, float[].class);
            double worst = 0;
            for (int sample = 0; sample < 3; sample++) {
                T x = input(g.chw(), 1000 + sample);
                T expected = toNhwc(g.onnx().apply(x)); // ONNX's output, moved to NetForge's H x W x C
                float[] in = g.nhwcInput() || g.chw().length == 1 ? x.v() : toNhwc(x).v();
                float[] a = new float[expected.v().length];
                float[] b = new float[expected.v().length];
                fromVector.forward(in, a);
                call.invoke(bundled, in, b);
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.max(Math.abs(a[i] - expected.v()[i]), Math.abs(b[i] - expected.v()[i])));
                }
                assertEquals(expected.v().length, model.constant("OUTPUT_SIZE"));
            }
            System.out.println(name + ": largest abs error " + worst + "\n" + scaffold);
            assertTrue(worst <= 1e-5, name + ": largest abs error " + worst + "\n" + scaffold);
        }
    }

    /**
     * ConvTranspose windows the importer takes for Keras's 'valid' or 'same' (PyTorch's padding=1 with
     * kernel 4, a kernel smaller than the stride with output_padding, ...) or for 'valid' then
     * Cropping2D (PyTorch's padding=1, output_padding=1), and nearest Resizes it takes
     * for UpSampling2D: each compiled from its scaffold and compared with ONNX's definition.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "convTranspose, 3, 2, 0 0 0 0, , valid",
        "convTranspose, 3, 2, 0 0 1 1, , same",
        "convTranspose, 4, 2, 1 1 1 1, , same",
        "convTranspose, 1, 2, 0 0 0 0, 1 1, valid",
        "convTranspose, 2, 2, 0 0 0 0, , valid",
        "convTranspose, 3, 1, 1 1 1 1, , same",
        // PyTorch's ConvTranspose2d(k 3, s 2, padding 1, output_padding 1): 'valid' then a Cropping2D
        "convTranspose, 3, 2, 1 1 1 1, 1 1, valid",
        "convTranspose, 5, 2, 2 2 2 2, 1 1, valid",
        "resize, 2, 2, asymmetric, floor, ",
        "resize, 3, 2, half_pixel, round_prefer_floor, ",
        "resize, 2, 2, align_corners, round_prefer_floor, ",
        "resize, 3, 1, tf_half_pixel_for_nn, floor, "})
    void transposedConvolutionsAndResizesComputeWhatOnnxComputes(String op, int a, int b, String c, String d, String e)
            throws Exception {
        byte[] file;
        Function<T, T> onnx;
        if (op.equals("convTranspose")) {
            int k = a;
            int s = b;
            long[] pads = java.util.Arrays.stream(c.split(" ")).mapToLong(Long::parseLong).toArray();
            long[] outPad = d == null ? null : java.util.Arrays.stream(d.split(" ")).mapToLong(Long::parseLong).toArray();
            float[] w = OnnxGraphs.data(2 * 3 * k * k, 110 + k);
            float[] bias = OnnxGraphs.data(3, 111);
            file = OnnxGraphs.convTranspose(k, s, pads, outPad, w, bias).build();
            int[] p = java.util.Arrays.stream(pads).mapToInt(x -> (int) x).toArray();
            int[] op2 = outPad == null ? new int[2] : new int[] {(int) outPad[0], (int) outPad[1]};
            onnx = x -> convTranspose(x, w, 3, k, k, bias, s, p, op2);
            ImportedModel m = Importer.read(file, "t.onnx");
            assertEquals(e, m.layers().get(0).string("padding"));
        } else {
            file = OnnxGraphs.resize(c, d, a, b).build();
            onnx = x -> OnnxSemantics.resizeNearest(x, a, b, c, d);
        }
        ImportedModel imported = Importer.read(file, "t.onnx");
        String scaffold = ModelScaffold.javaSource(imported, "Single");
        CompiledModel model = CompiledModel.compile("ograph", "Single", "package ograph;\n" + scaffold);
        CompiledModel.Instance net = model.instance(imported.parameters());
        int[] chw = op.equals("convTranspose") ? new int[] {2, 5, 4} : new int[] {2, 3, 4};
        for (int sample = 0; sample < 2; sample++) {
            T x = input(chw, 2000 + sample);
            T expected = toNhwc(onnx.apply(x));
            float[] actual = new float[expected.v().length];
            assertEquals(expected.v().length, model.constant("OUTPUT_SIZE"), scaffold);
            net.forward(toNhwc(x).v(), actual);
            for (int i = 0; i < actual.length; i++) {
                assertTrue(Math.abs(actual[i] - expected.v()[i]) <= 1e-5, i + ": " + actual[i] + " vs " + expected.v()[i]
                        + "\n" + scaffold);
            }
        }
    }

    /** The compilation's class output (classes and the bundle), written where a class loader can read it. */
    private static Path writeOutput(Compilation compilation, Path out) throws IOException {
        for (JavaFileObject f : compilation.generatedFiles()) {
            String path = f.toUri().getPath();
            int at = path.indexOf("CLASS_OUTPUT/");
            if (at < 0) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = f.openInputStream()) {
                bytes = in.readAllBytes();
            } catch (java.io.FileNotFoundException e) {
                continue; // looked for by the processor in the class output, not there
            }
            Path target = out.resolve(path.substring(at + "CLASS_OUTPUT/".length()));
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        }
        return out;
    }
}
