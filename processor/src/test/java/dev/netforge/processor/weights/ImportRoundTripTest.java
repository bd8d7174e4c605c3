package dev.netforge.processor.weights;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import javax.tools.JavaFileObject;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.importer.ImportedModel;
import dev.netforge.importer.Importer;
import dev.netforge.importer.ModelScaffold;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.testing.CompiledModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The import paths end to end. The real Keras files of {@code ../shared/keras-models} (copied into
 * the importer's test resources with their licences): scaffold the NetForge class from each file,
 * compile it with the processor, load the file's weights, and compare with the reference outputs
 * computed without Keras (tolerance 1e-5). And compile-time weights that do not fit: errors on the
 * fields, with expected and actual shapes.
 */
class ImportRoundTripTest {
    static final Path KERAS_MODELS = Path.of("../importer/src/test/resources/keras-models");

    @ParameterizedTest
    @ValueSource(strings = {"kilj4eden_mnist/mnist.h5", "moonflower_mnist_keras/mnist_model.keras",
        "erenaktuerk_cifar10_bn/cifar10_cnn_model.h5", "mlperftiny_resnet8/pretrainedResnet.h5"})
    void scaffoldCompileLoadCompare(String file) throws IOException {
        Path path = KERAS_MODELS.resolve(file);
        ImportedModel imported = Importer.read(path);
        String source = "package test;\n" + ModelScaffold.javaSource(imported, "Scaffolded");
        CompiledModel model = CompiledModel.compile("test", "Scaffolded", source);
        CompiledModel.Instance net = model.instance(imported.parameters());
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            float[] input = floats(path.resolveSibling("inputs" + i + ".f32"));
            float[] expected = floats(path.resolveSibling("outputs" + i + ".f32"));
            float[] actual = new float[expected.length];
            net.forward(input, actual);
            for (int j = 0; j < expected.length; j++) {
                worst = Math.max(worst, Math.abs(actual[j] - expected[j]));
            }
        }
        System.out.println(file + ": largest abs error " + worst + "\n" + source);
        assertTrue(worst <= 1e-5, file + ": largest abs error " + worst);
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
