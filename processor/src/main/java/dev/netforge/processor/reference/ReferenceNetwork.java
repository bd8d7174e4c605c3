package dev.netforge.processor.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A naive, independent reference implementation of the forward pass of a stack of
 * {@link RefLayer}s, written from the Keras semantics only (TensorFlow backend,
 * {@code channels_last}, batch size 1). Everything is computed in {@code double}, with nested
 * loops over every index and explicit bounds checks for padding; clarity over speed.
 *
 * <p>Shapes are {@code {H, W, C}} for an image (element (h, w, c) at {@code (h * W + w) * C + c})
 * or {@code {N}} for a vector. The parameter vector is Keras's {@code model.get_weights()}
 * flattened and concatenated in layer order (kernel then bias per layer; BatchNorm gamma, beta,
 * moving_mean, moving_variance).
 */
public final class ReferenceNetwork {

    /** Keras's SELU constants. */
    public static final double SELU_ALPHA = 1.67326324235437728481;
    public static final double SELU_SCALE = 1.05070098735548049342;
    /** Keras 3's default negative slope of {@code keras.activations.leaky_relu}. */
    public static final double LEAKY_RELU_SLOPE = 0.2;
    /** Keras's default alpha of {@code keras.activations.elu}. */
    public static final double ELU_ALPHA = 1.0;

    private ReferenceNetwork() {
    }

    // ------------------------------------------------------------------------------------------
    // Shapes and parameter counts
    // ------------------------------------------------------------------------------------------

