package dev.netforge.benchmarks;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The machine's FMA peak through the Vector API, the ceiling the kernels' figures are read against:
 * {@code chains} independent dependency chains {@code a = a.fma(m, c)} (a * m + c, one {@code vfmadd}
 * each), all in registers, no memory traffic, so the FMA units are the only limit once there are
 * enough chains to cover the FMA latency times the FMA ports (4 cycles x 2 ports = 8 on Zen-class
 * cores). The default is 16 at every width: on the AVX-512 EPYC this was written on, 12 and 16 chains
 * reach the same rate with {@code -XX:UseAVX=3}, 16 is ~10% above 12 with {@code -XX:UseAVX=2}, and 24
 * falls to ~55-80% of it under JDK 17's C2 (not under JDK 25's): {@code -p chains=1,4,8,12,16,24}
 * shows the plateau.
 *
 * <p>The species is a {@code static final} chosen per JVM by {@code -Dnetforge.fmapeak.bits}
 * ({@code preferred}, the default, or {@code 512}, {@code 256}, {@code 128}), so C2 sees a constant
 * species, as in the kernels; each JMH row forks with its own: {@code preferred}, {@code bits512},
 * {@code bits256}, {@code bits128}. A species wider than the preferred one (512-bit under
 * {@code -XX:UseAVX=2}) is not intrinsified: its row then times the Vector API's Java fallback, and the
 * setup says so.
 *
 * <p>Figures: the primary score is calls per ns (meaningless on its own); the secondary rows
 * {@code flop} and {@code multiplyAdd} are in ops/ns, i.e. GFLOP/s (2 flops per lane per FMA) and
 * G multiply-adds/s. Each call's result (the sum of every lane of every chain) is returned, so JMH's
 * blackhole consumes it, and the setup checks it against the same recurrence computed with
 * {@code Math.fma}, lane by lane; the chains start from different values, so C2 cannot merge them.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FmaPeak -f 2 -wi 3 -i 5 -r 1
 * java -jar benchmarks/target/benchmarks.jar FmaPeak -jvmArgsPrepend -XX:UseAVX=2 -f 2 -wi 3 -i 5 -r 1
 * java -jar benchmarks/target/benchmarks.jar FmaPeak.preferred -p chains=1,4,8,12,16,24   # the chain sweep
 * java --add-modules jdk.incubator.vector [-Dnetforge.fmapeak.bits=256] \
 *     -cp benchmarks/target/benchmarks.jar dev.netforge.benchmarks.FmaPeak 5 1 4 8 12 16 24   # plain loop
 * </pre>
 * {@link QuickTimer} {@code peak} and {@code layers} use {@link #measure} (the preferred width, the
 * kernels' width) to put each layer's multiply-adds per second against the peak of the same JVM.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(1)
@State(Scope.Thread)
public class FmaPeak {
    /** The system property choosing this JVM's species. */
    static final String BITS_PROPERTY = "netforge.fmapeak.bits";

    /** This JVM's species: a constant for C2. */
    static final VectorSpecies<Float> SPECIES = species(System.getProperty(BITS_PROPERTY, "preferred"));

    /** The chain counts with a kernel below. */
    static final int[] CHAIN_COUNTS = {1, 4, 8, 12, 16, 24};

    /** FMAs per chain per call: 16 chains make ~16k FMA instructions, a few us. */
    static final int ITERATIONS = 1024;

    /** Independent chains: {@code auto} ({@link #autoChains}) or one of {@link #CHAIN_COUNTS}. */
    @Param("auto")
    public String chains;

    private int chainCount;
    private final float[] m = new float[SPECIES.length()];
    private final float[] c = new float[SPECIES.length()];
    private final float[] start = new float[SPECIES.length()];
    private long flopPerCall;
    private long multiplyAddsPerCall;

    /** The JMH rows: the preferred width, then each width forced. */
    @Benchmark
    @Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
    public float preferred(Rate rate) {
        return call(rate);
    }

    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-D" + BITS_PROPERTY + "=512"})
    public float bits512(Rate rate) {
        return call(rate);
    }

    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-D" + BITS_PROPERTY + "=256"})
    public float bits256(Rate rate) {
        return call(rate);
    }

    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-D" + BITS_PROPERTY + "=128"})
    public float bits128(Rate rate) {
        return call(rate);
    }

    private float call(Rate rate) {
        rate.flop += flopPerCall;
        rate.multiplyAdd += multiplyAddsPerCall;
        return run(chainCount, m, c, start, ITERATIONS);
    }

    /** Operations of this JVM's calls, normalised by JMH to ops/ns: GFLOP/s and G multiply-adds/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rate {
        public long flop;
        public long multiplyAdd;

        @Setup(Level.Iteration)
        public void reset() {
            flop = 0;
            multiplyAdd = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        MachineBanner.printOnce(false);
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        int expected = method.startsWith("bits") ? Integer.parseInt(method.substring(4)) : VectorShape.preferredShape().vectorBitSize();
        if (SPECIES.vectorBitSize() != expected) {
            throw new IllegalStateException(method + " needs " + expected + "-bit vectors, this JVM has " + SPECIES
                    + ": run it with its @Fork flags (add flags with -jvmArgsPrepend)");
        }
        init(chains.equals("auto") ? autoChains() : Integer.parseInt(chains));
        System.out.println(description());
    }

    /** Sets the chains and the operands, and checks a call's result against {@code Math.fma}, lane by lane. */
    void init(int chainCount) {
        this.chainCount = chainCount;
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            m[lane] = 0.999f - lane * 1e-4f; // |m| < 1: every chain converges to c / (1 - m), no overflow
            c[lane] = 1e-3f + lane * 1e-5f;
            start[lane] = lane * 0.25f;
        }
        multiplyAddsPerCall = (long) chainCount * ITERATIONS * SPECIES.length();
        flopPerCall = 2 * multiplyAddsPerCall;
        for (int iterations : new int[] {1, 7, ITERATIONS}) {
            float actual = run(chainCount, m, c, start, iterations);
            float expected = reference(chainCount, iterations);
            if (!(Math.abs(actual - expected) <= 1e-5f * Math.max(1f, Math.abs(expected)))) {
                throw new IllegalStateException(chainCount + " chains of " + iterations + " FMAs on " + SPECIES + ": "
                        + actual + ", Math.fma gives " + expected);
            }
        }
    }

    /** The chains every row uses unless told: 16, on the plateau at every width (see the class comment). */
    static int autoChains() {
        return 16;
    }

    /** One line for the output: species, chains, FMAs per call, and whether C2 intrinsifies this width. */
    String description() {
        int preferred = VectorShape.preferredShape().vectorBitSize();
        return String.format(Locale.ROOT, "# FmaPeak: %d-bit species (%d floats; preferred %d-bit), %d independent"
                + " chains x %d FMAs per call = %,d multiply-adds, %,d flop%s", SPECIES.vectorBitSize(),
                SPECIES.length(), preferred, chainCount, ITERATIONS, multiplyAddsPerCall, flopPerCall,
                SPECIES.vectorBitSize() > preferred
                        ? "; WIDER THAN THE PREFERRED SHAPE: not intrinsified, this times the Java fallback" : "");
    }

    /** The recurrence of {@link #run} in scalar {@code Math.fma}, summed as the kernels sum. */
    private float reference(int chainCount, int iterations) {
        float total = 0;
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            float sum = 0;
            for (int chain = 0; chain < chainCount; chain++) {
                float a = chain == 0 ? start[lane] : start[lane] + chain;
                for (int i = 0; i < iterations; i++) {
                    a = Math.fma(a, m[lane], c[lane]);
                }
                sum = chain == 0 ? a : sum + a;
            }
            total += sum;
        }
        return total;
    }

    static float run(int chains, float[] m, float[] c, float[] start, int iterations) {
        switch (chains) {
            case 1:
                return chains1(m, c, start, iterations);
            case 4:
                return chains4(m, c, start, iterations);
            case 8:
                return chains8(m, c, start, iterations);
            case 12:
                return chains12(m, c, start, iterations);
            case 16:
                return chains16(m, c, start, iterations);
            case 24:
                return chains24(m, c, start, iterations);
            default:
                throw new IllegalArgumentException("no kernel for " + chains + " chains: one of 1, 4, 8, 12, 16, 24");
        }
    }

    /** Best and median rate of a plain loop, in G multiply-adds/s (GFLOP/s is twice that). */
    record Result(int bits, int chains, double bestGmacs, double medianGmacs, float checksum) {
        double bestGflops() {
            return 2 * bestGmacs;
        }
    }

    /**
     * The peak in this JVM with a plain loop: calls in batches of 16, timed with {@code nanoTime}, for
     * {@code nanos}; the best batch is the peak (the machine is shared: slow batches are the other
     * tenant's), the median says how steady it was. Call it for a second or more the first time for each
     * chain count, so that C2 has compiled that kernel (on a loaded machine it may take longer).
     */
    static Result measure(int chains, long nanos) {
        FmaPeak peak = new FmaPeak();
        peak.init(chains);
        double[] rates = new double[4096];
        int batches = 0;
        float checksum = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end || batches == 0) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 16; i++) {
                checksum += run(chains, peak.m, peak.c, peak.start, ITERATIONS);
            }
            long elapsed = System.nanoTime() - t0;
            if (batches == rates.length) {
                rates = java.util.Arrays.copyOf(rates, 2 * batches);
            }
            rates[batches++] = 16.0 * peak.multiplyAddsPerCall / elapsed;
        }
        double[] sorted = java.util.Arrays.copyOf(rates, batches);
        java.util.Arrays.sort(sorted);
        return new Result(SPECIES.vectorBitSize(), chains, sorted[batches - 1], sorted[batches / 2], checksum);
    }

    /**
     * {@code FmaPeak [seconds] [chains...]}: each chain count (default: the automatic one) for the given
     * seconds (default 3) in this JVM's species; prints GFLOP/s and G multiply-adds/s, best and median.
     */
    public static void main(String[] args) {
        MachineBanner.printOnce(false);
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int[] counts = new int[Math.max(1, args.length - 1)];
        counts[0] = autoChains();
        for (int i = 1; i < args.length; i++) {
            counts[i - 1] = Integer.parseInt(args[i]);
        }
        for (int chains : counts) {
            FmaPeak peak = new FmaPeak();
            peak.init(chains);
            System.out.println(peak.description());
            measure(chains, 1_000_000_000L); // until C2 has compiled this kernel (the loop's first calls box every vector)
            Result result = measure(chains, (long) (seconds * 1e9));
            System.out.printf(Locale.ROOT, "%d-bit, %2d chains: best %.1f GFLOP/s = %.1f G multiply-adds/s"
                    + " (median %.1f GFLOP/s)  [checksum %.6g]%n", result.bits(), chains, result.bestGflops(),
                    result.bestGmacs(), 2 * result.medianGmacs(), result.checksum());
        }
    }

    /** This JVM's species from {@link #BITS_PROPERTY}. */
    private static VectorSpecies<Float> species(String bits) {
        return bits.equals("preferred") ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits)));
    }

    // The kernels, one per chain count, unrolled by hand (a loop over an array of vectors would keep
    // them in memory): the chains start at start + 0, 1, 2, ... so that no two are the same expression.

    static float chains1(float[] mLanes, float[] cLanes, float[] startLanes, int iterations) {
        FloatVector m = FloatVector.fromArray(SPECIES, mLanes, 0);
        FloatVector c = FloatVector.fromArray(SPECIES, cLanes, 0);
        FloatVector s = FloatVector.fromArray(SPECIES, startLanes, 0);
        FloatVector a0 = s;
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
        }
        return a0.reduceLanes(VectorOperators.ADD);
    }

    static float chains4(float[] mLanes, float[] cLanes, float[] startLanes, int iterations) {
        FloatVector m = FloatVector.fromArray(SPECIES, mLanes, 0);
        FloatVector c = FloatVector.fromArray(SPECIES, cLanes, 0);
        FloatVector s = FloatVector.fromArray(SPECIES, startLanes, 0);
        FloatVector a0 = s, a1 = s.add(1f), a2 = s.add(2f), a3 = s.add(3f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    static float chains8(float[] mLanes, float[] cLanes, float[] startLanes, int iterations) {
        FloatVector m = FloatVector.fromArray(SPECIES, mLanes, 0);
        FloatVector c = FloatVector.fromArray(SPECIES, cLanes, 0);
        FloatVector s = FloatVector.fromArray(SPECIES, startLanes, 0);
        FloatVector a0 = s, a1 = s.add(1f), a2 = s.add(2f), a3 = s.add(3f);
        FloatVector a4 = s.add(4f), a5 = s.add(5f), a6 = s.add(6f), a7 = s.add(7f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3);
        sum = sum.add(a4).add(a5).add(a6).add(a7);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    static float chains12(float[] mLanes, float[] cLanes, float[] startLanes, int iterations) {
        FloatVector m = FloatVector.fromArray(SPECIES, mLanes, 0);
        FloatVector c = FloatVector.fromArray(SPECIES, cLanes, 0);
        FloatVector s = FloatVector.fromArray(SPECIES, startLanes, 0);
        FloatVector a0 = s, a1 = s.add(1f), a2 = s.add(2f), a3 = s.add(3f);
        FloatVector a4 = s.add(4f), a5 = s.add(5f), a6 = s.add(6f), a7 = s.add(7f);
        FloatVector a8 = s.add(8f), a9 = s.add(9f), a10 = s.add(10f), a11 = s.add(11f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3);
        sum = sum.add(a4).add(a5).add(a6).add(a7);
        sum = sum.add(a8).add(a9).add(a10).add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    static float chains16(float[] mLanes, float[] cLanes, float[] startLanes, int iterations) {
        FloatVector m = FloatVector.fromArray(SPECIES, mLanes, 0);
        FloatVector c = FloatVector.fromArray(SPECIES, cLanes, 0);
        FloatVector s = FloatVector.fromArray(SPECIES, startLanes, 0);
        FloatVector a0 = s, a1 = s.add(1f), a2 = s.add(2f), a3 = s.add(3f);
        FloatVector a4 = s.add(4f), a5 = s.add(5f), a6 = s.add(6f), a7 = s.add(7f);
        FloatVector a8 = s.add(8f), a9 = s.add(9f), a10 = s.add(10f), a11 = s.add(11f);
        FloatVector a12 = s.add(12f), a13 = s.add(13f), a14 = s.add(14f), a15 = s.add(15f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
            a12 = a12.fma(m, c); a13 = a13.fma(m, c); a14 = a14.fma(m, c); a15 = a15.fma(m, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3);
        sum = sum.add(a4).add(a5).add(a6).add(a7);
        sum = sum.add(a8).add(a9).add(a10).add(a11);
        sum = sum.add(a12).add(a13).add(a14).add(a15);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    static float chains24(float[] mLanes, float[] cLanes, float[] startLanes, int iterations) {
        FloatVector m = FloatVector.fromArray(SPECIES, mLanes, 0);
        FloatVector c = FloatVector.fromArray(SPECIES, cLanes, 0);
        FloatVector s = FloatVector.fromArray(SPECIES, startLanes, 0);
        FloatVector a0 = s, a1 = s.add(1f), a2 = s.add(2f), a3 = s.add(3f);
        FloatVector a4 = s.add(4f), a5 = s.add(5f), a6 = s.add(6f), a7 = s.add(7f);
        FloatVector a8 = s.add(8f), a9 = s.add(9f), a10 = s.add(10f), a11 = s.add(11f);
        FloatVector a12 = s.add(12f), a13 = s.add(13f), a14 = s.add(14f), a15 = s.add(15f);
        FloatVector a16 = s.add(16f), a17 = s.add(17f), a18 = s.add(18f), a19 = s.add(19f);
        FloatVector a20 = s.add(20f), a21 = s.add(21f), a22 = s.add(22f), a23 = s.add(23f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
            a12 = a12.fma(m, c); a13 = a13.fma(m, c); a14 = a14.fma(m, c); a15 = a15.fma(m, c);
            a16 = a16.fma(m, c); a17 = a17.fma(m, c); a18 = a18.fma(m, c); a19 = a19.fma(m, c);
            a20 = a20.fma(m, c); a21 = a21.fma(m, c); a22 = a22.fma(m, c); a23 = a23.fma(m, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3);
        sum = sum.add(a4).add(a5).add(a6).add(a7);
        sum = sum.add(a8).add(a9).add(a10).add(a11);
        sum = sum.add(a12).add(a13).add(a14).add(a15);
        sum = sum.add(a16).add(a17).add(a18).add(a19);
        sum = sum.add(a20).add(a21).add(a22).add(a23);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The sum of {@code a}, four vectors at a time in four accumulators: a read of the whole array at
     * the rate the memory holding it delivers ({@link QuickTimer}'s {@code mlpStream}).
     */
    static float sum(float[] a) {
        int l = SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i + 4 * l <= a.length; i += 4 * l) {
            s0 = FloatVector.fromArray(SPECIES, a, i).add(s0);
            s1 = FloatVector.fromArray(SPECIES, a, i + l).add(s1);
            s2 = FloatVector.fromArray(SPECIES, a, i + 2 * l).add(s2);
            s3 = FloatVector.fromArray(SPECIES, a, i + 3 * l).add(s3);
        }
        float tail = 0;
        for (; i < a.length; i++) {
            tail += a[i];
        }
        @SuppressWarnings("unchecked")
        Class<FloatVector> exact = (Class<FloatVector>) SPECIES.vectorType();
        return exact.cast(s0).add(s1).add(exact.cast(s2).add(s3)).reduceLanes(VectorOperators.ADD) + tail;
    }
}
