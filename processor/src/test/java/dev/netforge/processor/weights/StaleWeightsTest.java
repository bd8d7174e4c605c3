package dev.netforge.processor.weights;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.testing.ClassFileMethods;
import dev.netforge.runtime.StaleWeightsCheck;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A weights or golden file replaced after the model was compiled: the bundle records each file's
 * absolute path, size and SHA-256 (not the generated source), and loading it where a recorded file
 * now differs fails with a message that says to recompile; where the file is absent (a production
 * machine) or with {@code -Dnetforge.staleCheck=false} nothing is checked. And
 * {@code -Anetforge.weightsDir}, looked in before the class path.
 */
class StaleWeightsTest {
    private static final Path REAL = Path.of("src/test/resources/weights");
    private static final String LAYERS = String.join("\n",
            "    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;",
            "    @MaxPool(2) Layer pool1;",
            "    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;",
            "    @MaxPool(2) Layer pool2;",
            "    @Flatten Layer flatten;",
            "    @Dense(units = 128, activation = Activation.RELU) Layer dense1;",
            "    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;",
            "}");

    @TempDir
    Path temp;

    /** The real ONNX file and golden pair, copied to {@code <root>/stale/}. */
    private Path copyFiles(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("stale"));
        for (String f : List.of("fashion_mnist.onnx", "golden-input.f32", "golden-output.f32")) {
            Files.copy(REAL.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static JavaFileObject fresh() {
        return JavaFileObjects.forSourceString("stale.Fresh", "package stale;\nimport dev.netforge.*;\n"
                + "@Model(input = {28, 28, 1}, weights = \"fashion_mnist.onnx\", golden = \"golden\")\n"
                + "public class Fresh {\n" + LAYERS);
    }

    /** Compiles with {@code classPathRoot} (when not null) on the class path and the given options. */
    private static Compilation compile(Path classPathRoot, JavaFileObject source, String... options) {
        List<File> classPath = new ArrayList<>();
        if (classPathRoot != null) {
            classPath.add(classPathRoot.toFile());
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry));
        }
        return Compiler.javac().withProcessors(new NetForgeProcessor()).withClasspath(classPath)
                .withOptions((Object[]) options).compile(source);
    }

    /** The compilation's class output, written to a directory a class loader can serve resources from. */
    private static Path writeOutput(Compilation compilation, Path out) throws IOException {
        for (JavaFileObject file : compilation.generatedFiles()) {
            String path = file.toUri().getPath();
            int at = path.indexOf("CLASS_OUTPUT/");
            if (at < 0) {
                continue;
            }
            Path target = out.resolve(path.substring(at + "CLASS_OUTPUT/".length()));
            byte[] bytes;
            try (InputStream in = file.openInputStream()) {
                bytes = in.readAllBytes();
            } catch (java.io.FileNotFoundException e) {
                continue; // a file the processor looked for in the class output and did not find
            }
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        }
        return out;
    }

