package dev.netforge.processor.validation;

import dev.netforge.processor.kinds.LayerKinds;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.reading.DeclaredModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a declared network with Keras's shape arithmetic and resolves it into a {@link Network}.
 * Pure arithmetic on plain values: no javac types, so every rule is unit-testable.
 *
 * <p>All independent problems are reported in one pass: attribute checks run on every layer; shape
 * checks run while the shape is known, and after a layer whose output cannot be computed only its
 * rank (image or vector) is carried on, which still catches a Dense on an image or a Conv2D on a
 * vector further down. All sizes are computed in {@code long}, so nothing wraps.
 */
public final class NetworkValidator {
    /** The largest array HotSpot allocates; larger sizes cannot be a {@code float[]}. */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /**
     * Bounds the generated class: each layer adds methods and constants, and a class holds at most
     * 65,535 constants. Far above any sequential model in use (VGG16 has 23 layers).
     */
    public static final int MAX_LAYERS = 1000;

    /** The rank of a shape not known at all (neither image nor vector). */
    public static final int UNKNOWN_RANK = 0;

    private final List<Problem> problems = new ArrayList<>();
    private final List<LayerSpec> resolved = new ArrayList<>();
    /** The trail of the layer being checked: how its (first) input got its shape. */
    private ShapeTrail trail = new ShapeTrail();

    private NetworkValidator() {
    }

    /** The outcome of validation: the network when there was no error, and every problem found. */
    public record Result(Optional<Network> network, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
        }
    }

    /** A chain: every layer takes the one declared above it (version 0). */
    public static Result validate(String packageName, String modelName, String forwardName, int[] input,
                                  List<LayerDeclaration> layers) {
        return validate(packageName, modelName, forwardName, input, layers,
                java.util.Collections.nCopies(layers.size(), null));
    }

    /**
     * @param modelName the model's display name ({@code Outer.Inner} for a nested class)
     * @param forwardName the simple name of the class to generate
     * @param from each layer's {@code @From} names, or null where it has none
     */
    public static Result validate(String packageName, String modelName, String forwardName, int[] input,
                                  List<LayerDeclaration> layers, List<List<String>> from) {
        return new NetworkValidator().run(packageName, modelName, forwardName, input, layers, from);
    }

    private Result run(String packageName, String modelName, String forwardName, int[] inputDims,
                       List<LayerDeclaration> layers, List<List<String>> from) {
        Shape input = checkInput(inputDims);
        if (layers.isEmpty()) {
            error(Rule.NO_LAYERS, Problem.MODEL, null,
                    "model " + modelName + " has no layers: declare at least one field of type Layer"
                            + " with a layer annotation, e.g. @Dense(units = 10) Layer output;");
        }
        if (layers.size() > MAX_LAYERS) {
            error(Rule.TOO_MANY_LAYERS, Problem.MODEL, null,
                    "model " + modelName + " has " + layers.size() + " layers; NetForge compiles at most "
                            + MAX_LAYERS + " layers into one class");
        }
        List<List<Integer>> inputs = new Connections(this, modelName, layers, from).resolve();
        int inputRank = inputDims.length == 1 || inputDims.length == 3 ? inputDims.length : UNKNOWN_RANK;
        ShapeTrail inputTrail = new ShapeTrail();
        if (input != null) {
            inputTrail.start(input);
        } else {
            inputTrail.startUnknown();
        }
        int n = layers.size();
        Shape[] outputs = new Shape[n];
        int[] ranks = new int[n];
        ShapeTrail[] trails = new ShapeTrail[n];
        long parameters = 0;
        for (int index = 0; index < n; index++) {
            LayerDeclaration layer = layers.get(index);
            List<Integer> producers = inputs.get(index);
            int first = producers == null ? Network.INPUT : producers.get(0);
            Shape current = producers == null ? null : first == Network.INPUT ? input : outputs[first];
            int rank = producers == null ? UNKNOWN_RANK : first == Network.INPUT ? inputRank : ranks[first];
            trail = (first == Network.INPUT ? inputTrail : trails[first]).copy();
            List<LayerCheck.Input> inputShapes = new ArrayList<>();
            if (producers != null) {
                for (int p : producers) {
                    inputShapes.add(p == Network.INPUT ? new LayerCheck.Input("input", input, inputTrail.text())
                            : new LayerCheck.Input(trailsName(p, trails), outputs[p], trails[p].text()));
                }
            }
            LayerSpec spec = producers == null ? null
                    : LayerKinds.check(layer, new LayerCheck(this, index, current, rank, trail, inputShapes));
            ranks[index] = LayerKinds.outputRank(layer, rank);
            if (spec != null) {
                parameters = Sizes.sum(parameters, spec.parameterCount());
                if (parameters > MAX_ARRAY_LENGTH && parameters - spec.parameterCount() <= MAX_ARRAY_LENGTH) {
                    error(Rule.TOO_LARGE, index, null, layer.name() + ": with this layer the model has "
                            + format(parameters) + " parameters, more than the parameter vector (one float[])"
                            + " can hold: " + format(parameters) + " > " + format(MAX_ARRAY_LENGTH)
                            + trail.through(layer.name(), spec.output()));
                }
                resolved.add(spec);
                trail.add(layer.name(), spec.output());
                outputs[index] = spec.output();
            } else {
                trail.add(layer.name(), null);
            }
            trails[index] = trail;
        }
        boolean failed = problems.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
        Optional<Network> network = failed
                ? Optional.empty()
                : Optional.of(new Network(packageName, modelName, forwardName, input, resolved, inputs));
        return new Result(network, problems);
    }

    private static String trailsName(int producer, ShapeTrail[] trails) {
        return trails[producer] == null ? "layer " + producer : trails[producer].lastLayer();
    }

    private Shape checkInput(int[] dims) {
        if (dims.length != 1 && dims.length != 3) {
            error(Rule.MODEL_INPUT, Problem.MODEL, "input",
                    "input must be {H, W, C} for an image or {N} for a vector; found "
                            + dims.length + " sizes " + ShapeTrail.braces(dims));
            return null;
        }
        boolean positive = true;
        long size = 1;
        for (int d : dims) {
            positive &= d > 0;
            size = Sizes.product(size, Math.max(d, 1));
        }
        if (!positive) {
            error(Rule.MODEL_INPUT, Problem.MODEL, "input",
                    "input sizes must be positive; found " + ShapeTrail.braces(dims));
            return null;
        }
        if (size > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, Problem.MODEL, "input", "input " + ShapeTrail.braces(dims) + " has "
                    + format(size) + " elements, more than a Java array holds: " + format(size) + " > "
                    + format(MAX_ARRAY_LENGTH));
            return null;
        }
        return dims.length == 1 ? Shape.vector(dims[0]) : Shape.image(dims[0], dims[1], dims[2]);
    }

    static String format(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    void error(Rule rule, int layer, String attribute, String message) {
        problems.add(new Problem(Problem.Severity.ERROR, rule, layer, attribute, message));
    }

    void warning(Rule rule, int layer, String attribute, String message) {
        problems.add(new Problem(Problem.Severity.WARNING, rule, layer, attribute, message));
    }
}
