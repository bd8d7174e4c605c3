package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.Padding;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Window;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.writer.ConvolutionCode;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @MaxPool} and {@code @AvgPool}: the same attributes, a different reduction. */
public final class PoolKind implements LayerKind.Weightless<PoolKind.Declaration, PoolKind.Spec> {
    public static final PoolKind INSTANCE = new PoolKind();
    /** Pool windows unrolled up to this many cells. */
    static final int MAX_UNROLLED_CELLS = 16;

    private PoolKind() {
    }

    /** {@code @MaxPool} or {@code @AvgPool}: the same attributes, a different reduction. */
    public record Declaration(String name, boolean average, int[] pool, int[] strides, Padding padding)
            implements LayerDeclaration {
        public Declaration {
            pool = pool.clone();
            strides = strides.clone();
        }

        @Override
        public PoolKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return average ? "AvgPool" : "MaxPool";
        }

        @Override
        public int[] pool() {
            return pool.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }
    }

    /** Max or average pooling; padded cells never take part (and are not counted by the average). */
    public record Spec(String name, Shape input, Shape output, boolean average, Window window) implements LayerSpec {
        @Override
        public PoolKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return average ? "AveragePooling2D" : "MaxPooling2D";
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("MaxPool", "AvgPool");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, annotationName.equals("AvgPool"), a.intArray("value"), a.intArray("strides"),
                a.padding());
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 3;
    }

    @Override
    public Spec check(Declaration pool, LayerCheck check) {
        Shape in = check.input();
        int[] size = check.pair(pool.name(), "value", pool.pool(), false);
        int[] strides = check.pair(pool.name(), "strides", pool.strides(), true);
        boolean ok = size != null && strides != null;
        ok &= check.needsImage(pool, in, check.rank());
        if (!ok || in == null) {
            return null;
        }
        if (strides.length == 0) {
            strides = size; // Keras: strides default to the pool size
        }
        Window window = check.window(pool.name(), "value", "pool window", size, strides, new int[] {1, 1},
                pool.padding(), in);
        if (window == null) {
            return null;
        }
        Shape out = check.outputImage(pool.name(), in, window, in.channels(), null);
        return out == null ? null : new Spec(pool.name(), in, out, pool.average(), window);
    }

    @Override
    public CodeBlock body(Spec pool, LayerCode layer) {
        Window window = pool.window();
        boolean average = pool.average();
        int channels = pool.input().channels(), width = pool.input().width(), height = pool.input().height();
        int outHeight = pool.output().height(), outWidth = pool.output().width();
        CodeBlock.Builder code = CodeBlock.builder();
        if (window.padded()) {
            // 'same': clip each window to the real input, so padded cells never take part.
            code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", outHeight)
                    // long: with huge windows or strides the window's ends need not fit an int
                    .addStatement("long top = (long) oh * $L - $L", window.strideHeight(), window.padTop())
                    .addStatement("int hFrom = (int) Math.max(top, 0L)")
                    .addStatement("int hTo = (int) Math.min(top + $L, $L)", window.height(), height)
                    .beginControlFlow("for (int ow = 0; ow < $L; ow++)", outWidth)
                    .addStatement("long left = (long) ow * $L - $L", window.strideWidth(), window.padLeft())
                    .addStatement("int wFrom = (int) Math.max(left, 0L)")
                    .addStatement("int wTo = (int) Math.min(left + $L, $L)", window.width(), width)
                    .addStatement("int o = (oh * $L + ow) * $L", outWidth, channels)
                    .addStatement("java.util.Arrays.fill(out, o, o + $L, $L)", channels,
                            average ? "0f" : "Float.NEGATIVE_INFINITY")
                    .beginControlFlow("for (int h = hFrom; h < hTo; h++)")
                    .beginControlFlow("for (int w = wFrom; w < wTo; w++)")
                    .add(LayerCode.reduceInto("(h * " + width + " + w) * " + channels, channels, average))
                    .endControlFlow()
                    .endControlFlow();
            if (average) {
                code.addStatement("float count = (hTo - hFrom) * (wTo - wFrom)")
                        .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                        .addStatement("out[o + c] /= count")
                        .endControlFlow();
            }
            return code.endControlFlow().endControlFlow().build();
        }
        long rowStride = (long) width * channels;
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", outHeight)
                .beginControlFlow("for (int ow = 0; ow < $L; ow++)", outWidth)
                .addStatement("int o = (oh * $L + ow) * $L", outWidth, channels)
                .addStatement("int i = oh * $L + ow * $L", ConvolutionCode.step(rowStride * window.strideHeight(), outHeight),
                        ConvolutionCode.step((long) window.strideWidth() * channels, outWidth))
                .addStatement("System.arraycopy(in, i, out, o, $L)", channels);
        if ((long) window.height() * window.width() <= MAX_UNROLLED_CELLS) {
            for (int ph = 0; ph < window.height(); ph++) {
                for (int pw = 0; pw < window.width(); pw++) {
                    if (ph != 0 || pw != 0) {
                        code.add(LayerCode.reduceInto("i + " + (ph * rowStride + (long) pw * channels), channels, average));
                    }
                }
            }
        } else {
            code.beginControlFlow("for (int cell = 1; cell < $L; cell++)", window.height() * window.width())
                    .add(LayerCode.reduceInto("i + cell / " + window.width() + " * " + rowStride + " + cell % " + window.width()
                            + " * " + channels, channels, average))
                    .endControlFlow();
        }
        if (average) {
            code.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                    .addStatement("out[o + c] /= $Lf", window.height() * window.width())
                    .endControlFlow();
        }
        return code.endControlFlow().endControlFlow().build();
    }

    @Override
    public String describe(Spec pool) {
        return pool.kerasName() + " " + pool.window().describe() + (pool.window().padded() ? " same" : "")
                + ", " + pool.input() + " -> " + pool.output();
    }

    @Override
    public String vocabulary(Declaration p, Map<String, Object> a) {
        int[] pool = LayerDeclaration.pair(p.pool());
        a.put("pool", pool);
        a.put("strides", p.strides().length == 0 ? pool : LayerDeclaration.pair(p.strides()));
        a.put("padding", Vocabulary.padding(p.padding()));
        return p.average() ? "AvgPool" : "MaxPool";
    }

    @Override
    public RefLayer reference(Declaration p) {
        int[] w = LayerDeclaration.pair(p.pool());
        int[] s = p.strides().length == 0 ? w : LayerDeclaration.pair(p.strides());
        boolean same = p.padding() == Padding.SAME;
        return p.average() ? new RefLayer.AvgPool(w[0], w[1], s[0], s[1], same)
                : new RefLayer.MaxPool(w[0], w[1], s[0], s[1], same);
    }
}
