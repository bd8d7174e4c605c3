package dev.netforge.processor.model;

import java.util.List;

/**
 * A validated network: the model's name as the user wrote it ({@code Outer.Inner} when nested), the
 * simple name of the class to generate ({@code Outer_InnerForward}), the input, the layers in
 * declaration order and, for each layer, the layers it takes its inputs from ({@link #INPUT} for
 * the model's input). Every producer comes before its consumers, and the output is the last layer.
 * This is everything the writer needs; it holds no javac types, so it is built and tested in plain JUnit.
 */
public record Network(String packageName, String modelName, String forwardClassName, Shape input,
                      List<LayerSpec> layers, List<List<Integer>> inputs) {
    /** The producer index that stands for the model's input. */
    public static final int INPUT = -1;

    public Network {
        layers = List.copyOf(layers);
        inputs = inputs.stream().map(List::copyOf).toList();
        if (inputs.size() != layers.size()) {
            throw new IllegalArgumentException(layers.size() + " layers but " + inputs.size() + " input lists");
        }
        for (int i = 0; i < inputs.size(); i++) {
            for (int producer : inputs.get(i)) {
                if (producer < INPUT || producer >= i) {
                    throw new IllegalArgumentException("layer " + i + " takes " + producer + ", not an earlier layer");
                }
            }
        }
    }

    /** A chain: each layer takes the one before it (the first, the input). */
    public static Network chain(String packageName, String modelName, String forwardClassName, Shape input,
                                List<LayerSpec> layers) {
        List<List<Integer>> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            inputs.add(List.of(i - 1));
        }
        return new Network(packageName, modelName, forwardClassName, input, layers, inputs);
    }

    /** Whether every layer takes exactly the layer before it, as in version 0. */
    public boolean isChain() {
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).equals(List.of(i - 1))) {
                return false;
            }
        }
        return true;
    }

    /** The layers that take layer {@code producer}'s output (or the input's, for {@link #INPUT}), in order. */
    public List<Integer> consumers(int producer) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).contains(producer)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The name of a producer for messages and the summary: a layer's name, or {@code input}. */
    public String producerName(int producer) {
        return producer == INPUT ? "input" : layers.get(producer).name();
    }

    public Shape output() {
        return layers.isEmpty() ? input : layers.get(layers.size() - 1).output();
    }

    public long parameterCount() {
        long total = 0;
        for (LayerSpec layer : layers) {
            total = Sizes.sum(total, layer.parameterCount());
        }
        return total;
    }

    public long multiplyAccumulates() {
        long total = 0;
        for (LayerSpec layer : layers) {
            total = Sizes.sum(total, layer.multiplyAccumulates());
        }
        return total;
    }

    /** The canonical name of the model class ({@code pkg.Outer.Inner}), for javadoc and messages. */
    public String qualifiedModelName() {
        return packageName.isEmpty() ? modelName : packageName + "." + modelName;
    }
}
