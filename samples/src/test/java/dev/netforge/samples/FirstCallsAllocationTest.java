package dev.netforge.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netforge.runtime.Kernels;
import dev.netforge.samples.fashion.FashionNetForward;
import dev.netforge.samples.fashion.FashionResNetForward;
import dev.netforge.samples.resnet.ResNet8Forward;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * No call runs Vector API code that C2 has not compiled, from the very first call on: the models'
 * calls start on a JVM where NetForge has done nothing yet (this class runs alone in its own JVM,
 * surefire executions {@code first-calls*}, with the module and no forced kernels), go on across the
 * tiered switch to the vector kernels, and for 2,000 rounds after it. Every call's allocated bytes
 * are counted ({@code ThreadMXBean}); from the switch on, a JFR recording with {@code -XX:-UseTLAB}
 * (every allocation an event with its stack) lists every object allocated inside a {@code forward},
 * to name the culprit if there is one.
 * (Not before it: then the warm-up thread's boxed vectors would each be an event too, and slow it to
 * a crawl; before the switch the calls run plain-Java code, which has no vectors to box.)
 *
 * <p>Every call must allocate 0 bytes. That includes HotSpot's own allocations for the classes a
 * call runs: it resolves all the string constants of a class (allocating each {@code String}) the
 * first time C2 is asked to compile one of its methods, in the thread that asks, a caller of
 * {@code forward}; so the generated classes keep their text in a nested {@code Text} and the
 * runtime's kernels in {@code KernelsText}, and hold no string constant (before: 96 to 7,128 bytes in
 * 5 of the first thousand calls).
 *
 * <p>The models take every vector kernel path: a 1-channel first convolution with a pool, a pooled
 * 32 -> 64 layer and dense layers (FashionNet, also in a batch of 8, the batched dense kernel, and of
 * 3, the rows left over after the groups of four), 16-, 32- and 64-filter 3x3 convolutions with
 * residuals, stride-2 convolutions and 1x1 projections (FashionResNet, and ResNet8 on 32x32x3), and
 * depthwise convolutions at strides 1 and 2 with their ReLU6, 1x1 convolutions with filters past the
 * last whole vector (24 of them at 512 bits) and residual adds (MobileNetV2 on 224x224x3, seeded
 * weights), 3x3 convolutions of 16 filters on 16 channels with and without a pool (CifarVgg on 32x32x3,
 * seeded weights).
 * With {@code netforge.test.pollutedProfiles} (execution {@code first-calls-polluted-profiles}) the
 * test first runs {@link VectorProfilePollution}: the kernels must not rest on type profiles that only
 * they filled.
 */
class FirstCallsAllocationTest {
    private static final int ROUNDS_AFTER_SWITCH = 2_000;
    /** Two groups of four rows (the batched dense kernel), then three rows: the rows left over after the groups. */
    private static final int BATCH = 8;
    private static final int LEFTOVER_ROWS = 3;
    private static final int CALLS_A_ROUND = 7;
    private static final long PATIENCE_NANOS = 120_000_000_000L;

