package dev.netforge.benchmarks;

import com.palantir.javapoet.JavaFile;
import dev.netforge.Model;
import dev.netforge.importer.ModelScaffold;
import dev.netforge.processor.NetForgeProcessor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the NetForge processor adds to a build: {@code javac} (the JDK's, in-process through
 * {@link ToolProvider#getSystemJavaCompiler()}) compiles one model source into a fresh temporary
 * directory, once with annotation processing off ({@code -proc:none}) and once with
 * {@link NetForgeProcessor} named by {@code -processor} on an explicit {@code -processorpath}. The
 * second compile reads the model, checks it, writes {@code XForward.java} with JavaPoet and compiles
 * it in the next round, so the difference of the two rows is the whole cost of the processor in a
 * build. The models are the samples' own sources ({@code Vgg16.java}: 13 convolutions, dense 4096,
 * 138,357,544 parameters, no weights file; {@code MnistNet.java} as a small model), copied into the
 * jar by the build (see the pom), compiled with the samples' options ({@code --release 17
 * -Xlint:all -Werror}) against the netforge-runtime classes alone, as a user's build would. A fifth
 * row compiles VGG16 with the processor's output ({@code Vgg16Forward.java}, from the samples' build)
 * as plain sources, which splits the added cost into compiling the generated class and the rest.
 *
 * <p>Two regimes matter and the class is written for both (see the README for the command lines):
 * <ul>
 *   <li>cold: a fresh JVM per measurement and no warm-up ({@code -wi 0 -i 1 -f N}), what one
 *       {@code mvn compile} of the model's module costs: javac and the processor are loaded and run
 *       interpreted/C1 for most of it;</li>
 *   <li>steady state: many compiles in one JVM ({@code -wi 20 -i 10}), javac and the processor
 *       JIT-compiled, what a warm compiler daemon or an IDE's incremental build costs.</li>
 * </ul>
 * Each invocation times one compile ({@link Mode#SingleShotTime}); the output directories are emptied
 * before it, untimed. Every compile must succeed and the processor rows must produce the forward
 * class, else the run fails: a number for a compile that did nothing would be meaningless.
 *
 * <p>In the shaded jar the processor's classes are also on the JVM's class path, and javac's
 * processor class loader delegates to it first: the processor is loaded once per JVM, not once per
 * compile as in a Maven build. That only matters in the steady state (the cold rows load it once
 * either way).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 10)
@Fork(1)
public class BuildCostBenchmark {
    private static final String SOURCES = "/dev/netforge/benchmarks/buildcost/";
    private static final String PACKAGE_DIRECTORY = "dev/netforge/samples/";

    private JavaCompiler compiler;
    private Path root;
    private Path classes;
    private Path generated;
    private Path vgg16;
    private Path mnist;
    private String classPath;
    private String processorPath;

    /** Writes the two model sources, the runtime class directory and finds the processor path. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        MachineBanner.printOnce(false);
        compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no system Java compiler: run the benchmark on a JDK, not a JRE");
        }
        root = Files.createTempDirectory("netforge-build-cost");
        classes = root.resolve("classes");
        generated = root.resolve("generated");
        vgg16 = copySource("Vgg16.java");
        mnist = copySource("MnistNet.java");
        classPath = runtimeClassPath().toString();
        // The processor, JavaPoet and what they load: each class's jar or class directory (one
        // and the same shaded jar when run from benchmarks.jar).
        processorPath = Stream.of(NetForgeProcessor.class, JavaFile.class, Model.class,
                        ModelScaffold.class)
                .map(type -> location(type).toString())
                .distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Empties the output directories so that every compile writes everything anew (not timed). */
    @Setup(Level.Invocation)
    public void cleanOutput() throws IOException {
        deleteTree(classes);
        deleteTree(generated);
        Files.createDirectories(classes);
        Files.createDirectories(generated);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        deleteTree(root);
    }

    /** VGG16 compiled without annotation processing: the baseline. */
    @Benchmark
    public Path javacWithoutProcessor() {
        return compile(vgg16, false, "Vgg16");
    }

    /** VGG16 compiled with the NetForge processor: checks, generates and compiles Vgg16Forward. */
    @Benchmark
    public Path javacWithProcessor() {
        return compile(vgg16, true, "Vgg16");
    }

    /**
     * VGG16 and the processor's output for it, {@code Vgg16Forward.java}, both compiled as plain
     * sources without annotation processing: what compiling the generated class costs on its own.
     * {@code javacWithProcessor} minus this row is the processor's own work (reading, checking,
     * writing the source, javac's extra rounds).
     */
    @Benchmark
    public Path javacGeneratedSourceWithoutProcessor(GeneratedSource generatedSource) {
        return compile(List.of(vgg16, generatedSource.vgg16Forward), false, "Vgg16Forward");
    }

    /**
     * VGG16 in a module that has other code: beside it, two plain classes with method bodies (the
     * naive MnistNet of this module, ~230 lines), without annotation processing. javac's own warm-up
     * (attributing and generating code for the first time in the JVM) is then paid by the module,
     * as in a real build, and not charged to the processor.
     */
    @Benchmark
    public Path javacModuleWithoutProcessor(ModuleSources module) {
        return compile(module.with(vgg16), false, "Vgg16");
    }

    /** The same module with the processor: what it adds to a real module's compile. */
    @Benchmark
    public Path javacModuleWithProcessor(ModuleSources module) {
        return compile(module.with(vgg16), true, "Vgg16Forward");
    }

    /** MnistNet (7 layers) without annotation processing. */
    @Benchmark
    public Path javacWithoutProcessorMnist() {
        return compile(mnist, false, "MnistNet");
    }

    /** MnistNet with the processor. */
    @Benchmark
    public Path javacWithProcessorMnist() {
        return compile(mnist, true, "MnistNet");
    }

    /** Plain classes compiled beside the model in the {@code javacModule*} rows. */
    @State(Scope.Benchmark)
    public static class ModuleSources {
        List<Path> others;

        @Setup(Level.Trial)
        public void setUp(BuildCostBenchmark benchmark) throws IOException {
            others = List.of(benchmark.copySource("NaiveLayers.java"), benchmark.copySource("NaiveMnistNet.java"));
        }

        List<Path> with(Path model) {
            List<Path> all = new ArrayList<>(others);
            all.add(model);
            return all;
        }
    }

    /** The samples' generated {@code Vgg16Forward.java}, beside the model source (only the row that needs it). */
    @State(Scope.Benchmark)
    public static class GeneratedSource {
        Path vgg16Forward;

        @Setup(Level.Trial)
        public void setUp(BuildCostBenchmark benchmark) throws IOException {
            vgg16Forward = benchmark.copySource("Vgg16Forward.java");
        }
    }

    private Path compile(Path source, boolean withProcessor, String model) {
        return compile(List.of(source), withProcessor, withProcessor ? model + "Forward" : model);
    }

    private Path compile(List<Path> sources, boolean withProcessor, String expectedClass) {
        List<String> options = new ArrayList<>(List.of(
                "--release", "17", "-Xlint:all", "-Werror", "-encoding", "UTF-8",
                "-classpath", classPath, "-d", classes.toString(), "-s", generated.toString()));
        if (withProcessor) {
            options.addAll(List.of("-processor", NetForgeProcessor.class.getName(), "-processorpath", processorPath));
        } else {
            options.add("-proc:none");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        boolean ok;
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            ok = compiler.getTask(out, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path expected = classes.resolve(PACKAGE_DIRECTORY + expectedClass + ".class");
        if (!ok || !Files.isRegularFile(expected)) {
            throw new IllegalStateException("compiling " + sources + " failed or did not produce "
                    + expected.getFileName() + ": " + diagnostics.getDiagnostics() + out);
        }
        return expected;
    }

    private Path copySource(String name) throws IOException {
        Path target = root.resolve("src").resolve(PACKAGE_DIRECTORY + name);
        Files.createDirectories(target.getParent());
        try (InputStream in = BuildCostBenchmark.class.getResourceAsStream(SOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SOURCES + name + " is missing: build the jar with Maven"
                        + " in the reactor (Vgg16Forward.java comes from the samples' generated sources)");
            }
            Files.copy(in, target);
        }
        return target;
    }

    /**
     * The netforge-runtime classes alone, as a user's class path has them: their class directory, or,
     * when they sit in a jar (the shaded benchmarks.jar holds ONNX Runtime, JMH and ~80 MB more), the
     * runtime's two packages extracted from it, so that javac does not index a large foreign jar.
     */
    private Path runtimeClassPath() throws IOException {
        Path location = location(Model.class);
        if (Files.isDirectory(location)) {
            return location;
        }
        Path target = root.resolve("netforge-runtime");
        try (JarFile jar = new JarFile(location.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                boolean runtime = name.endsWith(".class") && (name.startsWith("dev/netforge/runtime/")
                        || name.startsWith("dev/netforge/") && name.indexOf('/', "dev/netforge/".length()) < 0);
                if (runtime) {
                    Path file = target.resolve(name);
                    Files.createDirectories(file.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, file);
                    }
                }
            }
        }
        return target;
    }

    private static Path location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IllegalStateException("no code source for " + type.getName());
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
