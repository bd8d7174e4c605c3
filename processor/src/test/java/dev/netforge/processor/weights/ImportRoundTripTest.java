package dev.netforge.processor.weights;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import javax.tools.JavaFileObject;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.importer.Importer;
import dev.netforge.importer.Scaffold;
import dev.netforge.processor.NetForgeProcessor;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The import paths end to end. The four real Keras files of the importer's test resources (with
 * their licences): scaffold the NetForge class from each file with the scaffold command, compile it
 * unchanged with the processor, which bundles the file's weights, load them, and compare with the
 * reference outputs computed without Keras (tolerance 1e-5). And compile-time weights that do not fit: errors on the
 * fields, with expected and actual shapes.
 */
class ImportRoundTripTest {
    static final Path KERAS_MODELS = Path.of("../importer/src/test/resources/keras-models");

    /**
     * What a user runs: the scaffold command writes the class (a package line, {@code weights =} the
     * file) into a source root and copies the file into the resources beside it; the class, unchanged,
     * compiles with the processor (-Xlint:all -Werror), which reads the file from the resources on the
     * class path and bundles it; {@code new ScaffoldedForward()} loads the bundle and reproduces the
     * reference outputs. The parameter vector the importer reads gives the same outputs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"kilj4eden_mnist/mnist.h5", "moonflower_mnist_keras/mnist_model.keras",
        "erenaktuerk_cifar10_bn/cifar10_cnn_model.h5", "mlperftiny_resnet8/pretrainedResnet.h5"})
    void scaffoldCompileLoadCompare(String file, @TempDir Path project) throws Exception {
        Path path = KERAS_MODELS.resolve(file);
        String name = path.getFileName().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Scaffold.run(new String[] {"scaffold", path.toString(), "--package", "test", "--class", "Scaffolded",
            "--out", project.resolve("src/main/java").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String source = Files.readString(project.resolve("src/main/java/test/Scaffolded.java"));
        assertTrue(source.startsWith("package test;\n\nimport dev.netforge.*;\n@Model(input = {"), source);
        assertTrue(source.contains(", weights = \"" + name + "\")\npublic class Scaffolded {\n"), source);
        Path resources = project.resolve("src/main/resources");
        assertArrayEquals(Files.readAllBytes(path), Files.readAllBytes(resources.resolve("test").resolve(name)));

        Compilation compilation = compile(resources, JavaFileObjects.forSourceString("test.Scaffolded", source));
        assertThat(compilation).succeededWithoutWarnings();
        Path classes = writeOutput(compilation, Files.createDirectories(project.resolve("classes")));
        double worst;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ImportRoundTripTest.class.getClassLoader())) {
            Class<?> forward = Class.forName("test.ScaffoldedForward", true, loader);
            Object bundled = forward.getConstructor().newInstance();
            Object fromVector = forward.getConstructor(float[].class).newInstance((Object) Importer.read(path).parameters());
            Method call = forward.getMethod("forward", float[].class, float[].class);
            worst = Math.max(largestError(path, bundled, call), largestError(path, fromVector, call));
        }
        System.out.println(file + ": largest abs error " + worst + "\n" + source);
        assertTrue(worst <= 1e-5, file + ": largest abs error " + worst);
    }

    /** The largest difference from the reference outputs over the five reference inputs. */
    private static double largestError(Path path, Object net, Method forward) throws Exception {
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            float[] input = floats(path.resolveSibling("inputs" + i + ".f32"));
            float[] expected = floats(path.resolveSibling("outputs" + i + ".f32"));
            float[] actual = new float[expected.length];
            forward.invoke(net, input, actual);
            for (int j = 0; j < expected.length; j++) {
                worst = Math.max(worst, Math.abs(actual[j] - expected[j]));
            }
        }
        return worst;
    }

    /** Compiles as a strict user's build: -Xlint:all -Werror, {@code resources} on the class path. */
    private static Compilation compile(Path resources, JavaFileObject source) {
        List<File> classPath = new ArrayList<>();
        classPath.add(resources.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry));
        }
        return Compiler.javac().withProcessors(new NetForgeProcessor()).withClasspath(classPath)
                .withOptions("-Xlint:all", "-Werror").compile(source);
    }

    /** The compilation's class output (classes and the bundle), written where a class loader can read it. */
    private static Path writeOutput(Compilation compilation, Path out) throws IOException {
        for (JavaFileObject file : compilation.generatedFiles()) {
            String path = file.toUri().getPath();
            int at = path.indexOf("CLASS_OUTPUT/");
            if (at < 0) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = file.openInputStream()) {
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

    @Test
    void weightsThatDoNotFitAreCompileErrorsOnTheFields() {
        JavaFileObject source = JavaFileObjects.forSourceLines("weights.Wrong",
                "package weights;",
                "import dev.netforge.*;",
                "@Model(input = {28, 28, 1}, weights = \"fashion_mnist.onnx\")",
                "public class Wrong {",
                "    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;",
                "    @MaxPool(2) Layer pool1;",
                "    @Conv2D(filters = 48, kernel = 3, activation = Activation.RELU) Layer conv2;",
                "    @MaxPool(2) Layer pool2;",
                "    @Flatten Layer flatten;",
                "    @Dense(units = 128, activation = Activation.RELU) Layer dense1;",
                "    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;",
                "}");
        Compilation compilation = Compiler.javac().withProcessors(new NetForgeProcessor()).compile(source);
        assertThat(compilation).hadErrorContaining("[netforge.weights] conv2: filters 48, but the file's conv2d_1 has 64")
                .inFile(source).onLineContaining("Layer conv2;");
        assertThat(compilation).hadErrorContaining("dense1: expected Dense weights (1200, 128) + (128,), found Dense"
                + " 'dense' with (1600, 128) + (128,) in \"fashion_mnist.onnx\"").inFile(source)
                .onLineContaining("Layer dense1;");
        assertThat(compilation).hadErrorCount(2);
    }

    @Test
    void fittingWeightsAreBundled() {
        JavaFileObject source = JavaFileObjects.forSourceLines("weights.Right",
                "package weights;",
                "import dev.netforge.*;",
                "@Model(input = {28, 28, 1}, weights = \"fashion_mnist.onnx\")",
                "public class Right {",
                "    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;",
                "    @MaxPool(2) Layer pool1;",
                "    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;",
                "    @MaxPool(2) Layer pool2;",
                "    @Flatten Layer flatten;",
                "    @Dense(units = 128, activation = Activation.RELU) Layer dense1;",
                "    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;",
                "}");
        Compilation compilation = Compiler.javac().withProcessors(new NetForgeProcessor())
                .withOptions("-Xlint:all", "-Werror").compile(source);
        assertThat(compilation).succeededWithoutWarnings();
        assertTrue(compilation.generatedFiles().stream().anyMatch(f -> f.getName().endsWith("RightForward.weights")));
    }

    @Test
    void aMissingOrCorruptWeightsFileIsAnErrorOnTheAttribute() {
        JavaFileObject source = JavaFileObjects.forSourceLines("weights.Missing",
                "package weights;",
                "import dev.netforge.*;",
                "@Model(input = {4},",
                "       weights = \"no-such-file.onnx\")",
                "public class Missing {",
                "    @Dense(units = 2) Layer out;",
                "}");
        Compilation compilation = Compiler.javac().withProcessors(new NetForgeProcessor()).compile(source);
        assertThat(compilation).hadErrorContaining("[netforge.weights] weights \"no-such-file.onnx\" not found")
                .inFile(source).onLineContaining("no-such-file.onnx");
        assertThat(compilation).hadErrorCount(1);
    }

    static float[] floats(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

}
