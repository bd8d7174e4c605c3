package dev.netforge.processor.fuzz;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.reference.ReferenceNetwork;
import dev.netforge.processor.testing.ClassFileMethods;
import dev.netforge.processor.testing.RandomModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles {@link FuzzCase}s in memory with the real processor, several per compilation, and
 * checks that each is exactly one of:
 * <ul>
 *   <li><b>accepted</b>: it compiles (with {@code -Xlint:all}: no warning in generated code, and
 *       exactly the {@code flatten-of-vector} warnings the oracle expects), every generated method
 *       is under 8,000 bytes of bytecode, the constants and the summary's total are right, and for
 *       modest sizes {@code forward} agrees with {@link ReferenceNetwork} (max abs error
 *       {@value #TOLERANCE}) and, on a sample, allocates nothing and generates the same source
 *       when compiled alone; or</li>
 *   <li><b>rejected</b>: at least one ERROR located in the model's source (on the class or one of
 *       its fields) whose message carries a {@code [netforge.<rule>]} tag, no generated class, and
 *       the oracle's first error's rule on the oracle's line;</li>
 * </ul>
 * and never, in any case, a diagnostic saying a processor threw or an internal error. A case the
 * oracle calls valid must be accepted and one it calls invalid rejected.
 */
public final class FuzzRunner {
    public static final double TOLERANCE = 1e-5;
    public static final int HUGE_METHOD_LIMIT = 8000;
    /** "Modest" sizes, run against the reference. */
    static final long MAX_NUMERIC_ARRAY = 20_000;
    static final long MAX_NUMERIC_PARAMETERS = 200_000;
    static final long MAX_NUMERIC_MACS = 4_000_000;

    private static final Pattern TAG = Pattern.compile("\\[netforge\\.([a-z-]+)]");

    /** The verdict on one case; {@code failure} is null when the case behaved. */
    public record Outcome(FuzzCase fuzzCase, Oracle.Expectation expected, boolean accepted, TreeSet<String> rules,
                          String failureKind, String failure, boolean ranNumerics, boolean checkedAllocation,
                          double maxError) {
        public boolean failed() {
            return failureKind != null;
        }
    }

    private final int allocationEvery;
    private final int reproducibleEvery;
    private int accepted;
    private double worstError;

    /**
     * @param allocationEvery   check zero allocation on every n-th accepted runnable case (0: never)
     * @param reproducibleEvery recompile every n-th accepted case alone and compare sources (0: never)
     */
    public FuzzRunner(int allocationEvery, int reproducibleEvery) {
        this.allocationEvery = allocationEvery;
        this.reproducibleEvery = reproducibleEvery;
    }

    public double worstError() {
        return worstError;
    }

    // ------------------------------------------------------------------------------------------
    // Compiling
    // ------------------------------------------------------------------------------------------

    /** A compilation and the sources the processor wrote during it (also when it failed). */
    record Compiled(Compilation compilation, Map<String, String> written) {
        Compilation.Status status() {
            return compilation.status();
        }
    }

    static Compiled compile(List<JavaFileObject> sources) {
        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = Compiler.javac()
                .withProcessors(processor)
                .withOptions("-Xlint:all")
                .compile(sources);
        return new Compiled(compilation, processor.writtenSources());
    }

    static JavaFileObject source(FuzzCase c) {
        return JavaFileObjects.forSourceString(c.qualifiedName(), c.source());
    }

    private static final String PROBE = """
            package fuzz;
            import java.lang.management.ManagementFactory;
            public final class %1$sProbe {
                public static long allocatedBytes(%1$sForward net, float[] in, float[] out, int calls) {
                    com.sun.management.ThreadMXBean threads =
                            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < calls; i++) {
                        net.forward(in, out);
                    }
                    return threads.getCurrentThreadAllocatedBytes() - before;
                }
            }
            """;

    private static JavaFileObject probe(FuzzCase c) {
        return JavaFileObjects.forSourceString(c.qualifiedName() + "Probe", String.format(PROBE, c.className()));
    }

    /** What one compilation said about one case. */
    private record Seen(List<Diagnostic<? extends JavaFileObject>> model, List<Diagnostic<? extends JavaFileObject>> generated,
                        List<Diagnostic<? extends JavaFileObject>> probe, String generatedSource) {
        boolean modelErrors() {
            return model.stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
        }

        boolean generatedErrors() {
            return generated.stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
        }
    }

    private static Map<String, Seen> split(Compiled compiled, List<FuzzCase> cases, List<String> orphans) {
        Map<String, Seen> seen = new LinkedHashMap<>();
        for (FuzzCase c : cases) {
            seen.put(c.className(), new Seen(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    compiled.written().get(c.qualifiedName() + "Forward")));
        }
        for (Diagnostic<? extends JavaFileObject> d : compiled.compilation().diagnostics()) {
            String owner = owner(d);
            Seen s = owner == null ? null : seen.get(owner.replaceFirst("(Forward|Probe)$", ""));
            if (s == null) {
                if (d.getKind() != Diagnostic.Kind.NOTE) {
                    orphans.add(describe(d));
                }
                continue;
            }
            (owner.endsWith("Forward") ? s.generated : owner.endsWith("Probe") ? s.probe : s.model).add(d);
        }
        return seen;
    }

    /** The simple class name of the diagnostic's file, or null when it has none. */
    private static String owner(Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() == null) {
            return null;
        }
        String name = d.getSource().getName();
        name = name.substring(name.lastIndexOf('/') + 1);
        return name.endsWith(".java") ? name.substring(0, name.length() - 5) : name;
    }

    static String describe(Diagnostic<? extends JavaFileObject> d) {
        return d.getKind() + " " + (d.getSource() == null ? "-" : d.getSource().getName()) + ":" + d.getLineNumber()
                + ": " + d.getMessage(Locale.ROOT);
    }

    // ------------------------------------------------------------------------------------------
    // Running
    // ------------------------------------------------------------------------------------------

    /** Runs a batch: one compilation of all, then one of the accepted ones, falling back to singles. */
    public List<Outcome> run(List<FuzzCase> batch) {
        List<String> orphans = new ArrayList<>();
        Compiled first = compile(batch.stream().map(FuzzRunner::source).toList());
        Map<String, Seen> seen = split(first, batch, orphans);
        if (!orphans.isEmpty() || crashed(first)) {
            return batch.stream().map(this::runSingle).toList(); // isolate whatever happened
        }
        List<FuzzCase> candidates = batch.stream().filter(c -> !seen.get(c.className()).modelErrors()).toList();
        Map<String, Outcome> outcomes = new HashMap<>();
        for (FuzzCase c : batch) {
            if (seen.get(c.className()).modelErrors()) {
                outcomes.put(c.className(), rejected(c, seen.get(c.className())));
            }
        }
        if (!candidates.isEmpty()) {
            Compiled second = first.status() == Compilation.Status.SUCCESS ? first : null;
            Map<String, Seen> secondSeen = seen;
            boolean probes = allocationEvery > 0;
            if (second == null || probes) {
                List<JavaFileObject> sources = new ArrayList<>();
                for (FuzzCase c : candidates) {
                    sources.add(source(c));
                    if (probes) {
                        sources.add(probe(c));
                    }
                }
                List<String> orphans2 = new ArrayList<>();
                second = compile(sources);
                secondSeen = split(second, candidates, orphans2);
                if (second.status() != Compilation.Status.SUCCESS || !orphans2.isEmpty()) {
                    for (FuzzCase c : candidates) {
                        outcomes.put(c.className(), runSingle(c));
                    }
                    second = null;
                }
            }
            if (second != null) {
                Loader loader = new Loader(second.compilation());
                for (FuzzCase c : candidates) {
                    outcomes.put(c.className(), acceptedCase(c, secondSeen.get(c.className()), second, loader,
                            seen.get(c.className()).generatedSource()));
                }
            }
        }
        return batch.stream().map(c -> outcomes.get(c.className())).toList();
    }

    /** One case compiled on its own: what the shrinker re-checks. */
    public Outcome runSingle(FuzzCase c) {
        List<String> orphans = new ArrayList<>();
        List<JavaFileObject> sources = new ArrayList<>(List.of(source(c)));
        if (allocationEvery > 0) {
            sources.add(probe(c));
        }
        Compiled compilation = compile(sources);
        Map<String, Seen> seen = split(compilation, List.of(c), orphans);
        Seen s = seen.get(c.className());
        Oracle.Expectation expected = Oracle.expect(c);
        if (!orphans.isEmpty()) {
            return fail(c, expected, false, rules(s), "unlocated-diagnostic",
                    "diagnostics without a location in the model:\n  " + String.join("\n  ", orphans));
        }
        if (s.modelErrors()) {
            return rejected(c, s);
        }
        if (compilation.status() != Compilation.Status.SUCCESS) {
            return fail(c, expected, true, rules(s), "generated-code-does-not-compile",
                    "the model has no error but the compilation failed:\n" + all(compilation.compilation()));
        }
        return acceptedCase(c, s, compilation, new Loader(compilation.compilation()), null);
    }

    private static boolean crashed(Compiled compiled) {
        return compiled.compilation().diagnostics().stream().anyMatch(FuzzRunner::isCrash);
    }

    static boolean isCrash(Diagnostic<? extends JavaFileObject> d) {
        String message = d.getMessage(Locale.ROOT);
        return message.contains("threw an uncaught exception") || message.contains("internal-error")
                || message.toLowerCase(Locale.ROOT).contains("internal error");
    }

    private Outcome rejected(FuzzCase c, Seen s) {
        Oracle.Expectation expected = Oracle.expect(c);
        TreeSet<String> rules = rules(s);
        List<Diagnostic<? extends JavaFileObject>> all = new ArrayList<>(s.model);
        all.addAll(s.generated);
        for (Diagnostic<? extends JavaFileObject> d : all) {
            if (isCrash(d)) {
                return fail(c, expected, false, rules, "crash", describe(d));
            }
        }
        if (s.generatedSource != null) {
            return fail(c, expected, false, rules, "both", "rejected, yet " + c.className() + "Forward was generated");
        }
        long lastLine = c.source().lines().count();
        for (Diagnostic<? extends JavaFileObject> d : s.model) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            if (!TAG.matcher(d.getMessage(Locale.ROOT)).find()) {
                return fail(c, expected, false, rules, "untagged-error", "an error without a [netforge.] tag: "
                        + describe(d));
            }
            if (d.getLineNumber() < FuzzCase.modelLine() || d.getLineNumber() > lastLine) {
                return fail(c, expected, false, rules, "wrong-location", "an error outside the model class: "
                        + describe(d));
            }
        }
        if (expected.valid()) {
            return fail(c, expected, false, rules, "rejected-valid", "the oracle expects "
                    + expected + "; the processor said:\n  " + String.join("\n  ", s.model.stream()
                    .map(FuzzRunner::describe).toList()));
        }
        String tag = "[netforge." + expected.rule() + "]";
        List<Diagnostic<? extends JavaFileObject>> tagged = s.model.stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getMessage(Locale.ROOT).contains(tag)).toList();
        if (tagged.isEmpty()) {
            return fail(c, expected, false, rules, "wrong-rule", "expected " + expected + "; the processor said:\n  "
                    + String.join("\n  ", s.model.stream().map(FuzzRunner::describe).toList()));
        }
        boolean located = tagged.stream().anyMatch(d -> expected.layer() == Oracle.MODEL
                ? d.getLineNumber() == FuzzCase.modelLine() || d.getLineNumber() == FuzzCase.modelLine() + 1
                : d.getLineNumber() == FuzzCase.layerLine(expected.layer()));
        if (!located) {
            return fail(c, expected, false, rules, "wrong-location", "expected " + tag + " on line "
                    + (expected.layer() == Oracle.MODEL ? FuzzCase.modelLine() : FuzzCase.layerLine(expected.layer()))
                    + " (" + expected + "); found:\n  " + String.join("\n  ", tagged.stream()
                    .map(FuzzRunner::describe).toList()));
        }
        return new Outcome(c, expected, false, rules, null, null, false, false, 0);
    }

    private Outcome acceptedCase(FuzzCase c, Seen s, Compiled compilation, Loader loader, String firstSource) {
        Oracle.Expectation expected = Oracle.expect(c);
        TreeSet<String> rules = rules(s);
        for (Diagnostic<? extends JavaFileObject> d : compilation.compilation().diagnostics()) {
            if (isCrash(d)) {
                return fail(c, expected, true, rules, "crash", describe(d));
            }
        }
        if (!expected.valid()) {
            return fail(c, expected, true, rules, "accepted-invalid", "the oracle expects " + expected
                    + ", but it compiled");
        }
        if (!s.probe.isEmpty()) {
            return fail(c, expected, true, rules, "probe", "the allocation probe beside the model has diagnostics:\n  "
                    + String.join("\n  ", s.probe.stream().map(FuzzRunner::describe).toList()));
        }
        if (!s.generated.isEmpty()) {
            return fail(c, expected, true, rules, "generated-warning", "the generated source has diagnostics:\n  "
                    + String.join("\n  ", s.generated.stream().map(FuzzRunner::describe).toList()));
        }
        long flattenWarnings = s.model.stream().filter(d -> d.getMessage(Locale.ROOT)
                .contains("[netforge.flatten-of-vector]")).count();
        List<Diagnostic<? extends JavaFileObject>> otherWarnings = s.model.stream().filter(d ->
                d.getKind() != Diagnostic.Kind.NOTE && !d.getMessage(Locale.ROOT).contains("[netforge.flatten-of-vector]"))
                .toList();
        if (flattenWarnings != expected.flattenWarnings() || !otherWarnings.isEmpty()) {
            return fail(c, expected, true, rules, "warnings", "expected " + expected.flattenWarnings()
                    + " flatten-of-vector warnings and nothing else; got:\n  " + String.join("\n  ",
                    s.model.stream().map(FuzzRunner::describe).toList()));
        }
        String forwardName = c.qualifiedName() + "Forward";
        for (Map.Entry<String, byte[]> file : loader.classes.entrySet()) {
            if (!file.getKey().startsWith(forwardName)) {
                continue;
            }
            for (Map.Entry<String, Integer> method : ClassFileMethods.codeLengths(file.getValue()).entrySet()) {
                if (method.getValue() >= HUGE_METHOD_LIMIT) {
                    return fail(c, expected, true, rules, "huge-method", file.getKey() + "." + method.getKey()
                            + " has " + method.getValue() + " bytes of bytecode");
                }
            }
            // the classes forward runs in hold no string for HotSpot to resolve in a call (TextWriter)
            boolean hot = file.getKey().equals(forwardName) || file.getKey().equals(forwardName + "$Batch");
            List<String> strings = ClassFileMethods.stringConstants(file.getValue());
            if (hot && !strings.isEmpty()) {
                return fail(c, expected, true, rules, "string-constants", file.getKey() + " holds string constants "
                        + strings);
            }
        }
        Class<?> forward;
        try {
            forward = loader.loadClass(forwardName);
            long[] constants = {forward.getField("INPUT_SIZE").getInt(null), forward.getField("OUTPUT_SIZE").getInt(null),
                forward.getField("PARAMETER_COUNT").getInt(null)};
            long[] wanted = {expected.inputSize(), expected.outputSize(), expected.parameters()};
            if (!java.util.Arrays.equals(constants, wanted)) {
                return fail(c, expected, true, rules, "wrong-constants", "INPUT_SIZE, OUTPUT_SIZE, PARAMETER_COUNT = "
                        + java.util.Arrays.toString(constants) + ", expected " + java.util.Arrays.toString(wanted));
            }
            String summary = (String) forward.getMethod("summary").invoke(null);
            String total = "Total params: " + String.format(Locale.ROOT, "%,d", expected.parameters());
            if (!summary.contains(total)) {
                return fail(c, expected, true, rules, "wrong-summary", "summary() lacks '" + total + "':\n" + summary);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            return fail(c, expected, true, rules, "cannot-load", "loading " + forwardName + ": " + e);
        }
        accepted++;
        if (reproducibleEvery > 0 && accepted % reproducibleEvery == 0) {
            String mine = firstSource != null ? firstSource : s.generatedSource();
            Compiled alone = compile(List.of(source(c)));
            String again = split(alone, List.of(c), new ArrayList<>()).get(c.className()).generatedSource();
            if (mine == null || !mine.equals(again)) {
                return fail(c, expected, true, rules, "not-reproducible",
                        "the generated source differs between two compilations of the same model");
            }
        }
        boolean modest = expected.largestArray() <= MAX_NUMERIC_ARRAY
                && expected.parameters() <= MAX_NUMERIC_PARAMETERS
                && expected.multiplyAccumulates() <= MAX_NUMERIC_MACS;
        if (!modest) {
            return new Outcome(c, expected, true, rules, null, null, false, false, 0);
        }
        double error;
        boolean allocation = false;
        try {
            long seed = c.source().hashCode();
            float[] parameters = RandomModels.parameters(expected.input(), expected.refLayers(), seed);
            float[] input = RandomModels.input((int) expected.inputSize(), seed + 1);
            double[] reference = ReferenceNetwork.forward(expected.input(), expected.refLayers(), parameters, input);
            Object net = forward.getConstructor(float[].class).newInstance((Object) parameters);
            Method run = forward.getMethod("forward", float[].class, float[].class);
            float[] output = new float[(int) expected.outputSize()];
            run.invoke(net, input, output);
            error = 0;
            int worst = -1;
            for (int i = 0; i < output.length; i++) {
                double e = Math.abs(output[i] - reference[i]);
                if (!(e <= error)) { // NaN counts as the worst
                    error = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
                    worst = i;
                }
            }
            if (!(error <= TOLERANCE)) {
                return fail(c, expected, true, rules, "wrong-numbers", "max abs error " + error + " at output "
                        + worst + ": generated " + output[worst] + ", reference " + reference[worst]);
            }
            worstError = Math.max(worstError, error);
            if (allocationEvery > 0 && accepted % allocationEvery == 0) {
                allocation = true;
                Method probe = loader.loadClass(c.qualifiedName() + "Probe").getMethod("allocatedBytes", forward,
                        float[].class, float[].class, int.class);
                // Zero allocation is a property of JIT-compiled code: the first rounds see a few hundred
                // bytes while compiled code is swapped in (any model), and on the Vector API path the
                // interpreter and C1 box every vector (~4 KB per call) until C2 compiles the runtime's
                // kernels, after ~15,000 calls. A forward that allocates per call allocates in every
                // round. So: warm up, then pass on the first round of 0 (at most 30 rounds).
                int calls = (int) Math.max(50, Math.min(2000, 200_000_000 / Math.max(1, expected.multiplyAccumulates())));
                long overhead = (long) probe.invoke(null, net, input, output, 0);
                long least = Long.MAX_VALUE;
                for (int round = 0; round < 30 && least != 0; round++) {
                    long bytes = (long) probe.invoke(null, net, input, output, calls) - overhead;
                    least = round < 2 ? least : Math.min(least, bytes);
                }
                if (least != 0 || overhead != 0) {
                    return fail(c, expected, true, rules, "allocates", "every one of 30 rounds of " + calls
                            + " forward calls allocated: at least " + least + " bytes, " + least / calls
                            + " per call (probe overhead " + overhead + ")");
                }
            }
        } catch (InvocationTargetException e) {
            return fail(c, expected, true, rules, "runtime-exception", "generated code threw " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return fail(c, expected, true, rules, "harness", "running the case: " + e);
        }
        return new Outcome(c, expected, true, rules, null, null, true, allocation, error);
    }

    private static TreeSet<String> rules(Seen s) {
        TreeSet<String> rules = new TreeSet<>();
        for (Diagnostic<? extends JavaFileObject> d : s.model) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                Matcher m = TAG.matcher(d.getMessage(Locale.ROOT));
                if (m.find()) {
                    rules.add(m.group(1));
                }
            }
        }
        return rules;
    }

    private static Outcome fail(FuzzCase c, Oracle.Expectation expected, boolean accepted, TreeSet<String> rules,
                                String kind, String message) {
        List<String> lines = message.lines().toList();
        if (lines.size() > 16) { // a stack trace in a diagnostic: its head says enough
            message = String.join("\n", lines.subList(0, 16)) + "\n  ... " + (lines.size() - 16) + " more lines";
        }
        return new Outcome(c, expected, accepted, rules, kind, message, false, false, 0);
    }

    private static String all(Compilation compilation) {
        StringBuilder text = new StringBuilder();
        compilation.diagnostics().forEach(d -> text.append("  ").append(describe(d)).append('\n'));
        return text.toString();
    }

    /** Defines the classes one compilation wrote, parent-first for everything else. */
    static final class Loader extends ClassLoader {
        final Map<String, byte[]> classes = new HashMap<>();

        Loader(Compilation compilation) {
            super(FuzzRunner.class.getClassLoader());
            for (JavaFileObject file : compilation.generatedFiles()) {
                if (file.getKind() != JavaFileObject.Kind.CLASS) {
                    continue;
                }
                String path = file.toUri().getPath();
                String marker = "CLASS_OUTPUT/";
                String name = path.substring(path.indexOf(marker) + marker.length(), path.length() - ".class".length())
                        .replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** The source the processor generated for the case when compiled alone, if any. */
    static Optional<String> generatedSource(FuzzCase c) {
        return Optional.ofNullable(compile(List.of(source(c))).written().get(c.qualifiedName() + "Forward"));
    }
}
