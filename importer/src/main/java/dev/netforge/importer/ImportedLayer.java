package dev.netforge.importer;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of an imported model, in NetForge (Keras) terms.
 *
 * <p>{@code kind} is one of {@code Conv2D, DepthwiseConv2D, Dense, MaxPool, AvgPool, GlobalAvgPool,
 * GlobalMaxPool, Flatten, BatchNormalization, Dropout, ZeroPadding2D, Activation, UpSampling2D,
 * Conv2DTranspose, SeparableConv2D, Reshape, LeakyReLU, Rescaling, Cropping2D}, or a merge: {@code Add,
 * Subtract, Multiply, Average, Maximum, Minimum, Concatenate} (no attributes). A Keras layer of
 * any other class is passed through with its Keras class name as the kind, no attributes and its
 * weights as stored, so that tools can report it (the scaffold prints it as
 * {@code // unsupported: <kind>}).
 *
 * <p>Normalised attributes (present when meaningful for the kind):
 * <ul>
 *   <li>{@code kernel}, {@code strides}, {@code dilation}, {@code pool}: {@code int[2]} (rows, columns)</li>
 *   <li>{@code padding}: {@code "valid"} or {@code "same"}</li>
 *   <li>{@code filters}, {@code units}, {@code depthMultiplier}, {@code groups} (only when not 1): {@link Integer}</li>
 *   <li>{@code activation}: the Keras name, e.g. {@code "relu"}, {@code "softmax"}, {@code "linear"}</li>
 *   <li>{@code useBias}, {@code center}, {@code scale}, {@code keepDims}: {@link Boolean}</li>
 *   <li>{@code epsilon}, {@code rate}, {@code alpha} (LeakyReLU), {@code scale}, {@code offset}: {@link Double}</li>
 *   <li>{@code paddingValues}, {@code cropping}: {@code int[4]} top, bottom, left, right</li>
 *   <li>{@code size} (UpSampling2D): {@code int[2]}; {@code shape} (Reshape): {@code int[]}, {H, W, C} or {N}</li>
 * </ul>
 * Weights are in Keras {@code get_weights()} order and layout: Conv2D kernel HWIO then bias;
 * DepthwiseConv2D kernel (KH, KW, C, M) then bias; Conv2DTranspose kernel (KH, KW, F, CIN) then bias;
 * SeparableConv2D depthwise (KH, KW, C, M), pointwise (1, 1, C·M, F), bias; Dense kernel (inputs, units) then bias;
 * BatchNormalization gamma, beta, moving mean, moving variance.
 *
 * <p>Immutable: arrays are copied in and out.
 */
public record ImportedLayer(String name, String kind, Map<String, Object> attributes, List<Tensor> weights) {

    public ImportedLayer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        attributes = deepCopy(Objects.requireNonNull(attributes, "attributes"));
        weights = List.copyOf(weights);
    }

    /** The attributes; arrays in the returned map are copies. */
    @Override
    public Map<String, Object> attributes() {
        return deepCopy(attributes);
    }

    /** Whether attribute {@code key} is present. */
    public boolean has(String key) {
        return attributes.containsKey(key);
    }

    /** An {@code int[]} attribute (a copy), or null when absent. */
    public int[] ints(String key) {
        Object v = attributes.get(key);
        return v == null ? null : ((int[]) v).clone();
    }

    /** An {@link Integer} attribute, or null when absent. */
    public Integer integer(String key) {
        return (Integer) attributes.get(key);
    }

    /** A {@link String} attribute, or null when absent. */
    public String string(String key) {
        return (String) attributes.get(key);
    }

    /** A {@link Boolean} attribute, or null when absent. */
    public Boolean bool(String key) {
        return (Boolean) attributes.get(key);
    }

    /** A {@link Double} attribute, or null when absent. */
    public Double real(String key) {
        return (Double) attributes.get(key);
    }

    /** Total number of weight elements of this layer. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : weights) {
            n += t.size();
        }
        return n;
    }

    private static Map<String, Object> deepCopy(Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            Object v = Objects.requireNonNull(e.getValue(), () -> "attribute " + e.getKey() + " is null");
            if (v instanceof int[] a) {
                v = a.clone();
            } else if (!(v instanceof String || v instanceof Integer || v instanceof Double
                    || v instanceof Boolean)) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " has unsupported type "
                        + v.getClass().getName());
            }
            out.put(Objects.requireNonNull(e.getKey(), "attribute name"), v);
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImportedLayer l)) {
            return false;
        }
        if (!name.equals(l.name) || !kind.equals(l.kind) || !weights.equals(l.weights)
                || !attributes.keySet().equals(l.attributes.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            Object a = e.getValue();
            Object b = l.attributes.get(e.getKey());
            if (a instanceof int[] x ? !(b instanceof int[] y && Arrays.equals(x, y)) : !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(name, kind, weights);
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            Object v = e.getValue();
            h += e.getKey().hashCode() ^ (v instanceof int[] a ? Arrays.hashCode(a) : v.hashCode());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind).append(' ').append(name).append(" {");
        String sep = "";
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            Object v = e.getValue();
            sb.append(sep).append(e.getKey()).append('=').append(v instanceof int[] a ? Arrays.toString(a) : v);
            sep = ", ";
        }
        sb.append('}');
        for (Tensor t : weights) {
            sb.append(' ').append(t.name()).append(Arrays.toString(t.shape()));
        }
        return sb.toString();
    }
}
