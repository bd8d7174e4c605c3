package dev.netforge.processor.fuzz;

import dev.netforge.processor.fuzz.FuzzCase.Attr;
import dev.netforge.processor.fuzz.FuzzCase.Bool;
import dev.netforge.processor.fuzz.FuzzCase.Dbl;
import dev.netforge.processor.fuzz.FuzzCase.FieldFlaw;
import dev.netforge.processor.fuzz.FuzzCase.Int;
import dev.netforge.processor.fuzz.FuzzCase.Ints;
import dev.netforge.processor.fuzz.FuzzCase.Kind;
import dev.netforge.processor.fuzz.FuzzCase.Layer;
import dev.netforge.processor.reference.RefLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the processor must do with a {@link FuzzCase}, derived independently of the processor's code
 * from the public contract only: SEMANTICS.md's shape arithmetic (Keras's), the annotations' javadoc
 * (defaults, allowed values) and the README's rule table (including its Java-array limit,
 * {@code Integer.MAX_VALUE - 8} values, for activations, kernels, padded inputs and the parameter vector).
 * All arithmetic is in {@code long}.
 *
 * <p>The oracle stops at the first error in declaration order (model, then each layer: the field,
 * its attributes, then its shape); the processor reports every independent error, so the oracle's
 * first error must be among them, on the same line.
 */
public final class Oracle {
    /** The largest Java array, as the README's {@code too-large} rule counts it. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;
    public static final int MAX_LAYERS = 1000;

    private Oracle() {
    }

    /**
     * The expected outcome. When {@code valid}: the reference layers, shapes and sizes, and how many
     * {@code flatten-of-vector} warnings to expect. Otherwise the rule (without {@code netforge.})
     * of the first error and the layer it belongs to ({@link #MODEL} for the class).
     */
    public record Expectation(boolean valid, String rule, int layer, String reason, int flattenWarnings,
                              int[] input, List<RefLayer> refLayers, long inputSize, long outputSize,
                              long parameters, long largestArray, long multiplyAccumulates, long[] outputShape) {
        @Override
        public String toString() {
            return valid ? "accept (input " + inputSize + ", output " + outputSize + ", " + parameters
                    + " parameters, largest array " + largestArray + ")"
                    : "reject [netforge." + rule + "] at " + (layer == MODEL ? "the model" : "layer " + layer)
                    + ": " + reason;
        }
    }

    public static final int MODEL = -1;

    private static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String rule;
        final int layer;

