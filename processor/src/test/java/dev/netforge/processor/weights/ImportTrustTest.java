package dev.netforge.processor.weights;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netforge.importer.RealFileVariants.insertAfter;
import static dev.netforge.importer.RealFileVariants.layer;
import static dev.netforge.importer.RealFileVariants.set;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.importer.Importer;
import dev.netforge.importer.ModelScaffold;
import dev.netforge.importer.RealFileVariants;
import dev.netforge.processor.NetForgeProcessor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Model(weights)} compiles only when the file holds exactly the declared model: variants
 * of the real files (a layer added, an activation changed) are compile errors on the model or on
 * the attribute at fault, and layers that are the identity at inference are skipped and named in
 * the summary. The declared class is the scaffold of the unedited file, as a user has it before
 * retraining.
 */
class ImportTrustTest {
    @TempDir
    Path resources;

    private static final Path MNIST_H5 = RealFileVariants.kerasModel("kilj4eden_mnist", "mnist.h5");
    private static final Path MNIST_KERAS = RealFileVariants.kerasModel("moonflower_mnist_keras", "mnist_model.keras");

    /** Compiles the scaffold of {@code real} with {@code weights = "variant.<ext>"}, the edited file. */
    private Compilation compileAgainstVariant(Path real, Consumer<List<Map<String, Object>>> edit, JavaFileObject[] out)
            throws IOException {
        String name = String.valueOf(real.getFileName());
        String variant = "variant" + name.substring(name.lastIndexOf('.'));
        RealFileVariants.save(resources.resolve("trust"), variant, RealFileVariants.keras(real, edit));
        String scaffold = ModelScaffold.javaSource(Importer.read(real), "Net");
        String source = "package trust;\n" + scaffold.replaceFirst("@Model\\(input = (\\{[0-9, ]*\\})\\)",
                "@Model(input = $1, weights = \"" + variant + "\")");
        out[0] = JavaFileObjects.forSourceString("trust.Net", source);
        return compile(out[0]);
    }

