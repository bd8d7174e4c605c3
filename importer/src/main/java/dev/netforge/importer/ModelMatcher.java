package dev.netforge.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that a trained file holds exactly the declared network, and only then builds its
 * parameter vector. Every layer of the file is accounted for: layer kinds and order, every
 * attribute that changes the numbers (activation, padding, strides, dilation, use_bias, epsilon,
 * pool sizes, ...) and the weights' shapes. All or nothing: a vector is returned only when nothing
 * differs.
 *
 * <p>Both sides are first put in one canonical form, so that two spellings of the same computation
 * match: an {@code Activation} layer right after a Conv2D, DepthwiseConv2D or Dense without
 * activation is folded into it (PyTorch's {@code Conv -> Relu} and {@code @Conv2D(activation = RELU)}
 * compute the same); layers that are the identity at inference (Dropout, GaussianNoise,
 * ActivityRegularization, a linear Activation, ...) and Flatten, which moves no data in NetForge's
 * channels-last storage, may be present on one side only. The two sequences are then aligned
 * (longest common subsequence of kinds), so one extra or missing layer is reported once, where it
 * is, and the layers around it are still compared.
 */
public final class ModelMatcher {
    private ModelMatcher() {
    }

    /**
     * A declared layer in the importer's vocabulary ({@link ImportedLayer}'s kinds and attribute
     * keys), with the weight shapes it expects in {@code get_weights()} order.
     */
    public record Declared(int index, String name, String kind, Map<String, Object> attributes,
                           List<int[]> weightShapes) {
        public Declared {
            attributes = new ImportedLayer(name, kind, attributes, List.of()).attributes();
            weightShapes = weightShapes.stream().map(int[]::clone).toList();
        }
    }

    /**
     * One thing that differs, with the message to show the user.
     *
     * @param index     the declared layer it concerns (for a folded activation, the layer that
     *                  declares it), or -1 for the model as a whole
     * @param attribute the attribute at fault in the importer's vocabulary ({@code activation},
     *                  {@code kernel}, {@code pool}, ...), or null
     */
    public record Mismatch(int index, String attribute, String message) {
    }

    /**
     * The parameter vector and the file layers left out as the identity at inference; or the
     * mismatches (then {@code parameters} is null).
     */
    public record Result(float[] parameters, List<Mismatch> mismatches, List<String> skipped) {
        public boolean ok() {
            return mismatches.isEmpty();
        }
    }

    /** Defaults of attributes a reader may leave out. */
    private static final Map<String, Object> DEFAULTS = Map.of("groups", 1, "keepDims", false, "center", true,
            "scale", true, "useBias", true, "activation", "linear", "dilation", new int[] {1, 1});

    /** One computation of the canonical form. */
    private record Step(String key, boolean optional, int layer, int activationLayer, String activation,
                        List<Integer> producers) {
    }

    /**
     * @param modelName the declared model's name, for messages
     * @param fileName  the file's name as the user wrote it, for messages
     */
    public static Result match(String modelName, List<Declared> declared, ImportedModel file, String fileName) {
        return match(modelName, declared, ImportedModel.chain(declared.size()), file, fileName);
    }