        Rejected(String rule, int layer, String reason) {
            super(reason, null, false, false);
            this.rule = rule;
            this.layer = layer;
        }
    }

    public static Expectation expect(FuzzCase c) {
        try {
            return run(c);
        } catch (Rejected r) {
            return new Expectation(false, r.rule, r.layer, r.getMessage(), 0, null, null, 0, 0, 0, 0, 0, null);
        }
    }

    private static Expectation run(FuzzCase c) {
        int[] dims = ((Ints) c.input()).values();
        if (dims.length != 1 && dims.length != 3) {
            throw new Rejected("model-input", MODEL, "input of " + dims.length + " sizes");
        }
        long size = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new Rejected("model-input", MODEL, "input size " + d);
            }
            size = mul(size, d);
        }
        if (size > MAX_ARRAY) {
            throw new Rejected("too-large", MODEL, "input of " + size + " values");
        }
        if (c.layers().isEmpty()) {
            throw new Rejected("no-layers", MODEL, "no layers");
        }
        if (c.layers().size() > MAX_LAYERS) {
            throw new Rejected("too-many-layers", MODEL, c.layers().size() + " layers");
        }
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
        }
        List<RefLayer> refs = new ArrayList<>();
        long parameters = 0;
        long largest = size;
        long macs = 0;
        int flattenWarnings = 0;
        for (int index = 0; index < c.layers().size(); index++) {
            Layer layer = c.layers().get(index);
            if (layer.flaw() == FieldFlaw.SECOND_ANNOTATION) {
                throw new Rejected("one-layer-per-field", index, "two layer annotations");
            }
            if (layer.flaw() != FieldFlaw.NONE) {
                throw new Rejected("layer-field", index, "field is " + layer.flaw());
            }
            Step step = step(index, layer, shape);
            if (layer.kind() == Kind.FLATTEN && shape.length == 1) {
                flattenWarnings++;
            }
            parameters = Math.addExact(parameters, Math.min(step.parameters, MAX_ARRAY + 1));
            if (parameters > MAX_ARRAY) {
                throw new Rejected("too-large", index, "parameter vector of " + parameters);
            }
            shape = step.output;
            largest = Math.max(largest, Math.max(product(shape), step.padded));
            macs += step.macs;
            refs.add(step.ref);
        }
        return new Expectation(true, null, 0, "", flattenWarnings, dims, refs, size, product(shape), parameters,
                largest, macs, shape);
    }

    private record Step(long[] output, long parameters, long padded, long macs, RefLayer ref) {
    }

    private static Step step(int index, Layer layer, long[] in) {
        switch (layer.kind()) {
            case CONV2D, DEPTHWISE -> {
                boolean depthwise = layer.kind() == Kind.DEPTHWISE;
                long filters = depthwise ? intAttr(layer, "depthMultiplier", 1) : intAttr(layer, "filters", 0);
                if (filters <= 0) {
                    throw new Rejected("not-positive", index, (depthwise ? "depthMultiplier " : "filters ") + filters);
                }
                long[] kernel = pair(index, layer, "kernel", null, false);
                long[] strides = pair(index, layer, "strides", new int[] {1}, false);
                long[] dilation = pair(index, layer, "dilation", new int[] {1}, false);
                if ((strides[0] > 1 || strides[1] > 1) && (dilation[0] > 1 || dilation[1] > 1)) {
                    throw new Rejected("strides-with-dilation", index, "strides and dilation both > 1");
                }
                requireImage(index, in);
                boolean same = same(layer);
                long[] window = window(index, in, kernel, strides, dilation, same);
                long padded = mul(mul(in[0] + window[2], in[1] + window[3]), in[2]);
                if (padded > MAX_ARRAY) {
                    throw new Rejected("too-large", index, "padded input " + padded);
                }
                long channels = depthwise ? mul(in[2], filters) : filters;
                if (channels > MAX_ARRAY) {
                    throw new Rejected("too-large", index, "output channels " + channels);
                }
                long[] out = {window[0], window[1], channels};
                if (product(out) > MAX_ARRAY) {
                    throw new Rejected("too-large", index, "output " + product(out));
                }
                long kernelSize = mul(mul(mul(kernel[0], kernel[1]), in[2]), filters);
                if (kernelSize > MAX_ARRAY) {
                    throw new Rejected("too-large", index, "kernel " + kernelSize);
                }
                boolean bias = boolAttr(layer, "useBias", true);
                String activation = activation(layer, "activation");
                RefLayer ref = depthwise
                        ? new RefLayer.DepthwiseConv2D((int) kernel[0], (int) kernel[1], (int) strides[0],
                                (int) strides[1], (int) dilation[0], (int) dilation[1], same, (int) filters, activation,
                                bias)
                        : new RefLayer.Conv2D((int) filters, (int) kernel[0], (int) kernel[1], (int) strides[0],
                                (int) strides[1], (int) dilation[0], (int) dilation[1], same, activation, bias);
                return new Step(out, kernelSize + (bias ? channels : 0), window[2] + window[3] > 0 ? padded : 0,
                        mul(mul(out[0], out[1]), kernelSize), ref);
            }
            case MAX_POOL, AVG_POOL -> {
                long[] pool = pair(index, layer, "value", new int[] {2}, false);
                long[] strides = pair(index, layer, "strides", new int[0], true);
                requireImage(index, in);
                if (strides.length == 0) {
                    strides = pool;
                }
                boolean same = same(layer);
                long[] window = window(index, in, pool, strides, new long[] {1, 1}, same);
                long[] out = {window[0], window[1], in[2]};
                RefLayer ref = layer.kind() == Kind.MAX_POOL
                        ? new RefLayer.MaxPool((int) pool[0], (int) pool[1], (int) strides[0], (int) strides[1], same)
                        : new RefLayer.AvgPool((int) pool[0], (int) pool[1], (int) strides[0], (int) strides[1], same);
                return new Step(out, 0, 0, mul(mul(product(out), pool[0]), pool[1]), ref);
            }
            case GLOBAL_AVG, GLOBAL_MAX -> {
                requireImage(index, in);
                return new Step(new long[] {in[2]}, 0, 0, product(in),
                        layer.kind() == Kind.GLOBAL_AVG ? new RefLayer.GlobalAvgPool() : new RefLayer.GlobalMaxPool());
            }
            case FLATTEN -> {
                return new Step(new long[] {product(in)}, 0, 0, 0, new RefLayer.Flatten());
            }
            case DENSE -> {
                long units = intAttr(layer, "units", 0);
                if (units <= 0) {
                    throw new Rejected("not-positive", index, "units " + units);
                }
                if (in.length != 1) {
                    throw new Rejected("needs-vector", index, "Dense on an image");
                }
                long kernel = mul(in[0], units);
                if (kernel > MAX_ARRAY) {
                    throw new Rejected("too-large", index, "kernel " + kernel);
                }
                boolean bias = boolAttr(layer, "useBias", true);
                return new Step(new long[] {units}, kernel + (bias ? units : 0), 0, kernel,
                        new RefLayer.Dense((int) units, activation(layer, "activation"), bias));
            }
            case BATCH_NORM -> {
                double epsilon = doubleAttr(layer, "epsilon", 0.001);
                if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                    throw new Rejected("not-positive", index, "epsilon " + epsilon);
                }
                return new Step(in, 4 * in[in.length - 1], 0, product(in), new RefLayer.BatchNorm(epsilon));
            }
            case ZERO_PADDING -> {
                Attr attr = layer.attribute("value");
                int[] values = attr == null ? new int[] {1} : ((Ints) attr).values();
                if (values.length != 1 && values.length != 2 && values.length != 4) {
                    throw new Rejected("array-length", index, "padding of " + values.length + " values");
                }
                for (int v : values) {
                    if (v < 0) {
                        throw new Rejected("not-positive", index, "negative padding " + v);
                    }
                }
                requireImage(index, in);
                long top = values[0], bottom = values[0], left = values[0], right = values[0];
                if (values.length == 2) {
                    left = right = values[1];
                } else if (values.length == 4) {
                    bottom = values[1];
                    left = values[2];
                    right = values[3];
                }
                long[] out = {in[0] + top + bottom, in[1] + left + right, in[2]};
                if (product(out) > MAX_ARRAY) {
                    throw new Rejected("too-large", index, "padded output " + product(out));
                }
                return new Step(out, 0, 0, 0, new RefLayer.ZeroPadding((int) top, (int) bottom, (int) left,
                        (int) right));
            }
            case DROPOUT -> {
                double rate = doubleAttr(layer, "rate", Double.NaN);
                if (!(rate >= 0 && rate < 1)) {
                    throw new Rejected("out-of-range", index, "rate " + rate);
                }
                return new Step(in, 0, 0, 0, new RefLayer.Dropout(rate));
            }
            case ACTIVATION -> {
                return new Step(in, 0, 0, product(in), new RefLayer.ActivationLayer(activation(layer, "value")));
            }
        }
        throw new AssertionError(layer.kind());
    }

    /**
     * Each axis of a sliding window: {@code {outH, outW, padH, padW}} (total padding per axis), with
     * the rules of SEMANTICS.md; a 'same' padding that is not an {@code int} is too large.
     */
    private static long[] window(int index, long[] in, long[] size, long[] strides, long[] dilation, boolean same) {
        long[] result = new long[4];
        for (int axis = 0; axis < 2; axis++) {
            long span = dilation[axis] * (size[axis] - 1) + 1;
            if (same) {
                long out = (in[axis] + strides[axis] - 1) / strides[axis];
                long pad = Math.max((out - 1) * strides[axis] + span - in[axis], 0);
                if (pad > Integer.MAX_VALUE) {
                    throw new Rejected("too-large", index, "'same' padding " + pad);
                }
                result[axis] = out;
                result[2 + axis] = pad;
            } else {
                if (in[axis] < span) {
                    throw new Rejected("window-larger-than-input", index, "window " + span + " > input " + in[axis]);
                }
                result[axis] = (in[axis] - span) / strides[axis] + 1;
            }
        }
        return result;
    }

    private static void requireImage(int index, long[] in) {
        if (in.length != 3) {
            throw new Rejected("needs-image", index, "image layer on a vector");
        }
    }

    /** An {@code int[]} attribute as two longs (or empty when allowed), checked for length and sign. */
    private static long[] pair(int index, Layer layer, String name, int[] defaults, boolean emptyAllowed) {
        Attr attr = layer.attribute(name);
        int[] values = attr == null ? defaults : ((Ints) attr).values();
        if (values == null) {
            throw new AssertionError("required attribute " + name + " missing in " + layer);
        }
        if (values.length == 0 && emptyAllowed) {
            return new long[0];
        }
        if (values.length != 1 && values.length != 2) {
            throw new Rejected("array-length", index, name + " of " + values.length + " values");
        }
        for (int v : values) {
            if (v <= 0) {
                throw new Rejected("not-positive", index, name + " value " + v);
            }
        }
        return values.length == 1 ? new long[] {values[0], values[0]} : new long[] {values[0], values[1]};
    }

    private static long intAttr(Layer layer, String name, int defaultValue) {
        Attr attr = layer.attribute(name);
        return attr == null ? defaultValue : ((Int) attr).value();
    }

    private static double doubleAttr(Layer layer, String name, double defaultValue) {
        Attr attr = layer.attribute(name);
        return attr == null ? defaultValue : ((Dbl) attr).value();
    }

    private static boolean boolAttr(Layer layer, String name, boolean defaultValue) {
        Attr attr = layer.attribute(name);
        return attr == null ? defaultValue : ((Bool) attr).value();
    }

    private static boolean same(Layer layer) {
        Attr attr = layer.attribute("padding");
        return attr != null && ((FuzzCase.Enum) attr).constant().equals("SAME");
    }

    /** The Keras name of the activation, {@code leaky_relu} for {@code LEAKY_RELU}. */
    private static String activation(Layer layer, String name) {
        Attr attr = layer.attribute(name);
        return attr == null ? "linear" : ((FuzzCase.Enum) attr).constant().toLowerCase(Locale.ROOT);
    }

    /** The product of the sizes, saturating at {@code Long.MAX_VALUE} (sizes here can reach 2^93). */
    static long product(long[] shape) {
        long p = 1;
        for (long d : shape) {
            p = mul(p, d);
        }
        return p;
    }

    /** {@code a * b} for non-negative values, saturating instead of wrapping. */
    static long mul(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