    private Compilation compile(JavaFileObject source) {
        List<File> classPath = new ArrayList<>();
        classPath.add(resources.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry));
        }
        return Compiler.javac().withProcessors(new NetForgeProcessor()).withClasspath(classPath).compile(source);
    }

    @Test
    void anExtraLayerInARealKeras2FileIsAnErrorOnTheModel() throws IOException {
        JavaFileObject[] source = new JavaFileObject[1];
        Compilation compilation = compileAgainstVariant(MNIST_H5, insertAfter("conv2d",
                layer("UnitNormalization", "unit_norm", "axis", -1L)), source);
        assertThat(compilation).hadErrorContaining("[netforge.weights] file layer 'unit_norm' (UnitNormalization)"
                + " after 'conv2d' in \"variant.h5\" has no counterpart in Net").inFile(source[0])
                .onLineContaining("@Model(");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void aChangedActivationInARealKeras3FileIsAnErrorOnThatAttribute() throws IOException {
        JavaFileObject[] source = new JavaFileObject[1];
        Compilation compilation = compileAgainstVariant(MNIST_KERAS, set("conv2d_1", "activation", "elu"), source);
        assertThat(compilation).hadErrorContaining("[netforge.weights] conv2d_1: activation RELU, but the file's"
                + " conv2d_1 uses elu").inFile(source[0]).onLineContaining("Layer conv2d_1;");
        assertThat(compilation).hadErrorCount(1);
        // on the attribute itself, so an IDE underlines "activation = Activation.RELU"
        String line = source[0].getCharContent(false).toString().lines()
                .filter(l -> l.contains("Layer conv2d_1;")).findFirst().orElseThrow();
        long column = compilation.errors().get(0).getColumnNumber();
        int start = line.indexOf("Activation.RELU") + 1;
        assertTrue(column >= start && column < start + "Activation.RELU".length(), column + " in " + line);
    }

    @Test
    void identityLayersAreSkippedAndTheSummarySaysSo() throws IOException {
        JavaFileObject[] source = new JavaFileObject[1];
        Compilation compilation = compileAgainstVariant(MNIST_KERAS, insertAfter("conv2d",
                layer("GaussianNoise", "noise", "stddev", 0.1)), source);
        assertThat(compilation).succeeded();
        String generated = compilation.generatedSourceFiles().stream().map(f -> {
            try {
                return f.getCharContent(false).toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).reduce("", String::concat);
        assertTrue(generated.contains("its layers noise (GaussianNoise) are the identity at inference and were"
                + " skipped"), generated);
    }

    @Test
    void aChangedOperatorInTheRealOnnxFileIsAnErrorOnThatAttribute() throws IOException {
        RealFileVariants.save(resources.resolve("trust"), "tanh.onnx", RealFileVariants.onnxWithOperator("Relu", "Tanh"));
        JavaFileObject source = JavaFileObjects.forSourceLines("trust.Fashion",
                "package trust;",
                "import dev.netforge.*;",
                "@Model(input = {28, 28, 1}, weights = \"tanh.onnx\")",
                "public class Fashion {",
                "    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;",
                "    @MaxPool(2) Layer pool1;",
                "    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;",
                "    @MaxPool(2) Layer pool2;",
                "    @Flatten Layer flatten;",
                "    @Dense(units = 128, activation = Activation.RELU) Layer dense1;",
                "    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;",
                "}");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("[netforge.weights] conv1: activation RELU, but the file's")
                .inFile(source).onLineContaining("Layer conv1;");
        assertThat(compilation).hadErrorContaining("uses tanh");
        assertThat(compilation).hadErrorCount(1);
    }

    private static final String FASHION_LAYERS = String.join("\n",
            "    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;",
            "    @MaxPool(2) Layer pool1;",
            "    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;",
            "    @MaxPool(2) Layer pool2;",
            "    @Flatten Layer flatten;",
            "    @Dense(units = 128, activation = Activation.RELU) Layer dense1;",
            "    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;",
            "}");

    @Test
    void theGoldenCheckRunsAtCompileTime() throws IOException {
        Path dir = resources.resolve("golden");
        java.nio.file.Files.createDirectories(dir);
        for (String f : List.of("fashion_mnist.onnx", "golden-input.f32")) {
            java.nio.file.Files.copy(Path.of("src/test/resources/weights").resolve(f), dir.resolve(f));
        }
        byte[] output = java.nio.file.Files.readAllBytes(Path.of("src/test/resources/weights/golden-output.f32"));
        java.nio.file.Files.write(dir.resolve("golden-output.f32"), output);
        JavaFileObject good = JavaFileObjects.forSourceString("golden.Good", "package golden;\nimport dev.netforge.*;\n"
                + "@Model(input = {28, 28, 1}, weights = \"fashion_mnist.onnx\", golden = \"golden\")\n"
                + "public class Good {\n" + FASHION_LAYERS);
        assertThat(compile(good)).succeeded();

        // the framework's output as a file would give it for another preprocessing: class 3 made larger
        java.nio.ByteBuffer.wrap(output).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(12, 0.5f);
        java.nio.file.Files.write(dir.resolve("golden-output.f32"), output);
        JavaFileObject bad = JavaFileObjects.forSourceString("golden.Bad", "package golden;\nimport dev.netforge.*;\n"
                + "@Model(input = {28, 28, 1}, weights = \"fashion_mnist.onnx\",\n       golden = \"golden\")\n"
                + "public class Bad {\n" + FASHION_LAYERS);
        Compilation compilation = compile(bad);
        assertThat(compilation).hadErrorContaining("[netforge.weights] golden check failed: the declared network with"
                + " these weights gives output[3] = ").inFile(bad).onLineContaining("golden = \"golden\"");
        assertThat(compilation).hadErrorContaining("where the training framework gave 0.5");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void aBundleThatCannotBeLoadedFailsWithItsMessageOnEveryAttempt() throws Exception {
        // CompiledModel's class loader serves the classes but not the bundled resource
        dev.netforge.processor.testing.CompiledModel model = dev.netforge.processor.testing.CompiledModel.compile(
                "weights.Right", JavaFileObjects.forSourceString("weights.Right", "package weights;\n"
                        + "import dev.netforge.*;\n@Model(input = {28, 28, 1}, weights = \"fashion_mnist.onnx\")\n"
                        + "public class Right {\n" + FASHION_LAYERS));
        Class<?> weights = java.util.Arrays.stream(model.forwardClass().getClasses())
                .filter(c -> c.getSimpleName().equals("Weights")).findFirst().orElseThrow();
        java.lang.reflect.Method bundled = weights.getMethod("bundled");
        for (int attempt = 0; attempt < 3; attempt++) {
            java.lang.reflect.InvocationTargetException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.lang.reflect.InvocationTargetException.class, () -> bundled.invoke(null));
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("RightForward.weights not found"), e.getCause().getMessage());
        }
    }

    private static final Path RESNET8 = RealFileVariants.kerasModel("mlperftiny_resnet8", "pretrainedResnet.h5");

    /** The real ResNet-8's scaffold against its own file, a variant, and its golden output. */
    private Compilation compileResNet(byte[] weights, boolean golden, JavaFileObject[] out) throws IOException {
        Path dir = resources.resolve("resnet");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve("resnet8.h5"), weights);
        if (golden) {
            java.nio.file.Files.copy(RealFileVariants.kerasModel("mlperftiny_resnet8", "inputs0.f32"), dir.resolve("golden-input.f32"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.copy(RealFileVariants.kerasModel("mlperftiny_resnet8", "outputs0.f32"), dir.resolve("golden-output.f32"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String scaffold = ModelScaffold.javaSource(Importer.read(RESNET8), "ResNet8");
        String source = "package resnet;\n" + scaffold.replaceFirst("@Model\\(input = (\\{[0-9, ]*\\})\\)",
                "@Model(input = $1, weights = \"resnet8.h5\"" + (golden ? ", golden = \"golden\"" : "") + ")");
        out[0] = JavaFileObjects.forSourceString("resnet.ResNet8", source);
        return compile(out[0]);
    }

    @Test
    void aRealResidualNetworkImportsWithItsGoldenOutputCheckedAtCompileTime() throws IOException {
        JavaFileObject[] source = new JavaFileObject[1];
        Compilation compilation = compileResNet(java.nio.file.Files.readAllBytes(RESNET8), true, source);
        assertThat(compilation).succeeded();
        assertTrue(compilation.generatedFiles().stream().anyMatch(f -> f.getName().endsWith("ResNet8Forward.weights")));
    }

    @Test
    void aShortcutTakenFromAnotherLayerIsAnErrorOnFrom() throws IOException {
        // in the file, the first residual block's shortcut starts one layer later
        byte[] variant = RealFileVariants.keras(RESNET8, RealFileVariants.rewire("add", "activation", "activation_1"));
        JavaFileObject[] source = new JavaFileObject[1];
        Compilation compilation = compileResNet(variant, false, source);
        assertThat(compilation).hadErrorContaining("[netforge.weights] add: takes activation, batch_normalization_2,"
                + " but the file's add takes activation_1, batch_normalization_2").inFile(source[0])
                .onLineContaining("Layer add;");
        assertThat(compilation).hadErrorCount(1);
    }
}