    private static byte[] generated(Compilation compilation, String suffix) {
        return compilation.generatedFiles().stream().filter(f -> f.getName().endsWith(suffix)).findFirst()
                .map(f -> {
                    try (InputStream in = f.openInputStream()) {
                        return in.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).orElseThrow(() -> new AssertionError("no " + suffix + " generated"));
    }

    /** {@code Weights.bundled()} of a fresh class loader over {@code classes} (its own static cache). */
    private static Object loadBundled(Path classes, String forward) throws Throwable {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                StaleWeightsTest.class.getClassLoader())) {
            Method bundled = Class.forName(forward + "$Weights", true, loader).getMethod("bundled");
            try {
                return bundled.invoke(null);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        return StaleWeightsCheck.hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The records of an NFW3 bundle: past the magic and three float arrays. */
    private static List<StaleWeightsCheck.Source> records(byte[] bundle) {
        ByteBuffer buffer = ByteBuffer.wrap(bundle);
        assertEquals(0x4E465733, buffer.getInt(), "magic NFW3");
        for (int i = 0; i < 3; i++) {
            int count = buffer.getInt();
            buffer.position(buffer.position() + count * 4);
        }
        return StaleWeightsCheck.read(buffer, bundle.length - 8);
    }

    /**
     * One value of the dense kernel changed in place: same size, another hash, still a valid file, and
     * a later last-modified time (set, not left to the file system's clock, which may not have ticked
     * since the compilation).
     */
    private static void retrainInPlace(Path onnx) throws IOException {
        long compiled = Files.getLastModifiedTime(onnx).toMillis();
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(onnx, bytes);
        Files.setLastModifiedTime(onnx, java.nio.file.attribute.FileTime.fromMillis(compiled + 1_000));
    }

    @Test
    void theBundleRecordsEachFilesPathSizeTimeAndHashAndTheSourceNoPath() throws Exception {
        Path dir = copyFiles(temp);
        Compilation compilation = compile(temp, fresh());
        assertThat(compilation).succeeded();
        List<StaleWeightsCheck.Source> records = records(generated(compilation, "FreshForward.weights"));
        List<String> names = List.of("fashion_mnist.onnx", "golden-input.f32", "golden-output.f32");
        assertEquals(3, records.size(), String.valueOf(records));
        for (int i = 0; i < 3; i++) {
            Path file = dir.resolve(names.get(i));
            assertEquals(file.toAbsolutePath().normalize().toString(), records.get(i).path());
            assertEquals(Files.size(file), records.get(i).size());
            assertEquals(Files.getLastModifiedTime(file).toMillis(), records.get(i).modified());
            assertEquals(sha256(file), StaleWeightsCheck.hex(records.get(i).sha256()));
        }
        String source = new String(generated(compilation, "FreshForward.java"), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(source.contains(temp.toString()), "no absolute path in the generated source");
        // the loader stays small: the check is one call into the runtime
        Map<String, Integer> sizes = ClassFileMethods.codeLengths(generated(compilation, "FreshForward$Weights.class"));
        int load = sizes.entrySet().stream().filter(e -> e.getKey().startsWith("loadBundled"))
                .mapToInt(Map.Entry::getValue).findFirst().orElseThrow();
        assertTrue(load < 1000, "loadBundled has " + load + " bytes of bytecode");
    }

    @Test
    void aWeightsFileChangedAfterCompilingFailsTheLoadWithTheStaleMessageEveryTime() throws Throwable {
        Path dir = copyFiles(temp);
        Compilation compilation = compile(temp, fresh());
        assertThat(compilation).succeeded();
        Path classes = writeOutput(compilation, Files.createDirectories(temp.resolve("out")));
        assertNotNull(loadBundled(classes, "stale.FreshForward"), "unchanged: loads");

        Path onnx = dir.resolve("fashion_mnist.onnx");
        String before = sha256(onnx);
        retrainInPlace(onnx);
        String after = sha256(onnx);
        String expected = onnx.toAbsolutePath().normalize() + " changed after FreshForward was compiled (SHA-256 "
                + before.substring(0, 12) + "... then, " + after.substring(0, 12) + "... now): the bundled weights are"
                + " stale; recompile the model (mvn clean compile, or touch Fresh.java)";
        for (int attempt = 0; attempt < 2; attempt++) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loadBundled(classes, "stale.FreshForward"));
            assertEquals(expected, e.getMessage());
        }
        // and through the generated no-argument constructor, in one class loader, on every call
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                StaleWeightsTest.class.getClassLoader())) {
            var constructor = Class.forName("stale.FreshForward", true, loader).getConstructor();
            for (int attempt = 0; attempt < 2; attempt++) {
                InvocationTargetException e = assertThrows(InvocationTargetException.class, constructor::newInstance);
                assertEquals(expected, e.getCause().getMessage());
            }
        }
    }

    @Test
    void aGoldenFileOfAnotherSizeIsStaleToo() throws Throwable {
        Path dir = copyFiles(temp);
        Compilation compilation = compile(temp, fresh());
        assertThat(compilation).succeeded();
        Path classes = writeOutput(compilation, Files.createDirectories(temp.resolve("out")));
        Path output = dir.resolve("golden-output.f32");
        String before = sha256(output);
        Files.write(output, new byte[8]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loadBundled(classes, "stale.FreshForward"));
        assertEquals(output.toAbsolutePath().normalize() + " changed after FreshForward was compiled (SHA-256 "
                + before.substring(0, 12) + "... then, " + sha256(output).substring(0, 12) + "... now): the bundled"
                + " weights are stale; recompile the model (mvn clean compile, or touch Fresh.java)", e.getMessage());
    }

