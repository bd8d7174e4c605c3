package dev.netforge.importer;

import dev.netforge.shapes.KerasShapes;
import dev.netforge.shapes.KerasWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape arithmetic of the layer kinds (SEMANTICS.md), used by the readers to check that the weights
 * found in a file fit the architecture found in it, and to track activation shapes.
 * Shapes exclude the batch dimension: {@code {H, W, C}} or {@code {N}}; null means unknown.
 * Problems are reported as {@link IllegalArgumentException}s whose message the readers wrap with
 * the layer's name. Sizes come from the file, up to {@code Integer.MAX_VALUE} each, so the
 * arithmetic is done in {@code long} and a result too large for a dimension is refused, never
 * wrapped around into a small, plausible size.
 */
final class Shapes {
    /** Marks an unknown dimension in an expected weight shape. */
    static final int ANY = KerasWeights.ANY;

    private Shapes() {
    }

    /** Output shape of {@code layer} for input {@code in}; null when unknown. */
    static int[] output(ImportedLayer layer, int[] in) {
        if (in == null) {
            return null;
        }
        switch (layer.kind()) {
            case "Conv2D": {
                int[] hw = spatial(layer, in, layer.ints("kernel"), layer.ints("strides"),
                        layer.ints("dilation"), layer.string("padding"));
                return new int[] {hw[0], hw[1], layer.integer("filters")};
            }
            case "DepthwiseConv2D": {
                int[] hw = spatial(layer, in, layer.ints("kernel"), layer.ints("strides"),
                        layer.ints("dilation"), layer.string("padding"));
                return new int[] {hw[0], hw[1], dim("output channels", (long) in[2] * layer.integer("depthMultiplier"))};
            }
            case "MaxPool":
            case "AvgPool": {
                int[] hw = spatial(layer, in, layer.ints("pool"), layer.ints("strides"), new int[] {1, 1},
                        layer.string("padding"));
                return new int[] {hw[0], hw[1], in[2]};
            }
            case "GlobalAvgPool":
            case "GlobalMaxPool":
                requireRank(layer, in, 3);
                return Boolean.TRUE.equals(layer.bool("keepDims")) ? new int[] {1, 1, in[2]} : new int[] {in[2]};
            case "Flatten": {
                long n = 1;
                for (int d : in) {
                    n = dim("flattened size of " + Arrays.toString(in), n * d); // checked at each step: never past 2^62
                }
                return new int[] {(int) n};
            }
            case "Dense": {
                int[] out = in.clone();
                out[out.length - 1] = layer.integer("units");
                return out;
            }
            case "ZeroPadding2D": {
                requireRank(layer, in, 3);
                int[] p = layer.ints("paddingValues");
                return new int[] {dim("padded height", (long) in[0] + p[0] + p[1]),
                        dim("padded width", (long) in[1] + p[2] + p[3]), in[2]};
            }
            case "BatchNormalization":
            case "Dropout":
            case "Activation":
            case "LeakyReLU":
            case "Rescaling":
                return in.clone();
            case "Cropping2D": {
                requireRank(layer, in, 3);
                int[] p = layer.ints("cropping");
                long h = (long) in[0] - p[0] - p[1], w = (long) in[1] - p[2] - p[3];
                if (h < 1 || w < 1) {
                    throw new IllegalArgumentException("cropping " + show(p) + " leaves nothing of " + show(in));
                }
                return new int[] {(int) h, (int) w, in[2]};
            }
            case "UpSampling2D": {
                requireRank(layer, in, 3);
                int[] size = layer.ints("size");
                return new int[] {dim("upsampled height", (long) in[0] * size[0]),
                    dim("upsampled width", (long) in[1] * size[1]), in[2]};
            }
            case "Conv2DTranspose": {
                requireRank(layer, in, 3);
                int[] k = layer.ints("kernel");
                int[] s = layer.ints("strides");
                boolean same = "same".equals(layer.string("padding"));
                return new int[] {dim("output height", KerasShapes.transposeOutput(in[0], k[0], s[0], same)),
                    dim("output width", KerasShapes.transposeOutput(in[1], k[1], s[1], same)), layer.integer("filters")};
            }
            case "SeparableConv2D": {
                int[] hw = spatial(layer, in, layer.ints("kernel"), layer.ints("strides"),
                        layer.ints("dilation"), layer.string("padding"));
                return new int[] {hw[0], hw[1], layer.integer("filters")};
            }
            case "Reshape": {
                int[] shape = layer.ints("shape");
                long from = 1, to = 1;
                for (int d : in) {
                    from *= d;
                }
                for (int d : shape) {
                    to *= d;
                }
                if (from != to) {
                    throw new IllegalArgumentException("cannot reshape " + show(in) + " (" + from + " values) to "
                            + show(shape));
                }
                return shape.clone();
            }
            default:
                return null;
        }
    }

