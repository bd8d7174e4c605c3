package dev.netforge.processor.validation;

import dev.netforge.Padding;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerDeclaration.Conv2DDeclaration;
import dev.netforge.processor.model.LayerDeclaration.DenseDeclaration;
import dev.netforge.processor.model.LayerDeclaration.FlattenDeclaration;
import dev.netforge.processor.model.LayerDeclaration.MaxPoolDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DSpec;
import dev.netforge.processor.model.LayerSpec.DenseSpec;
import dev.netforge.processor.model.LayerSpec.FlattenSpec;
import dev.netforge.processor.model.LayerSpec.MaxPoolSpec;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Window;
import java.util.ArrayList;
import java.util.List;
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

    private final List<Problem> problems = new ArrayList<>();
    private final List<LayerSpec> resolved = new ArrayList<>();
    private final ShapeTrail trail = new ShapeTrail();

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

    public static Result validate(String packageName, String modelName, int[] input,
                                  List<LayerDeclaration> layers) {
        return new NetworkValidator().run(packageName, modelName, input, layers);
    }

    private Result run(String packageName, String modelName, int[] inputDims,
                       List<LayerDeclaration> layers) {
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
        Shape current = input;
        int rank = inputDims.length == 1 ? 1 : 3;
        if (input != null) {
            trail.start(input);
        } else {
            trail.startUnknown();
        }
        long parameters = 0;
        for (int index = 0; index < layers.size(); index++) {
            LayerDeclaration layer = layers.get(index);
            LayerSpec spec = checkLayer(index, layer, current, rank);
            rank = layer instanceof Conv2DDeclaration || layer instanceof MaxPoolDeclaration ? 3
                    : layer instanceof FlattenDeclaration || layer instanceof DenseDeclaration ? 1 : rank;
            if (spec != null) {
                parameters += spec.parameterCount();
                if (parameters > MAX_ARRAY_LENGTH && parameters - spec.parameterCount() <= MAX_ARRAY_LENGTH) {
                    error(Rule.TOO_LARGE, index, null, layer.name() + ": with this layer the model has "
                            + format(parameters) + " parameters, more than the parameter vector (one float[])"
                            + " can hold: " + format(parameters) + " > " + format(MAX_ARRAY_LENGTH)
                            + trail.through(layer.name(), spec.output()));
                }
                resolved.add(spec);
                trail.add(layer.name(), spec.output());
                current = spec.output();
            } else {
                trail.add(layer.name(), null);
                current = null;
            }
        }
        boolean failed = problems.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
        Optional<Network> network = failed
                ? Optional.empty()
                : Optional.of(new Network(packageName, modelName, input, resolved));
        return new Result(network, problems);
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
            size *= Math.max(d, 1);
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
        if (layer instanceof Conv2DDeclaration conv) {
            return checkConv2D(index, conv, in, rank);
        } else if (layer instanceof MaxPoolDeclaration pool) {
            return checkMaxPool(index, pool, in, rank);
        } else if (layer instanceof FlattenDeclaration flatten) {
            return checkFlatten(index, flatten, in, rank);
        } else if (layer instanceof DenseDeclaration dense) {
            return checkDense(index, dense, in, rank);
        }
        throw new IllegalArgumentException("unknown layer declaration " + layer);
    }

    private LayerSpec checkConv2D(int index, Conv2DDeclaration conv, Shape in, int rank) {
        boolean ok = positive(index, conv.name(), "filters", conv.filters());
        int[] kernel = pair(index, conv.name(), "kernel", conv.kernel(), false);
        int[] strides = pair(index, conv.name(), "strides", conv.strides(), false);
        ok &= kernel != null && strides != null;
        ok &= needsImage(index, conv, in, rank);
        if (!ok || in == null) {
            return null;
        }
        Window window = window(index, conv.name(), "kernel", "kernel", kernel, strides, conv.padding(), in);
        if (window == null) {
            return null;
        }
        Shape out = outputImage(index, conv.name(), in, window, conv.filters());
        if (out == null) {
            return null;
        }
        long padded = ((long) in.height() + window.padTop() + window.padBottom())
                * ((long) in.width() + window.padLeft() + window.padRight()) * in.channels();
        if (padded > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, index, "kernel", conv.name() + ": 'same' padding for kernel " + window.height()
                    + "x" + window.width() + " makes the padded input " + format(padded)
                    + " values, more than a Java array holds: " + format(padded) + " > "
                    + format(MAX_ARRAY_LENGTH) + "; use a smaller kernel" + trail.through(conv.name(), out));
            return null;
        }
        Conv2DSpec spec = new Conv2DSpec(conv.name(), in, out, conv.filters(), window, conv.activation(),
                conv.useBias());
        return fitsArray(index, conv.name(), "kernel of " + spec.kernelSize() + " weights",
                spec.kernelSize(), out) ? spec : null;
    }

    private LayerSpec checkMaxPool(int index, MaxPoolDeclaration pool, Shape in, int rank) {
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
        Window window = window(index, pool.name(), "value", "pool window", size, strides, pool.padding(), in);
        if (window == null) {
            return null;
        }
        Shape out = outputImage(index, pool.name(), in, window, in.channels());
        return out == null ? null : new MaxPoolSpec(pool.name(), in, out, window);
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
                    + "; add @Flatten before it to flatten the image to a vector"
                    + trail.through(dense.name(), null));
            return null;
        }
        if (!ok || in == null) {
            return null;
        }
        Shape out = Shape.vector(dense.units());
        DenseSpec spec = new DenseSpec(dense.name(), in, out, dense.units(), dense.activation(), dense.useBias());
        return fitsArray(index, dense.name(), "kernel of " + in.size() + " x " + dense.units() + " weights",
                spec.kernelSize(), out) ? spec : null;
    }

    /** Conv2D and MaxPool slide over an image; on a vector they are an error that says how it got there. */
    private boolean needsImage(int index, LayerDeclaration layer, Shape in, int rank) {
        if (rank == 3) {
            return true;
        }
        error(Rule.NEEDS_IMAGE, index, null, layer.name() + ": " + layer.annotationName()
                + " needs an image H x W x C input, found a vector"
                + (in == null ? "" : " of " + in.size())
                + "; move it before @Flatten/@Dense, or declare @Model(input = {H, W, C})"
                + trail.through(layer.name(), null));
        return false;
    }

    /**
     * Resolves the window along both axes with Keras's formulas: 'valid' needs the window to fit
     * (reported with the numbers), 'same' pads with TensorFlow's split (extra at bottom/right).
     */
    private Window window(int index, String name, String attribute, String what, int[] size, int[] strides,
                          Padding padding, Shape in) {
        int kh = size[0], kw = size[1], sh = strides[0], sw = strides[1];
        if (padding == Padding.VALID) {
            boolean tallEnough = in.height() >= kh, wideEnough = in.width() >= kw;
            if (!tallEnough || !wideEnough) {
                StringBuilder numbers = new StringBuilder();
                if (!tallEnough) {
                    numbers.append("height ").append(in.height()).append(" < ").append(kh);
                }
                if (!wideEnough) {
                    numbers.append(numbers.length() > 0 ? ", " : "").append("width ")
                            .append(in.width()).append(" < ").append(kw);
                }
                error(Rule.WINDOW_LARGER_THAN_INPUT, index, attribute, name + ": " + what + " " + kh + "x" + kw
                        + " is larger than its input " + in + "; valid padding needs input >= " + what + ": "
                        + numbers + ". Fix: padding = Padding.SAME, or a " + what + " of at most "
                        + Math.min(kh, in.height()) + "x" + Math.min(kw, in.width())
                        + trail.through(name, null));
                return null;
            }
            return new Window(kh, kw, sh, sw, 0, 0, 0, 0);
        }
        int outH = ceilDiv(in.height(), sh), outW = ceilDiv(in.width(), sw);
        long padH = Math.max((long) (outH - 1) * sh + kh - in.height(), 0);
        long padW = Math.max((long) (outW - 1) * sw + kw - in.width(), 0);
        // padH < kh and padW < kw, so both fit an int.
        return new Window(kh, kw, sh, sw, (int) (padH / 2), (int) (padH - padH / 2),
                (int) (padW / 2), (int) (padW - padW / 2));
    }

    private Shape outputImage(int index, String name, Shape in, Window window, int channels) {
        long height = ((long) in.height() + window.padTop() + window.padBottom() - window.height())
                / window.strideHeight() + 1;
        long width = ((long) in.width() + window.padLeft() + window.padRight() - window.width())
                / window.strideWidth() + 1;
        long size = height * width * channels;
        if (size > MAX_ARRAY_LENGTH) {
            error(Rule.TOO_LARGE, index, null, name + ": output " + height + "x" + width + "x" + channels
                    + " has " + format(size) + " values, more than a Java array holds: " + format(size) + " > "
                    + format(MAX_ARRAY_LENGTH) + trail.through(name, null));
            return null;
        }
        return Shape.image((int) height, (int) width, channels);
    }

    private boolean fitsArray(int index, String name, String what, long count, Shape out) {
        if (count <= MAX_ARRAY_LENGTH) {
            return true;
        }
        error(Rule.TOO_LARGE, index, null, name + ": its " + what + " (" + format(count)
                + ") do not fit a Java array: " + format(count) + " > " + format(MAX_ARRAY_LENGTH)
                + trail.through(name, out));
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
        if (values.length != 1 && values.length != 2) {
            error(Rule.ARRAY_LENGTH, index, attribute, name + ": " + attribute
                    + " must have one value (both axes) or two ({height, width}); found " + values.length
                    + " values " + ShapeTrail.braces(values));
            return null;
        }
        boolean ok = true;
        for (int v : values) {
            ok &= v > 0;
        }
        if (!ok) {
            error(Rule.NOT_POSITIVE, index, attribute, name + ": " + attribute + " must be positive; found "
                    + ShapeTrail.braces(values));
            return null;
        }
        return values.length == 1 ? new int[] {values[0], values[0]} : values;
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    static String format(long value) {
        return String.format(java.util.Locale.ROOT, "%,d", value);
    }

    private void error(Rule rule, int layer, String attribute, String message) {
        problems.add(new Problem(Problem.Severity.ERROR, rule, layer, attribute, message));
    }

    private void warning(Rule rule, int layer, String attribute, String message) {
        problems.add(new Problem(Problem.Severity.WARNING, rule, layer, attribute, message));
    }
}
