package dev.netforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every vector kernel path ends up in C2's code. The interpreter and C1 box every vector, so a kernel
 * method C1 gives up on ("out of virtual registers": a tile with too many vectors live) can stay in
 * boxing code for good, and each call then allocates megabytes, in the JVMs that force the vector
 * kernels and, by chance of compilation order, in others (a 4 x 4 tile with two epilogues did: 17 MB a
 * call, in the processor's forced-vector tests; in this JVM C2 happened to take it). So the cases of
 * {@link KernelsTest}'s convolutions (with and without a residual, with a ReLU6 ceiling, pooled),
 * depthwise convolutions and dense layers run twice: in a child JVM where C1 compiles every method they
 * call, at the tier that profiles ({@code -XX:TieredStopAtLevel=3 -Xbatch}), which must give up on
 * none of NetForge's; and here, until one call of each allocates 0 bytes, within a deadline.
 */
class VectorKernelsCompiledTest {
    private static final long DEADLINE_NANOS = 150_000_000_000L;
    private static final int WARM_CALLS_A_ROUND = 40;
    private static final String RAN_EVERY_CASE = "ran every case";

    @Test
    void everyVectorPathAllocatesNothingOnceCompiled() {
        assumeTrue(KernelsLookup.whyNoVectorApi() == null, "no Vector API module in this run");
        Kernels vector = KernelsLookup.lookup("vector");
        Map<String, Runnable> calls = calls(vector);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        Map<String, Long> allocating = new TreeMap<>();
        int rounds = 0;
        do {
            allocating.clear();
            for (Map.Entry<String, Runnable> call : calls.entrySet()) {
                for (int i = 0; i < WARM_CALLS_A_ROUND; i++) {
                    call.getValue().run();
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                call.getValue().run();
                long bytes = threads.getCurrentThreadAllocatedBytes() - before;
                if (bytes != 0) {
                    allocating.put(call.getKey(), bytes);
                }
            }
            rounds++;
        } while (!allocating.isEmpty() && System.nanoTime() < deadline);
        assertEquals(Map.of(), allocating, vector.name() + ": calls still allocating (bytes) after " + rounds
                + " rounds of " + calls.size() + " cases, their vectors boxed by code C2 has not compiled");
    }

    @Test
    void c1CompilesEveryKernelMethod() throws Exception {
        assumeTrue(KernelsLookup.whyNoVectorApi() == null, "no Vector API module in this run");
        List<String> command = new ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        for (String argument : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-XX:UseAVX") || argument.startsWith("-XX:MaxVectorSize")) {
                command.add(argument); // the width this run tests
            }
        }
        command.addAll(List.of("-XX:TieredStopAtLevel=3", "-Xbatch", "-XX:+PrintCompilation",
                "-XX:Tier3InvocationThreshold=20", "-XX:Tier3MinInvocationThreshold=20", "-XX:Tier3CompileThreshold=50",
                "-XX:Tier3BackEdgeThreshold=2000", "-cp", System.getProperty("java.class.path"),
                VectorKernelsCompiledTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> skipped = new ArrayList<>();
        boolean ran = false;
        String last = "";
        try (java.io.BufferedReader output = new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = output.readLine()) != null; ) {
                boolean skip = line.contains("COMPILE SKIPPED") || line.contains("not compilable");
                if (skip && line.contains("dev.netforge.")) {
                    skipped.add(line.trim());
                }
                ran |= line.contains(RAN_EVERY_CASE); // the VM's compilation log may share its line
                last = line;
            }
        }
        assertEquals(0, process.waitFor(), "the child JVM failed; its last line: " + last);
        assertTrue(ran, "the child JVM did not run every case; its last line: " + last);
        assertEquals(List.of(), skipped, "kernel methods C1 gave up on (they would box every vector)");
    }

    /** The child JVM of {@link #c1CompilesEveryKernelMethod}: every case, often enough for C1 to compile it. */
    public static void main(String[] args) {
        Map<String, Runnable> calls = calls(KernelsLookup.lookup("vector"));
        for (int round = 0; round < 30; round++) {
            for (Runnable call : calls.values()) {
                call.run();
            }
        }
        System.out.println(RAN_EVERY_CASE);
    }

    /** One call per case, on its own arrays, named after the case. */
    private static Map<String, Runnable> calls(Kernels k) {
        Map<String, Runnable> calls = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(12);
        for (boolean pooled : new boolean[] {false, true}) {
            for (KernelsTest.Conv t : KernelsTest.convCases(pooled)) {
                float[] in = KernelsTest.uniform(random, t.h() * t.w() * t.c(), 1f);
                float[] weights = KernelsTest.uniform(random, t.kh() * t.kw() * t.c() * t.f(), 1f);
                float[] kernel = k.prepareConv2d(weights, t.kh(), t.kw(), t.c(), t.f());
                float[] bias = t.bias() ? KernelsTest.uniform(random, t.f(), 1f) : null;
                float[] scratch = new float[Kernels.convScratch(t.kh(), t.kw(), t.c(), t.f())];
                if (pooled) {
                    float[] out = new float[t.poh() * t.pow() * t.f()];
                    calls.put("conv2dMaxPool " + t, () -> k.conv2dMaxPool(in, t.h(), t.w(), t.c(), kernel, t.kh(),
                            t.kw(), t.f(), bias, t.sh(), t.sw(), t.ph(), t.pw(), t.psh(), t.psw(), out, t.poh(),
                            t.pow(), t.relu(), scratch));
                    continue;
                }
                float[] out = new float[t.oh() * t.ow() * t.f()];
                float[] residual = KernelsTest.uniform(random, out.length, 1f);
                calls.put("conv2d " + t, () -> k.conv2d(in, t.h(), t.w(), t.c(), kernel, t.kh(), t.kw(), t.f(), bias,
                        t.sh(), t.sw(), out, t.oh(), t.ow(), t.relu(), scratch));
                calls.put("conv2d " + t + " + residual", () -> k.conv2d(in, t.h(), t.w(), t.c(), kernel, t.kh(), t.kw(),
                        t.f(), bias, t.sh(), t.sw(), out, t.oh(), t.ow(), residual, t.relu(), scratch));
                calls.put("conv2d " + t + " ceiling 6", () -> k.conv2d(in, t.h(), t.w(), t.c(), kernel, t.kh(), t.kw(),
                        t.f(), bias, t.sh(), t.sw(), out, t.oh(), t.ow(), null, true, 6f, scratch));
            }
        }
        KernelsTest.depthwiseArguments().filter(arguments -> arguments[0] == k).forEach(arguments -> {
            KernelsTest.Depthwise t = (KernelsTest.Depthwise) arguments[1];
            float[] in = KernelsTest.uniform(random, t.h() * t.w() * t.c(), 1f);
            float[] kernel = KernelsTest.uniform(random, t.kh() * t.kw() * t.c() * t.m(), 1f);
            float[] bias = t.bias() ? KernelsTest.uniform(random, t.c() * t.m(), 1f) : null;
            float[] out = new float[t.oh() * t.ow() * t.c() * t.m()];
            calls.put("depthwiseConv2d " + t, () -> k.depthwiseConv2d(in, t.h(), t.w(), t.c(), kernel, t.kh(), t.kw(),
                    t.m(), t.dh(), t.dw(), bias, t.sh(), t.sw(), t.pt(), t.pl(), out, t.oh(), t.ow(), t.floor(),
                    t.ceiling()));
        });
        int[][] dense = {{1600, 128}, {128, 10}, {64, 200}, {7, 17}, {784, 512}};
        for (int[] size : dense) {
            int n = size[0];
            int units = size[1];
            float[] kernel = k.prepareDense(KernelsTest.uniform(random, n * units, 1f), n, units);
            float[] bias = KernelsTest.uniform(random, units, 1f);
            for (int count : new int[] {1, 8, 11}) {
                float[] in = KernelsTest.uniform(random, count * n, 1f);
                float[] out = new float[count * units];
                calls.put("denseBatch " + count + " x " + n + " -> " + units,
                        () -> k.denseBatch(in, n, count, kernel, units, bias, out, true));
            }
            float[] in = KernelsTest.uniform(random, n, 1f);
            float[] out = new float[units];
            calls.put("dense " + n + " -> " + units, () -> k.dense(in, n, kernel, units, bias, out, false));
        }
        return calls;
    }
}