    /**
     * As {@link #match(String, List, ImportedModel, String)} for a declared network that branches:
     * {@code declaredInputs} gives each declared layer's producers (-1: the input); every paired
     * layer must also take the paired layers the file's takes.
     */
    public static Result match(String modelName, List<Declared> declared, List<List<Integer>> declaredInputs,
                               ImportedModel file, String fileName) {
        List<ImportedLayer> fileLayers = file.layers();
        List<ImportedLayer> declaredLayers = new ArrayList<>();
        for (Declared d : declared) {
            declaredLayers.add(new ImportedLayer(d.name(), d.kind(), d.attributes(), List.of()));
        }
        List<Step> want = steps(declaredLayers, declaredInputs, false);
        List<Step> have = steps(fileLayers, file.inputs(), true);
        int[] pairOfWant = new int[want.size()];
        Arrays.fill(pairOfWant, -2);
        int[][] lcs = new int[want.size() + 1][have.size() + 1];
        for (int i = want.size() - 1; i >= 0; i--) {
            for (int j = have.size() - 1; j >= 0; j--) {
                lcs[i][j] = want.get(i).key().equals(have.get(j).key()) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Mismatch> mismatches = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        ImportedLayer[] pairedFileLayer = new ImportedLayer[declared.size()];
        boolean[] attributeMismatch = new boolean[declared.size()];
        String inFile = " in \"" + fileName + "\"";
        int i = 0;
        int j = 0;
        while (i < want.size() || j < have.size()) {
            if (i < want.size() && j < have.size() && want.get(i).key().equals(have.get(j).key())) {
                pairOfWant[i] = j;
                Step w = want.get(i++);
                Step h = have.get(j++);
                pairedFileLayer[w.layer()] = fileLayers.get(h.layer());
                List<Mismatch> found = compare(w, h, declared, fileLayers, file.producer());
                attributeMismatch[w.layer()] |= !found.isEmpty();
                mismatches.addAll(found);
            } else if (j < have.size() && (i == want.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                Step h = have.get(j++);
                ImportedLayer extra = fileLayers.get(h.layer());
                if (h.optional()) {
                    if (!h.key().equals("Flatten")) {
                        skipped.add(extra.name() + " (" + extra.kind() + ")");
                    }
                    continue;
                }
                String after = h.layer() == 0 ? "at the start" : "after '" + fileLayers.get(h.layer() - 1).name() + "'";
                String why = LayerKinds.unsupportedBecause(extra, file.producer());
                mismatches.add(new Mismatch(-1, null, "file layer '" + extra.name() + "' (" + extra.kind() + ") "
                        + after + inFile + " has no counterpart in " + modelName
                        + (why == null ? "" : " (" + why + ")")));
            } else {
                Step w = want.get(i++);
                if (w.optional()) {
                    continue;
                }
                Declared d = declared.get(w.layer());
                String where = j == 0 ? "before the file's first layer"
                        : "after the file's '" + fileLayers.get(have.get(j - 1).layer()).name() + "'";
                mismatches.add(new Mismatch(d.index(), null, d.name() + ": declared " + d.kind()
                        + " has no counterpart" + inFile + " (" + where + ")"));
            }
        }
        mismatches.addAll(connections(want, have, pairOfWant, declared, fileLayers));
        long total = 0;
        for (int k = 0; k < declared.size(); k++) {
            Declared d = declared.get(k);
            ImportedLayer f = pairedFileLayer[k];
            if (f == null || attributeMismatch[k]) {
                continue;
            }
            List<int[]> actual = f.weights().stream().map(Tensor::shape).toList();
            boolean same = actual.size() == d.weightShapes().size();
            for (int t = 0; same && t < actual.size(); t++) {
                same = Arrays.equals(actual.get(t), d.weightShapes().get(t));
            }
            if (!same) {
                mismatches.add(new Mismatch(d.index(), null, d.name() + ": expected " + d.kind() + " weights "
                        + shapes(d.weightShapes()) + ", found " + f.kind() + " '" + f.name() + "' with "
                        + shapes(actual) + inFile));
            }
            total += f.parameterCount();
        }
        if (!mismatches.isEmpty()) {
            return new Result(null, List.copyOf(mismatches), List.copyOf(skipped));
        }
        if (total > Integer.MAX_VALUE - 8) {
            return new Result(null, List.of(new Mismatch(-1, null, "\"" + fileName + "\" holds " + total
                    + " parameters, more than one Java array holds")), List.copyOf(skipped));
        }
        float[] parameters = new float[(int) total];
        int offset = 0;
        for (ImportedLayer f : pairedFileLayer) {
            if (f != null) {
                for (Tensor tensor : f.weights()) {
                    offset = tensor.copyTo(parameters, offset);
                }
            }
        }
        return new Result(parameters, List.of(), List.copyOf(skipped));
    }

    /**
     * The canonical form of a network: one step a computation, with the steps it reads
     * ({@code -1}: the input). A layer that moves no data (an identity, Flatten) is an optional
     * step whose output is its input's; an Activation whose only input is a linear Conv2D,
     * DepthwiseConv2D or Dense read by nothing else is folded into that step.
     */
    private static List<Step> steps(List<ImportedLayer> layers, List<List<Integer>> inputs, boolean fileSide) {
        List<Step> steps = new ArrayList<>();
        int[] consumers = new int[layers.size()];
        for (List<Integer> in : inputs) {
            for (int p : in) {
                if (p >= 0) {
                    consumers[p]++;
                }
            }
        }
        int[] valueStep = new int[layers.size()]; // the step holding each layer's output, -1 for the input
        for (int i = 0; i < layers.size(); i++) {
            ImportedLayer l = layers.get(i);
            List<Integer> producers = new ArrayList<>();
            for (int p : inputs.get(i)) {
                producers.add(p == ImportedModel.INPUT ? -1 : valueStep[p]);
            }
            int producerLayer = inputs.get(i).get(0);
            if (l.kind().equals("Flatten") || LayerKinds.identityAtInference(l)) {
                steps.add(new Step(l.kind().equals("Flatten") ? "Flatten" : "Identity", true, i, -1, null, producers));
                valueStep[i] = producers.get(0);
            } else if (l.kind().equals("Activation") && producerLayer >= 0 && consumers[producerLayer] == 1
                    && valueStep[producerLayer] >= 0 && foldsActivation(steps.get(valueStep[producerLayer]), layers)) {
                Step into = steps.get(valueStep[producerLayer]);
                steps.set(valueStep[producerLayer], new Step(into.key(), false, into.layer(), i, l.string("activation"),
                        into.producers()));
                valueStep[i] = valueStep[producerLayer];
            } else {
                String activation = l.has("activation") ? l.string("activation") : null;
                // a file layer the readers did not convert never pairs with a declared one, even of that name
                String key = fileSide && !LayerKinds.DECLARABLE.contains(l.kind()) ? "file:" + l.kind() : l.kind();
                steps.add(new Step(key, false, i, activation == null ? -1 : i, activation, producers));
                valueStep[i] = steps.size() - 1;
            }
        }
        return steps;
    }

    private static boolean foldsActivation(Step step, List<ImportedLayer> layers) {
        String kind = layers.get(step.layer()).kind();
        return (kind.equals("Conv2D") || kind.equals("DepthwiseConv2D") || kind.equals("Dense"))
                && step.activationLayer() == step.layer() && "linear".equals(step.activation());
    }

    /**
     * Paired steps must read paired steps: the declared producers, mapped through the pairing,
     * equal the file's (as a multiset for merges whose order does not matter). A producer that has
     * no pair was reported already.
     */
    private static List<Mismatch> connections(List<Step> want, List<Step> have, int[] pairOfWant,
                                              List<Declared> declared, List<ImportedLayer> fileLayers) {
        List<Mismatch> out = new ArrayList<>();
        boolean[] havePaired = new boolean[have.size()];
        for (int h : pairOfWant) {
            if (h >= 0) {
                havePaired[h] = true;
            }
        }
        for (int w = 0; w < want.size(); w++) {
            int h = pairOfWant[w];
            if (h < 0 || want.get(w).optional()) {
                continue;
            }
            List<Integer> mapped = new ArrayList<>();
            boolean known = true;
            for (int p : want.get(w).producers()) {
                int pair = p < 0 ? -1 : pairOfWant[p];
                known &= pair != -2;
                mapped.add(pair);
            }
            List<Integer> theirs = new ArrayList<>(have.get(h).producers());
            for (int p : theirs) {
                known &= p < 0 || havePaired[p];
            }
            if (!known) {
                continue;
            }
            Declared d = declared.get(want.get(w).layer());
            if (LayerKinds.COMMUTATIVE.contains(d.kind())) {
                java.util.Collections.sort(mapped);
                java.util.Collections.sort(theirs);
            }
            if (!mapped.equals(theirs)) {
                List<String> mine = new ArrayList<>();
                want.get(w).producers().forEach(p -> mine.add(p < 0 ? "input" : declared.get(want.get(p).layer()).name()));
                List<String> file = new ArrayList<>();
                have.get(h).producers().forEach(p -> file.add(p < 0 ? "input" : fileLayers.get(have.get(p).layer()).name()));
                out.add(new Mismatch(d.index(), "from", d.name() + ": takes " + String.join(", ", mine)
                        + ", but the file's " + fileLayers.get(have.get(h).layer()).name() + " takes "
                        + String.join(", ", file)));
            }
        }
        return out;
    }

    private static List<Mismatch> compare(Step w, Step h, List<Declared> declared, List<ImportedLayer> fileLayers,
                                          String producer) {
        List<Mismatch> out = new ArrayList<>();
        if (w.optional()) {
            return out; // Dropout's rate and the like change nothing at inference
        }
        Declared d = declared.get(w.layer());
        ImportedLayer f = fileLayers.get(h.layer());
        Map<String, Object> mine = d.attributes();
        Map<String, Object> theirs = f.attributes();
        List<String> keys = new ArrayList<>(mine.keySet());
        theirs.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        for (String key : keys) {
            if (key.equals("activation") || key.equals("rate")) {
                continue;
            }
            Object a = mine.getOrDefault(key, DEFAULTS.get(key));
            Object b = theirs.getOrDefault(key, DEFAULTS.get(key));
            if (!same(a, b)) {
                out.add(new Mismatch(d.index(), key, d.name() + ": " + describe(key) + " " + show(a)
                        + ", but the file's " + f.name() + " has " + show(b)));
            }
        }
        if (w.activation() != null || h.activation() != null) {
            String mineAct = w.activation() == null ? "linear" : w.activation();
            String theirsAct = h.activation() == null ? "linear" : h.activation();
            String mineConstant = LayerKinds.ACTIVATIONS.get(mineAct);
            String theirsConstant = LayerKinds.activationConstant(theirsAct, producer);
            if (theirsConstant == null || !theirsConstant.equals(mineConstant)) {
                Declared origin = w.activationLayer() >= 0 ? declared.get(w.activationLayer()) : d;
                ImportedLayer fileOrigin = h.activationLayer() >= 0 ? fileLayers.get(h.activationLayer()) : f;
                String why = theirsConstant == null && LayerKinds.ACTIVATIONS.containsKey(theirsAct)
                        ? " (" + LayerKinds.unsupportedBecause(fileOrigin, producer) + ")"
                        : theirsConstant == null ? " (NetForge has no such activation)" : "";
                out.add(new Mismatch(origin.index(), "activation", origin.name() + ": activation "
                        + (mineConstant == null ? mineAct : mineConstant) + ", but the file's " + fileOrigin.name()
                        + " uses " + theirsAct + why));
            }
        }
        return out;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof int[] x && b instanceof int[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Double x && b instanceof Double y) {
            // files store epsilons as float32 (ONNX) or as decimal text (Keras): equal as float32
            return Float.compare(x.floatValue(), y.floatValue()) == 0;
        }
        return Objects.equals(a, b);
    }

    private static String describe(String key) {
        return switch (key) {
            case "pool" -> "pool size";
            case "paddingValues" -> "zero padding (top, bottom, left, right)";
            case "depthMultiplier" -> "depth multiplier";
            case "keepDims" -> "keepdims";
            default -> key;
        };
    }

    private static String show(Object v) {
        if (v == null) {
            return "(absent)";
        }
        if (v instanceof int[] a) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < a.length; k++) {
                sb.append(k == 0 ? "" : a.length == 2 ? "x" : ", ").append(a[k]);
            }
            return a.length == 2 ? sb.toString() : "(" + sb + ")";
        }
        if (v instanceof String s) {
            return s.toLowerCase(Locale.ROOT);
        }
        return String.valueOf(v);
    }

    static String shapes(List<int[]> shapes) {
        StringBuilder text = new StringBuilder();
        for (int[] shape : shapes) {
            text.append(text.length() > 0 ? " + " : "").append('(');
            for (int i = 0; i < shape.length; i++) {
                text.append(i > 0 ? ", " : "").append(shape[i]);
            }
            text.append(shape.length == 1 ? ",)" : ")");
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
