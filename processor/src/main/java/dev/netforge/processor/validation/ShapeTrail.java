package dev.netforge.processor.validation;

import dev.netforge.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * How the tensor got to the layer at fault: {@code 28x28x1 -> conv1 26x26x32 -> pool1 13x13x32 ->
 * conv2 ?}. Long trails keep the input, the first layers and the last few before the fault.
 */
final class ShapeTrail {
    private static final int HEAD = 3;
    private static final int TAIL = 5;

    private final List<String> steps = new ArrayList<>();
    private String lastLayer;

    /** A copy to extend along one branch. */
    ShapeTrail copy() {
        ShapeTrail copy = new ShapeTrail();
        copy.steps.addAll(steps);
        copy.lastLayer = lastLayer;
        return copy;
    }

    /** The name of the last layer on the trail. */
    String lastLayer() {
        return lastLayer;
    }

    /** The trail as it stands: {@code 28x28x1 -> conv1 26x26x32}. */
    String text() {
        return String.join(" -> ", shortened(steps));
    }

    void start(Shape input) {
        steps.add(input.toString());
    }

    void startUnknown() {
        steps.add("(invalid input)");
    }

    void add(String layer, Shape output) {
        steps.add(step(layer, output));
        lastLayer = layer;
    }

    /** The trail through the layer being checked, ready to append to a message. */
    String through(String layer, Shape output) {
        List<String> all = new ArrayList<>(steps);
        all.add(output == null ? layer + " ?" : step(layer, output));
        return "; shape trail: " + String.join(" -> ", shortened(all));
    }

    private static List<String> shortened(List<String> all) {
        if (all.size() <= HEAD + TAIL + 1) {
            return all;
        }
        List<String> shortened = new ArrayList<>(all.subList(0, HEAD));
        shortened.add("... " + (all.size() - HEAD - TAIL) + " more");
        shortened.addAll(all.subList(all.size() - TAIL, all.size()));
        return shortened;
    }

    private static String step(String layer, Shape output) {
        return layer + " " + (output == null ? "?" : output.toString());
    }

    static String braces(int[] values) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            text.append(i > 0 ? ", " : "").append(values[i]);
        }
        return text.append('}').toString();
    }
}
