package dev.netforge.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netforge.runtime.Kernels;
import dev.netforge.samples.MnistNetForward;
import dev.netforge.samples.MobileNetV2Forward;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain timing loop for iterating on kernels with JIT diagnostics (PrintCompilation,
 * PrintInlining) without JMH's forks; JMH ({@link MnistNetBenchmark}) gives the numbers to report.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.netforge.benchmarks.QuickTimer kernels 10
 * </pre>
 * First argument: {@code kernels} (whichever {@link Kernels#get()} picks), {@code generated},
 * {@code onnx}, {@code naive}, {@code layers} (each kernel call of MnistNet alone, its multiply-adds per
 * second and their share of the FMA peak measured in the same JVM), {@code peak} ({@link FmaPeak} at the
 * preferred width), {@code versus}
 * (the kernels against ONNX Runtime, call after call) or {@code models} (the generated MnistNet,
 * VGG-style and MLP classes against ONNX Runtime, call after call) or {@code resnet} (the ResNet-style
 * model, fused and unfused, against ONNX Runtime, call after call), {@code mobilenet} (the MobileNetV2
 * of {@link MobileNetBenchmark} against ONNX Runtime, call after call, best of each third of a second)
 * or {@code mobilenetLayers} (each layer method of its generated class, in sequence, best call, slowest
 * first; 20 s unless given) or {@code mobilenetOrtNodes} (ONNX Runtime's profiler on the same model: each
 * node's best time; 200 calls unless given); second:
 * seconds to run. Prints the {@link MachineBanner}, then the mean and the best call of each second: on a
 * shared machine the best call is the steadier figure.
 */
public final class QuickTimer {
    private QuickTimer() {
    }

    /**
     * ONNX Runtime and the kernels in one JVM, call after call, so both see the same machine (on a
     * shared 2-vCPU VM the other tenant's load moves single-implementation timings by +-30%).
     */
    private static void versus(double seconds) {
        float[] input = Fashion.goldenInput();
        float[] output = new float[10];
        float[] onnxOutput = new float[10];
        KernelsMnistNet net = new KernelsMnistNet(Kernels.get(), Fashion.parameters());
        MnistNetBenchmark.Onnx onnx = new MnistNetBenchmark.Onnx();
        try {
            onnx.setUp();
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long bestKernels = Long.MAX_VALUE;
            long bestOnnx = Long.MAX_VALUE;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 1_000_000_000L) {
                long t0 = System.nanoTime();
                net.forward(input, output);
                long t1 = System.nanoTime();
                try {
                    onnx.runner.run(onnxOutput);
                } catch (ai.onnxruntime.OrtException e) {
                    throw new IllegalStateException(e);
                }
                long t2 = System.nanoTime();
                bestKernels = Math.min(bestKernels, t1 - t0);
                bestOnnx = Math.min(bestOnnx, t2 - t1);
            }
            System.out.printf(Locale.ROOT, "best of 1 s: %s %.1f us, ONNX Runtime %.1f us, ratio %.2f%n",
                    Kernels.get().name(), bestKernels / 1e3, bestOnnx / 1e3, (double) bestKernels / bestOnnx);
        }
    }

    /**
     * The generated classes of MnistNet, the VGG-style model and the MLP (on whichever kernels the
     * JVM has; after their warm-up) against ONNX Runtime, call after call in one JVM, each state
     * checked as in the JMH benchmarks; prints the best call of each second and the ratio.
     */
    private static void models(double seconds) {
        try {
            MnistNetBenchmark.Generated mnist = new MnistNetBenchmark.Generated();
            mnist.setUp();
            MnistNetBenchmark.Onnx mnistOnnx = new MnistNetBenchmark.Onnx();
            mnistOnnx.setUp();
            VggBenchmark.OnKernels vgg = new VggBenchmark.GeneratedVector();
            vgg.setUp();
            VggBenchmark.Onnx vggOnnx = new VggBenchmark.Onnx();
            vggOnnx.setUp();
            MlpBenchmark.OnKernels mlp = new MlpBenchmark.GeneratedVector();
            mlp.setUp();
            MlpBenchmark.Onnx mlpOnnx = new MlpBenchmark.Onnx();
            mlpOnnx.setUp();
            String[] names = {"MnistNet", "VGG-style", "MLP"};
            Runnable[] ours = {
                () -> mnist.net.forward(mnist.input, mnist.output),
                () -> vgg.net.forward(vgg.input, vgg.output),
                () -> mlp.net.forward(mlp.input, mlp.output),
            };
            OnnxCall[] theirs = {
                () -> mnistOnnx.runner.run(mnistOnnx.output),
                () -> vggOnnx.runner.run(vggOnnx.output),
                () -> mlpOnnx.runner.run(mlpOnnx.output),
            };
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                StringBuilder line = new StringBuilder("best of 1/3 s:");
                for (int m = 0; m < names.length; m++) {
                    long bestOurs = Long.MAX_VALUE;
                    long bestTheirs = Long.MAX_VALUE;
                    long start = System.nanoTime();
                    while (System.nanoTime() - start < 333_000_000L) {
                        long t0 = System.nanoTime();
                        ours[m].run();
                        long t1 = System.nanoTime();
                        theirs[m].run();
                        long t2 = System.nanoTime();
                        bestOurs = Math.min(bestOurs, t1 - t0);
                        bestTheirs = Math.min(bestTheirs, t2 - t1);
                    }
                    line.append(String.format(Locale.ROOT, "  %s %.1f us vs ONNX Runtime %.1f us = %.2f", names[m],
                            bestOurs / 1e3, bestTheirs / 1e3, (double) bestOurs / bestTheirs));
                }
                System.out.println(line);
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The MLP against the memory it must read: call after call in one JVM, its forward pass, a Vector API
     * read of as many bytes as its weights (784 x 512 + 512 x 256 + 256 x 10 + biases: 2.14 MB,
     * more than this core's L2), summed so C2 keeps it, and ONNX Runtime's call; prints the best of each
     * 1/3 s and the bytes per second each reads. The MLP reads its weights once a call, so the read
     * alone is the floor under its time.
     */
    private static void mlpStream(double seconds) {
        try {
            MlpBenchmark.OnKernels mlp = new MlpBenchmark.GeneratedVector();
            mlp.setUp();
            MlpBenchmark.Onnx mlpOnnx = new MlpBenchmark.Onnx();
            mlpOnnx.setUp();
            int floats = 784 * 512 + 512 * 256 + 256 * 10 + 512 + 256 + 10;
            float[] weights = new float[floats];
            java.util.Arrays.fill(weights, 1e-3f);
            double megabytes = floats * 4.0 / 1e6;
            float sink = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long bestMlp = Long.MAX_VALUE;
                long bestRead = Long.MAX_VALUE;
                long bestOnnx = Long.MAX_VALUE;
                long start = System.nanoTime();
                while (System.nanoTime() - start < 333_000_000L) {
                    long t0 = System.nanoTime();
                    mlp.net.forward(mlp.input, mlp.output);
                    long t1 = System.nanoTime();
                    sink += FmaPeak.sum(weights);
                    long t2 = System.nanoTime();
                    mlpOnnx.runner.run(mlpOnnx.output);
                    long t3 = System.nanoTime();
                    bestMlp = Math.min(bestMlp, t1 - t0);
                    bestRead = Math.min(bestRead, t2 - t1);
                    bestOnnx = Math.min(bestOnnx, t3 - t2);
                }
                System.out.printf(Locale.ROOT, "best of 1/3 s: MLP %.1f us (%.0f GB/s of weights), a read of its %.2f MB"
                        + " %.1f us (%.0f GB/s), ONNX Runtime %.1f us; MLP / read %.2f, read / ONNX Runtime %.2f%n",
                        bestMlp / 1e3, megabytes * 1e6 / bestMlp, megabytes, bestRead / 1e3, megabytes * 1e6 / bestRead,
                        bestOnnx / 1e3, (double) bestMlp / bestRead, (double) bestRead / bestOnnx);
            }
            if (sink == 42) {
                System.out.println();
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@link SmallResNet} (the residual Add fused into the convolutions), {@link SmallResNetUnfused} (the
     * same network with every Add a pass of its own) and ONNX Runtime, call after call in one JVM (on
     * whichever kernels the JVM has, after their warm-up), each state checked as in
     * {@link ResNetBenchmark}; prints the best call of each second and the ratios.
     */
    private static void resnet(double seconds) {
        try {
            ResNetBenchmark.OnKernels fused = Kernels.get().name().startsWith("vector")
                    ? new ResNetBenchmark.GeneratedVector() : new ResNetBenchmark.Generated();
            fused.setUp();
            ResNetBenchmark.OnKernels unfused = Kernels.get().name().startsWith("vector")
                    ? new ResNetBenchmark.UnfusedVector() : new ResNetBenchmark.Unfused();
            unfused.setUp();
            ResNetBenchmark.Onnx onnx = new ResNetBenchmark.Onnx();
            onnx.setUp();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long bestFused = Long.MAX_VALUE;
                long bestUnfused = Long.MAX_VALUE;
                long bestOnnx = Long.MAX_VALUE;
                long start = System.nanoTime();
                while (System.nanoTime() - start < 1_000_000_000L) {
                    long t0 = System.nanoTime();
                    fused.net.forward(fused.input, fused.output);
                    long t1 = System.nanoTime();
                    unfused.net.forward(unfused.input, unfused.output);
                    long t2 = System.nanoTime();
                    onnx.runner.run(onnx.output);
                    long t3 = System.nanoTime();
                    bestFused = Math.min(bestFused, t1 - t0);
                    bestUnfused = Math.min(bestUnfused, t2 - t1);
                    bestOnnx = Math.min(bestOnnx, t3 - t2);
                }
                System.out.printf(Locale.ROOT, "best of 1 s: fused %.1f us, unfused %.1f us (fused/unfused %.3f),"
                        + " ONNX Runtime %.1f us (fused/ONNX Runtime %.2f)%n", bestFused / 1e3, bestUnfused / 1e3,
                        (double) bestFused / bestUnfused, bestOnnx / 1e3, (double) bestFused / bestOnnx);
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Times the kernel calls of {@link SmallResNet} one kind at a time (each shape once; the model has 4
     * stage-1, 3 stage-2 and 3 stage-3 'same' 3x3 convolutions of the same shape), with the 'same'
     * padding copy the generated code makes before each, as G multiply-adds/s and % of this JVM's FMA
     * peak: where the model's time goes.
     */
    private static void resnetLayers(double seconds) {
        Kernels k = Kernels.get();
        SplittableRandom random = new SplittableRandom(1);
        float[] scratch = new float[Kernels.convScratch(3, 3, 64, 64)];
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<Long> macs = new java.util.ArrayList<>();
        java.util.List<Runnable> ops = new java.util.ArrayList<>();
        int[][] convs = { // h, w, c (input, padded), kernel, f, stride, oh, ow, residual, count in the model
            {34, 34, 3, 3, 16, 1, 32, 32, 0, 1}, {34, 34, 16, 3, 16, 1, 32, 32, 1, 4},
            {33, 33, 16, 3, 32, 2, 16, 16, 0, 1}, {18, 18, 32, 3, 32, 1, 16, 16, 1, 3},
            {16, 16, 16, 1, 32, 2, 8, 8, 0, 1}, {17, 17, 32, 3, 64, 2, 8, 8, 0, 1},
            {10, 10, 64, 3, 64, 1, 8, 8, 1, 3}, {8, 8, 32, 1, 64, 2, 4, 4, 0, 1},
        };
        for (int[] s : convs) {
            int h = s[0], w = s[1], c = s[2], kh = s[3], f = s[4], st = s[5], oh = s[6], ow = s[7];
            float[] in = fill(random, h * w * c);
            float[] kernel = k.prepareConv2d(fill(random, kh * kh * c * f), kh, kh, c, f);
            float[] bias = fill(random, f);
            float[] out = new float[oh * ow * f];
            float[] residual = s[8] == 1 ? fill(random, oh * ow * f) : null;
            names.add(String.format(Locale.ROOT, "%dx%dx%d->%dx%dx%d k%d s%d%s x%d", h, w, c, oh, ow, f, kh, st,
                    residual != null ? " +res" : "", s[9]));
            macs.add((long) oh * ow * f * kh * kh * c);
            ops.add(() -> k.conv2d(in, h, w, c, kernel, kh, kh, f, bias, st, st, out, oh, ow, residual, true, scratch));
        }
        for (int[] p : new int[][] {{32, 16}, {16, 32}, {8, 64}}) { // the 'same' pad copy of each stage
            int n = p[0], c = p[1];
            float[] in = fill(random, n * n * c);
            float[] padded = new float[(n + 2) * (n + 2) * c];
            names.add("pad " + n + "x" + n + "x" + c);
            macs.add(0L);
            ops.add(() -> {
                int rowIn = n * c, rowOut = (n + 2) * c;
                java.util.Arrays.fill(padded, 0, rowOut, 0f);
                for (int y = 0; y < n; y++) {
                    int row = (y + 1) * rowOut;
                    java.util.Arrays.fill(padded, row, row + c, 0f);
                    System.arraycopy(in, y * rowIn, padded, row + c, rowIn);
                    java.util.Arrays.fill(padded, row + c + rowIn, row + rowOut, 0f);
                }
                java.util.Arrays.fill(padded, (n + 1) * rowOut, (n + 2) * rowOut, 0f);
            });
        }
        boolean peak = k.name().startsWith("vector") && MachineBanner.preferredVectorBits() > 0;
        if (peak) {
            FmaPeak.measure(FmaPeak.autoChains(), 1_500_000_000L);
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            double peakGmacs = peak ? FmaPeak.measure(FmaPeak.autoChains(), 300_000_000L).bestGmacs() : 0;
            long[] best = new long[ops.size()];
            java.util.Arrays.fill(best, Long.MAX_VALUE);
            long start = System.nanoTime();
            while (System.nanoTime() - start < 2_000_000_000L) {
                for (int i = 0; i < ops.size(); i++) {
                    long t0 = System.nanoTime();
                    ops.get(i).run();
                    best[i] = Math.min(best[i], System.nanoTime() - t0);
                }
            }
            System.out.printf(Locale.ROOT, "%s, FMA peak %.1f G multiply-adds/s; best in sequence:%n", k.name(), peakGmacs);
            for (int i = 0; i < ops.size(); i++) {
                double rate = (double) macs.get(i) / best[i];
                System.out.printf(Locale.ROOT, "  %-36s %7.2f us  %6.1f G/s %s%n", names.get(i), best[i] / 1e3, rate,
                        peak && macs.get(i) > 0 ? String.format(Locale.ROOT, "(%.0f%%)", 100 * rate / peakGmacs) : "");
            }
        }
    }

    /**
     * {@link dev.netforge.samples.MobileNetV2} (the samples module's declaration) (the generated class, on whichever kernels the JVM has, after their warm-up)
     * and ONNX Runtime, call after call in one JVM, each state checked as in {@link MobileNetBenchmark}
     * (and both outputs again after the timing); prints the best call of each third of a second and the
     * ratio.
     */
    private static void mobilenet(double seconds) {
        try {
            MobileNetBenchmark.OnKernels net = Kernels.get().name().startsWith("vector")
                    ? new MobileNetBenchmark.GeneratedVector() : new MobileNetBenchmark.Generated();
            net.setUp();
            MobileNetBenchmark.Onnx onnx = new MobileNetBenchmark.Onnx();
            onnx.setUp();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long bestOurs = Long.MAX_VALUE;
                long bestOnnx = Long.MAX_VALUE;
                int calls = 0;
                long start = System.nanoTime();
                while (System.nanoTime() - start < 333_000_000L) {
                    long t0 = System.nanoTime();
                    net.net.forward(net.input, net.output);
                    long t1 = System.nanoTime();
                    onnx.runner.run(onnx.output);
                    long t2 = System.nanoTime();
                    bestOurs = Math.min(bestOurs, t1 - t0);
                    bestOnnx = Math.min(bestOnnx, t2 - t1);
                    calls++;
                }
                System.out.printf(Locale.ROOT, "best of 1/3 s (%d calls each): MobileNetV2 on %s %.1f us,"
                        + " ONNX Runtime %.1f us, ratio %.2f%n", calls, Kernels.get().name(), bestOurs / 1e3,
                        bestOnnx / 1e3, (double) bestOurs / bestOnnx);
            }
            MobileNetBenchmark.check("MobileNetV2 after the timing", net.output);
            MobileNetBenchmark.check("ONNX Runtime after the timing", onnx.output);
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Times each private layer method of the generated {@code MobileNetV2Forward} alone (one step of
     * {@code forwardByLayer}: a convolution with its folded BatchNormalization, its ReLU6 and its Add, a
     * ZeroPadding2D, the pooling, the Dense), best call in microseconds, slowest first, with the step's
     * Keras layers, its type, output shape and multiply-adds (from {@code summary()}).
     *
     * <p>The jar has no generated source, so the methods are called by reflection: {@code layerN} in
     * increasing N are the steps in the order of {@code forwardByLayer}'s keys, and each one's arguments
     * are found rather than read: the previous step's output as its input, possibly an earlier step's
     * output of the same size as the residual, a new output array, copies of the instance's {@code pad}
     * and/or {@code kernelScratch} scratch arrays, and copies of the next weight tensors of {@code Weights}
     * (a wrong guess may write to any of them); the
     * candidate kept is the one whose output is closest to {@code forwardByLayer}'s for that step, which must
     * be within 1e-5 of its largest value (the right arguments give it exactly, or to the last bits where
     * a reduction adds in another order), and all weight tensors must be used (else this mode fails). The
     * steps then run in sequence, each reading the array its producer has just written (a residual, the
     * array of the step that computed it), so its input is as warm in the caches as in {@code forward}; the
     * output of the last one is checked against the reference. (Timed one by one on copies of
     * {@code forwardByLayer}'s outputs instead, a step read its input from memory: the 56x56x144 depthwise
     * layer took 600 us against 140 us.) The sum of the steps is printed next to the best {@code forward}
     * call measured in the same rounds; {@code mobilenetOrtNodes} gives ONNX Runtime's own per-node times.
     */
    private static void mobilenetLayers(double seconds) throws ReflectiveOperationException {
        MobileNetBenchmark.OnKernels state = Kernels.get().name().startsWith("vector")
                ? new MobileNetBenchmark.GeneratedVector() : new MobileNetBenchmark.Generated();
        state.setUp();
        MobileNetV2Forward net = state.net;
        Map<String, float[]> steps = net.forwardByLayer(state.input);
        List<Method> methods = new ArrayList<>();
        for (Method m : MobileNetV2Forward.class.getDeclaredMethods()) {
            if (m.getName().matches("layer\\d+") && Modifier.isStatic(m.getModifiers())) {
                m.setAccessible(true);
                methods.add(m);
            }
        }
        methods.sort(Comparator.comparingInt(m -> Integer.parseInt(m.getName().substring("layer".length()))));
        if (methods.size() != steps.size()) {
            throw new IllegalStateException(methods.size() + " layer methods for " + steps.size() + " steps");
        }
        Field tensorsField = MobileNetV2Forward.Weights.class.getDeclaredField("tensors");
        tensorsField.setAccessible(true);
        float[][] tensors = (float[][]) tensorsField.get(net.weights());
        String[] scratchNames = {"pad", "kernelScratch"};
        float[][] scratch = new float[scratchNames.length][];
        for (int i = 0; i < scratchNames.length; i++) {
            Field f = MobileNetV2Forward.class.getDeclaredField(scratchNames[i]);
            f.setAccessible(true);
            scratch[i] = ((float[]) f.get(net)).clone();
        }
        List<String> keys = new ArrayList<>(steps.keySet());
        List<float[]> outputs = new ArrayList<>(steps.values());
        Object[][] calls = new Object[methods.size()][];
        int[] residualStep = new int[methods.size()]; // the step whose output a call adds, or -1
        int cursor = 0;
        double worstDifference = 0;
        for (int i = 0; i < methods.size(); i++) {
            Method m = methods.get(i);
            float[] in = i == 0 ? state.input : outputs.get(i - 1);
            float[] expected = outputs.get(i);
            List<float[]> residuals = new ArrayList<>();
            List<Integer> residualSteps = new ArrayList<>();
            residuals.add(null);
            residualSteps.add(-1);
            for (int j = i - 1; j >= 0; j--) {
                if (outputs.get(j).length == expected.length) {
                    residuals.add(outputs.get(j));
                    residualSteps.add(j);
                }
            }
            Object[] found = null;
            int weightsUsed = 0;
            double bestDifference = Double.POSITIVE_INFINITY;
            search:
            for (int r = 0; r < residuals.size(); r++) {
                float[] residual = residuals.get(r);
                for (int[] scratchUse : new int[][] {{}, {0}, {1}, {0, 1}}) {
                    int weights = m.getParameterCount() - 2 - (residual != null ? 1 : 0) - scratchUse.length;
                    if (weights < 0 || cursor + weights > tensors.length) {
                        continue;
                    }
                    Object[] args = new Object[m.getParameterCount()];
                    int a = 0;
                    args[a++] = in.clone();
                    if (residual != null) {
                        args[a++] = residual.clone();
                    }
                    float[] out = new float[expected.length];
                    args[a++] = out;
                    for (int u : scratchUse) {
                        args[a++] = scratch[u].clone();
                    }
                    for (int w = 0; w < weights; w++) {
                        args[a++] = tensors[cursor + w].clone(); // a wrong guess may write to it
                    }
                    try {
                        m.invoke(null, args);
                    } catch (InvocationTargetException e) {
                        continue; // not this layout
                    }
                    double difference = relativeDifference(out, expected);
                    if (difference < bestDifference) {
                        found = args;
                        residualStep[i] = residualSteps.get(r);
                        weightsUsed = weights;
                        bestDifference = difference;
                        if (difference == 0) {
                            break search;
                        }
                    }
                }
            }
            if (found == null || bestDifference > 1e-5) {
                throw new IllegalStateException(m.getName() + " (" + keys.get(i) + "): no arguments tried reproduce"
                        + " forwardByLayer's output (closest: " + bestDifference + " of its largest value)");
            }
            worstDifference = Math.max(worstDifference, bestDifference);
            calls[i] = found;
            cursor += weightsUsed;
        }
        if (cursor != tensors.length) {
            throw new IllegalStateException("the layer methods used " + cursor + " of " + tensors.length
                    + " weight tensors");
        }
        // in sequence, as forward runs them: each step reads the array its producer has just written
        // (and a residual the array of the step that computed it), so its input is as warm in the
        // caches as forward's; the first step reads the model's input. Steps write to a few arrays
        // reused once their values are dead, as forward's scratch arrays are: one array per step put
        // every output in memory not touched for a whole call (MobileNetV2's stem, writing 1.6 MB,
        // took 231 us in sequence where forward takes ~120)
        shareOutputArrays(calls, residualStep);
        for (int i = 1; i < calls.length; i++) {
            calls[i][0] = calls[i - 1][residualStep[i - 1] >= 0 ? 2 : 1];
            if (residualStep[i] >= 0) {
                int j = residualStep[i];
                calls[i][1] = calls[j][residualStep[j] >= 0 ? 2 : 1];
            }
        }
        long[] best = new long[calls.length];
        Arrays.fill(best, Long.MAX_VALUE);
        long bestForward = Long.MAX_VALUE;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int rounds = 0;
        while (System.nanoTime() < end || rounds < 5) {
            for (int i = 0; i < calls.length; i++) {
                long t0 = System.nanoTime();
                methods.get(i).invoke(null, calls[i]);
                best[i] = Math.min(best[i], System.nanoTime() - t0);
            }
            long t0 = System.nanoTime();
            net.forward(state.input, state.output);
            bestForward = Math.min(bestForward, System.nanoTime() - t0);
            rounds++;
        }
        MobileNetBenchmark.check("MobileNetV2 after the layer timing", state.output);
        MobileNetBenchmark.check("the last layer method's output after the layer timing",
                (float[]) calls[calls.length - 1][1]);
        Map<String, String[]> summary = summaryRows(MobileNetV2Forward.summary());
        Integer[] order = new Integer[calls.length];
        long total = 0;
        for (int i = 0; i < calls.length; i++) {
            order[i] = i;
            total += best[i];
        }
        Arrays.sort(order, (x, y) -> Long.compare(best[y], best[x]));
        System.out.printf(Locale.ROOT, "%s kernels, %d rounds of the layer methods in sequence; each one's best call,"
                + " slowest first (arguments"
                + " found: every step within %.1e of forwardByLayer's output, relative to its largest value):%n",
                Kernels.get().name(), rounds, worstDifference);
        System.out.printf(Locale.ROOT, "  %-9s %9s %6s %8s  %s%n", "method", "us", "share", "GMAC/s",
                "step (type, output shape, multiply-adds)");
        for (int i : order) {
            String key = keys.get(i);
            long macs = 0;
            String type = "";
            String shape = "";
            for (String layer : key.split(" \\+ ")) {
                String[] row = summary.get(layer);
                if (row != null) {
                    macs += Long.parseLong(row[2].replace(",", ""));
                    type = type.isEmpty() ? row[0] : type;
                    shape = row[1];
                }
            }
            System.out.printf(Locale.ROOT, "  %-9s %9.1f %5.1f%% %8s  %s (%s, %s, %,d)%n", methods.get(i).getName(),
                    best[i] / 1e3, 100.0 * best[i] / total,
                    macs > 0 ? String.format(Locale.ROOT, "%.2f", (double) macs / best[i]) : "-", key, type, shape, macs);
        }
        System.out.printf(Locale.ROOT, "  total of the %d layer methods' best calls: %.1f us; best forward call in the"
                + " same rounds: %.1f us%n", calls.length, total / 1e3, bestForward / 1e3);
    }

    /**
     * Gives the steps' outputs (argument 1, or 2 after a residual) arrays of the largest output's length
     * from a pool, each returned once the last step that reads it (the next one, or a later residual
     * add) has run; the last step keeps its own array, which the check reads. The layer methods write
     * and read only their literal sizes, so a longer array serves.
     */
    private static void shareOutputArrays(Object[][] calls, int[] residualStep) {
        int n = calls.length;
        int[] lastRead = new int[n];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            lastRead[i] = Math.min(i + 1, n - 1);
            longest = Math.max(longest, ((float[]) calls[i][residualStep[i] >= 0 ? 2 : 1]).length);
        }
        for (int i = 0; i < n; i++) {
            if (residualStep[i] >= 0) {
                lastRead[residualStep[i]] = Math.max(lastRead[residualStep[i]], i);
            }
        }
        java.util.ArrayDeque<float[]> free = new java.util.ArrayDeque<>();
        float[][] held = new float[n][];
        for (int i = 0; i < n - 1; i++) {
            float[] out = free.isEmpty() ? new float[longest] : free.pop();
            calls[i][residualStep[i] >= 0 ? 2 : 1] = out;
            held[i] = out;
            for (int j = 0; j < i; j++) { // outputs no step after this one reads
                if (held[j] != null && lastRead[j] <= i) {
                    free.push(held[j]);
                    held[j] = null;
                }
            }
        }
    }

    /**
     * ONNX Runtime's own per-node times for the MobileNetV2 of {@link MobileNetBenchmark} (its profiler,
     * on the session options {@link OnnxRuntimeRunner} uses): {@code calls} calls, then each node's best
     * kernel time in microseconds, in execution order, with its operator and output shape, and their sum;
     * to set beside {@code mobilenetLayers}'s steps (ONNX Runtime runs the convolutions in its blocked
     * NCHWc layout, so its node list also has the reorders in and out of it).
     */
    private static void mobilenetOrtNodes(int calls) throws OrtException, IOException {
        float[] input = SyntheticModels.nhwcToNchw(MobileNetModels.input(), MobileNetModels.SIZE, MobileNetModels.SIZE, 3);
        Path directory = Files.createTempDirectory("netforge-ort-profile");
        String file;
        try (OrtSession.SessionOptions options = OnnxRuntimeRunner.sessionOptions()) {
            options.enableProfiling(directory.resolve("mobilenet").toString());
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession session = environment.createSession(MobileNetModels.onnx(MobileNetModels.parameters()), options);
                 OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input),
                         MobileNetModels.ONNX_INPUT_SHAPE)) {
                Map<String, OnnxTensor> inputs = Map.of(session.getInputNames().iterator().next(), tensor);
                for (int i = 0; i < calls; i++) {
                    session.run(inputs).close();
                }
                file = session.endProfiling();
            }
        }
        // one event a line: {"cat" : "Node", ..., "dur" :742, ..., "name" :"relu6_1_nchwc_kernel_time", "args" :
        // {..., "output_type_shape" : [{"float":[1,32,112,112]}], ..., "op_name" : "Conv"}}
        Pattern name = Pattern.compile("\"name\" *: *\"([^\"]+)_kernel_time\"");
        Pattern duration = Pattern.compile("\"dur\" *: *(\\d+)");
        Pattern operator = Pattern.compile("\"op_name\" *: *\"([^\"]+)\"");
        Pattern shape = Pattern.compile("\"output_type_shape\" *: *\\[\\{\"float\":\\[([^\\]]*)\\]");
        Map<String, long[]> best = new LinkedHashMap<>();
        Map<String, String> described = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(file))) {
            Matcher n = name.matcher(line);
            Matcher d = duration.matcher(line);
            if (!line.contains("\"cat\" : \"Node\"") || !n.find() || !d.find()) {
                continue;
            }
            best.computeIfAbsent(n.group(1), k -> new long[] {Long.MAX_VALUE})[0] =
                    Math.min(best.get(n.group(1))[0], Long.parseLong(d.group(1)));
            Matcher o = operator.matcher(line);
            Matcher sh = shape.matcher(line);
            described.putIfAbsent(n.group(1), (o.find() ? o.group(1) : "?") + " " + (sh.find() ? sh.group(1) : ""));
        }
        Files.delete(Path.of(file));
        Files.delete(directory);
        long total = 0;
        System.out.printf(Locale.ROOT, "ONNX Runtime %s, %d calls; each node's best kernel time, in execution order:%n",
                OrtEnvironment.getEnvironment().getVersion(), calls);
        for (Map.Entry<String, long[]> node : best.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-28s %6d us  %s%n", node.getKey(), node.getValue()[0],
                    described.get(node.getKey()));
            total += node.getValue()[0];
        }
        System.out.printf(Locale.ROOT, "  total of the %d nodes' best times: %d us%n", best.size(), total);
    }

    /**
     * The largest difference between {@code actual} and {@code expected} over the largest magnitude in
     * {@code expected} (0 if they are equal): not 0 for the same call at times, since the Vector API's
     * lane reductions may add in another order before C2 compiles them than after.
     */
    private static double relativeDifference(float[] actual, float[] expected) {
        double largest = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs((double) actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return largest == 0 ? 0 : Double.isNaN(largest) ? Double.POSITIVE_INFINITY : largest / Math.max(scale, 1e-30);
    }

    /** The summary's rows by layer name: type, output shape ({@code 7x7x1280}), multiply-adds. */
    private static Map<String, String[]> summaryRows(String summary) {
        Map<String, String[]> rows = new HashMap<>();
        Pattern row = Pattern.compile("^ (\\S+) \\(([^)]+)\\)\\s+\\(None, ([^)]*)\\)\\s+[\\d,]+\\s+.*?([\\d,]+)\\s*$");
        for (String line : summary.split("\n")) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                rows.put(m.group(1), new String[] {m.group(2), m.group(3).replace(", ", "x"), m.group(4)});
            }
        }
        return rows;
    }

    /** An ONNX Runtime call. */
    private interface OnnxCall {
        void run() throws ai.onnxruntime.OrtException;
    }

    /**
     * Times each kernel call of MnistNet alone, with the bytes it allocates per call, then the calls in
     * sequence; and puts each call's multiply-adds per second against the FMA peak measured in this JVM
     * at the kernels' width ({@link FmaPeak}, the Vector API's preferred species, re-measured every round
     * so both see the same machine). Multiply-adds: the model's per layer, as the generated class's
     * {@code summary()} gives them, and those the call computes (the same shapes as its arguments: the
     * conv outputs the pools drop are not computed); the share of the peak is taken on the latter.
     */
    private static void layers(double seconds) {
        Kernels k = Kernels.get();
        SplittableRandom random = new SplittableRandom(1);
        float[] image = Fashion.goldenInput();
        float[] conv1k = k.prepareConv2d(fill(random, 288), 3, 3, 1, 32);
        float[] conv2k = k.prepareConv2d(fill(random, 18432), 3, 3, 32, 64);
        float[] dense1k = k.prepareDense(fill(random, 204800), 1600, 128);
        float[] dense2k = k.prepareDense(fill(random, 1280), 128, 10);
        float[] b1 = fill(random, 32);
        float[] b2 = fill(random, 64);
        float[] b3 = fill(random, 128);
        float[] b4 = fill(random, 10);
        float[] pool1 = fill(random, 13 * 13 * 32);
        float[] pool2 = fill(random, 1600);
        float[] dense1 = fill(random, 128);
        float[] out = new float[10];
        float[] scratch = new float[Kernels.convScratch(3, 3, 32, 64)];
        Runnable[] ops = {
            () -> k.conv2dMaxPool(image, 28, 28, 1, conv1k, 3, 3, 32, b1, 1, 1, 2, 2, 2, 2, pool1, 13, 13, true, scratch),
            () -> k.conv2dMaxPool(pool1, 13, 13, 32, conv2k, 3, 3, 64, b2, 1, 1, 2, 2, 2, 2, pool2, 5, 5, true, scratch),
            () -> k.dense(pool2, 1600, dense1k, 128, b3, dense1, true),
            () -> k.dense(dense1, 128, dense2k, 10, b4, out, false),
        };
        String[] names = {"conv1+pool1", "conv2+pool2", "dense1", "dense2"};
        // the layers of MnistNetForward.summary() each call computes
        String[] summaryNames = {"conv1", "conv2", "dense1", "output"};
        long[] modelMacs = new long[ops.length];
        for (int i = 0; i < ops.length; i++) {
            modelMacs[i] = summaryMacs(MnistNetForward.summary(), summaryNames[i]);
        }
        // what each call computes, from its arguments: 13x13 (5x5) pooled outputs of 2x2 windows at
        // stride 2 read 26x26 (10x10 of the 11x11) conv outputs, 3x3 taps of 1 (32) channels, 32 (64) filters
        long[] macs = {pooledConvMacs(13, 13, 2, 2, 3, 3, 1, 32), pooledConvMacs(5, 5, 2, 2, 3, 3, 32, 64),
            1600L * 128, 128L * 10};
        StringBuilder table = new StringBuilder("multiply-adds per call (model's, from MnistNetForward.summary() /"
                + " computed by the call):");
        for (int i = 0; i < ops.length; i++) {
            table.append(String.format(Locale.ROOT, "  %s %,d / %,d", names[i], modelMacs[i], macs[i]));
        }
        System.out.println(table);
        // The peak at the kernels' width, if they are the Vector API's (the module is there).
        boolean peak = k.name().startsWith("vector") && MachineBanner.preferredVectorBits() > 0;
        if (peak) {
            FmaPeak.Result warm = FmaPeak.measure(FmaPeak.autoChains(), 1_500_000_000L); // C2 compiles the FMA loop
            if (!k.name().startsWith("vector (" + warm.bits() + "-bit)")) {
                System.out.println("note: the FMA peak is measured at " + warm.bits() + "-bit, the kernels are " + k.name());
            }
        } else {
            System.out.println("no FMA peak: the kernels are " + k.name()
                    + " (the peak is measured for the Vector API kernels: add --add-modules jdk.incubator.vector)");
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            double peakGmacs = 0;
            if (peak) {
                FmaPeak.Result result = FmaPeak.measure(FmaPeak.autoChains(), 300_000_000L);
                peakGmacs = result.bestGmacs();
                System.out.printf(Locale.ROOT, "FMA peak, same JVM, %d-bit, %d chains: %.1f G multiply-adds/s"
                        + " (%.1f GFLOP/s; median %.1f)%n", result.bits(), result.chains(), peakGmacs,
                        result.bestGflops(), result.medianGmacs());
            }
            StringBuilder line = new StringBuilder(k.name()).append(':');
            long[] bestAlone = new long[ops.length];
            for (int i = 0; i < ops.length; i++) {
                long bytes0 = threads.getCurrentThreadAllocatedBytes();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                long best = Long.MAX_VALUE;
                int calls = 0;
                while (System.nanoTime() - start < 250_000_000L) {
                    long t0 = System.nanoTime();
                    ops[i].run();
                    best = Math.min(best, System.nanoTime() - t0);
                    calls++;
                }
                bestAlone[i] = best;
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                long bytes = threads.getCurrentThreadAllocatedBytes() - bytes0;
                line.append(String.format(Locale.ROOT, "  %s %.1f us (cpu %.1f, best %.1f) %d B", names[i],
                        (System.nanoTime() - start) / 1e3 / calls, cpu / 1e3 / calls, best / 1e3, bytes / calls));
            }
            System.out.println(line);
            // the same calls in sequence, as in a forward pass (each layer's data and weights then
            // compete for the caches with the others')
            long[] bestInSequence = new long[ops.length];
            java.util.Arrays.fill(bestInSequence, Long.MAX_VALUE);
            long start = System.nanoTime();
            while (System.nanoTime() - start < 1_000_000_000L) {
                for (int i = 0; i < ops.length; i++) {
                    long t0 = System.nanoTime();
                    ops[i].run();
                    bestInSequence[i] = Math.min(bestInSequence[i], System.nanoTime() - t0);
                }
            }
            StringBuilder sequence = new StringBuilder("  in sequence, best:");
            for (int i = 0; i < ops.length; i++) {
                sequence.append(String.format(Locale.ROOT, "  %s %.1f us", names[i], bestInSequence[i] / 1e3));
            }
            System.out.println(sequence);
            // multiply-adds per ns = G multiply-adds/s
            StringBuilder rates = new StringBuilder("  G multiply-adds/s, best alone / in sequence"
                    + (peak ? ", and % of the FMA peak:" : ":"));
            long totalMacs = 0;
            long totalNanos = 0;
            for (int i = 0; i < ops.length; i++) {
                double alone = (double) macs[i] / bestAlone[i];
                double inSequence = (double) macs[i] / bestInSequence[i];
                rates.append(String.format(Locale.ROOT, "  %s %.1f / %.1f", names[i], alone, inSequence));
                if (peak) {
                    rates.append(String.format(Locale.ROOT, " (%.0f%% / %.0f%%)", 100 * alone / peakGmacs,
                            100 * inSequence / peakGmacs));
                }
                totalMacs += macs[i];
                totalNanos += bestInSequence[i];
            }
            rates.append(String.format(Locale.ROOT, "  | all four in sequence: %,d in %.1f us, %.1f", totalMacs,
                    totalNanos / 1e3, (double) totalMacs / totalNanos));
            if (peak) {
                rates.append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * totalMacs / totalNanos / peakGmacs));
            }
            System.out.println(rates);
        }
    }

    /** Multiply-adds of a convolution whose outputs feed a pool: only the outputs the pool windows read. */
    static long pooledConvMacs(int pooledHeight, int pooledWidth, int poolHeight, int poolWidth, int kernelHeight,
                               int kernelWidth, int channels, int filters) {
        return (long) pooledHeight * poolHeight * pooledWidth * poolWidth * kernelHeight * kernelWidth * channels
                * filters;
    }

    /** The MACs column of a layer in a generated class's {@code summary()} (the last figure on its row). */
    static long summaryMacs(String summary, String layer) {
        for (String line : summary.split("\n")) {
            String row = line.trim();
            if (row.startsWith(layer + " (")) {
                return Long.parseLong(row.substring(row.lastIndexOf(' ') + 1).replace(",", ""));
            }
        }
        throw new IllegalArgumentException("no layer " + layer + " in the summary:\n" + summary);
    }

    /** {@link FmaPeak} in this JVM's species (the preferred one unless -Dnetforge.fmapeak.bits), each second. */
    private static void peak(double seconds) {
        FmaPeak.main(new String[] {Double.toString(seconds)});
    }

    private static float[] fill(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "kernels";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        // naming the kernels chooses them: not for the rows that do not use them
        MachineBanner.printOnce(!which.equals("onnx") && !which.equals("naive") && !which.equals("peak"));
        float[] input = Fashion.goldenInput();
        float[] output = new float[10];
        Runnable forward;
        switch (which) {
            case "kernels": {
                KernelsMnistNet net = new KernelsMnistNet(Kernels.get(), Fashion.parameters());
                forward = () -> net.forward(input, output);
                which = "kernels " + Kernels.get().name();
                break;
            }
            case "layers":
                layers(seconds);
                return;
            case "peak":
                peak(seconds);
                return;
            case "versus":
                versus(seconds);
                return;
            case "models":
                models(seconds);
                return;
            case "mlpStream":
                mlpStream(seconds);
                return;
            case "resnet":
                resnet(seconds);
                return;
            case "resnetLayers":
                resnetLayers(seconds);
                return;
            case "mobilenet":
                mobilenet(seconds);
                return;
            case "mobilenetOrtNodes":
                try {
                    mobilenetOrtNodes(args.length > 1 ? (int) seconds : 200);
                } catch (OrtException | IOException e) {
                    throw new IllegalStateException(e);
                }
                return;
            case "mobilenetLayers":
                try {
                    mobilenetLayers(args.length > 1 ? seconds : 20);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                return;
            case "generated": {
                MnistNetForward net = new MnistNetForward(Fashion.parameters());
                forward = () -> net.forward(input, output);
                break;
            }
            case "onnx": {
                MnistNetBenchmark.Onnx onnx = new MnistNetBenchmark.Onnx();
                try {
                    onnx.setUp();
                } catch (ai.onnxruntime.OrtException e) {
                    throw new IllegalStateException(e);
                }
                forward = () -> {
                    try {
                        onnx.runner.run(output);
                    } catch (ai.onnxruntime.OrtException e) {
                        throw new IllegalStateException(e);
                    }
                };
                break;
            }
            case "naive": {
                NaiveMnistNet net = new NaiveMnistNet(Fashion.parameters());
                forward = () -> net.forward(input, output);
                break;
            }
            default:
                throw new IllegalArgumentException(which);
        }
        forward.run();
        Fashion.check(which, output);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            int calls = 0;
            long best = Long.MAX_VALUE;
            while (System.nanoTime() - start < 1_000_000_000L) {
                long t0 = System.nanoTime();
                forward.run();
                best = Math.min(best, System.nanoTime() - t0);
                calls++;
            }
            long elapsed = System.nanoTime() - start;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            System.out.printf(Locale.ROOT, "%s: mean %.1f us, cpu %.1f us, best %.1f us (%d calls)%n", which,
                    elapsed / 1e3 / calls, cpu / 1e3 / calls, best / 1e3, calls);
        }
        Fashion.check(which, output);
    }
}