    @Test
    void everyCallFromTheFirstAllocatesNothing() throws Exception {
        // only in its own fresh JVM (the first-calls executions): elsewhere the kernels may be warm already
        assumeTrue("true".equals(System.getProperty("netforge.test.firstCalls")), "run by the first-calls executions");
        if ("true".equals(System.getProperty("netforge.test.pollutedProfiles"))) {
            VectorProfilePollution.run();
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // JFR started now, recording nothing: starting it for the first time later, at the switch, sent
        // the compiled kernels back to the interpreter (8 calls boxed 12-24 MB each, with or without NetForge's part)
        Recording jfrStarted = new Recording();
        jfrStarted.start();
        // the generated classes are loaded, and Kernels chosen, at their first construction (here, not
        // in a call, as in any program)
        FashionNetForward fashion = new FashionNetForward();
        FashionNetForward.Batch batch = new FashionNetForward.Batch(fashion.weights());
        FashionResNetForward resnet = new FashionResNetForward();
        ResNet8Forward resnet8 = new ResNet8Forward();
        MobileNetV2Forward mobileNet = new MobileNetV2Forward(mobileNetParameters());
        CifarVggForward vgg = new CifarVggForward(seededParameters(CifarVggForward.PARAMETER_COUNT, 20_261_207L));
        assertTrue(Kernels.get().name().endsWith("warms up"),
                "NetForge must start cold in this JVM, but the kernels are " + Kernels.get().name());
        float[] image = new float[784];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i * 37 % 255) / 255f;
        }
        float[] images = new float[BATCH * 784];
        for (int i = 0; i < images.length; i++) {
            images[i] = image[i % 784];
        }
        float[] rgb = new float[ResNet8Forward.INPUT_SIZE];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (i * 13 % 255) / 255f;
        }
        float[] out = new float[10];
        float[] outs = new float[BATCH * 10];
        float[] leftoverOuts = new float[LEFTOVER_ROWS * 10];
        float[] out8 = new float[ResNet8Forward.OUTPUT_SIZE];
        float[] photo = new float[MobileNetV2Forward.INPUT_SIZE];
        for (int i = 0; i < photo.length; i++) {
            photo[i] = (i * 29 % 255) / 127.5f - 1f; // MobileNetV2's [-1, 1]
        }
        float[] classes = new float[MobileNetV2Forward.OUTPUT_SIZE];
        float[] cifarOut = new float[CifarVggForward.OUTPUT_SIZE];
        Map<Integer, Long> allocatingCalls = new TreeMap<>(); // call number (CALLS_A_ROUND a round) -> bytes
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        int rounds = 0;
        int afterSwitch = -1;
        Recording recording = null;
        try {
            while (afterSwitch < ROUNDS_AFTER_SWITCH) {
                long b0 = threads.getCurrentThreadAllocatedBytes();
                fashion.forward(image, out);
                long b1 = threads.getCurrentThreadAllocatedBytes();
                batch.forward(images, outs, BATCH);
                long b2 = threads.getCurrentThreadAllocatedBytes();
                resnet.forward(image, out);
                long b3 = threads.getCurrentThreadAllocatedBytes();
                resnet8.forward(rgb, out8);
                long b4 = threads.getCurrentThreadAllocatedBytes();
                batch.forward(images, leftoverOuts, LEFTOVER_ROWS);
                long b5 = threads.getCurrentThreadAllocatedBytes();
                mobileNet.forward(photo, classes);
                long b6 = threads.getCurrentThreadAllocatedBytes();
                vgg.forward(rgb, cifarOut); // ResNet8's 32x32x3 input
                long b7 = threads.getCurrentThreadAllocatedBytes();
                long[] bytes = {b1 - b0, b2 - b1, b3 - b2, b4 - b3, b5 - b4, b6 - b5, b7 - b6};
                for (int m = 0; m < CALLS_A_ROUND; m++) {
                    if (bytes[m] != 0 && allocatingCalls.size() < 1_000) {
                        allocatingCalls.put(CALLS_A_ROUND * rounds + m, bytes[m]);
                    }
                }
                rounds++;
                if (afterSwitch >= 0 && allocatingCalls.size() >= 20) {
                    break; // failing: enough to name the culprit (a recording of 2,000 such rounds took minutes to read)
                }
                if (afterSwitch >= 0) {
                    afterSwitch++;
                } else if (!Kernels.get().name().endsWith("warms up")) {
                    afterSwitch = 0;
                    recording = new Recording();
                    recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
                    recording.start();
                } else if (System.nanoTime() > deadline) {
                    fail("the vector kernels did not take over within 120 s (" + rounds + " rounds)");
                }
            }
            recording.stop();
            Map<String, Integer> allocated = new TreeMap<>();
            List<String> unexpected = new ArrayList<>();
            Path file = Files.createTempFile("first-calls", ".jfr");
            try {
                recording.dump(file);
                for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                    if (event.getThread() == null || event.getThread().getJavaThreadId() != Thread.currentThread().getId()
                            || !insideForward(event)) {
                        continue;
                    }
                    String type = event.getClass("objectClass").getName();
                    allocated.merge(type, 1, Integer::sum);
                    if (unexpected.size() < 5) {
                        unexpected.add(type + " at\n" + stack(event));
                    }
                }
            } finally {
                Files.deleteIfExists(file);
            }
            System.out.printf("first calls: %d rounds of " + CALLS_A_ROUND + " calls, %d of them after the switch to %s; calls that"
                    + " allocated (call: bytes): %s; allocated inside forward after the switch: %s%n", rounds,
                    afterSwitch, Kernels.get().name(), allocatingCalls, allocated);
            assertEquals(List.of(), unexpected, "objects allocated inside forward after the switch (" + allocated
                    + ")");
            assertEquals(Map.of(), allocatingCalls, "calls that allocated (call: bytes)");
        } finally {
            if (recording != null) {
                recording.close();
            }
            jfrStarted.close();
        }
    }

    /**
     * MobileNetV2's parameters, seeded: small weights, and every BatchNormalization's variance (like
     * all its values) positive, so the activations stay finite through the 52 convolutions.
     */
    private static float[] mobileNetParameters() {
        return seededParameters(MobileNetV2Forward.PARAMETER_COUNT, 20_261_206L);
    }

    private static float[] seededParameters(int count, long seed) {
        float[] parameters = new float[count];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = (float) random.nextDouble(0.01, 0.1);
        }
        return parameters;
    }

    /** Whether the allocation happened inside a generated class's forward. */
    private static boolean insideForward(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (frame.getMethod().getName().equals("forward") && type.endsWith("Forward")
                    || type.endsWith("Forward$Batch")) {
                return true;
            }
        }
        return false;
    }

    private static String stack(RecordedEvent event) {
        StringBuilder text = new StringBuilder();
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        for (int i = 0; i < Math.min(12, frames.size()); i++) {
            RecordedFrame frame = frames.get(i);
            text.append("    ").append(frame.getMethod().getType().getName()).append('.')
                    .append(frame.getMethod().getName()).append(" line ").append(frame.getLineNumber()).append('\n');
        }
        return text.toString();
    }
}
