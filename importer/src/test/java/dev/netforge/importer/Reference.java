package dev.netforge.importer;

import java.util.List;

/**
 * Two small, independent reference implementations used to check layout conversions by their
 * results: ONNX operators on NCHW tensors with ONNX weights, and NetForge (Keras) layers on NHWC
 * tensors with the imported weights. Batch size 1; tensors are flat float arrays in C order.
 */
final class Reference {
    private Reference() {
    }

    // ------------------------------------------------------------------ ONNX side (NCHW)

    /** ONNX Conv: x (C,H,W), w (O, C/group, KH, KW), pads {top, left, bottom, right}. Returns {out, shape}. */
    static Object[] onnxConv(float[] x, int[] chw, float[] w, int[] oikk, float[] b, int group, int[] s, int[] pads) {
        int c = chw[0], h = chw[1], wd = chw[2];
        int o = oikk[0], ipg = oikk[1], kh = oikk[2], kw = oikk[3];
        int oh = (h + pads[0] + pads[2] - kh) / s[0] + 1;
        int ow = (wd + pads[1] + pads[3] - kw) / s[1] + 1;
        float[] out = new float[o * oh * ow];
        int opg = o / group;
        for (int f = 0; f < o; f++) {
            int g = f / opg;
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double acc = b == null ? 0 : b[f];
                    for (int ci = 0; ci < ipg; ci++) {
                        int ch = g * ipg + ci;
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = y * s[0] + ky - pads[0];
                                int ix = xx * s[1] + kx - pads[1];
                                if (iy < 0 || ix < 0 || iy >= h || ix >= wd) {
                                    continue;
                                }
                                acc += x[(ch * h + iy) * wd + ix] * w[((f * ipg + ci) * kh + ky) * kw + kx];
                            }
                        }
                    }
                    out[(f * oh + y) * ow + xx] = (float) acc;
                }
            }
        }
        assert c % group == 0;
        return new Object[] {out, new int[] {o, oh, ow}};
    }

    static Object[] onnxMaxPool(float[] x, int[] chw, int k, int s) {
        int c = chw[0], h = chw[1], w = chw[2];
        int oh = (h - k) / s + 1, ow = (w - k) / s + 1;
        float[] out = new float[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            m = Math.max(m, x[(ch * h + y * s + ky) * w + xx * s + kx]);
                        }
                    }
                    out[(ch * oh + y) * ow + xx] = m;
                }
            }
        }
        return new Object[] {out, new int[] {c, oh, ow}};
    }

    static float[] onnxBatchNorm(float[] x, int[] chw, float[] g, float[] b, float[] mean, float[] var, float eps) {
        int hw = chw.length == 3 ? chw[1] * chw[2] : 1;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i / hw;
            out[i] = (float) ((x[i] - mean[ch]) / Math.sqrt(var[ch] + eps) * g[ch] + b[ch]);
        }
        return out;
    }

    static float[] onnxGlobalAvg(float[] x, int[] chw) {
        int hw = chw[1] * chw[2];
        float[] out = new float[chw[0]];
        for (int ch = 0; ch < chw[0]; ch++) {
            double s = 0;
            for (int i = 0; i < hw; i++) {
                s += x[ch * hw + i];
            }
            out[ch] = (float) (s / hw);
        }
        return out;
    }

    /** y = x · W (W given as (N, U)) + b. */
    static float[] matMul(float[] x, float[] w, int units, float[] b) {
        float[] out = new float[units];
        for (int u = 0; u < units; u++) {
            double acc = b == null ? 0 : b[u];
            for (int i = 0; i < x.length; i++) {
                acc += x[i] * w[i * units + u];
            }
            out[u] = (float) acc;
        }
        return out;
    }

    /** y = x · Wᵀ (W given as (U, N), Gemm transB=1) + b. */
    static float[] gemmTransB(float[] x, float[] w, int units, float[] b) {
        float[] out = new float[units];
        for (int u = 0; u < units; u++) {
            double acc = b == null ? 0 : b[u];
            for (int i = 0; i < x.length; i++) {
                acc += x[i] * w[u * x.length + i];
            }
            out[u] = (float) acc;
        }
        return out;
    }

    static float[] apply(String activation, float[] x) {
        float[] out = x.clone();
        switch (activation) {
            case "linear" -> { }
            case "relu" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.max(0, out[i]);
                }
            }
            case "sigmoid" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (1 / (1 + Math.exp(-out[i])));
                }
            }
            case "tanh" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) Math.tanh(out[i]);
                }
            }
            case "softmax" -> {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (float v : out) {
                    max = Math.max(max, v);
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) Math.exp(out[i] - max);
                    sum += out[i];
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] /= sum;
                }
            }
            default -> throw new IllegalArgumentException(activation);
        }
        return out;
    }

    static float[] nchwToNhwc(float[] x, int[] chw) {
        int c = chw[0], h = chw[1], w = chw[2];
        float[] out = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    out[(y * w + xx) * c + ch] = x[(ch * h + y) * w + xx];
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ NetForge side (NHWC)

    /** Runs an imported model the way NetForge defines its layers (SEMANTICS.md). */
    static float[] netforge(ImportedModel m, float[] input) {
        float[] x = input.clone();
        int[] shape = m.inputShape();
        List<int[]> shapes = m.outputShapes();
        for (int li = 0; li < m.layers().size(); li++) {
            ImportedLayer l = m.layers().get(li);
            int[] out = shapes.get(li);
            switch (l.kind()) {
                case "Conv2D", "DepthwiseConv2D" -> x = conv(l, x, shape, out);
                case "MaxPool" -> x = maxPool(l, x, shape, out);
                case "GlobalAvgPool" -> {
                    int hw = shape[0] * shape[1], c = shape[2];
                    float[] y = new float[c];
                    for (int ch = 0; ch < c; ch++) {
                        double s = 0;
                        for (int i = 0; i < hw; i++) {
                            s += x[i * c + ch];
                        }
                        y[ch] = (float) (s / hw);
                    }
                    x = y;
                }
                case "ZeroPadding2D" -> {
                    int[] p = l.ints("paddingValues"); // top, bottom, left, right
                    int c = shape[2];
                    float[] y = new float[out[0] * out[1] * c];
                    for (int r = 0; r < shape[0]; r++) {
                        System.arraycopy(x, r * shape[1] * c, y, ((r + p[0]) * out[1] + p[2]) * c, shape[1] * c);
                    }
                    x = y;
                }
                case "Flatten", "Dropout" -> { }
                case "Dense" -> {
                    float[] k = l.weights().get(0).data();
                    float[] b = l.bool("useBias") ? l.weights().get(1).data() : null;
                    x = apply(l.string("activation"), matMul(x, k, l.integer("units"), b));
                }
                case "BatchNormalization" -> {
                    int c = shape[shape.length - 1];
                    float[] g = l.weights().get(0).data(), be = l.weights().get(1).data();
                    float[] mean = l.weights().get(2).data(), var = l.weights().get(3).data();
                    double eps = l.real("epsilon");
                    float[] y = new float[x.length];
                    for (int i = 0; i < x.length; i++) {
                        int ch = i % c;
                        y[i] = (float) ((x[i] - mean[ch]) / Math.sqrt(var[ch] + eps) * g[ch] + be[ch]);
                    }
                    x = y;
                }
                case "Activation" -> x = apply(l.string("activation"), x);
                default -> throw new IllegalArgumentException("reference has no " + l.kind());
            }
            shape = out;
        }
        return x;
    }

    private static float[] conv(ImportedLayer l, float[] x, int[] in, int[] out) {
        boolean depthwise = l.kind().equals("DepthwiseConv2D");
        int[] k = l.ints("kernel"), s = l.ints("strides");
        int h = in[0], w = in[1], c = in[2], oh = out[0], ow = out[1], f = out[2];
        int top = 0, left = 0;
        if (l.string("padding").equals("same")) {
            top = Math.max((oh - 1) * s[0] + k[0] - h, 0) / 2;
            left = Math.max((ow - 1) * s[1] + k[1] - w, 0) / 2;
        }
        float[] kernel = l.weights().get(0).data();
        float[] bias = l.bool("useBias") ? l.weights().get(1).data() : null;
        int m = depthwise ? l.integer("depthMultiplier") : 0;
        float[] y = new float[oh * ow * f];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int fo = 0; fo < f; fo++) {
                    double acc = bias == null ? 0 : bias[fo];
                    for (int ky = 0; ky < k[0]; ky++) {
                        for (int kx = 0; kx < k[1]; kx++) {
                            int iy = oy * s[0] + ky - top, ix = ox * s[1] + kx - left;
                            if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
                                continue;
                            }
                            if (depthwise) {
                                int ch = fo / m, mm = fo % m;
                                acc += x[(iy * w + ix) * c + ch] * kernel[((ky * k[1] + kx) * c + ch) * m + mm];
                            } else {
                                for (int ci = 0; ci < c; ci++) {
                                    acc += x[(iy * w + ix) * c + ci] * kernel[((ky * k[1] + kx) * c + ci) * f + fo];
                                }
                            }
                        }
                    }
                    y[(oy * ow + ox) * f + fo] = (float) acc;
                }
            }
        }
        return apply(l.string("activation"), y);
    }

    private static float[] maxPool(ImportedLayer l, float[] x, int[] in, int[] out) {
        int[] p = l.ints("pool"), s = l.ints("strides");
        int w = in[1], c = in[2];
        float[] y = new float[out[0] * out[1] * c];
        for (int oy = 0; oy < out[0]; oy++) {
            for (int ox = 0; ox < out[1]; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < p[0]; ky++) {
                        for (int kx = 0; kx < p[1]; kx++) {
                            m = Math.max(m, x[((oy * s[0] + ky) * w + ox * s[1] + kx) * c + ch]);
                        }
                    }
                    y[(oy * out[1] + ox) * c + ch] = m;
                }
            }
        }
        return y;
    }
}
