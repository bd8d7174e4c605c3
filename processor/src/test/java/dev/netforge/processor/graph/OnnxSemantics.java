package dev.netforge.processor.graph;

/**
 * ONNX operators as the ONNX specification defines them, on N x C x H x W tensors with batch 1 and
 * ONNX's own weight layouts: naive loops, in double inside each output element, written from the
 * specification and not from NetForge's code, so that a layout mistake in the importer or the
 * processor shows as a wrong number. A tensor is its values in C order with its dims (no batch).
 */
final class OnnxSemantics {
    private OnnxSemantics() {
    }

    /** A tensor: values in C order, dims without the batch ({C, H, W} or {F}). */
    record T(float[] v, int... dims) {
        int c() {
            return dims[0];
        }

        int h() {
            return dims[1];
        }

        int w() {
            return dims[2];
        }

        float at(int ch, int y, int x) {
            return v[(ch * dims[1] + y) * dims[2] + x];
        }
    }

    /** Conv, group 1: w (O, C, KH, KW), pads {top, left, bottom, right}. */
    static T conv(T x, float[] w, int o, int kh, int kw, float[] b, int stride, int[] pads) {
        int oh = (x.h() + pads[0] + pads[2] - kh) / stride + 1;
        int ow = (x.w() + pads[1] + pads[3] - kw) / stride + 1;
        float[] y = new float[o * oh * ow];
        for (int f = 0; f < o; f++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double acc = b == null ? 0 : b[f];
                    for (int ci = 0; ci < x.c(); ci++) {
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = oy * stride + ky - pads[0];
                                int ix = ox * stride + kx - pads[1];
                                if (iy >= 0 && ix >= 0 && iy < x.h() && ix < x.w()) {
                                    acc += (double) x.at(ci, iy, ix) * w[((f * x.c() + ci) * kh + ky) * kw + kx];
                                }
                            }
                        }
                    }
                    y[(f * oh + oy) * ow + ox] = (float) acc;
                }
            }
        }
        return new T(y, o, oh, ow);
    }

    /**
     * ConvTranspose, group 1: w (C, F, KH, KW). Input (i, j) adds x·w[.., ky, kx] at position
     * (i·S + ky − pad_top, j·S + kx − pad_left) of an output of S·(in − 1) + output_padding + K − pads.
     */
    static T convTranspose(T x, float[] w, int f, int kh, int kw, float[] b, int stride, int[] pads, int[] outPad) {
        int oh = stride * (x.h() - 1) + outPad[0] + kh - pads[0] - pads[2];
        int ow = stride * (x.w() - 1) + outPad[1] + kw - pads[1] - pads[3];
        double[] acc = new double[f * oh * ow];
        for (int fo = 0; fo < f; fo++) {
            for (int i = 0; i < oh * ow; i++) {
                acc[fo * oh * ow + i] = b == null ? 0 : b[fo];
            }
        }
        for (int ci = 0; ci < x.c(); ci++) {
            for (int iy = 0; iy < x.h(); iy++) {
                for (int ix = 0; ix < x.w(); ix++) {
                    for (int fo = 0; fo < f; fo++) {
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int oy = iy * stride + ky - pads[0];
                                int ox = ix * stride + kx - pads[1];
                                if (oy >= 0 && ox >= 0 && oy < oh && ox < ow) {
                                    acc[(fo * oh + oy) * ow + ox] += (double) x.at(ci, iy, ix)
                                            * w[((ci * f + fo) * kh + ky) * kw + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] y = new float[acc.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) acc[i];
        }
        return new T(y, f, oh, ow);
    }

    static T maxPool(T x, int k, int s) {
        int oh = (x.h() - k) / s + 1;
        int ow = (x.w() - k) / s + 1;
        float[] y = new float[x.c() * oh * ow];
        for (int ch = 0; ch < x.c(); ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            m = Math.max(m, x.at(ch, oy * s + ky, ox * s + kx));
                        }
                    }
                    y[(ch * oh + oy) * ow + ox] = m;
                }
            }
        }
        return new T(y, x.c(), oh, ow);
    }

    /** GlobalAveragePool followed by Flatten: one value a channel. */
    static T globalAveragePool(T x) {
        float[] y = new float[x.c()];
        for (int ch = 0; ch < x.c(); ch++) {
            double s = 0;
            for (int i = 0; i < x.h() * x.w(); i++) {
                s += x.v[ch * x.h() * x.w() + i];
            }
            y[ch] = (float) (s / (x.h() * x.w()));
        }
        return new T(y, x.c());
    }

    /**
     * Resize, mode nearest, by whole factors: output (y, x) reads input (nearest(coordinate(y)),
     * nearest(coordinate(x))) as the specification's coordinate_transformation_mode and nearest_mode say.
     */
    static T resizeNearest(T x, int fh, int fw, String transform, String rounding) {
        int oh = x.h() * fh;
        int ow = x.w() * fw;
        float[] y = new float[x.c() * oh * ow];
        for (int ch = 0; ch < x.c(); ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int iy = nearest(oy, fh, x.h(), oh, transform, rounding);
                    int ix = nearest(ox, fw, x.w(), ow, transform, rounding);
                    y[(ch * oh + oy) * ow + ox] = x.at(ch, iy, ix);
                }
            }
        }
        return new T(y, x.c(), oh, ow);
    }

    private static int nearest(int i, int scale, int in, int out, String transform, String rounding) {
        double c = switch (transform) {
            case "half_pixel" -> (i + 0.5) / scale - 0.5;
            case "asymmetric" -> i / (double) scale;
            case "align_corners" -> out == 1 ? 0 : i * (in - 1.0) / (out - 1);
            case "tf_half_pixel_for_nn" -> (i + 0.5) / scale;
            default -> throw new IllegalArgumentException(transform);
        };
        double r = switch (rounding) {
            case "floor" -> Math.floor(c);
            case "round_prefer_floor" -> c - Math.floor(c) == 0.5 ? Math.floor(c) : Math.round(c);
            default -> throw new IllegalArgumentException(rounding);
        };
        return (int) Math.max(0, Math.min(in - 1, r));
    }

    /** Concat along axis 1 (the channels). */
    static T concatChannels(T a, T b) {
        float[] y = new float[a.v.length + b.v.length];
        System.arraycopy(a.v, 0, y, 0, a.v.length);
        System.arraycopy(b.v, 0, y, a.v.length, b.v.length);
        return new T(y, a.c() + b.c(), a.h(), a.w());
    }

    enum Op { ADD, SUB, MUL, MAX, MIN }

    static T binary(Op op, T a, T b) {
        float[] y = new float[a.v.length];
        for (int i = 0; i < y.length; i++) {
            float p = a.v[i];
            float q = b.v[i];
            y[i] = switch (op) {
                case ADD -> p + q;
                case SUB -> p - q;
                case MUL -> p * q;
                case MAX -> Math.max(p, q);
                case MIN -> Math.min(p, q);
            };
        }
        return new T(y, a.dims);
    }

    static T sum(T... xs) {
        float[] y = new float[xs[0].v.length];
        for (int i = 0; i < y.length; i++) {
            double s = 0;
            for (T x : xs) {
                s += x.v[i];
            }
            y[i] = (float) s;
        }
        return new T(y, xs[0].dims);
    }

    static T mean(T... xs) {
        T s = sum(xs);
        float[] y = new float[s.v.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) ((double) s.v[i] / xs.length);
        }
        return new T(y, s.dims);
    }

    static T relu(T x) {
        return map(x, v -> Math.max(0, v));
    }

    static T clip(T x, double lo, double hi) {
        return map(x, v -> Math.min(hi, Math.max(lo, v)));
    }

    static T leakyRelu(T x, double alpha) {
        return map(x, v -> v >= 0 ? v : alpha * v);
    }

    static T sigmoid(T x) {
        return map(x, v -> 1 / (1 + Math.exp(-v)));
    }

    static T tanh(T x) {
        return map(x, Math::tanh);
    }

    private static T map(T x, java.util.function.DoubleUnaryOperator f) {
        float[] y = new float[x.v.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) f.applyAsDouble(x.v[i]);
        }
        return new T(y, x.dims);
    }

    /** Softmax over a vector. */
    static T softmax(T x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x.v) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (float v : x.v) {
            s += Math.exp(v - max);
        }
        float[] y = new float[x.v.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (Math.exp(x.v[i] - max) / s);
        }
        return new T(y, y.length);
    }

    /** BatchNormalization over the features of a vector (BatchNorm1d): (x − mean) / sqrt(var + eps) · gamma + beta. */
    static T batchNorm(T x, float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
        float[] y = new float[x.v.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) ((x.v[i] - mean[i]) / Math.sqrt(var[i] + eps) * gamma[i] + beta[i]);
        }
        return new T(y, x.dims);
    }

    /** Flatten (axis 1) and Reshape move no data in ONNX: the values stay in C order. */
    static T reshape(T x, int... dims) {
        return new T(x.v, dims);
    }

    /** Gemm with transB = 1: y = x · Wᵀ + b, W (U, N). */
    static T gemmTransB(T x, float[] w, int units, float[] b) {
        int n = x.v.length;
        float[] y = new float[units];
        for (int u = 0; u < units; u++) {
            double acc = b == null ? 0 : b[u];
            for (int i = 0; i < n; i++) {
                acc += (double) x.v[i] * w[u * n + i];
            }
            y[u] = (float) acc;
        }
        return new T(y, units);
    }

    /** MatMul with W (N, U), then Add of the bias. */
    static T matMulAdd(T x, float[] w, int units, float[] b) {
        float[] y = new float[units];
        for (int u = 0; u < units; u++) {
            double acc = b[u];
            for (int i = 0; i < x.v.length; i++) {
                acc += (double) x.v[i] * w[i * units + u];
            }
            y[u] = (float) acc;
        }
        return new T(y, units);
    }

    /** Transpose perm (0, 2, 3, 1) of a C x H x W tensor: H x W x C, NetForge's layout. */
    static T toNhwc(T x) {
        if (x.dims.length != 3) {
            return x;
        }
        float[] y = new float[x.v.length];
        for (int ch = 0; ch < x.c(); ch++) {
            for (int yy = 0; yy < x.h(); yy++) {
                for (int xx = 0; xx < x.w(); xx++) {
                    y[(yy * x.w() + xx) * x.c() + ch] = x.at(ch, yy, xx);
                }
            }
        }
        return new T(y, x.h(), x.w(), x.c());
    }

    /** Transpose perm (0, 3, 1, 2) of an H x W x C tensor: C x H x W. */
    static T toNchw(float[] v, int h, int w, int c) {
        float[] y = new float[v.length];
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                for (int ch = 0; ch < c; ch++) {
                    y[(ch * h + yy) * w + xx] = v[(yy * w + xx) * c + ch];
                }
            }
        }
        return new T(y, c, h, w);
    }
}