    private static int[] spatial(ImportedLayer layer, int[] in, int[] k, int[] s, int[] d, String padding) {
        requireRank(layer, in, 3);
        boolean same = "same".equals(padding);
        int[] out = new int[2];
        for (int a = 0; a < 2; a++) {
            if (!same && !KerasShapes.validFits(in[a], k[a], d[a])) {
                throw new IllegalArgumentException("input " + Arrays.toString(in) + " is smaller than the "
                        + ("MaxPool".equals(layer.kind()) || "AvgPool".equals(layer.kind()) ? "pool" : "kernel")
                        + " window (" + KerasShapes.span(k[a], d[a]) + ") on axis " + a + " with 'valid' padding");
            }
            out[a] = (int) KerasShapes.convolutionOutput(in[a], k[a], s[a], d[a], same); // <= in: fits an int
        }
        return out;
    }

    private static void requireRank(ImportedLayer layer, int[] in, int rank) {
        if (in.length != rank) {
            throw new IllegalArgumentException(layer.kind() + " needs a " + (rank == 3 ? "H x W x C" : rank + "-D")
                    + " input but gets " + Arrays.toString(in));
        }
    }

    /** {@code v} as a dimension; larger than an int holds is an error naming {@code what}. */
    private static int dim(String what, long v) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " is " + v + ", more than the largest dimension ("
                    + Integer.MAX_VALUE + ")");
        }
        return (int) v;
    }

    /**
     * Names and shapes of the weights a layer of a known kind must have, in Keras order; dimensions
     * that depend on an unknown input are {@link #ANY}. Returns null for kinds this class does not know
     * (their weights are taken as stored).
     */
    static List<Expected> expectedWeights(ImportedLayer layer, int[] in) {
        int channels = in == null ? ANY : in[in.length - 1];
        switch (layer.kind()) {
            case "Conv2D": {
                int[] k = layer.ints("kernel");
                int f = layer.integer("filters");
                int groups = layer.has("groups") ? layer.integer("groups") : 1;
                int cin = ANY;
                if (channels != ANY) {
                    if (channels % groups != 0 || f % groups != 0) {
                        throw new IllegalArgumentException("groups=" + groups + " does not divide the "
                                + channels + " input channels and " + f + " filters");
                    }
                    cin = channels / groups;
                }
                return expected(KerasWeights.conv2D(k[0], k[1], cin, f, layer.bool("useBias")));
            }
            case "Conv2DTranspose": {
                int[] k = layer.ints("kernel");
                return expected(KerasWeights.conv2DTranspose(k[0], k[1], channels, layer.integer("filters"),
                        layer.bool("useBias")));
            }
            case "SeparableConv2D": {
                int[] k = layer.ints("kernel");
                return expected(KerasWeights.separableConv2D(k[0], k[1], channels, layer.integer("depthMultiplier"),
                        layer.integer("filters"), layer.bool("useBias")));
            }
            case "DepthwiseConv2D": {
                int[] k = layer.ints("kernel");
                return expected(KerasWeights.depthwiseConv2D(k[0], k[1], channels, layer.integer("depthMultiplier"),
                        layer.bool("useBias")));
            }
            case "Dense":
                return expected(KerasWeights.dense(channels, layer.integer("units"), layer.bool("useBias")));
            case "BatchNormalization":
                return expected(KerasWeights.batchNormalization(channels, layer.bool("center"), layer.bool("scale")));
            case "MaxPool":
            case "AvgPool":
            case "GlobalAvgPool":
            case "GlobalMaxPool":
            case "Flatten":
            case "Dropout":
            case "ZeroPadding2D":
            case "Activation":
                return new ArrayList<>();
            default:
                return null;
        }
    }

    private static List<Expected> expected(List<KerasWeights.Tensor> tensors) {
        List<Expected> out = new ArrayList<>();
        for (KerasWeights.Tensor t : tensors) {
            out.add(new Expected(t.role(), t.shape()));
        }
        return out;
    }

    /** Whether {@code actual} fits {@code expected} ({@link #ANY} matches any size). */
    static boolean fits(int[] expected, int[] actual) {
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != ANY && expected[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    static String show(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] == ANY ? "?" : String.valueOf(shape[i]));
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** An expected weight: its Keras name and shape. */
    record Expected(String name, int[] shape) {
    }

    /**
     * Output shape of a layer given each of its inputs' shapes: a merge takes several (identical
     * shapes; a concatenation joins the last axis), any other layer one. Null when unknown.
     */
    static int[] output(ImportedLayer layer, List<int[]> inputs) {
        if (!LayerKinds.MERGES.contains(layer.kind())) {
            return output(layer, inputs.get(0));
        }
        if (inputs.stream().anyMatch(java.util.Objects::isNull)) {
            return null;
        }
        int[] first = inputs.get(0);
        boolean concatenate = layer.kind().equals("Concatenate");
        long last = 0;
        for (int[] in : inputs) {
            boolean fits = in.length == first.length;
            for (int d = 0; fits && d < first.length - (concatenate ? 1 : 0); d++) {
                fits = in[d] == first[d];
            }
            if (!fits) {
                throw new IllegalArgumentException(layer.kind() + " of shapes " + show(first) + " and " + show(in)
                        + (concatenate ? ": only the last axis may differ" : ": they must be identical"));
            }
            last += in[in.length - 1];
        }
        if (!concatenate) {
            return first.clone();
        }
        long size = last;
        for (int d = 0; d < first.length - 1; d++) {
            size *= first[d];
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the concatenation has " + size + " values, more than an array holds");
        }
        int[] out = first.clone();
        out[out.length - 1] = (int) last;
        return out;
    }
}
