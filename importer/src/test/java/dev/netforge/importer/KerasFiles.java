package dev.netforge.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Keras 3 {@code .keras} functional models in Keras's own layout (modelled on the real
 * files of {@code keras-models/}, see its README): {@code config.json} with a {@code Functional}
 * whose layers carry {@code inbound_nodes} as {@code {"args": [...], "kwargs": {}}} of
 * {@code __keras_tensor__}s naming their {@code keras_history} (a merge's inputs wrapped as one list
 * argument), and {@code model.weights.h5} with {@code layers/<snake_case class><_n>/vars/<i>}.
 * TensorFlow cannot be installed here, so tests write such files themselves.
 *
 * <p>Public for the processor's tests (the importer's test jar).
 */
public final class KerasFiles {
    private KerasFiles() {
    }

    /** One layer: Keras class, name, its configuration (without the name), inputs, weights. */
    public record Layer(String className, String name, Map<String, Object> config, List<String> inbound,
                        List<Weight> weights) {
    }

    /** One weight tensor in {@code get_weights()} order. */
    public record Weight(int[] shape, float[] data) {
    }

    /** A {@code .keras} archive of a one-input functional model whose output is the last layer. */
    public static byte[] functional(String modelName, int[] input, List<Layer> layers) {
        List<Object> configs = new ArrayList<>();
        List<Object> batch = new ArrayList<>();
        batch.add(null);
        for (int d : input) {
            batch.add((long) d);
        }
        Map<String, Object> inputConfig = new LinkedHashMap<>();
        inputConfig.put("batch_shape", batch);
        inputConfig.put("dtype", "float32");
        inputConfig.put("sparse", false);
        inputConfig.put("name", "input_layer");
        configs.add(layerConfig("InputLayer", "input_layer", inputConfig, List.of()));
        Map<String, List<SyntheticKeras.W>> weights = new LinkedHashMap<>();
        Map<String, Integer> perClass = new HashMap<>();
        for (Layer layer : layers) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("name", layer.name());
            config.put("trainable", true);
            config.put("dtype", "float32");
            config.putAll(layer.config());
            List<Object> args = new ArrayList<>();
            for (String in : layer.inbound()) {
                Map<String, Object> tensorConfig = new LinkedHashMap<>();
                tensorConfig.put("shape", null);
                tensorConfig.put("dtype", "float32");
                tensorConfig.put("keras_history", List.of(in, 0L, 0L));
                Map<String, Object> tensor = new LinkedHashMap<>();
                tensor.put("class_name", "__keras_tensor__");
                tensor.put("config", tensorConfig);
                args.add(tensor);
            }
            boolean merge = LayerKinds.MERGES.contains(layer.className());
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("args", merge ? List.of(args) : args);
            node.put("kwargs", new LinkedHashMap<>());
            configs.add(layerConfig(layer.className(), layer.name(), config, List.of(node)));
            // Keras 3 names each layer's weights group by class in snake case, with a counter per class
            String snake = KerasReader.snakeCase(layer.className());
            int seen = perClass.merge(snake, 1, Integer::sum) - 1;
            if (!layer.weights().isEmpty()) {
                List<SyntheticKeras.W> ws = new ArrayList<>();
                for (Weight w : layer.weights()) {
                    ws.add(new SyntheticKeras.W("w", w.shape(), w.data()));
                }
                weights.put(seen == 0 ? snake : snake + "_" + seen, ws);
            }
        }
        String last = layers.get(layers.size() - 1).name();
        Map<String, Object> modelConfig = new LinkedHashMap<>();
        modelConfig.put("name", modelName);
        modelConfig.put("trainable", true);
        modelConfig.put("layers", configs);
        modelConfig.put("input_layers", List.of(List.of("input_layer", 0L, 0L)));
        modelConfig.put("output_layers", List.of(List.of(last, 0L, 0L)));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("module", "keras.src.models.functional");
        root.put("class_name", "Functional");
        root.put("config", modelConfig);
        root.put("registered_name", "Functional");
        root.put("build_config", Map.of("input_shape", batch));
        return SyntheticKeras.kerasZip(RealFileVariants.write(root), "3.6.0", SyntheticKeras.weightsH5("layers", weights),
                true);
    }

    private static Map<String, Object> layerConfig(String className, String name, Map<String, Object> config,
                                                   List<Object> inbound) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("module", "keras.layers");
        layer.put("class_name", className);
        layer.put("config", config);
        layer.put("registered_name", null);
        layer.put("name", name);
        layer.put("inbound_nodes", inbound);
        return layer;
    }

    /** {@code [a, b]} as the JSON list Keras writes. */
    public static List<Long> pair(int a, int b) {
        return List.of((long) a, (long) b);
    }

    /** A slice of {@code values} as a weight of {@code shape}. */
    public static Weight weight(float[] values, int offset, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new Weight(shape, Arrays.copyOfRange(values, offset, offset + n));
    }
}