    @Test
    void filesAbsentOnThisMachineAreNotChecked() throws Throwable {
        Path dir = copyFiles(temp);
        Compilation compilation = compile(temp, fresh());
        assertThat(compilation).succeeded();
        Path classes = writeOutput(compilation, Files.createDirectories(temp.resolve("out")));
        for (String f : List.of("fashion_mnist.onnx", "golden-input.f32", "golden-output.f32")) {
            Files.delete(dir.resolve(f));
        }
        assertNotNull(loadBundled(classes, "stale.FreshForward"), "a production machine has no training files");
    }

    @Test
    void staleCheckFalseSkipsTheCheck() throws Throwable {
        Path dir = copyFiles(temp);
        Compilation compilation = compile(temp, fresh());
        assertThat(compilation).succeeded();
        Path classes = writeOutput(compilation, Files.createDirectories(temp.resolve("out")));
        retrainInPlace(dir.resolve("fashion_mnist.onnx"));
        assertThrows(IllegalStateException.class, () -> loadBundled(classes, "stale.FreshForward"));
        String previous = System.getProperty(StaleWeightsCheck.PROPERTY);
        System.setProperty(StaleWeightsCheck.PROPERTY, "false");
        try {
            assertNotNull(loadBundled(classes, "stale.FreshForward"), "-Dnetforge.staleCheck=false loads the old bundle");
        } finally {
            if (previous == null) {
                System.clearProperty(StaleWeightsCheck.PROPERTY);
            } else {
                System.setProperty(StaleWeightsCheck.PROPERTY, previous);
            }
        }
    }

    @Test
    void weightsDirIsLookedInBeforeTheClassPath() throws Throwable {
        Path weightsDir = temp.resolve("netforge");
        Path dir = copyFiles(weightsDir);
        // on the class path, a file of the same name that is no model at all
        Path classPath = Files.createDirectories(temp.resolve("cp/stale"));
        Files.write(classPath.resolve("fashion_mnist.onnx"), new byte[] {1, 2, 3});
        Compilation compilation = compile(temp.resolve("cp"), fresh(), "-Anetforge.weightsDir=" + weightsDir);
        assertThat(compilation).succeeded();
        List<StaleWeightsCheck.Source> records = records(generated(compilation, "FreshForward.weights"));
        assertEquals(dir.resolve("fashion_mnist.onnx").toAbsolutePath().normalize().toString(), records.get(0).path());
        assertEquals(dir.resolve("golden-output.f32").toAbsolutePath().normalize().toString(), records.get(2).path());
        assertFalse(compilation.generatedFiles().stream().anyMatch(f -> f.getName().endsWith(".onnx")),
                "the trained file is not copied to the class output");
    }

    @Test
    void theNotFoundMessageHasNoDoubleSlashAndNamesWeightsDir() {
        JavaFileObject source = JavaFileObjects.forSourceLines("Unnamed",
                "import dev.netforge.*;",
                "@Model(input = {4}, weights = \"net.onnx\")",
                "public class Unnamed {",
                "    @Dense(units = 2) Layer out;",
                "}");
        Compilation compilation = compile(null, source);
        assertThat(compilation).hadErrorContaining("[netforge.weights] weights \"net.onnx\" not found as a resource of"
                + " the unnamed package on the source path, the class output or the class path; Maven: put it in"
                + " src/main/resources/ (packaged in the jar), or keep it out of the jar in a directory named by"
                + " -Anetforge.weightsDir=<dir> (as <dir>/), or name it absolutely with a leading /");
        assertFalse(compilation.errors().get(0).getMessage(null).contains("//"));

        Path missing = temp.resolve("no-such-dir");
        Compilation withDir = compile(null, JavaFileObjects.forSourceLines("p.q.Named",
                "package p.q;",
                "import dev.netforge.*;",
                "@Model(input = {4}, weights = \"net.onnx\")",
                "public class Named {",
                "    @Dense(units = 2) Layer out;",
                "}"), "-Anetforge.weightsDir=" + missing);
        assertThat(withDir).hadErrorContaining("weights \"net.onnx\" not found as "
                + missing.resolve("p/q/net.onnx") + " (-Anetforge.weightsDir, a directory that does not exist) nor"
                + " as a resource of package 'p.q' on the source path, the class output or the class path; Maven: put"
                + " it in src/main/resources/p/q/ (packaged in the jar)");
        assertThat(withDir).hadErrorCount(1);
    }
}
