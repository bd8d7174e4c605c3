package dev.netforge.processor.validation;

import dev.netforge.Padding;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerDeclaration.ActivationDeclaration;
import dev.netforge.processor.model.LayerDeclaration.BatchNormalizationDeclaration;
import dev.netforge.processor.model.LayerDeclaration.Conv2DDeclaration;
import dev.netforge.processor.model.LayerDeclaration.DenseDeclaration;
import dev.netforge.processor.model.LayerDeclaration.DepthwiseConv2DDeclaration;
import dev.netforge.processor.model.LayerDeclaration.DropoutDeclaration;
import dev.netforge.processor.model.LayerDeclaration.FlattenDeclaration;
import dev.netforge.processor.model.LayerDeclaration.GlobalPoolDeclaration;
import dev.netforge.processor.model.LayerDeclaration.PoolDeclaration;
import dev.netforge.processor.model.LayerDeclaration.Conv2DTransposeDeclaration;
import dev.netforge.processor.model.LayerDeclaration.LeakyReLUDeclaration;
import dev.netforge.processor.model.LayerDeclaration.MergeDeclaration;
import dev.netforge.processor.model.LayerDeclaration.ReshapeDeclaration;
import dev.netforge.processor.model.LayerDeclaration.SeparableConv2DDeclaration;
import dev.netforge.processor.model.LayerDeclaration.UpSamplingDeclaration;
import dev.netforge.processor.model.LayerDeclaration.ZeroPaddingDeclaration;
import dev.netforge.processor.model.LayerSpec.Conv2DTransposeSpec;
import dev.netforge.processor.model.LayerSpec.LeakyReLUSpec;
import dev.netforge.processor.model.LayerSpec.MergeSpec;
import dev.netforge.processor.model.LayerSpec.ReshapeSpec;
import dev.netforge.processor.model.LayerSpec.SeparableConv2DSpec;
import dev.netforge.processor.model.LayerSpec.UpSamplingSpec;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reading.DeclaredModel;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.LayerSpec.ActivationSpec;
import dev.netforge.processor.model.LayerSpec.BatchNormalizationSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DSpec;
import dev.netforge.processor.model.LayerSpec.DenseSpec;
import dev.netforge.processor.model.LayerSpec.DepthwiseConv2DSpec;
import dev.netforge.processor.model.LayerSpec.DropoutSpec;
import dev.netforge.processor.model.LayerSpec.FlattenSpec;
import dev.netforge.processor.model.LayerSpec.GlobalPoolSpec;
import dev.netforge.processor.model.LayerSpec.PoolSpec;
import dev.netforge.processor.model.LayerSpec.ZeroPaddingSpec;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.model.Window;
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

    private static final int UNKNOWN_RANK = 0;

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
            LayerSpec spec;
            if (layer instanceof MergeDeclaration merge) {
                spec = producers == null ? null : checkMerge(index, merge, producers, input, inputRank, inputTrail,
                        outputs, ranks, trails);
                ranks[index] = spec != null ? spec.output().rank() : rank;
            } else {
                spec = producers == null ? null : checkLayer(index, layer, current, rank);
                ranks[index] = outputRank(layer, rank);
            }
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

    /**
     * A merging layer: inputs of identical shape, or for {@code @Concatenate} equal in all but the
     * last axis. A difference is reported with every input's shape trail.
     */
    private LayerSpec checkMerge(int index, MergeDeclaration merge, List<Integer> producers, Shape input,
                                 int inputRank, ShapeTrail inputTrail, Shape[] outputs, int[] ranks,
                                 ShapeTrail[] trails) {
        List<Shape> shapes = new ArrayList<>();
        boolean known = true;
        for (int p : producers) {
            Shape shape = p == Network.INPUT ? input : outputs[p];
            known &= shape != null;
            shapes.add(shape);
        }
        if (!known) {
            return null; // an input's own problem was reported where it arose
        }
        boolean fits;
        Shape out;
        Shape firstShape = shapes.get(0);
        if (merge.op() == MergeOp.CONCATENATE) {
            fits = true;
            long channels = 0;
            for (Shape shape : shapes) {
                fits &= shape.rank() == firstShape.rank() && (!shape.isImage()
                        || shape.height() == firstShape.height() && shape.width() == firstShape.width());
                channels += shape.isImage() ? shape.channels() : shape.size();
            }
            if (fits && Sizes.product(firstShape.isImage() ? (long) firstShape.height() * firstShape.width() : 1,
                    channels) > MAX_ARRAY_LENGTH) {
                error(Rule.TOO_LARGE, index, null, merge.name() + ": the concatenation has more values than a Java"
                        + " array holds" + trail.through(merge.name(), null));
                return null;
            }
            out = !fits ? null : firstShape.isImage()
                    ? Shape.image(firstShape.height(), firstShape.width(), (int) channels)
                    : Shape.vector((int) channels);
        } else {
            fits = shapes.stream().allMatch(firstShape::equals);
            out = firstShape;
        }
        if (!fits) {
            StringBuilder found = new StringBuilder();
            StringBuilder trailsText = new StringBuilder();
            for (int k = 0; k < producers.size(); k++) {
                int p = producers.get(k);
                String name = p == Network.INPUT ? "input" : trailsName(p, outputs, trails);
                found.append(k > 0 ? ", " : "").append(name).append(' ').append(shapes.get(k));
                trailsText.append(k > 0 ? "; " : "").append(name).append(": ")
                        .append((p == Network.INPUT ? inputTrail : trails[p]).text());
            }
            String rule = merge.op() == MergeOp.CONCATENATE
                    ? "inputs of the same rank that agree in every axis but the channels (the last), as in Keras"
                    : "inputs of identical shape (no broadcasting, as in Keras)";
            error(Rule.MERGE_SHAPES, index, DeclaredModel.FROM, merge.name() + ": @" + merge.op().kerasName()
                    + " needs " + rule + "; found " + found + ". Shape trails: " + trailsText);
            return null;
        }
        return new MergeSpec(merge.name(), shapes, out, merge.op());
    }

    private String trailsName(int producer, Shape[] outputs, ShapeTrail[] trails) {
        return trails[producer] == null ? "layer " + producer : trails[producer].lastLayer();
    }

    /** The rank after a layer, known even when its sizes are not (a merge keeps its inputs' rank). */
    private static int outputRank(LayerDeclaration layer, int rank) {
        return layer.accept(new LayerDeclaration.Visitor<Integer>() {
            @Override
            public Integer conv2D(Conv2DDeclaration declaration) {
                return 3;
            }

            @Override
            public Integer depthwiseConv2D(DepthwiseConv2DDeclaration declaration) {
                return 3;
            }

            @Override
            public Integer pool(PoolDeclaration declaration) {
                return 3;
            }

            @Override
            public Integer globalPool(GlobalPoolDeclaration declaration) {
                return 1;
            }

            @Override
            public Integer flatten(FlattenDeclaration declaration) {
                return 1;
            }

            @Override
            public Integer dense(DenseDeclaration declaration) {
                return 1;
            }

            @Override
            public Integer batchNormalization(BatchNormalizationDeclaration declaration) {
                return rank;
            }

            @Override
            public Integer zeroPadding(ZeroPaddingDeclaration declaration) {
                return 3;
            }

            @Override
            public Integer dropout(DropoutDeclaration declaration) {
                return rank;
            }

            @Override
            public Integer activation(ActivationDeclaration declaration) {
                return rank;
            }

            @Override
            public Integer merge(MergeDeclaration declaration) {
                return rank;
            }

            @Override
            public Integer upSampling(UpSamplingDeclaration declaration) {
                return 3;
            }

            @Override
            public Integer conv2DTranspose(Conv2DTransposeDeclaration declaration) {
                return 3;
            }

            @Override
            public Integer separableConv2D(SeparableConv2DDeclaration declaration) {
                return 3;
            }

            @Override
            public Integer reshape(ReshapeDeclaration declaration) {
                int length = declaration.shape().length;
                return length == 1 || length == 3 ? length : UNKNOWN_RANK;
            }

            @Override
            public Integer leakyReLU(LeakyReLUDeclaration declaration) {
                return rank;
            }

            @Override
            public Integer rescaling(LayerDeclaration.RescalingDeclaration declaration) {
                return rank;
            }

            @Override
            public Integer cropping(LayerDeclaration.CroppingDeclaration declaration) {
                return 3;
            }
        });
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

    private LayerSpec checkLayer(int index, LayerDeclaration layer, Shape in, int rank) {
        return layer.accept(new LayerDeclaration.Visitor<LayerSpec>() {
            @Override
            public LayerSpec conv2D(Conv2DDeclaration conv) {
                return checkConv2D(index, conv, in, rank);
            }

            @Override
            public LayerSpec depthwiseConv2D(DepthwiseConv2DDeclaration depthwise) {
                return checkDepthwise(index, depthwise, in, rank);
            }

            @Override
            public LayerSpec pool(PoolDeclaration pool) {
                return checkPool(index, pool, in, rank);
            }

            @Override
            public LayerSpec globalPool(GlobalPoolDeclaration global) {
                return needsImage(index, global, in, rank) && in != null
                        ? new GlobalPoolSpec(global.name(), in, Shape.vector(in.channels()), global.average()) : null;
            }

            @Override
            public LayerSpec flatten(FlattenDeclaration flatten) {
                return checkFlatten(index, flatten, in, rank);
            }

            @Override
            public LayerSpec dense(DenseDeclaration dense) {
                return checkDense(index, dense, in, rank);
            }

            @Override
            public LayerSpec batchNormalization(BatchNormalizationDeclaration norm) {
                boolean ok = norm.epsilon() > 0 && Double.isFinite(norm.epsilon());
                if (!ok) {
                    error(Rule.NOT_POSITIVE, index, "epsilon", norm.name() + ": epsilon must be a positive number"
                            + " (Keras's default is 0.001); found " + norm.epsilon());
                }
                return ok && in != null ? new BatchNormalizationSpec(norm.name(), in, in, norm.epsilon()) : null;
            }

            @Override
            public LayerSpec zeroPadding(ZeroPaddingDeclaration padding) {
                return checkZeroPadding(index, padding, in, rank);
            }

            @Override
            public LayerSpec dropout(DropoutDeclaration dropout) {
                boolean ok = dropout.rate() >= 0 && dropout.rate() < 1;
                if (!ok) {
                    error(Rule.OUT_OF_RANGE, index, "rate", dropout.name() + ": rate must lie in [0, 1); found "
                            + dropout.rate());
                }
                return ok && in != null ? new DropoutSpec(dropout.name(), in, in, dropout.rate()) : null;
            }

            @Override
            public LayerSpec activation(ActivationDeclaration activation) {
                return in == null ? null : new ActivationSpec(activation.name(), in, in, activation.activation());
            }

            @Override
            public LayerSpec merge(MergeDeclaration merge) {
                throw new IllegalStateException("a merge is checked with all its inputs (checkMerge)");
            }

            @Override
            public LayerSpec upSampling(UpSamplingDeclaration upSampling) {
                return checkUpSampling(index, upSampling, in, rank);
            }

            @Override
            public LayerSpec conv2DTranspose(Conv2DTransposeDeclaration transpose) {
                return checkConv2DTranspose(index, transpose, in, rank);
            }

            @Override
            public LayerSpec separableConv2D(SeparableConv2DDeclaration separable) {
                return checkSeparable(index, separable, in, rank);
            }

            @Override
            public LayerSpec reshape(ReshapeDeclaration reshape) {
                return checkReshape(index, reshape, in);
            }

            @Override
            public LayerSpec leakyReLU(LeakyReLUDeclaration leaky) {
                boolean ok = leaky.alpha() >= 0 && Float.isFinite(leaky.alpha());
                if (!ok) {
                    error(Rule.OUT_OF_RANGE, index, "alpha", leaky.name() + ": alpha must be a number >= 0 (Keras's"
                            + " default is 0.3); found " + leaky.alpha());
                }
                return ok && in != null ? new LeakyReLUSpec(leaky.name(), in, in, leaky.alpha()) : null;
            }

            @Override
            public LayerSpec rescaling(LayerDeclaration.RescalingDeclaration rescaling) {
                boolean ok = Double.isFinite(rescaling.scale()) && Double.isFinite(rescaling.offset());
                if (!ok) {
                    error(Rule.OUT_OF_RANGE, index, Double.isFinite(rescaling.scale()) ? "offset" : "scale", rescaling.name()
                            + ": scale and offset must be finite numbers; found " + rescaling.scale() + " and "
                            + rescaling.offset());
                }
                return ok && in != null ? new LayerSpec.RescalingSpec(rescaling.name(), in, in, (float) rescaling.scale(),
                        (float) rescaling.offset()) : null;
            }

            @Override
            public LayerSpec cropping(LayerDeclaration.CroppingDeclaration cropping) {
                return checkCropping(index, cropping, in, rank);
            }
        });
    }

    private LayerSpec checkCropping(int index, LayerDeclaration.CroppingDeclaration cropping, Shape in, int rank) {
        int[] values = cropping.cropping();
        if (values.length != 1 && values.length != 2 && values.length != 4) {
            error(Rule.ARRAY_LENGTH, index, "value", cropping.name() + ": value must have one value (all sides), two"
                    + " ({vertical, horizontal}) or four ({top, bottom, left, right}); found " + values.length
                    + " values " + ShapeTrail.braces(values));
            return null;
        }
        for (int v : values) {
            if (v < 0) {
                error(Rule.NOT_POSITIVE, index, "value", cropping.name() + ": cropping must not be negative; found "
                        + ShapeTrail.braces(values));
                return null;
            }
        }
        if (!needsImage(index, cropping, in, rank) || in == null) {
            return null;
        }
        int[] sides = LayerDeclaration.sides(values);
        int top = sides[0], bottom = sides[1], left = sides[2], right = sides[3];
        long height = (long) in.height() - top - bottom, width = (long) in.width() - left - right;
        if (height < 1 || width < 1) {
            error(Rule.WINDOW_LARGER_THAN_INPUT, index, "value", cropping.name() + ": cropping "
                    + ShapeTrail.braces(values) + " leaves " + height + "x" + width + " of its input " + in
                    + "; at least one row and one column must remain" + trail.through(cropping.name(), null));
            return null;
        }
        return new LayerSpec.CroppingSpec(cropping.name(), in, Shape.image((int) height, (int) width, in.channels()),
                top, bottom, left, right);
    }

    private LayerSpec checkUpSampling(int index, UpSamplingDeclaration upSampling, Shape in, int rank) {
        int[] size = pair(index, upSampling.name(), "size", upSampling.size(), false);
        if (size == null || !needsImage(index, upSampling, in, rank) || in == null) {
            return null;
        }
        long height = (long) in.height() * size[0], width = (long) in.width() * size[1];
        if (!fitsArray(index, upSampling.name(), "size", "output of " + height + "x" + width + "x" + in.channels()
                + " values", Sizes.product(height, width, in.channels()), null)) {
            return null;
        }
        return new UpSamplingSpec(upSampling.name(), in, Shape.image((int) height, (int) width, in.channels()),
                size[0], size[1]);
    }

    /**
     * Keras's {@code deconv_output_length}: {@code in * S + max(K - S, 0)} for 'valid', {@code in * S}
     * for 'same', which crops {@code floor(max(K - S, 0) / 2)} at the top/left of the full result.
     */
    private LayerSpec checkConv2DTranspose(int index, Conv2DTransposeDeclaration conv, Shape in, int rank) {
        boolean ok = positive(index, conv.name(), "filters", conv.filters());
        int[] kernel = pair(index, conv.name(), "kernel", conv.kernel(), false);
        int[] strides = pair(index, conv.name(), "strides", conv.strides(), false);
        ok &= kernel != null && strides != null;
        ok &= needsImage(index, conv, in, rank);
        if (!ok || in == null) {
            return null;
        }
        long extraH = Math.max(kernel[0] - strides[0], 0), extraW = Math.max(kernel[1] - strides[1], 0);
        boolean same = conv.padding() == Padding.SAME;
        long height = Sizes.sum(Sizes.product(in.height(), strides[0]), same ? 0 : extraH);
        long width = Sizes.sum(Sizes.product(in.width(), strides[1]), same ? 0 : extraW);
        long size = Sizes.product(height, width, conv.filters());
        if (size > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, index, "strides", conv.name() + ": output " + height + "x" + width + "x"
                    + conv.filters() + " has " + format(size) + " values, more than a Java array holds: "
                    + format(size) + " > " + format(MAX_ARRAY_LENGTH) + trail.through(conv.name(), null));
            return null;
        }
        int top = same ? (int) (extraH / 2) : 0, left = same ? (int) (extraW / 2) : 0;
        Window window = new Window(kernel[0], kernel[1], strides[0], strides[1], 1, 1, top,
                same ? (int) (extraH - top) : 0, left, same ? (int) (extraW - left) : 0);
        Conv2DTransposeSpec spec = new Conv2DTransposeSpec(conv.name(), in,
                Shape.image((int) height, (int) width, conv.filters()), conv.filters(), window, conv.activation(),
                conv.useBias());
        return fitsArray(index, conv.name(), "filters", "kernel", spec.kernelSize(), spec.output()) ? spec : null;
    }

    private LayerSpec checkSeparable(int index, SeparableConv2DDeclaration conv, Shape in, int rank) {
        boolean ok = positive(index, conv.name(), "filters", conv.filters());
        ok &= positive(index, conv.name(), "depthMultiplier", conv.depthMultiplier());
        Window window = convolutionWindow(index, conv, conv.kernel(), conv.strides(), conv.dilation(), conv.padding(),
                in, rank, ok);
        if (window == null) {
            return null;
        }
        Shape out = outputImage(index, conv.name(), in, window, conv.filters(), "filters");
        if (out == null) {
            return null;
        }
        long middle = Sizes.product(out.height(), out.width(), (long) in.channels() * conv.depthMultiplier());
        SeparableConv2DSpec spec = new SeparableConv2DSpec(conv.name(), in, out, conv.filters(), conv.depthMultiplier(),
                window, conv.activation(), conv.useBias());
        return fitsArray(index, conv.name(), "depthMultiplier", "depthwise output", middle, out)
                && fitsArray(index, conv.name(), "kernel", "depthwise kernel", spec.depthwiseKernelSize(), out)
                && fitsArray(index, conv.name(), "filters", "pointwise kernel", spec.pointwiseKernelSize(), out)
                ? spec : null;
    }

    private LayerSpec checkReshape(int index, ReshapeDeclaration reshape, Shape in) {
        int[] dims = reshape.shape();
        if (dims.length != 1 && dims.length != 3) {
            error(Rule.ARRAY_LENGTH, index, "value", reshape.name() + ": the new shape must be {H, W, C} or {N};"
                    + " found " + dims.length + " sizes " + ShapeTrail.braces(dims));
            return null;
        }
        long size = 1;
        for (int d : dims) {
            if (d <= 0) {
                error(Rule.NOT_POSITIVE, index, "value", reshape.name() + ": every size must be positive (NetForge"
                        + " has no -1: write the size out); found " + ShapeTrail.braces(dims));
                return null;
            }
            size = Sizes.product(size, d);
        }
        if (in == null) {
            return null;
        }
        if (size != in.size()) {
            error(Rule.RESHAPE_SIZE, index, "value", reshape.name() + ": " + ShapeTrail.braces(dims) + " holds "
                    + format(size) + " values, but its input " + in + " holds " + format(in.size())
                    + trail.through(reshape.name(), null));
            return null;
        }
        Shape out = dims.length == 1 ? Shape.vector(dims[0]) : Shape.image(dims[0], dims[1], dims[2]);
        return new ReshapeSpec(reshape.name(), in, out);
    }

    private LayerSpec checkConv2D(int index, Conv2DDeclaration conv, Shape in, int rank) {
        boolean ok = positive(index, conv.name(), "filters", conv.filters());
        Window window = convolutionWindow(index, conv, conv.kernel(), conv.strides(), conv.dilation(), conv.padding(),
                in, rank, ok);
        if (window == null) {
            return null;
        }
        Shape out = outputImage(index, conv.name(), in, window, conv.filters(), "filters");
        if (out == null) {
            return null;
        }
        Conv2DSpec spec = new Conv2DSpec(conv.name(), in, out, conv.filters(), window, conv.activation(),
                conv.useBias());
        return fitsArray(index, conv.name(), "filters", "kernel", spec.kernelSize(), out) ? spec : null;
    }

    private LayerSpec checkDepthwise(int index, DepthwiseConv2DDeclaration conv, Shape in, int rank) {
        boolean ok = positive(index, conv.name(), "depthMultiplier", conv.depthMultiplier());
        Window window = convolutionWindow(index, conv, conv.kernel(), conv.strides(), conv.dilation(), conv.padding(),
                in, rank, ok);
        if (window == null) {
            return null;
        }
        long channels = (long) in.channels() * conv.depthMultiplier();
        if (channels > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, index, "depthMultiplier", conv.name() + ": " + format(in.channels())
                    + " channels x depthMultiplier " + format(conv.depthMultiplier()) + " = " + format(channels)
                    + " output channels, more than a Java array holds" + trail.through(conv.name(), null));
            return null;
        }
        Shape out = outputImage(index, conv.name(), in, window, (int) channels, "depthMultiplier");
        if (out == null) {
            return null;
        }
        DepthwiseConv2DSpec spec = new DepthwiseConv2DSpec(conv.name(), in, out, conv.depthMultiplier(), window,
                conv.activation(), conv.useBias());
        return fitsArray(index, conv.name(), "depthMultiplier", "kernel", spec.kernelSize(), out) ? spec : null;
    }

    /**
     * What every convolution checks the same way: kernel, strides and dilation each one or two
     * positive values, not both strided and dilated, an image input, a window that fits, and a padded
     * input that fits an array. Returns the window, or null once something was reported (or
     * {@code attributesOk} is false, or the input is unknown).
     */
    private Window convolutionWindow(int index, LayerDeclaration conv, int[] kernelValues, int[] stridesValues,
                                     int[] dilationValues, Padding padding, Shape in, int rank, boolean attributesOk) {
        int[] kernel = pair(index, conv.name(), "kernel", kernelValues, false);
        int[] strides = pair(index, conv.name(), "strides", stridesValues, false);
        int[] dilation = pair(index, conv.name(), "dilation", dilationValues, false);
        boolean ok = attributesOk && kernel != null && strides != null && dilation != null;
        ok &= ok && stridesWithDilation(index, conv.name(), strides, dilation);
        ok &= needsImage(index, conv, in, rank);
        if (!ok || in == null) {
            return null;
        }
        Window window = window(index, conv.name(), "kernel", "kernel", kernel, strides, dilation, padding, in);
        return window != null && paddedFits(index, conv.name(), in, window) ? window : null;
    }

    private LayerSpec checkPool(int index, PoolDeclaration pool, Shape in, int rank) {
        int[] size = pair(index, pool.name(), "value", pool.pool(), false);
        int[] strides = pair(index, pool.name(), "strides", pool.strides(), true);
        boolean ok = size != null && strides != null;
        ok &= needsImage(index, pool, in, rank);
        if (!ok || in == null) {
            return null;
        }
        if (strides.length == 0) {
            strides = size; // Keras: strides default to the pool size
        }
        Window window = window(index, pool.name(), "value", "pool window", size, strides, new int[] {1, 1},
                pool.padding(), in);
        if (window == null) {
            return null;
        }
        Shape out = outputImage(index, pool.name(), in, window, in.channels(), null);
        return out == null ? null : new PoolSpec(pool.name(), in, out, pool.average(), window);
    }

    private LayerSpec checkFlatten(int index, FlattenDeclaration flatten, Shape in, int rank) {
        if (rank == 1) {
            warning(Rule.FLATTEN_OF_VECTOR, index, null, flatten.name()
                    + ": Flatten of a vector does nothing (legal, as in Keras); remove it"
                    + (in == null ? "" : trail.through(flatten.name(), in)));
        }
        return in == null ? null : new FlattenSpec(flatten.name(), in, Shape.vector(in.size()));
    }

    private LayerSpec checkDense(int index, DenseDeclaration dense, Shape in, int rank) {
        boolean ok = positive(index, dense.name(), "units", dense.units());
        if (rank == 3) {
            error(Rule.NEEDS_VECTOR, index, null, dense.name() + ": Dense needs a vector input, found the image "
                    + (in == null ? "H x W x C" : in + " (" + format(in.size()) + " values)")
                    + "; add @Flatten (or a global pooling layer) before it to make the image a vector"
                    + trail.through(dense.name(), null));
            return null;
        }
        if (!ok || in == null) {
            return null;
        }
        Shape out = Shape.vector(dense.units());
        DenseSpec spec = new DenseSpec(dense.name(), in, out, dense.units(), dense.activation(), dense.useBias());
        return fitsArray(index, dense.name(), "units", "kernel of " + format(in.size()) + " x " + format(dense.units())
                + " weights", spec.kernelSize(), out) ? spec : null;
    }

    private LayerSpec checkZeroPadding(int index, ZeroPaddingDeclaration padding, Shape in, int rank) {
        int[] values = padding.padding();
        if (values.length != 1 && values.length != 2 && values.length != 4) {
            error(Rule.ARRAY_LENGTH, index, "value", padding.name() + ": value must have one value (all sides), two"
                    + " ({vertical, horizontal}) or four ({top, bottom, left, right}); found " + values.length
                    + " values " + ShapeTrail.braces(values));
            return null;
        }
        boolean ok = true;
        for (int v : values) {
            ok &= v >= 0;
        }
        if (!ok) {
            error(Rule.NOT_POSITIVE, index, "value", padding.name() + ": padding must not be negative; found "
                    + ShapeTrail.braces(values));
            return null;
        }
        if (!needsImage(index, padding, in, rank) || in == null) {
            return null;
        }
        int[] sides = LayerDeclaration.sides(values);
        int top = sides[0], bottom = sides[1], left = sides[2], right = sides[3];
        long height = (long) in.height() + top + bottom, width = (long) in.width() + left + right;
        if (!fitsArray(index, padding.name(), "value", "output of " + height + "x" + width + "x" + in.channels()
                + " values", Sizes.product(height, width, in.channels()), null)) {
            return null;
        }
        return new ZeroPaddingSpec(padding.name(), in, Shape.image((int) height, (int) width, in.channels()),
                top, bottom, left, right);
    }

    /** Keras rejects strides and dilation both above 1 ("not supported"), so do we, with the reason. */
    private boolean stridesWithDilation(int index, String name, int[] strides, int[] dilation) {
        boolean strided = strides[0] > 1 || strides[1] > 1;
        boolean dilated = dilation[0] > 1 || dilation[1] > 1;
        if (strided && dilated) {
            error(Rule.STRIDES_WITH_DILATION, index, "dilation", name + ": strides " + ShapeTrail.braces(strides)
                    + " and dilation " + ShapeTrail.braces(dilation) + " cannot both exceed 1 (Keras rejects it too);"
                    + " use strides = 1 with a dilation, or dilation = 1 with strides");
            return false;
        }
        return true;
    }

    /** Conv2D and pooling slide over an image; on a vector they are an error that says how it got there. */
    private boolean needsImage(int index, LayerDeclaration layer, Shape in, int rank) {
        if (rank != 1) {
            return true;
        }
        error(Rule.NEEDS_IMAGE, index, null, layer.name() + ": " + layer.annotationName()
                + " needs an image H x W x C input, found a vector"
                + (in == null ? "" : " of " + format(in.size()))
                + "; move it before @Flatten/@Dense, or declare @Model(input = {H, W, C})"
                + trail.through(layer.name(), null));
        return false;
    }

    /**
     * Resolves the window along both axes with Keras's formulas: 'valid' needs the (dilated) window
     * to fit, reported with the numbers; 'same' pads with TensorFlow's split (extra at bottom/right).
     */
    private Window window(int index, String name, String attribute, String what, int[] size, int[] strides,
                          int[] dilation, Padding padding, Shape in) {
        int kh = size[0], kw = size[1], sh = strides[0], sw = strides[1], dh = dilation[0], dw = dilation[1];
        long spanH = (long) dh * (kh - 1) + 1, spanW = (long) dw * (kw - 1) + 1;
        if (padding == Padding.VALID) {
            boolean tallEnough = in.height() >= spanH, wideEnough = in.width() >= spanW;
            if (!tallEnough || !wideEnough) {
                boolean dilated = dh != 1 || dw != 1;
                String window = kh + "x" + kw + (dilated ? " with dilation " + dh + "x" + dw + " spans " + spanH
                        + "x" + spanW + " and" : "");
                StringBuilder numbers = new StringBuilder();
                if (!tallEnough) {
                    numbers.append("height ").append(in.height()).append(" < ").append(spanH);
                }
                if (!wideEnough) {
                    numbers.append(numbers.length() > 0 ? ", " : "").append("width ")
                            .append(in.width()).append(" < ").append(spanW);
                }
                String smaller = dilated ? "a smaller kernel or dilation" : "a " + what + " of at most "
                        + Math.min(kh, in.height()) + "x" + Math.min(kw, in.width());
                error(Rule.WINDOW_LARGER_THAN_INPUT, index, attribute, name + ": " + what + " " + window
                        + " is larger than its input " + in + "; valid padding needs input >= " + what + ": "
                        + numbers + ". Fix: padding = Padding.SAME, or " + smaller + trail.through(name, null));
                return null;
            }
            return new Window(kh, kw, sh, sw, dh, dw, 0, 0, 0, 0);
        }
        long outH = ceilDiv(in.height(), sh), outW = ceilDiv(in.width(), sw);
        long padH = Math.max(Sizes.sum(Sizes.product(outH - 1, sh), spanH) - in.height(), 0);
        long padW = Math.max(Sizes.sum(Sizes.product(outW - 1, sw), spanW) - in.width(), 0);
        if (padH > Integer.MAX_VALUE || padW > Integer.MAX_VALUE) {
            error(Rule.TOO_LARGE, index, attribute, name + ": 'same' padding of " + format(padH) + " x "
                    + format(padW) + " for " + what + " " + kh + "x" + kw + " does not fit a Java array"
                    + trail.through(name, null));
            return null;
        }
        return new Window(kh, kw, sh, sw, dh, dw, (int) (padH / 2), (int) (padH - padH / 2),
                (int) (padW / 2), (int) (padW - padW / 2));
    }

    /** A padded convolution copies its input into a padded array first: that array must fit too. */
    private boolean paddedFits(int index, String name, Shape in, Window window) {
        long padded = Sizes.product((long) in.height() + window.padTop() + window.padBottom(),
                (long) in.width() + window.padLeft() + window.padRight(), in.channels());
        if (padded > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, index, "kernel", name + ": 'same' padding for kernel " + window.height()
                    + "x" + window.width() + " makes the padded input " + format(padded)
                    + " values, more than a Java array holds: " + format(padded) + " > "
                    + format(MAX_ARRAY_LENGTH) + "; use a smaller kernel" + trail.through(name, null));
            return false;
        }
        return true;
    }

    private Shape outputImage(int index, String name, Shape in, Window window, int channels, String attribute) {
        long height = ((long) in.height() + window.padTop() + window.padBottom() - window.spanHeight())
                / window.strideHeight() + 1;
        long width = ((long) in.width() + window.padLeft() + window.padRight() - window.spanWidth())
                / window.strideWidth() + 1;
        long size = Sizes.product(height, width, channels);
        if (size > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, index, attribute, name + ": output " + height + "x" + width + "x" + channels
                    + " has " + format(size) + " values, more than a Java array holds: " + format(size) + " > "
                    + format(MAX_ARRAY_LENGTH) + trail.through(name, null));
            return null;
        }
        return Shape.image((int) height, (int) width, channels);
    }

    private boolean fitsArray(int index, String name, String attribute, String what, long count, Shape out) {
        if (count <= MAX_ARRAY_LENGTH) {
            return true;
        }
        error(Rule.TOO_LARGE, index, attribute, name + ": its " + what + " (" + format(count)
                + " values) does not fit a Java array: " + format(count) + " > " + format(MAX_ARRAY_LENGTH)
                + trail.through(name, null));
        return false;
    }

    private boolean positive(int index, String name, String attribute, int value) {
        if (value > 0) {
            return true;
        }
        error(Rule.NOT_POSITIVE, index, attribute, name + ": " + attribute + " must be positive; found " + value);
        return false;
    }

    /**
     * An {@code int[]} attribute meaning one value for both axes or {@code {height, width}}; returns
     * the two values, an empty array when {@code emptyAllowed} and empty, or null after reporting.
     */
    private int[] pair(int index, String name, String attribute, int[] values, boolean emptyAllowed) {
        if (values.length == 0 && emptyAllowed) {
            return values;
        }
        String what = attribute.equals("value") ? "pool size (value)" : attribute;
        if (values.length != 1 && values.length != 2) {
            error(Rule.ARRAY_LENGTH, index, attribute, name + ": " + what
                    + " must have one value (both axes) or two ({height, width}); found " + values.length
                    + " values " + ShapeTrail.braces(values));
            return null;
        }
        boolean ok = true;
        for (int v : values) {
            ok &= v > 0;
        }
        if (!ok) {
            error(Rule.NOT_POSITIVE, index, attribute, name + ": " + what + " must be positive; found "
                    + ShapeTrail.braces(values));
            return null;
        }
        return values.length == 1 ? new int[] {values[0], values[0]} : values;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static String format(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    void error(Rule rule, int layer, String attribute, String message) {
        problems.add(new Problem(Problem.Severity.ERROR, rule, layer, attribute, message));
    }

    private void warning(Rule rule, int layer, String attribute, String message) {
        problems.add(new Problem(Problem.Severity.WARNING, rule, layer, attribute, message));
    }
}
