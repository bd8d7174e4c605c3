package dev.netforge.processor.writer;

import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The model summary: Keras's {@code model.summary()} table (layer, output shape, parameters) plus
 * what Keras does not tell — multiply-accumulates per layer and in total, and the memory an
 * instance holds. Lines, so the writer can spread a long table over several small methods.
 */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static List<String> lines(Network network, MemoryPlan memory) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Layer (type)", "Output Shape", "Param #", "MACs"});
        rows.add(new String[] {"input (InputLayer)", network.input().toKerasString(), "0", "0"});
        for (LayerSpec layer : network.layers()) {
            rows.add(new String[] {
                layer.name() + " (" + layer.kerasName() + ")",
                layer.output().toKerasString(),
                number(layer.parameterCount()),
                number(layer.multiplyAccumulates())});
        }
        int[] widths = {28, 25, 10, 10};
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length() + 2);
            }
        }
        int total = widths[0] + widths[1] + widths[2] + widths[3] + 1;
        List<String> lines = new ArrayList<>();
        lines.add("Model: \"" + network.modelName() + "\"");
        lines.add("_".repeat(total));
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            lines.add((" " + pad(row[0], widths[0]) + pad(row[1], widths[1]) + pad(row[2], widths[2])
                    + row[3]).stripTrailing());
            lines.add((r == 0 ? "=" : r == rows.size() - 1 ? "=" : "_").repeat(total));
        }
        long parameters = network.parameterCount();
        lines.add("Total params: " + number(parameters) + " (" + bytes(parameters * Float.BYTES) + ")");
        lines.add("Multiply-accumulates per inference: " + number(network.multiplyAccumulates()));
        lines.add("Memory: parameters " + bytes(memory.parameterBytes())
                + " (shared by instances built from one Weights), scratch " + bytes(memory.scratchBytes())
                + " per instance");
        return lines;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }

    static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String bytes(long bytes) {
        if (bytes < 1024) {
            return number(bytes) + " B";
        }
        String[] units = {"KB", "MB", "GB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }
}
