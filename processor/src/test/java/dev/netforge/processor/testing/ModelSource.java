package dev.netforge.processor.testing;

import dev.netforge.processor.reference.RefLayer;
import java.util.List;
import java.util.Locale;

/**
 * Writes the Java source of a {@code @Model} class for a stack of {@link RefLayer}s, so one
 * description drives both the processor (through this source) and the independent reference.
 * Layers are named {@code l0, l1, ...}.
 */
public final class ModelSource {
    private ModelSource() {
    }

    public static String of(String packageName, String className, int[] input, List<RefLayer> layers) {
        StringBuilder source = new StringBuilder();
        if (!packageName.isEmpty()) {
            source.append("package ").append(packageName).append(";\n\n");
        }
        source.append("import dev.netforge.*;\n\n");
        source.append("@Model(input = ").append(ints(input)).append(")\n");
        source.append("public class ").append(className).append(" {\n");
        for (int i = 0; i < layers.size(); i++) {
            source.append("    ").append(annotation(layers.get(i))).append(" Layer l").append(i).append(";\n");
        }
        return source.append("}\n").toString();
    }

    /** The annotation a user would write for this layer, with Keras's defaults left out. */
    public static String annotation(RefLayer layer) {
        if (layer instanceof RefLayer.Conv2D c) {
            return "@Conv2D(filters = " + c.filters() + ", kernel = " + pair(c.kh(), c.kw())
                    + ", strides = " + pair(c.sh(), c.sw())
                    + (c.same() ? ", padding = Padding.SAME" : "")
                    + (c.dh() != 1 || c.dw() != 1 ? ", dilation = " + pair(c.dh(), c.dw()) : "")
                    + activation(c.activation())
                    + (c.useBias() ? "" : ", useBias = false") + ")";
        } else if (layer instanceof RefLayer.DepthwiseConv2D c) {
            return "@DepthwiseConv2D(kernel = " + pair(c.kh(), c.kw())
                    + ", strides = " + pair(c.sh(), c.sw())
                    + (c.same() ? ", padding = Padding.SAME" : "")
                    + (c.depthMultiplier() != 1 ? ", depthMultiplier = " + c.depthMultiplier() : "")
                    + (c.dh() != 1 || c.dw() != 1 ? ", dilation = " + pair(c.dh(), c.dw()) : "")
                    + activation(c.activation())
                    + (c.useBias() ? "" : ", useBias = false") + ")";
        } else if (layer instanceof RefLayer.MaxPool p) {
            return "@MaxPool(value = " + pair(p.ph(), p.pw()) + ", strides = " + pair(p.sh(), p.sw())
                    + (p.same() ? ", padding = Padding.SAME" : "") + ")";
        } else if (layer instanceof RefLayer.AvgPool p) {
            return "@AvgPool(value = " + pair(p.ph(), p.pw()) + ", strides = " + pair(p.sh(), p.sw())
                    + (p.same() ? ", padding = Padding.SAME" : "") + ")";
        } else if (layer instanceof RefLayer.GlobalAvgPool) {
            return "@GlobalAveragePooling2D";
        } else if (layer instanceof RefLayer.GlobalMaxPool) {
            return "@GlobalMaxPooling2D";
        } else if (layer instanceof RefLayer.Flatten) {
            return "@Flatten";
        } else if (layer instanceof RefLayer.Dense d) {
            return "@Dense(units = " + d.units() + activation(d.activation())
                    + (d.useBias() ? "" : ", useBias = false") + ")";
        } else if (layer instanceof RefLayer.BatchNorm b) {
            List<String> attributes = new java.util.ArrayList<>();
            if (b.epsilon() != 0.001) {
                attributes.add("epsilon = " + b.epsilon());
            }
            if (!b.center()) {
                attributes.add("center = false");
            }
            if (!b.scale()) {
                attributes.add("scale = false");
            }
            return "@BatchNormalization" + (attributes.isEmpty() ? "" : "(" + String.join(", ", attributes) + ")");
        } else if (layer instanceof RefLayer.ZeroPadding z) {
            return "@ZeroPadding2D({" + z.top() + ", " + z.bottom() + ", " + z.left() + ", " + z.right() + "})";
        } else if (layer instanceof RefLayer.Dropout d) {
            return "@Dropout(rate = " + d.rate() + ")";
        } else if (layer instanceof RefLayer.ActivationLayer a) {
            return "@ActivationLayer(Activation." + enumName(a.activation()) + ")";
        } else if (layer instanceof RefLayer.UpSampling2D u) {
            return "@UpSampling2D(size = " + pair(u.sh(), u.sw()) + ")";
        } else if (layer instanceof RefLayer.Conv2DTranspose t) {
            return "@Conv2DTranspose(filters = " + t.filters() + ", kernel = " + pair(t.kh(), t.kw())
                    + ", strides = " + pair(t.sh(), t.sw()) + (t.same() ? ", padding = Padding.SAME" : "")
                    + activation(t.activation()) + (t.useBias() ? "" : ", useBias = false") + ")";
        } else if (layer instanceof RefLayer.SeparableConv2D c) {
            return "@SeparableConv2D(filters = " + c.filters() + ", kernel = " + pair(c.kh(), c.kw())
                    + ", strides = " + pair(c.sh(), c.sw()) + (c.same() ? ", padding = Padding.SAME" : "")
                    + (c.depthMultiplier() != 1 ? ", depthMultiplier = " + c.depthMultiplier() : "")
                    + (c.dh() != 1 || c.dw() != 1 ? ", dilation = " + pair(c.dh(), c.dw()) : "")
                    + activation(c.activation()) + (c.useBias() ? "" : ", useBias = false") + ")";
        } else if (layer instanceof RefLayer.Reshape r) {
            return "@Reshape(" + ints(r.shape()) + ")";
        } else if (layer instanceof RefLayer.LeakyReLU l) {
            return "@LeakyReLU(alpha = " + l.alpha() + "f)";
        } else if (layer instanceof RefLayer.Rescaling r) {
            return "@Rescaling(scale = " + r.scale() + ", offset = " + r.offset() + ")";
        } else if (layer instanceof RefLayer.Cropping2D c) {
            return "@Cropping2D({" + c.top() + ", " + c.bottom() + ", " + c.left() + ", " + c.right() + "})";
        }
        throw new IllegalArgumentException("no annotation for " + layer);
    }

    /** {@code hard_sigmoid} or {@code hardSigmoid} to {@code HARD_SIGMOID}. */
    public static String enumName(String keras) {
        return keras.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static String activation(String name) {
        if (name == null || name.equalsIgnoreCase("linear")) {
            return "";
        }
        return ", activation = Activation." + enumName(name);
    }

    /** {@code 3} when both axes agree (the one-value form), else {@code {3, 5}}. */
    private static String pair(int a, int b) {
        return a == b ? String.valueOf(a) : "{" + a + ", " + b + "}";
    }

    private static String ints(int[] values) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            text.append(i > 0 ? ", " : "").append(values[i]);
        }
        return text.append('}').toString();
    }
}
