package dev.netforge.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the {@link Kernels} implementation, once (Lucene's {@code VectorizationProvider.lookup}).
 * The Vector API class is loaded by name, so the scalar path never links an incubator class.
 */
final class KernelsLookup {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String PANAMA_CLASS = "dev.netforge.runtime.PanamaKernels";
    private static final String PREFERRED_SIZE_CLASS = "dev.netforge.runtime.PreferredVectorSize";

    private KernelsLookup() {
    }

    static Kernels lookup() {
        return lookup(System.getProperty(Kernels.PROPERTY, ""));
    }

    /** The choice for a value of {@code netforge.kernels} ({@code scalar}, {@code vector}, or empty / {@code auto}). */
    static Kernels lookup(String forced) {
        String choice = forced.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "scalar":
                return new ScalarKernels();
            case "vector": {
                String reason = whyNoVectorApi();
                if (reason != null) {
                    throw new IllegalStateException("-D" + Kernels.PROPERTY + "=vector, but " + reason);
                }
                return loadPanama();
            }
            case "":
            case "auto":
                break;
            default:
                throw new IllegalStateException("-D" + Kernels.PROPERTY + "=" + forced
                        + " is not a choice: use scalar, vector or auto");
        }
        String reason = whyNoVectorApi();
        if (reason != null) {
            return new ScalarKernels(hint(reason));
        }
        try {
            return new TieredKernels(preferredLanes());
        } catch (UnsupportedOperationException e) {
            return new ScalarKernels(hint(e.getMessage()));
        }
    }

    /**
     * The one line the plain-Java kernels print on standard error at their first call (the first
     * forward pass that reaches a convolution or dense layer): why, the fix when there is one, and
     * how to silence it. No logging framework, no timestamp; a program that never calls
     * {@code forward} prints nothing.
     */
    static String hint(String reason) {
        // concat, not +: the first string concatenation of a JVM costs ~10 ms (its bootstrap)
        return "NetForge uses its plain-Java kernels: ".concat(reason).concat(" (-D").concat(Kernels.PROPERTY)
                .concat("=scalar silences this line)");
    }

    /** Null when the Vector API can be used here, else why not (one line, with the fix if there is one). */
    static String whyNoVectorApi() {
        Module module = vectorModule();
        if (module == null) {
            return "start the JVM with --add-modules " + VECTOR_MODULE
                    + " for the Vector API kernels, ~8x faster on MnistNet";
        }
        String vmName = System.getProperty("java.vm.name", "");
        if (!vmName.contains("HotSpot") && !vmName.contains("OpenJDK")) {
            return "the Vector API is fast only on HotSpot, and this VM is " + vmName;
        }
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode") || vmInfo.contains("emulated-client")) {
            return "the C2 compiler is off (" + vmInfo + "), and the Vector API is slow without it";
        }
        if ("true".equals(System.getProperty("jdk.internal.vm.ci.enabled"))
                || System.getProperty("java.vm.version", "").contains("jvmci")) {
            return "the JIT is JVMCI (Graal), on which the incubating Vector API is slow";
        }
        if (!hasFastFma()) {
            return "this CPU has no fused multiply-add instruction, without which the Vector API kernels are slow";
        }
        Kernels.class.getModule().addReads(module);
        return null;
    }

    /**
     * The Vector API module if the JVM has it, found by a plain loop: {@code ModuleLayer.findModule}
     * runs a stream when the module is missing, whose lambdas cost ~10 ms of start-up.
     */
    private static Module vectorModule() {
        ModuleLayer layer = Kernels.class.getModule().getLayer();
        for (ModuleLayer candidate : layer == null ? List.of(ModuleLayer.boot()) : List.of(layer, ModuleLayer.boot())) {
            for (Module module : candidate.modules()) {
                if (module.getName().equals(VECTOR_MODULE)) {
                    return module;
                }
            }
        }
        return null;
    }

    /**
     * The lane count the Vector API kernels will use, without loading them.
     *
     * @throws UnsupportedOperationException if the kernels do not support that vector size
     */
    static int preferredLanes() {
        int lanes;
        try {
            lanes = (int) Class.forName(PREFERRED_SIZE_CLASS).getDeclaredMethod("floats").invoke(null);
        } catch (InvocationTargetException e) {
            throw new LinkageError(PREFERRED_SIZE_CLASS + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new LinkageError(PREFERRED_SIZE_CLASS + " could not be loaded", e);
        }
        checkSupported(lanes);
        return lanes;
    }

    /** Throws unless the Vector API kernels support vectors of {@code lanes} floats: 128 to 512 bits. */
    static void checkSupported(int lanes) {
        if (lanes < 4 || lanes > 16) {
            throw new UnsupportedOperationException("the preferred vector size is " + lanes * Float.SIZE
                    + " bits; the Vector API kernels support 128 to 512");
        }
    }

    /** Core reflection, not method handles: on JDK 17 its first use costs far less start-up time. */
    static Kernels loadPanama() {
        try {
            return (Kernels) Class.forName(PANAMA_CLASS).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new LinkageError(PANAMA_CLASS + " could not be created", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new LinkageError(PANAMA_CLASS + " could not be loaded", e);
        }
    }

    /**
     * Whether the CPU has a fused multiply-add instruction (without one, the Vector API's {@code fma}
     * is emulated lane by lane, through BigDecimal: very slow). Cheap on purpose, as it runs at
     * start-up: no JMX (Lucene asks the HotSpot MX bean for UseFMA, which costs ~50 ms here).
     */
    static boolean hasFastFma() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64") || arch.startsWith("ppc64") || arch.startsWith("s390")) {
            return true;
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        // java.io and a plain scan: no NIO file system, readers or string concatenation, whose first
        // use in a JVM costs tens of ms of start-up (ScalarKernels asks this too)
        String text;
        try (FileInputStream in = new FileInputStream("/proc/cpuinfo")) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return true; // not Linux: every x86 CPU with AVX2 (Haswell on, 2013) has FMA
        }
        return listsFma(text);
    }

    /** Whether /proc/cpuinfo text lists the {@code fma} flag (FMA3; {@code fma4} alone is not it); true if it has no flags line. */
    static boolean listsFma(String text) {
        int flags = text.indexOf("\nflags");
        if (flags < 0) {
            return true;
        }
        int end = text.indexOf('\n', flags + 1);
        String line = text.substring(flags, end < 0 ? text.length() : end);
        for (int at = line.indexOf(" fma"); at >= 0; at = line.indexOf(" fma", at + 1)) {
            if (at + 4 == line.length() || Character.isWhitespace(line.charAt(at + 4))) {
                return true;
            }
        }
        return false;
    }
}
