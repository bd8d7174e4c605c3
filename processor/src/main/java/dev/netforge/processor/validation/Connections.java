package dev.netforge.processor.validation;

import dev.netforge.processor.kinds.MergeKind;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.reading.DeclaredModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Resolves which layers each layer takes (version 1 of the contract): {@code @From} names, else
 * the field above. A name must be {@code "input"} or a layer field declared earlier, so the network
 * is acyclic by construction; a merging layer takes two or more (Subtract exactly two), any other
 * layer one; and every layer's output must reach a later layer (one that reaches nothing would
 * still shift the parameter vector). Problems go on the {@code @From} value.
 */
final class Connections {
    /** Inputs of one merging layer: each is a parameter of its generated method (the JVM allows 255). */
    static final int MAX_INPUTS = 200;

    private final NetworkValidator validator;
    private final String modelName;
    private final List<LayerDeclaration> layers;
    private final List<List<String>> from;

    Connections(NetworkValidator validator, String modelName, List<LayerDeclaration> layers, List<List<String>> from) {
        this.validator = validator;
        this.modelName = modelName;
        this.layers = layers;
        this.from = from;
    }

    /** Whether the model uses version 1's connections at all; a version-0 model is a plain chain. */
    private boolean isGraph() {
        return from.stream().anyMatch(Objects::nonNull) || layers.stream().anyMatch(l -> l instanceof MergeKind.Declaration);
    }

    /** For each layer its producers ({@link Network#INPUT} for the model's input), or null when unresolved. */
    List<List<Integer>> resolve() {
        List<List<Integer>> inputs = new ArrayList<>();
        if (!isGraph()) {
            for (int i = 0; i < layers.size(); i++) {
                inputs.add(List.of(i - 1));
            }
            return inputs;
        }
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i).name();
            byName.putIfAbsent(name, i);
            if (name.equals(dev.netforge.Model.INPUT)) {
                validator.error(Rule.FROM, i, null, name + ": in a model that uses @From or a merging layer, \"input\""
                        + " names the model's input (Model.INPUT), so no layer field may be called input; rename it");
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            inputs.add(resolve(i, byName));
        }
        if (inputs.stream().allMatch(Objects::nonNull)) {
            reportUnused(inputs);
        }
        return inputs;
    }

    private List<Integer> resolve(int index, Map<String, Integer> byName) {
        LayerDeclaration layer = layers.get(index);
        List<String> names = from.get(index);
        MergeOp op = layer instanceof MergeKind.Declaration merge ? merge.op() : null;
        if (names == null) {
            if (op != null) {
                validator.error(Rule.FROM, index, null, layer.name() + ": @" + op.kerasName() + " merges "
                        + (op.maxInputs() == 2 ? "two layers" : "two or more layers") + ": name them with @From, e.g."
                        + " @" + op.kerasName() + " @From({\"a\", \"b\"})");
                return null;
            }
            return List.of(index - 1);
        }
        boolean ok = true;
        List<Integer> producers = new ArrayList<>();
        for (String name : names) {
            Integer producer = name.equals(dev.netforge.Model.INPUT) ? Integer.valueOf(Network.INPUT) : byName.get(name);
            if (producer == null) {
                validator.error(Rule.FROM, index, DeclaredModel.FROM, layer.name() + ": @From names \"" + name
                        + "\", which is neither a layer field of " + modelName + " nor \"input\"" + suggestion(name, index));
                ok = false;
            } else if (producer >= index) {
                validator.error(Rule.FROM, index, DeclaredModel.FROM, layer.name() + ": @From names \"" + name + "\", "
                        + (producer == index ? "the layer itself" : "declared after it")
                        + "; a layer takes only layers declared before it (so the network has no cycles): move "
                        + layer.name() + " below " + name);
                ok = false;
            } else {
                producers.add(producer);
            }
        }
        int count = names.size();
        if (count > MAX_INPUTS) {
            validator.error(Rule.FROM, index, DeclaredModel.FROM, layer.name() + ": @From names " + count
                    + " inputs; NetForge merges at most " + MAX_INPUTS + " in one layer (a generated method takes each"
                    + " as a parameter, and the JVM allows 255); merge them in stages");
            return null;
        }
        if (op == null && count != 1) {
            validator.error(Rule.FROM, index, DeclaredModel.FROM, layer.name() + ": @" + layer.annotationName()
                    + " takes exactly one input, but @From names " + count + (count == 0 ? "" : " " + names)
                    + (count > 1 ? "; merge them first with a layer such as @Add or @Concatenate" : ""));
            ok = false;
        } else if (op != null && (count < op.minInputs() || count > op.maxInputs())) {
            validator.error(Rule.FROM, index, DeclaredModel.FROM, layer.name() + ": @" + op.kerasName() + " takes "
                    + (op.maxInputs() == 2 ? "exactly two inputs (the first minus the second)" : "two or more inputs")
                    + ", but @From names " + count + (count == 0 ? "" : " " + names));
            ok = false;
        }
        return ok ? List.copyOf(producers) : null;
    }

    /** Near misses first: a name that differs only in case, else the earlier fields. */
    private String suggestion(String name, int index) {
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < index; i++) {
            earlier.add(layers.get(i).name());
            if (layers.get(i).name().equalsIgnoreCase(name)) {
                return "; did you mean \"" + layers.get(i).name() + "\"?";
            }
        }
        if (earlier.isEmpty()) {
            return "; it is the first layer, so only \"input\" can come before it";
        }
        List<String> shown = earlier.size() > 12 ? earlier.subList(earlier.size() - 12, earlier.size()) : earlier;
        return "; layers declared before it: " + (shown.size() < earlier.size() ? "..., " : "") + String.join(", ", shown);
    }

    private void reportUnused(List<List<Integer>> inputs) {
        Set<Integer> used = new HashSet<>();
        inputs.forEach(used::addAll);
        int last = layers.size() - 1;
        for (int i = 0; i < last; i++) {
            if (!used.contains(i)) {
                validator.error(Rule.UNUSED_LAYER, i, null, layers.get(i).name() + ": its output reaches no later"
                        + " layer, and the model's output is its last field (" + layers.get(last).name() + "); a layer"
                        + " that reaches nothing would still shift the parameter vector. Name it in a later layer's"
                        + " @From, or remove it");
            }
        }
    }
}
