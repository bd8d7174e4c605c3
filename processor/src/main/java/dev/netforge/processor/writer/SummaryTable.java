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
        // A network that branches gets Keras's functional "Connected to" column; a chain keeps Sequential's table.
        boolean graph = !network.isChain();
        List<String[]> rows = new ArrayList<>();
        rows.add(graph ? new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to", "MACs"}
                : new String[] {"Layer (type)", "Output Shape", "Param #", "MACs"});
        rows.add(graph ? new String[] {"input (InputLayer)", network.input().toKerasString(), "0", "-", "0"}
                : new String[] {"input (InputLayer)", network.input().toKerasString(), "0", "0"});
        for (int i = 0; i < network.layers().size(); i++) {
            LayerSpec layer = network.layers().get(i);
            String name = layer.name() + " (" + layer.kerasName() + ")";
            String shape = layer.output().toKerasString();
            String parameters = number(layer.parameterCount());
            String macs = number(layer.multiplyAccumulates());
            if (graph) {
                StringBuilder connected = new StringBuilder();
                for (int producer : network.inputs().get(i)) {
                    connected.append(connected.length() > 0 ? ", " : "").append(network.producerName(producer));
                }
                rows.add(new String[] {name, shape, parameters, connected.toString(), macs});
            } else {
                rows.add(new String[] {name, shape, parameters, macs});
            }
        }
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        int[] minimum = graph ? new int[] {28, 25, 10, 20, 10} : new int[] {28, 25, 10, 10};
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(Math.max(widths[i], minimum[i]), row[i].length() + 2);
            }
        }
        int total = 1;
        for (int width : widths) {
            total += width;
        }
        List<String> lines = new ArrayList<>();
        lines.add("Model: \"" + network.modelName() + "\"");
        lines.add("_".repeat(total));
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < columns - 1; i++) {
                line.append(pad(row[i], widths[i]));
            }
            lines.add(line.append(row[columns - 1]).toString().stripTrailing());
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
