package dev.netforge.benchmarks;

import dev.netforge.runtime.Kernels;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One line that every benchmark's output carries, so a figure is never read without its machine:
 * CPU model, CPUs, the Vector API's preferred width (only where {@code jdk.incubator.vector} is in the
 * JVM: the plain-Java forks run without it), the vector flags given on the command line
 * ({@code -XX:UseAVX}, {@code -XX:MaxVectorSize}) next to the JVM's effective values, the kernels in use
 * (for rows that time NetForge's kernels) and the JVM's vendor and version, e.g.
 * <pre>
 * # machine: AMD EPYC, 2 CPUs; vector: preferred 512-bit; UseAVX=3, MaxVectorSize=64; kernels: vector (512-bit);
 *   JVM: Debian OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1
 * </pre>
 * (one line). JMH states call {@link #printOnce} from their trial {@code @Setup}: once per fork, however
 * many states the fork sets up; the plain mains ({@link QuickTimer}, {@link ColdStartHarness},
 * {@link FmaPeak}) call it first thing.
 */
final class MachineBanner {
    private static boolean printed;

    private MachineBanner() {
    }

    /**
     * Prints the banner unless this JVM has already printed it. {@code kernels}: whether to name the
     * {@link Kernels} in use (asking for them chooses them: rows that do not use NetForge's kernels pass
     * false).
     */
    static synchronized void printOnce(boolean kernels) {
        if (!printed) {
            printed = true;
            System.out.println(line(kernels));
        }
    }

    /** The banner, without printing it. */
    static String line(boolean kernels) {
        StringBuilder line = new StringBuilder("# machine: ").append(cpuModel()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; vector: ");
        int bits = preferredVectorBits();
        line.append(bits > 0 ? "preferred " + bits + "-bit" : "no jdk.incubator.vector module").append("; ");
        line.append(vectorFlags()).append("; ");
        if (kernels) {
            line.append("kernels: ").append(Kernels.get().name()).append("; ");
        }
        return line.append("JVM: ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).toString();
    }

    /** {@code model name} from /proc/cpuinfo; elsewhere (or without the field) the OS and architecture. */
    static String cpuModel() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new FileInputStream("/proc/cpuinfo"), StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the fallback below
        }
        return "unknown CPU (" + System.getProperty("os.name") + ", " + System.getProperty("os.arch") + ")";
    }

    /**
     * {@code VectorShape.preferredShape().vectorBitSize()}, or 0 when {@code jdk.incubator.vector} is not
     * in the JVM (looked up by reflection: this class must load without the module).
     */
    static int preferredVectorBits() {
        for (Module module : ModuleLayer.boot().modules()) {
            if (module.getName().equals("jdk.incubator.vector")) {
                try {
                    Class<?> shape = Class.forName("jdk.incubator.vector.VectorShape");
                    Object preferred = shape.getMethod("preferredShape").invoke(null);
                    return (Integer) shape.getMethod("vectorBitSize").invoke(preferred);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * The JVM's effective {@code UseAVX} and {@code MaxVectorSize} (HotSpot x86; absent elsewhere), each
     * with the command-line flag that set it, if one did (the JVM's input arguments).
     */
    static String vectorFlags() {
        StringBuilder flags = new StringBuilder();
        List<String> arguments = List.of();
        try {
            arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException e) {
            // no management: effective values only
        }
        for (String flag : new String[] {"UseAVX", "MaxVectorSize"}) {
            String value = null;
            try {
                value = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                        .getVMOption(flag).getValue();
            } catch (RuntimeException | LinkageError e) {
                // not HotSpot, or not x86
            }
            String given = null;
            for (String argument : arguments) {
                if (argument.startsWith("-XX:" + flag + "=")) {
                    given = argument; // the last one wins, as for the JVM
                }
            }
            if (value == null && given == null) {
                continue;
            }
            flags.append(flags.length() > 0 ? ", " : "").append(flag).append('=').append(value != null ? value : "?")
                    .append(given != null ? " (" + given + ")" : " (default)");
        }
        return flags.length() > 0 ? flags.toString() : "no UseAVX/MaxVectorSize flags";
    }
}
