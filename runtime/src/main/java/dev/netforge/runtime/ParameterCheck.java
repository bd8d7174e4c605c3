package dev.netforge.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a parameter vector before generated code builds weights from it, so a wrong vector is an
 * {@link IllegalArgumentException} that names the layer, the tensor and the index, never NaN
 * outputs with no hint: its length (naming the first tensor it cuts short), every value finite,
 * and no negative BatchNormalization variance.
 *
 * <p>Generated code passes its tensor table as text, one entry a tensor,
 * {@code layer/role/d0xd1x...;}, in parameter-vector order (split into chunks that each fit a
 * class-file constant); it is parsed only here, once per check.
 */
public final class ParameterCheck {
    private ParameterCheck() {
    }

    private record Entry(String layer, String role, int[] shape, long offset, long size) {
        String describe() {
            StringBuilder text = new StringBuilder(layer).append("'s ").append(role).append(" (");
            for (int i = 0; i < shape.length; i++) {
                text.append(i > 0 ? ", " : "").append(shape[i]);
            }
            return text.append(shape.length == 1 ? ",)" : ")").toString();
        }

        /** The multi-index of flat position {@code i} inside the tensor. */
        String index(long i) {
            long[] at = new long[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                at[d] = i % shape[d];
                i /= shape[d];
            }
            StringBuilder text = new StringBuilder("[");
            for (int d = 0; d < at.length; d++) {
                text.append(d > 0 ? ", " : "").append(at[d]);
            }
            return text.append(']').toString();
        }
    }

    /**
     * @param model      the model's name, for messages
     * @param table      the tensor table (see the class comment), in chunks
     * @param parameters the vector to check
     * @throws IllegalArgumentException naming the first problem
     */
    public static void check(String model, String[] table, float[] parameters) {
        List<Entry> entries = parse(table);
        long expected = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).offset() + entries.get(entries.size() - 1).size();
        String hint = ": pass Keras's model.get_weights() flattened and joined, layer by layer, kernel then bias";
        if (parameters.length < expected) {
            for (Entry e : entries) {
                if (e.offset() + e.size() > parameters.length) {
                    throw new IllegalArgumentException(model + " expects " + expected + " parameters, got "
                            + parameters.length + ": the vector ends inside " + e.describe() + ", which takes values "
                            + e.offset() + " to " + (e.offset() + e.size() - 1) + hint);
                }
            }
        }
        if (parameters.length > expected) {
            throw new IllegalArgumentException(model + " expects " + expected + " parameters, got " + parameters.length
                    + ": " + (parameters.length - expected) + " more than "
                    + (entries.isEmpty() ? "none (the model has no weights)"
                    : "the last tensor, " + entries.get(entries.size() - 1).describe()) + hint);
        }
        for (Entry e : entries) {
            boolean variance = e.role().equals("moving_variance");
            for (long i = 0; i < e.size(); i++) {
                float v = parameters[(int) (e.offset() + i)];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(model + ": parameter " + (e.offset() + i) + " is " + v + ": "
                            + e.describe() + " at " + e.index(i));
                }
                if (variance && v < 0) {
                    throw new IllegalArgumentException(model + ": " + e.describe() + " is " + v + " at " + e.index(i)
                            + " (parameter " + (e.offset() + i) + "): a variance cannot be negative");
                }
            }
        }
    }

    private static List<Entry> parse(String[] table) {
        List<Entry> entries = new ArrayList<>();
        long offset = 0;
        for (String entry : String.join("", table).split(";")) {
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split("/");
            String[] dims = parts[2].split("x");
            int[] shape = new int[dims.length];
            long size = 1;
            for (int d = 0; d < dims.length; d++) {
                shape[d] = Integer.parseInt(dims[d]);
                size *= shape[d];
            }
            entries.add(new Entry(parts[0], parts[1], shape, offset, size));
            offset += size;
        }
        return entries;
    }
}
