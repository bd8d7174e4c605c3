package dev.netforge.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold start: launch to first result of a whole {@code java} process that runs one inference
 * ({@link ColdStart}), median of N launches per variant. Variants run round-robin, so a burst of load
 * on the shared machine hits all of them alike; the clock runs from just before the process is
 * started until its first line of output (the result) is read. JMH cannot measure this: it times
 * code inside a JVM that is already running.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.netforge.benchmarks.ColdStartHarness 10
 * </pre>
 */
public final class ColdStartHarness {
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private ColdStartHarness() {
    }

    public static void main(String[] args) throws Exception {
        int launches = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        MachineBanner.printOnce(false);
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("onnxRuntime", List.of("onnx"));
        variants.put("netforge (plain-Java kernels)", List.of("netforge"));
        variants.put("netforge (--add-modules jdk.incubator.vector)", List.of(VECTOR, "netforge"));
        variants.put("netforge (vector, no warm-up: -Dnetforge.kernels=vector)",
                List.of(VECTOR, "-Dnetforge.kernels=vector", "netforge"));
        variants.put("naiveJava", List.of("naive"));
        Map<String, double[]> millis = new LinkedHashMap<>();
        variants.keySet().forEach(name -> millis.put(name, new double[launches]));
        launch(variants.values().iterator().next()); // first launch fills the OS file cache
        for (int i = 0; i < launches; i++) {
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                millis.get(variant.getKey())[i] = launch(variant.getValue());
            }
        }
        double onnx = median(millis.get("onnxRuntime"));
        System.out.printf(Locale.ROOT, "%-58s %10s %10s %10s %8s%n", "launch to first result, " + launches
                + " launches", "median ms", "min ms", "max ms", "ratio");
        for (Map.Entry<String, double[]> row : millis.entrySet()) {
            double[] values = row.getValue();
            double median = median(values);
            System.out.printf(Locale.ROOT, "%-58s %10.1f %10.1f %10.1f %8.2f%n", row.getKey(), median,
                    Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow(),
                    median / onnx);
        }
    }

    /** Milliseconds from starting {@code java ... ColdStart args} to reading its result line. */
    private static double launch(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(args.subList(0, args.size() - 1));
        command.add(ColdStart.class.getName());
        command.add(args.get(args.size() - 1));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        String line;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        long elapsed = System.nanoTime() - start;
        if (process.waitFor() != 0 || line == null || !line.startsWith("class ")) {
            throw new IllegalStateException(command + " failed: " + line);
        }
        return elapsed / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