    /**
     * The output shape of each layer, {@code {H, W, C}} or {@code {N}}.
     *
     * @throws IllegalArgumentException if the input shape or the stack is invalid
     */
    public static List<int[]> shapes(int[] input, List<RefLayer> layers) {
        Objects.requireNonNull(layers, "layers");
        int[] shape = checkInput(input);
        List<int[]> result = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            RefLayer layer = Objects.requireNonNull(layers.get(i), "layer #" + i);
            try {
                shape = outputShape(shape, layer);
                size(shape); // rejects an element count that does not fit an int
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer #" + i + " " + layer + " on input "
                        + Arrays.toString(shape) + ": " + e.getMessage(), e);
            }
            result.add(shape.clone());
        }
        return result;
    }

    /**
     * Keras's parameter count of each layer (trainable and non-trainable together).
     *
     * @throws IllegalArgumentException if the input shape or the stack is invalid
     */
    public static List<Long> parameterCounts(int[] input, List<RefLayer> layers) {
        List<int[]> outputs = shapes(input, layers);
        List<Long> counts = new ArrayList<>();
        int[] in = input.clone();
        for (int i = 0; i < layers.size(); i++) {
            counts.add(parameterCount(in, layers.get(i)));
            in = outputs.get(i);
        }
        return counts;
    }

    private static long parameterCount(int[] in, RefLayer layer) {
        if (layer instanceof RefLayer.Conv2D c) {
            long cin = in[2];
            return (long) c.kh() * c.kw() * cin * c.filters() + (c.useBias() ? c.filters() : 0);
        }
        if (layer instanceof RefLayer.DepthwiseConv2D d) {
            long cin = in[2];
            long outChannels = cin * d.depthMultiplier();
            return (long) d.kh() * d.kw() * outChannels + (d.useBias() ? outChannels : 0);
        }
        if (layer instanceof RefLayer.Dense d) {
            long n = in[0];
            return n * d.units() + (d.useBias() ? d.units() : 0);
        }
        if (layer instanceof RefLayer.BatchNorm b) {
            return (2L + (b.center() ? 1 : 0) + (b.scale() ? 1 : 0)) * in[in.length - 1];
        }
        if (layer instanceof RefLayer.Conv2DTranspose t) {
            return (long) t.kh() * t.kw() * t.filters() * in[2] + (t.useBias() ? t.filters() : 0);
        }
        if (layer instanceof RefLayer.SeparableConv2D s) {
            long middle = (long) in[2] * s.depthMultiplier();
            return (long) s.kh() * s.kw() * middle + middle * s.filters() + (s.useBias() ? s.filters() : 0);
        }
        return 0L;
    }

    private static int[] outputShape(int[] in, RefLayer layer) {
        if (layer instanceof RefLayer.Conv2D c) {
            requireImage(in);
            requirePositive("filters", c.filters());
            requirePositive("kernel height", c.kh());
            requirePositive("kernel width", c.kw());
            requirePositive("stride height", c.sh());
            requirePositive("stride width", c.sw());
            requirePositive("dilation height", c.dh());
            requirePositive("dilation width", c.dw());
            requireNoStrideWithDilation(c.sh(), c.sw(), c.dh(), c.dw());
            checkActivation(c.activation());
            return new int[] {
                convOutputSize(in[0], c.kh(), c.sh(), c.dh(), c.same()),
                convOutputSize(in[1], c.kw(), c.sw(), c.dw(), c.same()),
                c.filters()};
        }
        if (layer instanceof RefLayer.DepthwiseConv2D d) {
            requireImage(in);
            requirePositive("kernel height", d.kh());
            requirePositive("kernel width", d.kw());
            requirePositive("stride height", d.sh());
            requirePositive("stride width", d.sw());
            requirePositive("dilation height", d.dh());
            requirePositive("dilation width", d.dw());
            requirePositive("depth multiplier", d.depthMultiplier());
            requireNoStrideWithDilation(d.sh(), d.sw(), d.dh(), d.dw());
            checkActivation(d.activation());
            long channels = (long) in[2] * d.depthMultiplier();
            if (channels > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("too many output channels: " + channels);
            }
            return new int[] {
                convOutputSize(in[0], d.kh(), d.sh(), d.dh(), d.same()),
                convOutputSize(in[1], d.kw(), d.sw(), d.dw(), d.same()),
                (int) channels};
        }
        if (layer instanceof RefLayer.MaxPool p) {
            return poolShape(in, p.ph(), p.pw(), p.sh(), p.sw(), p.same());
        }
        if (layer instanceof RefLayer.UpSampling2D u) {
            requireImage(in);
            requirePositive("size height", u.sh());
            requirePositive("size width", u.sw());
            return new int[] {Math.multiplyExact(in[0], u.sh()), Math.multiplyExact(in[1], u.sw()), in[2]};
        }
        if (layer instanceof RefLayer.Conv2DTranspose t) {
            requireImage(in);
            requirePositive("filters", t.filters());
            requirePositive("kernel height", t.kh());
            requirePositive("kernel width", t.kw());
            requirePositive("stride height", t.sh());
            requirePositive("stride width", t.sw());
            checkActivation(t.activation());
            // Keras's deconv_output_length: in * S + max(K - S, 0) for 'valid', in * S for 'same'
            return new int[] {
                Math.addExact(Math.multiplyExact(in[0], t.sh()), t.same() ? 0 : Math.max(t.kh() - t.sh(), 0)),
                Math.addExact(Math.multiplyExact(in[1], t.sw()), t.same() ? 0 : Math.max(t.kw() - t.sw(), 0)),
                t.filters()};
        }
        if (layer instanceof RefLayer.SeparableConv2D s) {
            requireImage(in);
            requirePositive("filters", s.filters());
            requirePositive("depth multiplier", s.depthMultiplier());
            int[] depthwise = outputShape(in, new RefLayer.DepthwiseConv2D(s.kh(), s.kw(), s.sh(), s.sw(), s.dh(),
                    s.dw(), s.same(), s.depthMultiplier(), "linear", false));
            checkActivation(s.activation());
            return new int[] {depthwise[0], depthwise[1], s.filters()};
        }
        if (layer instanceof RefLayer.Reshape r) {
            long size = 1;
            for (int d : r.shape()) {
                requirePositive("reshape size", d);
                size *= d;
            }
            long inSize = 1;
            for (int d : in) {
                inSize *= d;
            }
            if ((r.shape().length != 1 && r.shape().length != 3) || size != inSize) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " to "
                        + Arrays.toString(r.shape()));
            }
            return r.shape().clone();
        }
        if (layer instanceof RefLayer.Rescaling) {
            return in.clone();
        }
        if (layer instanceof RefLayer.Cropping2D c) {
            requireImage(in);
            int h = in[0] - c.top() - c.bottom(), w = in[1] - c.left() - c.right();
            if (c.top() < 0 || c.bottom() < 0 || c.left() < 0 || c.right() < 0 || h < 1 || w < 1) {
                throw new IllegalArgumentException("cropping " + c + " of " + Arrays.toString(in));
            }
            return new int[] {h, w, in[2]};
        }
        if (layer instanceof RefLayer.LeakyReLU l) {
            if (!(l.alpha() >= 0) || Float.isInfinite(l.alpha())) {
                throw new IllegalArgumentException("alpha must be >= 0: " + l.alpha());
            }
            return in.clone();
        }
        if (layer instanceof RefLayer.AvgPool p) {
            return poolShape(in, p.ph(), p.pw(), p.sh(), p.sw(), p.same());
        }
        if (layer instanceof RefLayer.GlobalAvgPool || layer instanceof RefLayer.GlobalMaxPool) {
            requireImage(in);
            return new int[] {in[2]};
        }
        if (layer instanceof RefLayer.Flatten) {
            return new int[] {size(in)};
        }
        if (layer instanceof RefLayer.Dense d) {
            if (in.length != 1) {
                throw new IllegalArgumentException(
                        "Dense needs a vector input (put a Flatten or a global pooling before it)");
            }
            requirePositive("units", d.units());
            checkActivation(d.activation());
            return new int[] {d.units()};
        }
        if (layer instanceof RefLayer.BatchNorm b) {
            if (!(b.epsilon() >= 0) || Double.isInfinite(b.epsilon())) {
                throw new IllegalArgumentException("epsilon must be finite and >= 0");
            }
            return in.clone();
        }
        if (layer instanceof RefLayer.ZeroPadding z) {
            requireImage(in);
            requireNonNegative("top padding", z.top());
            requireNonNegative("bottom padding", z.bottom());
            requireNonNegative("left padding", z.left());
            requireNonNegative("right padding", z.right());
            long h = (long) in[0] + z.top() + z.bottom();
            long w = (long) in[1] + z.left() + z.right();
            if (h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("padded size too large");
            }
            return new int[] {(int) h, (int) w, in[2]};
        }
        if (layer instanceof RefLayer.Dropout d) {
            if (!(d.rate() >= 0 && d.rate() <= 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1]");
            }
            return in.clone();
        }
        if (layer instanceof RefLayer.ActivationLayer a) {
            checkActivation(a.activation());
            return in.clone();
        }
        throw new IllegalArgumentException("unknown layer " + layer);
    }

    private static int[] poolShape(int[] in, int ph, int pw, int sh, int sw, boolean same) {
        requireImage(in);
        requirePositive("pool height", ph);
        requirePositive("pool width", pw);
        requirePositive("stride height", sh);
        requirePositive("stride width", sw);
        return new int[] {
            poolOutputSize(in[0], ph, sh, same),
            poolOutputSize(in[1], pw, sw, same),
            in[2]};
    }

    /** Conv2D output size on one axis: 'same' ceil(in/S); 'valid' floor((in - D(K-1) - 1)/S) + 1. */
    static int convOutputSize(int in, int k, int s, int d, boolean same) {
        if (same) {
            return ceilDiv(in, s);
        }
        long effective = (long) d * (k - 1) + 1;
        if (in < effective) {
            throw new IllegalArgumentException("'valid' window of extent " + effective
                    + " (kernel " + k + ", dilation " + d + ") does not fit an input of " + in);
        }
        return (int) ((in - effective) / s + 1);
    }

    /** Pooling output size on one axis: 'same' ceil(in/S); 'valid' floor((in - P)/S) + 1. */
    static int poolOutputSize(int in, int p, int s, boolean same) {
        if (same) {
            return ceilDiv(in, s);
        }
        if (in < p) {
            throw new IllegalArgumentException(
                    "'valid' pool of " + p + " does not fit an input of " + in);
        }
        return (in - p) / s + 1;
    }

    /**
     * The zero padding before the first element on one axis (TensorFlow's 'same'):
     * {@code total = max((out - 1) * S + D * (K - 1) + 1 - in, 0)}, {@code before = total / 2};
     * the remaining {@code total - before} goes after (bottom/right).
     */
    static int samePaddingBefore(int in, int out, int k, int s, int d) {
        long total = Math.max((long) (out - 1) * s + (long) d * (k - 1) + 1 - in, 0L);
        return (int) (total / 2);
    }

    // ------------------------------------------------------------------------------------------
    // Forward pass
    // ------------------------------------------------------------------------------------------

    /** The output of the whole network for the input {@code x}, computed in double. */
    public static double[] forward(int[] input, List<RefLayer> layers, float[] parameters,
                                   float[] x) {
        List<double[]> outputs = forwardPerLayer(input, layers, parameters, x);
        if (outputs.isEmpty()) {
            return toDouble(x);
        }
        return outputs.get(outputs.size() - 1);
    }

    /** The output of every layer for the input {@code x}, computed in double. */
    public static List<double[]> forwardPerLayer(int[] input, List<RefLayer> layers,
                                                 float[] parameters, float[] x) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(x, "x");
        List<int[]> outShapes = shapes(input, layers);
        List<Long> counts = parameterCounts(input, layers);
        long expected = 0;
        for (long c : counts) {
            expected += c;
        }
        if (parameters.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " parameters, got "
                    + parameters.length);
        }
        int[] shape = input.clone();
        if (x.length != size(shape)) {
            throw new IllegalArgumentException("expected an input of " + size(shape)
                    + " values, got " + x.length);
        }

        List<double[]> outputs = new ArrayList<>();
        double[] current = toDouble(x);
        int offset = 0;
        for (int i = 0; i < layers.size(); i++) {
            int[] outShape = outShapes.get(i);
            double[] next = apply(layers.get(i), shape, outShape, parameters, offset, current);
            if (next.length != size(outShape)) {
                throw new IllegalStateException("layer #" + i + " produced " + next.length
                        + " values for shape " + Arrays.toString(outShape));
            }
            outputs.add(next);
            offset += (int) (long) counts.get(i);
            current = next;
            shape = outShape;
        }
        return outputs;
    }

    private static double[] apply(RefLayer layer, int[] in, int[] out, float[] p, int offset,
                                  double[] x) {
        if (layer instanceof RefLayer.Conv2D c) {
            return conv2d(c, in, out, p, offset, x);
        }
        if (layer instanceof RefLayer.DepthwiseConv2D d) {
            return depthwiseConv2d(d, in, out, p, offset, x);
        }
        if (layer instanceof RefLayer.MaxPool m) {
            return pool(true, m.ph(), m.pw(), m.sh(), m.sw(), m.same(), in, out, x);
        }
        if (layer instanceof RefLayer.AvgPool a) {
            return pool(false, a.ph(), a.pw(), a.sh(), a.sw(), a.same(), in, out, x);
        }
        if (layer instanceof RefLayer.GlobalAvgPool) {
            return globalPool(false, in, x);
        }
        if (layer instanceof RefLayer.GlobalMaxPool) {
            return globalPool(true, in, x);
        }
        if (layer instanceof RefLayer.Flatten) {
            return x.clone();
        }
        if (layer instanceof RefLayer.Dense d) {
            return dense(d, in, p, offset, x);
        }
        if (layer instanceof RefLayer.BatchNorm b) {
            return batchNorm(b, in, p, offset, x);
        }
        if (layer instanceof RefLayer.ZeroPadding z) {
            return zeroPadding(z, in, out, x);
        }
        if (layer instanceof RefLayer.Dropout) {
            return x.clone();
        }
        if (layer instanceof RefLayer.ActivationLayer a) {
            double[] y = x.clone();
            applyActivation(a.activation(), y, in[in.length - 1]);
            return y;
        }
        if (layer instanceof RefLayer.UpSampling2D u) {
            double[] y = new double[out[0] * out[1] * out[2]];
            for (int oh = 0; oh < out[0]; oh++) {
                for (int ow = 0; ow < out[1]; ow++) {
                    for (int c = 0; c < out[2]; c++) {
                        y[(oh * out[1] + ow) * out[2] + c] = x[((oh / u.sh()) * in[1] + ow / u.sw()) * in[2] + c];
                    }
                }
            }
            return y;
        }
        if (layer instanceof RefLayer.Conv2DTranspose t) {
            return conv2dTranspose(t, in, out, p, offset, x);
        }
        if (layer instanceof RefLayer.SeparableConv2D s) {
            RefLayer.DepthwiseConv2D depthwise = new RefLayer.DepthwiseConv2D(s.kh(), s.kw(), s.sh(), s.sw(), s.dh(),
                    s.dw(), s.same(), s.depthMultiplier(), "linear", false);
            int[] middle = {out[0], out[1], in[2] * s.depthMultiplier()};
            double[] m = depthwiseConv2d(depthwise, in, middle, p, offset, x);
            int pointwise = offset + s.kh() * s.kw() * middle[2];
            int bias = pointwise + middle[2] * s.filters();
            double[] y = new double[out[0] * out[1] * out[2]];
            for (int px = 0; px < out[0] * out[1]; px++) {
                for (int f = 0; f < s.filters(); f++) {
                    double sum = s.useBias() ? p[bias + f] : 0.0;
                    for (int c = 0; c < middle[2]; c++) {
                        sum += m[px * middle[2] + c] * p[pointwise + c * s.filters() + f];
                    }
                    y[px * s.filters() + f] = sum;
                }
            }
            applyActivation(s.activation(), y, s.filters());
            return y;
        }
        if (layer instanceof RefLayer.Reshape) {
            return x.clone();
        }
        if (layer instanceof RefLayer.Rescaling r) {
            double[] y = new double[x.length];
            for (int i = 0; i < y.length; i++) {
                // Keras casts scale and offset to the input's float32
                y[i] = x[i] * (double) (float) r.scale() + (double) (float) r.offset();
            }
            return y;
        }
        if (layer instanceof RefLayer.Cropping2D c) {
            double[] y = new double[out[0] * out[1] * out[2]];
            for (int h = 0; h < out[0]; h++) {
                for (int w = 0; w < out[1]; w++) {
                    for (int ch = 0; ch < out[2]; ch++) {
                        y[(h * out[1] + w) * out[2] + ch] = x[((h + c.top()) * in[1] + w + c.left()) * in[2] + ch];
                    }
                }
            }
            return y;
        }
        if (layer instanceof RefLayer.LeakyReLU l) {
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] = y[i] >= 0 ? y[i] : (double) l.alpha() * y[i];
            }
            return y;
        }
        throw new IllegalArgumentException("unknown layer " + layer);
    }

    private static double[] conv2d(RefLayer.Conv2D c, int[] in, int[] out, float[] p, int offset,
                                   double[] x) {
        int inH = in[0];
        int inW = in[1];
        int inC = in[2];
        int outH = out[0];
        int outW = out[1];
        int filters = out[2];
        int kh = c.kh();
        int kw = c.kw();
        int padTop = c.same() ? samePaddingBefore(inH, outH, kh, c.sh(), c.dh()) : 0;
        int padLeft = c.same() ? samePaddingBefore(inW, outW, kw, c.sw(), c.dw()) : 0;
        int kernelOffset = offset;
        int biasOffset = offset + kh * kw * inC * filters;

        double[] y = new double[outH * outW * filters];
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                for (int f = 0; f < filters; f++) {
                    double sum = 0.0;
                    for (int r = 0; r < kh; r++) {
                        int ih = oh * c.sh() - padTop + r * c.dh();
                        if (ih < 0 || ih >= inH) {
                            continue; // zero padding
                        }
                        for (int s = 0; s < kw; s++) {
                            int iw = ow * c.sw() - padLeft + s * c.dw();
                            if (iw < 0 || iw >= inW) {
                                continue; // zero padding
                            }
                            for (int ci = 0; ci < inC; ci++) {
                                double input = x[(ih * inW + iw) * inC + ci];
                                double weight = p[kernelOffset + ((r * kw + s) * inC + ci) * filters + f];
                                sum += input * weight;
                            }
                        }
                    }
                    if (c.useBias()) {
                        sum += p[biasOffset + f];
                    }
                    y[(oh * outW + ow) * filters + f] = sum;
                }
            }
        }
        applyActivation(c.activation(), y, filters);
        return y;
    }

    /**
     * Gathered, not scattered: output (oh, ow) takes input (ih, iw) through kernel tap (r, s) when
     * {@code oh + top = ih * S + r}, with 'same' cropping {@code top = floor(max(K - S, 0) / 2)}.
     */
    private static double[] conv2dTranspose(RefLayer.Conv2DTranspose t, int[] in, int[] out, float[] p, int offset,
                                            double[] x) {
        int inH = in[0], inW = in[1], inC = in[2], outH = out[0], outW = out[1], filters = out[2];
        int top = t.same() ? Math.max(t.kh() - t.sh(), 0) / 2 : 0;
        int left = t.same() ? Math.max(t.kw() - t.sw(), 0) / 2 : 0;
        int bias = offset + t.kh() * t.kw() * filters * inC;
        double[] y = new double[outH * outW * filters];
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                for (int f = 0; f < filters; f++) {
                    double sum = t.useBias() ? p[bias + f] : 0.0;
                    for (int r = 0; r < t.kh(); r++) {
                        int rowNumerator = oh + top - r;
                        if (rowNumerator < 0 || rowNumerator % t.sh() != 0 || rowNumerator / t.sh() >= inH) {
                            continue;
                        }
                        int ih = rowNumerator / t.sh();
                        for (int s = 0; s < t.kw(); s++) {
                            int colNumerator = ow + left - s;
                            if (colNumerator < 0 || colNumerator % t.sw() != 0 || colNumerator / t.sw() >= inW) {
                                continue;
                            }
                            int iw = colNumerator / t.sw();
                            for (int c = 0; c < inC; c++) {
                                sum += x[(ih * inW + iw) * inC + c]
                                        * p[offset + ((r * t.kw() + s) * filters + f) * inC + c];
                            }
                        }
                    }
                    y[(oh * outW + ow) * filters + f] = sum;
                }
            }
        }
        applyActivation(t.activation(), y, filters);
        return y;
    }

    private static double[] depthwiseConv2d(RefLayer.DepthwiseConv2D d, int[] in, int[] out,
                                            float[] p, int offset, double[] x) {
        int inH = in[0];
        int inW = in[1];
        int inC = in[2];
        int outH = out[0];
        int outW = out[1];
        int outC = out[2];
        int dm = d.depthMultiplier();
        int kh = d.kh();
        int kw = d.kw();
        int padTop = d.same() ? samePaddingBefore(inH, outH, kh, d.sh(), d.dh()) : 0;
        int padLeft = d.same() ? samePaddingBefore(inW, outW, kw, d.sw(), d.dw()) : 0;
        int kernelOffset = offset;
        int biasOffset = offset + kh * kw * inC * dm;

        double[] y = new double[outH * outW * outC];
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                for (int ci = 0; ci < inC; ci++) {
                    for (int m = 0; m < dm; m++) {
                        double sum = 0.0;
                        for (int r = 0; r < kh; r++) {
                            int ih = oh * d.sh() - padTop + r * d.dh();
                            if (ih < 0 || ih >= inH) {
                                continue; // zero padding
                            }
                            for (int s = 0; s < kw; s++) {
                                int iw = ow * d.sw() - padLeft + s * d.dw();
                                if (iw < 0 || iw >= inW) {
                                    continue; // zero padding
                                }
                                double input = x[(ih * inW + iw) * inC + ci];
                                double weight = p[kernelOffset + ((r * kw + s) * inC + ci) * dm + m];
                                sum += input * weight;
                            }
                        }
                        int oc = ci * dm + m;
                        if (d.useBias()) {
                            sum += p[biasOffset + oc];
                        }
                        y[(oh * outW + ow) * outC + oc] = sum;
                    }
                }
            }
        }
        applyActivation(d.activation(), y, outC);
        return y;
    }

    private static double[] pool(boolean max, int ph, int pw, int sh, int sw, boolean same,
                                 int[] in, int[] out, double[] x) {
        int inH = in[0];
        int inW = in[1];
        int channels = in[2];
        int outH = out[0];
        int outW = out[1];
        int padTop = same ? samePaddingBefore(inH, outH, ph, sh, 1) : 0;
        int padLeft = same ? samePaddingBefore(inW, outW, pw, sw, 1) : 0;

        double[] y = new double[outH * outW * channels];
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                for (int c = 0; c < channels; c++) {
                    double best = Double.NEGATIVE_INFINITY;
                    double sum = 0.0;
                    int count = 0;
                    for (int r = 0; r < ph; r++) {
                        int ih = oh * sh - padTop + r;
                        if (ih < 0 || ih >= inH) {
                            continue; // padded cell: ignored
                        }
                        for (int s = 0; s < pw; s++) {
                            int iw = ow * sw - padLeft + s;
                            if (iw < 0 || iw >= inW) {
                                continue; // padded cell: ignored
                            }
                            double v = x[(ih * inW + iw) * channels + c];
                            best = Math.max(best, v);
                            sum += v;
                            count++;
                        }
                    }
                    if (count == 0) {
                        throw new IllegalStateException("pooling window without a real cell at ("
                                + oh + ", " + ow + ")");
                    }
                    y[(oh * outW + ow) * channels + c] = max ? best : sum / count;
                }
            }
        }
        return y;
    }

    private static double[] globalPool(boolean max, int[] in, double[] x) {
        int inH = in[0];
        int inW = in[1];
        int channels = in[2];
        double[] y = new double[channels];
        for (int c = 0; c < channels; c++) {
            double best = Double.NEGATIVE_INFINITY;
            double sum = 0.0;
            for (int h = 0; h < inH; h++) {
                for (int w = 0; w < inW; w++) {
                    double v = x[(h * inW + w) * channels + c];
                    best = Math.max(best, v);
                    sum += v;
                }
            }
            y[c] = max ? best : sum / ((double) inH * inW);
        }
        return y;
    }

    private static double[] dense(RefLayer.Dense d, int[] in, float[] p, int offset, double[] x) {
        int n = in[0];
        int units = d.units();
        int kernelOffset = offset;
        int biasOffset = offset + n * units;
        double[] y = new double[units];
        for (int u = 0; u < units; u++) {
            double sum = 0.0;
            for (int i = 0; i < n; i++) {
                sum += x[i] * p[kernelOffset + i * units + u];
            }
            if (d.useBias()) {
                sum += p[biasOffset + u];
            }
            y[u] = sum;
        }
        applyActivation(d.activation(), y, units);
        return y;
    }

    private static double[] batchNorm(RefLayer.BatchNorm b, int[] in, float[] p, int offset,
                                      double[] x) {
        // Keras stores gamma (if scale), beta (if center), moving mean, moving variance
        int channels = in[in.length - 1];
        int gammaOffset = offset;
        int betaOffset = gammaOffset + (b.scale() ? channels : 0);
        int meanOffset = betaOffset + (b.center() ? channels : 0);
        int varianceOffset = meanOffset + channels;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i % channels; // the last axis
            double gamma = b.scale() ? p[gammaOffset + c] : 1.0;
            double beta = b.center() ? p[betaOffset + c] : 0.0;
            double mean = p[meanOffset + c];
            double variance = p[varianceOffset + c];
            y[i] = gamma * (x[i] - mean) / Math.sqrt(variance + b.epsilon()) + beta;
        }
        return y;
    }

    private static double[] zeroPadding(RefLayer.ZeroPadding z, int[] in, int[] out, double[] x) {
        int inH = in[0];
        int inW = in[1];
        int channels = in[2];
        int outW = out[1];
        double[] y = new double[out[0] * out[1] * out[2]]; // zeros
        for (int h = 0; h < inH; h++) {
            for (int w = 0; w < inW; w++) {
                for (int c = 0; c < channels; c++) {
                    y[((h + z.top()) * outW + (w + z.left())) * channels + c]
                            = x[(h * inW + w) * channels + c];
                }
            }
        }
        return y;
    }

    // ------------------------------------------------------------------------------------------
    // Activations
    // ------------------------------------------------------------------------------------------

    /**
     * Applies the activation in place; {@code softmax} works on consecutive groups of
     * {@code lastAxis} values (the channels of each pixel, or the whole vector).
     */
    static void applyActivation(String activation, double[] y, int lastAxis) {
        String name = normalize(activation);
        if (name.equals("softmax")) {
            for (int start = 0; start < y.length; start += lastAxis) {
                double[] group = Arrays.copyOfRange(y, start, start + lastAxis);
                double[] s = softmax(group);
                System.arraycopy(s, 0, y, start, lastAxis);
            }
            return;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = activate(name, y[i]);
        }
    }

    /** Softmax of a whole vector, computed stably (the maximum is subtracted first). */
    public static double[] softmax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : v) {
            max = Math.max(max, value);
        }
        double[] e = new double[v.length];
        double sum = 0.0;
        for (int i = 0; i < v.length; i++) {
            e[i] = Math.exp(v[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < v.length; i++) {
            e[i] = e[i] / sum;
        }
        return e;
    }

    /**
     * An element-wise activation by its Keras name ({@code softmax} is not element-wise and is
     * rejected here: use {@link #softmax(double[])}).
     */
    public static double activate(String activation, double x) {
        String name = normalize(activation);
        switch (name) {
            case "linear":
                return x;
            case "relu":
                return Math.max(0.0, x);
            case "sigmoid":
                return sigmoid(x);
            case "tanh":
                return Math.tanh(x);
            case "relu6":
                return Math.min(Math.max(0.0, x), 6.0);
            case "leaky_relu":
                return x >= 0 ? x : LEAKY_RELU_SLOPE * x;
            case "elu":
                return x > 0 ? x : ELU_ALPHA * Math.expm1(x);
            case "selu":
                return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case "hard_sigmoid":
                return Math.min(Math.max(0.0, x + 3.0), 6.0) / 6.0;
            case "swish":
            case "silu":
                return x * sigmoid(x);
            case "gelu":
                return gelu(x);
            case "softplus":
                return softplus(x);
            case "mish":
                return x * Math.tanh(softplus(x));
            case "softsign":
                return x / (1.0 + Math.abs(x));
            case "gelu_tanh": // Keras's gelu(approximate=True): 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
                return 0.5 * x * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * Math.pow(x, 3))));
            case "softmax":
                throw new IllegalArgumentException("softmax is not element-wise");
            default:
                throw new IllegalArgumentException("unknown activation '" + activation + "'");
        }
    }

    private static String normalize(String activation) {
        return activation == null ? "linear" : activation.toLowerCase(Locale.ROOT);
    }

    private static void checkActivation(String activation) {
        String name = normalize(activation);
        if (!name.equals("softmax")) {
            activate(name, 0.0); // throws for an unknown name
        }
    }

    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** Exact GELU (Keras's default, approximate=False): 0.5 x (1 + erf(x / sqrt 2)). */
    public static double gelu(double x) {
        // 1 + erf(t) == erfc(-t); erfc keeps full accuracy for large negative x.
        return 0.5 * x * erfc(-x / Math.sqrt(2.0));
    }

    /** log(1 + e^x), computed stably as max(x, 0) + log1p(e^-|x|). */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** The error function, to about 1e-15 absolute accuracy. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return -erf(-x);
        }
        if (x < 3.0) {
            return erfSeries(x);
        }
        return 1.0 - erfcContinuedFraction(x);
    }

    /** The complementary error function 1 - erf(x), with good relative accuracy for x > 0. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return 2.0 - erfc(-x);
        }
        if (x < 2.0) {
            return 1.0 - erfSeries(x);
        }
        return erfcContinuedFraction(x);
    }

    /**
     * erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_{n >= 0} 2^n x^(2n+1) / (1 * 3 * ... * (2n+1))
     * (Abramowitz and Stegun 7.1.6); every term is positive, so there is no cancellation.
     * Used for 0 <= x < 3.
     */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 1000; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return 2.0 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
    }

    /**
     * erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))
     * (Abramowitz and Stegun 7.1.14), evaluated with the modified Lentz algorithm. Used for
     * x >= 2, where it converges quickly.
     */
    private static double erfcContinuedFraction(double x) {
        if (x >= 27.0) {
            return 0.0; // below 1e-318: exp(-x^2) underflows
        }
        final double tiny = 1e-300;
        double f = x; // b0
        double c = f;
        double d = 0.0;
        for (int n = 1; n < 10_000; n++) {
            double a = n / 2.0;
            double b = x;
            d = b + a * d;
            if (d == 0.0) {
                d = tiny;
            }
            c = b + a / c;
            if (c == 0.0) {
                c = tiny;
            }
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    private static int[] checkInput(int[] input) {
        Objects.requireNonNull(input, "input");
        if (input.length != 1 && input.length != 3) {
            throw new IllegalArgumentException("input shape must be {H, W, C} or {N}, got "
                    + Arrays.toString(input));
        }
        for (int dim : input) {
            if (dim <= 0) {
                throw new IllegalArgumentException("input dimensions must be positive, got "
                        + Arrays.toString(input));
            }
        }
        size(input);
        return input.clone();
    }

    private static void requireImage(int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException("needs an H x W x C input, got "
                    + Arrays.toString(in));
        }
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    private static void requireNonNegative(String what, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
    }

    /** Keras 3 rejects strides > 1 together with dilation_rate > 1 (as does TensorFlow). */
    private static void requireNoStrideWithDilation(int sh, int sw, int dh, int dw) {
        if (Math.max(sh, sw) > 1 && Math.max(dh, dw) > 1) {
            throw new IllegalArgumentException(
                    "strides > 1 not supported in conjunction with dilation_rate > 1");
        }
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    /** The number of elements of a shape. */
    static int size(int[] shape) {
        long n = 1;
        for (int dim : shape) {
            n *= dim;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more than Integer.MAX_VALUE elements");
            }
        }
        return (int) n;
    }

    private static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
