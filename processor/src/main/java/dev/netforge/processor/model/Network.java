package dev.netforge.processor.model;

import java.util.List;

/**
 * A validated network: the model's name as the user wrote it ({@code Outer.Inner} when nested), the
 * simple name of the class to generate ({@code Outer_InnerForward}), the input and the layers in order.
 * This is everything the writer needs; it holds no javac types, so it is built and tested in plain JUnit.
 */
public record Network(String packageName, String modelName, String forwardClassName, Shape input,
                      List<LayerSpec> layers) {
    public Network {
        layers = List.copyOf(layers);
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
